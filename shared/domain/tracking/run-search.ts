import { firstInOrder } from '../kernel/first-in-order.js';
import type { MetricRange, Run, ViewType } from './entities.js';
import type { TrackingPorts } from './ports.js';
import { decodeOffsetPageToken, offsetPage } from '../kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import { visibleIds, type Visibility } from '../kernel/visibility.js';
import { recordOf } from '../kernel/own-records.js';
import { compareRuns, parseRunFilter, parseRunOrderBy, runMatches, type RunSearchExtensions } from '../search/index.js';
import { rangeOfPackedHistory } from './metric-ranges.js';

export interface SearchRunsRequest {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/**
 * MLflow's SearchRuns over the experiments' cached summaries (RunSearchIndex; shared/data/runs/summary-index.ts).
 * With `visible`, the experiments the caller may not read are left out of `experiment_ids` before any read, as
 * MLflow's auth does; when none is left the answer is empty.
 */
export const searchRuns = async (deps: Pick<TrackingPorts, 'runIndex'>, request: SearchRunsRequest, visible?: Visibility) => {
  const { runs, filter, order, scope, offset, maxResults } = await candidateRuns(deps, request, visible, 'runs/search', {});
  const matching = runs.filter((run) => runMatches(run, filter));
  return offsetPage(firstInOrder(matching, offset + maxResults, compareRuns(order)), scope, offset, maxResults, matching.length);
};

/**
 * Cairn's search (`/api/2.0/cairn/runs/search`): MLflow's SearchRuns plus `metrics.<key>.min|max` in the
 * filter and order_by, and every run of the page with the min and max of its metric keys. Ranges are kept
 * on write; a run logged before that has its ranges read from its histories once, when a search first
 * needs them (for the keys the filter and order_by name, and for the runs of the page), and stored.
 */
export const searchRunsWithRanges = async (
  deps: Pick<TrackingPorts, 'runIndex' | 'runs' | 'metrics' | 'now'>,
  request: SearchRunsRequest,
  visible?: Visibility,
) => {
  const { runs, filter, order, scope, offset, maxResults } = await candidateRuns(deps, request, visible, 'cairn/runs/search', {
    metricAggregates: true,
  });
  const rangeKeys = [
    ...filter.clauses.filter((c) => c.type === 'metric' && c.aggregate).map((c) => c.key),
    ...order.keys.filter((k) => k.type === 'metric' && k.aggregate).map((k) => k.key),
  ];
  const candidates = rangeKeys.length > 0 ? await withRanges(deps, runs, () => rangeKeys) : runs;
  const matching = candidates.filter((run) => runMatches(run, filter));
  const result = offsetPage(firstInOrder(matching, offset + maxResults, compareRuns(order)), scope, offset, maxResults, matching.length);
  return { ...result, page: await withRanges(deps, result.page, (run) => Object.keys(run.metrics)) };
};

const candidateRuns = async (
  deps: Pick<TrackingPorts, 'runIndex'>,
  request: SearchRunsRequest,
  visible: Visibility | undefined,
  kind: string,
  extensions: RunSearchExtensions,
) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchRuns);
  const filter = parseRunFilter(request.filter, extensions);
  const order = parseRunOrderBy(request.orderBy, extensions);
  const viewType = request.runViewType ?? 'ACTIVE_ONLY';
  const experimentIds = [...new Set(request.experimentIds)];
  const scope = { kind, request: [experimentIds, request.filter ?? '', request.orderBy ?? [], viewType], viewer: visible?.viewer };
  const offset = decodeOffsetPageToken(request.pageToken, scope);
  const perExperiment = await Promise.all(visibleIds(experimentIds, visible).map((id) => deps.runIndex.runsOf(id)));
  const runs = perExperiment.flat().filter((run) => inView(run, viewType));
  return { runs, filter, order, scope, offset, maxResults };
};

const inView = (run: Run, viewType: ViewType) =>
  viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (run.info.lifecycleStage === 'active');

/** Runs filled at once: enough to hide the history reads' latency, few enough to stay polite to the table. */
const FILL_CONCURRENCY = 16;

/**
 * The runs, each a copy with the ranges of `keysOf(run)` (those it has a latest value for) filled in where
 * the store had none: read from the histories, then stored so that the next search finds them.
 */
const withRanges = async (
  deps: Pick<TrackingPorts, 'runs' | 'metrics' | 'now'>,
  runs: readonly Run[],
  keysOf: (run: Run) => readonly string[],
): Promise<Run[]> => {
  const missingOf = (run: Run) =>
    [...new Set(keysOf(run))].filter((key) => Object.hasOwn(run.metrics, key) && !(run.metricRanges && Object.hasOwn(run.metricRanges, key)));
  const tasks = runs.map((run) => ({ run, keys: missingOf(run) })).filter((task) => task.keys.length > 0);
  const filled = new Map<Run, Record<string, MetricRange>>();
  const fill = async ({ run, keys }: { run: Run; keys: string[] }) => {
    const ranges = recordOf<MetricRange>();
    for (const key of keys) {
      const range = rangeOfPackedHistory(await deps.metrics.packedHistory(run.info.runId, key));
      if (range) ranges[key] = range;
    }
    await deps.runs.fillMetricRanges({ runId: run.info.runId, experimentId: run.info.experimentId }, ranges, deps.now());
    filled.set(run, ranges);
  };
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await fill(tasks[next++] as { run: Run; keys: string[] });
  };
  await Promise.all(Array.from({ length: Math.min(FILL_CONCURRENCY, tasks.length) }, worker));
  return runs.map((run) => {
    const ranges = filled.get(run);
    return ranges ? { ...run, metricRanges: recordOf([...Object.entries(run.metricRanges ?? {}), ...Object.entries(ranges)]) } : run;
  });
};
