import type { MetricPoint } from '../tracking/entities.js';
import { sortAndDeduplicate } from '../tracking/metric-points.js';
import type { RunScope } from '../tracking/ports.js';
import { forEachConcurrently } from './concurrency.js';
import type { ImportContext } from './context.js';
import type { SourceMetricPoint } from './source.js';

/**
 * A run's full metric history, every point, through RunStore.logData: the same write path as log-batch, so
 * points land in content-addressed chunks (the data layer packs up to 16,000 points of one key per chunk,
 * keyed by the hash of their content), the latest value and min/max are kept by their conditions, and a
 * replayed write rewrites the same chunks instead of adding copies.
 *
 * Replays write the same chunks only if they send the same points in the same groups, so the batches are made
 * from the content, never from the source's paging: a key's history is read whole and sorted (MLflow's order,
 * repeats dropped), then cut at fixed counts. A key of at most one chunk travels whole with other small keys of
 * the run; a bigger key is cut into writes of POINTS_PER_WRITE. Only a key past SORT_LIMIT points is written
 * in the source's order as it streams (memory stays bounded); a replay of such a key writes the same chunks
 * when the source pages the same way, and at worst stores some points twice, which reads merge (MLflow's key
 * is (timestamp, step, value), and get-history drops repeats).
 */

/** Points of one chunk in the data layer (shared/data/metrics/chunk-codec.ts); a key this small stays whole. */
const SMALL_KEY_POINTS = 16_000;
/**
 * Points per logData call: 6 chunks of 24-byte points, about 2.3 MB, under DynamoDB's 4 MB per transaction
 * (logData puts up to 99 items in one transaction whatever their size).
 */
const POINTS_PER_WRITE = 96_000;
/** Small keys per shared write: each is a chunk, a latest value, a min and a max, so about one transaction. */
const KEYS_PER_WRITE = 24;
/** Points of one key held in memory to sort; past it the key streams. */
const SORT_LIMIT = 250_000;

export const writeRunMetrics = async (context: ImportContext, scope: RunScope, metricKeys: readonly string[]): Promise<void> => {
  const write = (points: SourceMetricPoint[]) => writePoints(context, scope, points);
  const small = createSmallKeyBatch(write);
  try {
    await forEachConcurrently(metricKeys, context.concurrency.keysPerRun, async (key) => {
      const history = await readKey(context, scope.runId, key, write);
      if (history.length === 0) return;
      if (history.length <= SMALL_KEY_POINTS) return small.add(history);
      for (let offset = 0; offset < history.length; offset += POINTS_PER_WRITE) {
        await write(history.slice(offset, offset + POINTS_PER_WRITE));
      }
    });
  } catch (error) {
    // Writes already started finish before the failure goes up (the first failure is the one that counts).
    await small.finish().catch(() => undefined);
    throw error;
  }
  await small.finish();
};

/**
 * A key's history, sorted and without repeats; a key past SORT_LIMIT is written as it streams and answers
 * what is left of it.
 */
const readKey = async (
  context: ImportContext,
  runId: string,
  key: string,
  write: (points: SourceMetricPoint[]) => Promise<void>,
): Promise<SourceMetricPoint[]> => {
  let buffered: SourceMetricPoint[] = [];
  let streaming = false;
  for await (const page of context.source.metricHistory(runId, key)) {
    for (const point of page) buffered.push(point);
    if (buffered.length > SORT_LIMIT) streaming = true;
    while (streaming && buffered.length >= POINTS_PER_WRITE) {
      const batch = buffered.slice(0, POINTS_PER_WRITE);
      buffered = buffered.slice(POINTS_PER_WRITE);
      await write(batch);
    }
  }
  return sortAndDeduplicate(buffered as MetricPoint[]) as SourceMetricPoint[];
};

const writePoints = async (context: ImportContext, scope: RunScope, points: SourceMetricPoint[]): Promise<void> => {
  const { runs, now } = context.target.tracking;
  await context.writes.run(() => runs.logData(scope, { metrics: points.map(toMetricPoint) }, now()));
  context.counts.metricPoints += points.length;
  context.emit('metrics', `run ${scope.runId}`);
};

/** The run's own point: a source may name the logging run on it, which the run's history does not keep. */
const toMetricPoint = (point: SourceMetricPoint): MetricPoint => ({
  key: point.key,
  value: point.value,
  timestamp: point.timestamp,
  step: point.step,
  ...(point.modelId === undefined ? {} : { modelId: point.modelId }),
  ...(point.datasetName === undefined ? {} : { datasetName: point.datasetName }),
  ...(point.datasetDigest === undefined ? {} : { datasetDigest: point.datasetDigest }),
});

/**
 * Small keys of one run written together (a run of 50 keys of 100 points is a few transactions, not 50): a
 * key is never split, so its chunk holds the same points whichever keys share its write. Full batches are
 * written as they fill, several at once within the import's write limit.
 */
const createSmallKeyBatch = (write: (points: SourceMetricPoint[]) => Promise<void>) => {
  let points: SourceMetricPoint[] = [];
  let keys = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const flush = () => {
    if (points.length === 0) return undefined;
    const batch = points;
    points = [];
    keys = 0;
    const task: Promise<void> = write(batch)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    return task;
  };
  return {
    async add(history: SourceMetricPoint[]) {
      if (failure) throw failure.error;
      const pending = points.length + history.length > POINTS_PER_WRITE || keys + 1 > KEYS_PER_WRITE ? flush() : undefined;
      for (const point of history) points.push(point);
      keys++;
      await pending;
    },
    async finish() {
      flush();
      await Promise.all(inFlight);
      if (failure) throw failure.error;
    },
  };
};
