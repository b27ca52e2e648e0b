import type { Run } from '../../domain/tracking/entities.js';
import type { RunSearchIndex } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, queryPages, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { applySummaryItem, emptyRun, fromRunItem, newRunAssembly, RUN_ITEM, type RunAssembly } from './codec.js';
import { RUN_CHANGE_SHARDS, runChangePartition, runChangeSortKey } from './keys.js';

export interface RunSummaryIndexOptions {
  /**
   * How far back each refresh looks before the previous one, in ms. It covers writes whose timestamp was
   * taken before the previous refresh started but which reached the index after it: the write's own
   * latency (SDK retries included) plus gsi2's replication lag (usually well under a second in DynamoDB,
   * none in the local engines). A write slower than this is seen only after the process restarts.
   * @default 5000
   */
  readonly lagMs?: number;
  /** Experiments kept in memory; the least recently searched one is dropped first. @default 64 */
  readonly maxExperiments?: number;
}

interface CachedExperiment {
  runs: Map<string, Run>;
  /** Update time (ms) of every item applied, by item key, so an older copy never replaces a newer one. */
  versions: Map<string, number>;
  assemblies: Map<string, RunAssembly>;
  /** Items stamped before this time are all in the cache. */
  complete: number;
  running?: Promise<void>;
  queued?: Promise<void>;
}

/**
 * The runs of an experiment, for search-runs, kept in memory and refreshed from gsi2, the experiment's
 * change feed: the first search of an experiment reads all of its summary items, later ones only what
 * changed since. It is a cache: a fresh process (or Lambda instance) rebuilds it from the table.
 */
export const createRunSummaryIndex = (db: DbContext, options: RunSummaryIndexOptions = {}) => {
  const lagMs = options.lagMs ?? 5000;
  const maxExperiments = options.maxExperiments ?? 64;
  const cache = new Map<string, CachedExperiment>();

  const apply = (entry: CachedExperiment, item: Item) => {
    const runId = String(item.runId);
    const itemKey = `${runId}/${String(item.sk)}`;
    const updatedAt = Number(item.updatedAt);
    if ((entry.versions.get(itemKey) ?? -1) > updatedAt) return;
    entry.versions.set(itemKey, updatedAt);
    let run = entry.runs.get(runId);
    if (!run) {
      // Summary items can arrive before their run item; the run item fills in the info when it comes.
      if (item._et !== RUN_ITEM.run) {
        run = emptyRun(placeholderInfo(runId, String(item.experimentId)));
      } else {
        const { deletedTime: _, ...info } = fromRunItem(item);
        run = emptyRun(info);
      }
      entry.runs.set(runId, run);
    }
    let assembly = entry.assemblies.get(runId);
    if (!assembly) entry.assemblies.set(runId, (assembly = newRunAssembly()));
    applySummaryItem(run, item, assembly);
  };

  /**
   * Each page is applied as it arrives rather than after its shard's last page: a big experiment's first
   * read is hundreds of thousands of items (10,000 runs x 40 keys is 420,000, ~180 MB of JSON), and
   * holding them all before applying any doubled the process's memory and spent a good share of the read
   * in garbage collection.
   */
  const readShard = async (experimentId: string, shard: number, since: string, entry: CachedExperiment) => {
    const pages = queryPages(db, {
      IndexName: TABLE.indexes.runChanges.name,
      KeyConditionExpression: since ? '#pk = :pk AND #sk > :since' : '#pk = :pk',
      ...expression(
        { '#pk': TABLE.indexes.runChanges.partitionKey, ...(since ? { '#sk': TABLE.indexes.runChanges.sortKey } : {}) },
        { ':pk': runChangePartition(experimentId, shard), ...(since ? { ':since': since } : {}) },
      ),
    });
    for await (const items of pages) for (const item of items) apply(entry, item);
  };

  const refresh = async (experimentId: string, entry: CachedExperiment) => {
    const startedAt = Date.now();
    const since = entry.complete > 0 ? runChangeSortKey(entry.complete - lagMs, '') : '';
    await Promise.all(Array.from({ length: RUN_CHANGE_SHARDS }, (_, shard) => readShard(experimentId, shard, since, entry)));
    entry.complete = Math.max(entry.complete, startedAt);
  };

  /**
   * A caller must see every write that finished before it called, so it waits for a refresh that starts
   * after its arrival: it joins the queued one, or queues one behind the running one.
   */
  const requestRefresh = (experimentId: string, entry: CachedExperiment): Promise<void> => {
    const start = () => {
      entry.running = refresh(experimentId, entry).finally(() => (entry.running = undefined));
      return entry.running;
    };
    if (entry.queued) return entry.queued;
    if (!entry.running) return start();
    entry.queued = entry.running
      .catch(() => undefined)
      .then(() => {
        entry.queued = undefined;
        return start();
      });
    return entry.queued;
  };

  return {
    /**
     * Every run of the experiment (active and deleted) as of now, give or take `lagMs` of index lag.
     * Concurrent callers share one refresh. Runs whose run item has not arrived yet are left out.
     */
    async runsOf(experimentId: string): Promise<Run[]> {
      let entry = cache.get(experimentId);
      if (entry) cache.delete(experimentId);
      entry ??= { runs: new Map(), versions: new Map(), assemblies: new Map(), complete: 0 };
      cache.set(experimentId, entry);
      while (cache.size > maxExperiments) cache.delete(cache.keys().next().value as string);
      await requestRefresh(experimentId, entry);
      return [...entry.runs.values()].filter((run) => run.info.runId !== '' && run.info.artifactUri !== '');
    },
  } satisfies RunSearchIndex;
};

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
