import { Hono } from 'hono';
import type { TrackingPorts } from '../../../shared/domain/tracking/ports.js';
import { searchRunsWithRanges } from '../../../shared/domain/tracking/run-search.js';
import { runWithRangesToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/tracking.js';
import { accessOf } from '../auth-context.js';
import { rpc, searchRunsRequestOf } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';

/**
 * Cairn's run search, mounted under `/api/2.0/cairn`: MLflow's SearchRuns request and answer, plus
 * `metrics.<key>.min|max|last` in `filter` and `order_by`, and `min`/`max` beside each latest metric.
 * MLflow's own `runs/search` stays as MLflow has it.
 */
export const cairnRunRoutes = (deps: TrackingPorts) =>
  new Hono().post(
    '/runs/search',
    rpc(S.SearchRunsRequest, async (input, c) => {
      const { page, nextPageToken } = await searchRunsWithRanges(deps, searchRunsRequestOf(input), experimentsVisibleTo(accessOf(c)));
      return { runs: page.length > 0 ? page.map(runWithRangesToJson) : undefined, next_page_token: nextPageToken };
    }),
  );
