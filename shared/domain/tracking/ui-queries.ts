import { invalidParameter } from '../../errors/index.js';
import type { MetricPoint } from './entities.js';
import type { TrackingPorts } from './ports.js';
import type { Visibility } from '../kernel/visibility.js';
import { searchRuns } from './run-search.js';

/** MLflow's get_metric_history_bulk_handler bounds. */
const MAX_RUNS_PER_HISTORY_BULK = 100;
const MAX_HISTORY_BULK_RESULTS = 25_000;

/**
 * MLflow's `GET /ajax-api/2.0/mlflow/metrics/get-history-bulk`: the whole history of one key for up to 100 runs,
 * run by run in sorted id order, each run's points by (timestamp, step, value), every point with its run_id,
 * cut at max_results (at most 25,000) over all runs. Messages are the handler's.
 */
export const getMetricHistoryBulk = async (
  deps: Pick<TrackingPorts, 'metrics'>,
  request: { runIds: string[]; key: string | undefined; maxResults: number | undefined },
): Promise<(MetricPoint & { runId: string })[]> => {
  if (request.runIds.length === 0) throw invalidParameter('GetMetricHistoryBulk request must specify at least one run_id.');
  if (request.runIds.length > MAX_RUNS_PER_HISTORY_BULK) {
    throw invalidParameter(
      `GetMetricHistoryBulk request cannot specify more than ${MAX_RUNS_PER_HISTORY_BULK} run_ids. Received ${request.runIds.length} run_ids.`,
    );
  }
  if (request.key === undefined) throw invalidParameter('GetMetricHistoryBulk request must specify a metric_key.');
  const key = request.key;
  const maxResults = Math.min(request.maxResults ?? MAX_HISTORY_BULK_RESULTS, MAX_HISTORY_BULK_RESULTS);
  const points: (MetricPoint & { runId: string })[] = [];
  for (const runId of [...new Set(request.runIds)].sort()) {
    if (points.length >= maxResults) break;
    const history = [...(await deps.metrics.history(runId, key))].sort(
      (a, b) => a.timestamp - b.timestamp || a.step - b.step || compareValues(a.value, b.value),
    );
    points.push(...history.map((point) => ({ ...point, runId })));
  }
  return points.slice(0, Math.max(maxResults, 0));
};

/** Python orders NaN as neither smaller nor larger; here it sorts last so the order is total. */
const compareValues = (a: number, b: number) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b);

/** MLflow's SearchDatasets handler bounds. */
const MAX_EXPERIMENTS_PER_DATASET_SEARCH = 20;
const MAX_DATASET_SUMMARIES = 1000;
const DATASET_CONTEXT_TAG = 'mlflow.data.context';

export interface DatasetSummary {
  experimentId: string;
  name: string;
  digest: string;
  context?: string;
}

/**
 * MLflow's `POST /ajax-api/2.0/mlflow/experiments/search-datasets`: the distinct (experiment, dataset name, digest,
 * context tag) of every run input in the experiments, deleted runs included as in MLflow's SQL store, at most 1000.
 * With `visible`, the experiments the caller may not read are left out, as in runs/search.
 */
export const searchDatasets = async (
  deps: Pick<TrackingPorts, 'runIndex'>,
  experimentIds: string[],
  visible?: Visibility,
): Promise<DatasetSummary[]> => {
  if (experimentIds.length === 0) throw invalidParameter('SearchDatasets request must specify at least one experiment_id.');
  if (experimentIds.length > MAX_EXPERIMENTS_PER_DATASET_SEARCH) {
    throw invalidParameter(
      `SearchDatasets request cannot specify more than ${MAX_EXPERIMENTS_PER_DATASET_SEARCH} experiment_ids. Received ${experimentIds.length} experiment_ids.`,
    );
  }
  const summaries = new Map<string, DatasetSummary>();
  let pageToken: string | undefined;
  do {
    const { page, nextPageToken } = await searchRuns(deps, { experimentIds, runViewType: 'ALL', maxResults: 50_000, pageToken }, visible);
    for (const run of page) {
      for (const input of run.datasetInputs) {
        const context = input.tags.find((tag) => tag.key === DATASET_CONTEXT_TAG)?.value;
        const summary: DatasetSummary = {
          experimentId: run.info.experimentId,
          name: input.dataset.name,
          digest: input.dataset.digest,
          ...(context !== undefined ? { context } : {}),
        };
        summaries.set(JSON.stringify([summary.experimentId, summary.name, summary.digest, context ?? null]), summary);
        if (summaries.size >= MAX_DATASET_SUMMARIES) return [...summaries.values()];
      }
    }
    pageToken = nextPageToken;
  } while (pageToken);
  return [...summaries.values()];
};
