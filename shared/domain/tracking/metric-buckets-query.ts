import { invalidParameter, runNotFound } from '../../errors/index.js';
import type { TrackingPorts } from './ports.js';
import { bucketHistory, type BucketedSeries, type XAxis } from './metric-buckets.js';

export const MAX_BUCKET_RUNS = 100;
export const MAX_BUCKET_KEYS = 20;
export const MAX_BUCKETS = 2000;

export interface HistoryBucketsRequest {
  runIds: string[];
  metricKeys: string[];
  xAxis: XAxis;
  xMin?: number | undefined;
  xMax?: number | undefined;
  buckets: number;
}

export interface SeriesOfRun {
  runId: string;
  metricKey: string;
  series: BucketedSeries;
}

/**
 * Cairn's history-buckets read: for each run and key, the history in range as exact points or as at most
 * `buckets` buckets (metric-buckets.ts), read from the packed chunks. Every run must exist (deleted runs
 * included, as MLflow's history reads allow); an unknown key is an empty series, as in get-history.
 */
export const historyBuckets = async (deps: Pick<TrackingPorts, 'metrics' | 'runs' | 'runExperimentCache'>, request: HistoryBucketsRequest): Promise<SeriesOfRun[]> => {
  const runIds = [...new Set(request.runIds)];
  const metricKeys = [...new Set(request.metricKeys)];
  if (runIds.length > MAX_BUCKET_RUNS) throw invalidParameter(`At most ${MAX_BUCKET_RUNS} run_ids are allowed; got ${runIds.length}.`);
  if (metricKeys.length > MAX_BUCKET_KEYS) {
    throw invalidParameter(`At most ${MAX_BUCKET_KEYS} metric_keys are allowed; got ${metricKeys.length}.`);
  }
  if (request.xMin !== undefined && request.xMax !== undefined && request.xMin > request.xMax) {
    throw invalidParameter(`x_min must not be greater than x_max. Found x_min=${request.xMin} and x_max=${request.xMax}.`);
  }
  await Promise.all(runIds.map((runId) => requireRunExists(deps, runId)));
  const pairs = runIds.flatMap((runId) => metricKeys.map((metricKey) => ({ runId, metricKey })));
  return Promise.all(
    pairs.map(async ({ runId, metricKey }) => {
      const chunks = await deps.metrics.packedHistory(runId, metricKey);
      const series = bucketHistory(
        chunks.map((chunk) => chunk.triples),
        { xAxis: request.xAxis, xMin: request.xMin, xMax: request.xMax, buckets: request.buckets },
      );
      return { runId, metricKey, series };
    }),
  );
};

/** A run once seen is known to exist (runs are never removed, only marked deleted). */
const requireRunExists = async (deps: Pick<TrackingPorts, 'runs' | 'runExperimentCache'>, runId: string) => {
  if (deps.runExperimentCache.has(runId)) return;
  const info = await deps.runs.getInfo(runId);
  if (!info) throw runNotFound(runId);
};
