import type { MetricPoint } from '../../domain/tracking/entities.js';
import type { MetricHistoryStore } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, queryAll } from '../dynamo-ops.js';
import { fromChunkItem } from './chunk-codec.js';
import { sortAndDeduplicate } from '../../domain/tracking/metric-points.js';
import { metricHistoryPartition } from './keys.js';
import { readPackedHistory } from './packed-history.js';

/** Reads metric histories. Points are written with the run's writes (shared/data/runs/run-writes.ts). */
export const createMetricHistoryRepository = (db: DbContext) => ({
  /** Every point of one metric of one run, in MLflow's order, each point once. */
  async history(runId: string, key: string): Promise<MetricPoint[]> {
    const items = await queryAll(db, {
      KeyConditionExpression: 'pk = :pk',
      ...expression({}, { ':pk': metricHistoryPartition(runId, key) }),
    });
    const chunks = items.map(fromChunkItem).sort((a, b) => a.writtenAt - b.writtenAt);
    return sortAndDeduplicate(chunks.flatMap((chunk) => chunk.points));
  },
  /** The same history left in its stored chunks, packed (packed-history.ts): for scans of big histories. */
  packedHistory: (runId: string, key: string) => readPackedHistory(db, runId, key),
}) satisfies MetricHistoryStore;
