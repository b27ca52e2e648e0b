import { invalidParameter } from '../errors/index.js';
import type { TrackingDeps } from './dependencies.js';
import type { Run, ViewType } from './entities.js';
import { decodeOffsetToken, pageOf } from './pagination.js';
import { compareRuns, parseRunFilter, parseRunOrderBy, runMatches } from './search/index.js';
import { LIMITS } from './validation.js';

export interface SearchRunsRequest {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** MLflow's SearchRuns over the experiments' cached summaries (shared/data/runs/summary-index.ts). */
export const searchRuns = async (deps: TrackingDeps, request: SearchRunsRequest) => {
  const maxResults = request.maxResults ?? 1000;
  if (maxResults < 1 || maxResults > LIMITS.searchRunsMaxResults) {
    throw invalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${LIMITS.searchRunsMaxResults}, but got value ${maxResults}`,
    );
  }
  const filter = parseRunFilter(request.filter);
  const order = parseRunOrderBy(request.orderBy);
  const offset = decodeOffsetToken(request.pageToken);
  const viewType = request.runViewType ?? 'ACTIVE_ONLY';
  const experimentIds = [...new Set(request.experimentIds)];
  const perExperiment = await Promise.all(experimentIds.map((id) => deps.runIndex.runsOf(id)));
  const matching: Run[] = [];
  for (const runs of perExperiment) {
    for (const run of runs) {
      if (!visible(run, viewType)) continue;
      if (runMatches(run, filter)) matching.push(run);
    }
  }
  matching.sort(compareRuns(order));
  return pageOf(matching, offset, maxResults);
};

const visible = (run: Run, viewType: ViewType) =>
  viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (run.info.lifecycleStage === 'active');
