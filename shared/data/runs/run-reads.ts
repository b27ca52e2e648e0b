import type { Run } from '../../domain/tracking/entities.js';
import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import type { DbContext } from '../db-context.js';
import { expression, queryAll, queryPages, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { applySummaryItem, emptyRun, fromRunItem, newRunAssembly, runFromItems, RUN_ITEM, type RunAssembly } from './codec.js';
import { RUN_CHANGE_SHARDS, runChangePartition, runPartition } from './keys.js';

/** Runs read at once when many are re-read (marked dirty): enough to hide latency, polite to the table. */
const REREAD_CONCURRENCY = 32;

/**
 * Re-reads each `[runId, token]` into `runs`, strongly consistent, recording the token it was read at; a run
 * that no longer exists is removed. What a search and a snapshot rebuild do with the runs marked dirty.
 */
export const rereadRuns = async (db: DbContext, marked: readonly (readonly [string, string])[], runs: Map<string, { run: Run; token?: string }>) => {
  await mapConcurrently(marked, REREAD_CONCURRENCY, async ([runId, token]) => {
    const run = await readRun(db, runId);
    if (run) runs.set(runId, { run, token });
    else runs.delete(runId);
  });
};

/** The whole run (info, params, tags, latest metrics and ranges, inputs, outputs): one strongly consistent query. */
export const readRun = async (db: DbContext, runId: string): Promise<Run | undefined> =>
  runFromItems(
    await queryAll(db, {
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true,
      ...expression({}, { ':pk': runPartition(runId) }),
    }),
  );

/**
 * Every run of an experiment from gsi2, its change feed: the way in for an experiment that has no search
 * snapshot yet (written before snapshots existed). gsi2 is eventually consistent; the dirty marks cover
 * what it may lag behind. Pages are applied as they arrive rather than held: a big experiment is hundreds
 * of thousands of items.
 */
export const readRunsFromFeed = async (db: DbContext, experimentId: string): Promise<Map<string, Run>> => {
  const runs = new Map<string, Run>();
  const versions = new Map<string, number>();
  const assemblies = new Map<string, RunAssembly>();
  const apply = (item: Item) => {
    const runId = String(item.runId);
    const itemKey = `${runId}/${String(item.sk)}`;
    const updatedAt = Number(item.updatedAt);
    if ((versions.get(itemKey) ?? -1) > updatedAt) return;
    versions.set(itemKey, updatedAt);
    let run = runs.get(runId);
    if (!run) {
      // Summary items can arrive before their run item; the run item fills in the info when it comes.
      run = emptyRun(item._et === RUN_ITEM.run ? stripDeleted(fromRunItem(item)) : placeholderInfo(runId, experimentId));
      runs.set(runId, run);
    }
    let assembly = assemblies.get(runId);
    if (!assembly) assemblies.set(runId, (assembly = newRunAssembly()));
    applySummaryItem(run, item, assembly);
  };
  await Promise.all(
    Array.from({ length: RUN_CHANGE_SHARDS }, async (_, shard) => {
      const pages = queryPages(db, {
        IndexName: TABLE.indexes.runChanges.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': TABLE.indexes.runChanges.partitionKey }, { ':pk': runChangePartition(experimentId, shard) }),
      });
      for await (const items of pages) for (const item of items) apply(item);
    }),
  );
  // Runs whose run item has not reached the index are left out: their marks bring them.
  for (const [runId, run] of runs) if (run.info.artifactUri === '') runs.delete(runId);
  return runs;
};

const stripDeleted = ({ deletedTime: _, ...info }: ReturnType<typeof fromRunItem>) => info;

const placeholderInfo = (runId: string, experimentId: string) => ({
  runId,
  experimentId,
  runName: '',
  userId: '',
  status: 'RUNNING' as const,
  startTime: 0,
  artifactUri: '',
  lifecycleStage: 'active' as const,
});
