import { Hono } from 'hono';
import type { Context } from 'hono';
import { assessmentsOfTraces } from '../../../shared/domain/genai/assessments-service.js';
import type { AssessmentStore } from '../../../shared/domain/genai/assessments-ports.js';
import { assessmentJson } from '../../../shared/domain/genai/assessments-wire.js';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import { calculateFilterCorrelation } from '../../../shared/domain/genai/trace-search/correlation.js';
import { experimentIdsOfLocations, searchTraces, type TraceSearchDeps } from '../../../shared/domain/genai/trace-search/search.js';
import { traceInfoV2Json, traceInfoV3Json } from '../../../shared/domain/genai/traces-wire.js';
import { visibleIds } from '../../../shared/domain/kernel/visibility.js';
import { missingParameter } from '../../../shared/errors/index.js';
import * as S from '../../../shared/schemas/trace-search.js';
import { accessOf } from '../auth-context.js';
import { rpc } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';

export interface TraceSearchRouteDeps extends TraceSearchDeps {
  readonly assessments: Pick<AssessmentStore, 'listByName' | 'listForTraces'>;
}

/** Experiments the caller may read among those asked for, and who is asking (page tokens are bound to it). */
const visibleExperiments = (c: Context, experimentIds: readonly string[]) => {
  const visibility = experimentsVisibleTo(accessOf(c));
  return { experimentIds: visibleIds(experimentIds, visibility), viewer: visibility?.viewer };
};

const withAssessments = async (deps: TraceSearchRouteDeps, infos: readonly TraceInfo[]) => {
  const byTrace = await assessmentsOfTraces(deps, infos.map((info) => info.traceId));
  return infos.map((info) => traceInfoV3Json(info, (byTrace.get(info.traceId) ?? []).map(assessmentJson)));
};

/** JSON's form of a double: proto JSON writes NaN and the infinities as strings. */
const doubleJson = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

/**
 * Trace search: SearchTracesV3 (`POST /traces/search`, under /api/3.0/mlflow), the v2 list (`GET /traces`, under
 * /api/2.0/mlflow) and CalculateTraceFilterCorrelation (`POST /traces/calculate-filter-correlation`, 3.0). Each
 * answers only traces of experiments the caller may read.
 */
export const traceSearchV3Routes = (deps: TraceSearchRouteDeps) =>
  new Hono()
    .post(
      '/traces/search',
      rpc(S.SearchTracesV3Request, async (input, c) => {
        const { experimentIds, viewer } = visibleExperiments(c, experimentIdsOfLocations(input.locations ?? []));
        const page = await searchTraces(
          deps,
          { experimentIds, filter: input.filter, maxResults: input.max_results, orderBy: input.order_by, pageToken: input.page_token },
          'traces/search',
          viewer,
        );
        const traces = await withAssessments(deps, page.traces);
        return { ...(traces.length > 0 ? { traces } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
      }),
    )
    .post(
      '/traces/calculate-filter-correlation',
      rpc(S.CalculateFilterCorrelationRequest, async (input, c) => {
        if (!input.experiment_ids || input.experiment_ids.length === 0) throw missingParameter('experiment_ids');
        const { experimentIds } = visibleExperiments(c, input.experiment_ids);
        const result = await calculateFilterCorrelation(deps, {
          experimentIds,
          filter1: input.filter_string1,
          filter2: input.filter_string2,
          baseFilter: input.base_filter,
        });
        return {
          npmi: doubleJson(result.npmi),
          npmi_smoothed: doubleJson(result.npmiSmoothed),
          filter1_count: result.filter1Count,
          filter2_count: result.filter2Count,
          joint_count: result.jointCount,
          total_count: result.totalCount,
        };
      }),
    );

export const traceSearchV2Routes = (deps: TraceSearchRouteDeps) =>
  new Hono().get(
    '/traces',
    rpc(S.SearchTracesV2Request, async (input, c) => {
      if (!input.experiment_ids || input.experiment_ids.length === 0) throw missingParameter('experiment_ids');
      const { experimentIds, viewer } = visibleExperiments(c, input.experiment_ids);
      const page = await searchTraces(
        deps,
        { experimentIds, filter: input.filter, maxResults: input.max_results, orderBy: input.order_by, pageToken: input.page_token },
        'traces/list-v2',
        viewer,
      );
      return {
        ...(page.traces.length > 0 ? { traces: page.traces.map(traceInfoV2Json) } : {}),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    }),
  );
