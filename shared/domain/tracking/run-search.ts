import type { Run, ViewType } from './entities.js';
import type { TrackingPorts } from './ports.js';
import { decodeOffsetPageToken, offsetPage } from '../kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import { compareRuns, parseRunFilter, parseRunOrderBy, runMatches } from '../search/index.js';

export interface SearchRunsRequest {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** MLflow's SearchRuns over the experiments' cached summaries (RunSearchIndex; shared/data/runs/summary-index.ts). */
export const searchRuns = async (deps: Pick<TrackingPorts, 'runIndex'>, request: SearchRunsRequest) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchRuns);
  const filter = parseRunFilter(request.filter);
  const order = parseRunOrderBy(request.orderBy);
  const viewType = request.runViewType ?? 'ACTIVE_ONLY';
  const experimentIds = [...new Set(request.experimentIds)];
  const scope = { kind: 'runs/search', request: [experimentIds, request.filter ?? '', request.orderBy ?? [], viewType] };
  const offset = decodeOffsetPageToken(request.pageToken, scope);
  const perExperiment = await Promise.all(experimentIds.map((id) => deps.runIndex.runsOf(id)));
  const matching: Run[] = [];
  for (const runs of perExperiment) {
    for (const run of runs) {
      if (!visible(run, viewType)) continue;
      if (runMatches(run, filter)) matching.push(run);
    }
  }
  matching.sort(compareRuns(order));
  return offsetPage(matching, scope, offset, maxResults);
};

const visible = (run: Run, viewType: ViewType) =>
  viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (run.info.lifecycleStage === 'active');
