import { Hono } from 'hono';
import type { TrackingPorts } from '../../../shared/domain/tracking/ports.js';
import { getMetricHistory, getMetricHistoryBulkInterval } from '../../../shared/domain/tracking/metrics.js';
import { metricToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/tracking.js';
import { rpc, runIdOf } from '../rpc.js';

export const metricRoutes = (deps: TrackingPorts) =>
  new Hono()
    .get(
      '/metrics/get-history',
      rpc(S.GetMetricHistoryRequest, async (input) => {
        const { page, nextPageToken } = await getMetricHistory(deps, {
          runId: runIdOf(input),
          key: input.metric_key,
          maxResults: input.max_results,
          pageToken: input.page_token,
        });
        return { metrics: page.length > 0 ? page.map(metricToJson) : undefined, next_page_token: nextPageToken };
      }),
    )
    .get(
      '/metrics/get-history-bulk-interval',
      rpc(S.GetMetricHistoryBulkIntervalRequest, async (input) => {
        const points = await getMetricHistoryBulkInterval(deps, {
          runIds: input.run_ids,
          key: input.metric_key,
          startStep: input.start_step,
          endStep: input.end_step,
          maxResults: input.max_results,
        });
        return { metrics: points.length > 0 ? points.map(metricToJson) : undefined };
      }),
    );
