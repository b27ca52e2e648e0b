import { invalidParameter, runNotFound } from '../../errors/index.js';
import type { PackedHistoryChunk, TrackingPorts } from './ports.js';
import { bucketSorted, mergeHistory, type BucketedSeries, type XAxis } from './metric-buckets.js';

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
  await inBatches(runIds, (runId) => requireRunExists(deps, runId));
  const pairs = runIds.flatMap((runId) => metricKeys.map((metricKey) => ({ runId, metricKey })));
  const options = { xAxis: request.xAxis, xMin: request.xMin, xMax: request.xMax, buckets: request.buckets };
  return inBatches(pairs, async ({ runId, metricKey }) => {
    const chunks = await deps.metrics.packedHistory(runId, metricKey);
    return { runId, metricKey, series: bucketSorted(mergedHistory(chunks, request.xAxis), options) };
  });
};

/**
 * Reads in flight at once: 100 runs x 20 keys asked together would be 2,000 concurrent queries queued in
 * the SDK's sockets. Not much fewer, though: a warm read is one small keys-only query per history, and
 * 100 of them took 0.38 s at 100 in flight, 0.77 s at 16 and 1.05 s at 4 on the local engine.
 */
const CONCURRENT_READS = 64;

/** `work` over `items`, at most CONCURRENT_READS at a time, answers in the items' order. */
const inBatches = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, items.length) }, worker));
  return results;
};

/**
 * Merged histories by the chunk list they came from: the packed-history read answers the same array while
 * a history gains no chunk, so a page load or a zoom of a million-point chart slices the merged history
 * instead of merging 24 MB again; a new chunk means a new array, and the old entry goes with it.
 */
const merged = new WeakMap<readonly PackedHistoryChunk[], Partial<Record<XAxis, Float64Array>>>();

const mergedHistory = (chunks: readonly PackedHistoryChunk[], xAxis: XAxis): Float64Array => {
  const byAxis = merged.get(chunks) ?? {};
  const known = byAxis[xAxis];
  if (known) return known;
  const history = mergeHistory(chunks.map((chunk) => chunk.triples), xAxis);
  byAxis[xAxis] = history;
  merged.set(chunks, byAxis);
  return history;
};

/** A run once seen is known to exist (runs are never removed, only marked deleted). */
const requireRunExists = async (deps: Pick<TrackingPorts, 'runs' | 'runExperimentCache'>, runId: string) => {
  if (deps.runExperimentCache.has(runId)) return;
  const info = await deps.runs.getInfo(runId);
  if (!info) throw runNotFound(runId);
};
