import { Hono } from 'hono';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import type { BucketedSeries } from '../../../shared/domain/tracking/metric-buckets.js';
import { historyBuckets } from '../../../shared/domain/tracking/metric-buckets-query.js';
import { doubleToJson } from '../../../shared/http/serializers.js';
import { HistoryBucketsRequest } from '../../../shared/schemas/cairn-metrics.js';
import { rpc } from '../rpc.js';

/** Buckets sized for a chart about 1,000 pixels wide when the caller does not say. */
const DEFAULT_BUCKETS = 1000;

/**
 * Cairn's full-fidelity history read for charts, mounted under `/api/2.0/cairn`. Columns rather than one
 * object per point keep a 100-run answer small; values use proto JSON's "NaN"/"Infinity" forms.
 */
export const metricBucketRoutes = (deps: TrackingDeps) =>
  new Hono().post(
    '/metrics/history-buckets',
    rpc(HistoryBucketsRequest, async (input) => {
      const xAxis = input.x_axis ?? 'step';
      const series = await historyBuckets(deps, {
        runIds: input.run_ids,
        metricKeys: input.metric_keys,
        xAxis,
        xMin: input.x_min,
        xMax: input.x_max,
        buckets: input.buckets ?? DEFAULT_BUCKETS,
      });
      return {
        x_axis: xAxis,
        series: series.map(({ runId, metricKey, series: s }) => ({ run_id: runId, metric_key: metricKey, ...seriesToJson(s) })),
      };
    }),
  );

const doubles = (values: number[]) => values.map(doubleToJson);

const seriesToJson = (series: BucketedSeries) =>
  series.kind === 'points'
    ? {
        count: series.count,
        points: { step: series.steps, timestamp: series.timestamps, value: doubles(series.values) },
      }
    : {
        count: series.count,
        buckets: {
          x_min: series.xMin,
          x_max: series.xMax,
          min: doubles(series.min),
          max: doubles(series.max),
          last: doubles(series.last),
          count: series.counts,
        },
      };
