import type { Run } from '../../domain/tracking/entities.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import type { SnapshotKind } from '../snapshots/kind.js';
import { RUN_CHANGE_SHARDS, runDirtyKey, runDirtyPartition, runSnapshotHeadKey, runSnapshotPartKey } from './keys.js';
import { readRun, readRunsFromFeed } from './run-reads.js';

export const RUN_DIRTY_ITEM = 'run-dirty';

/** Records come back from V8's deserializer as plain objects: null-prototype again, so a key `__proto__` stays an own key. */
const reviveRun = (run: Run): Run => ({
  ...run,
  params: recordOf(Object.entries(run.params)),
  tags: recordOf(Object.entries(run.tags)),
  metrics: recordOf(Object.entries(run.metrics)),
  ...(run.metricRanges ? { metricRanges: recordOf(Object.entries(run.metricRanges)) } : {}),
});

/**
 * Runs as search-runs holds them (shared/data/snapshots): a run's mark is `RUNDIRTY#<exp>#<shard>/<runId>`,
 * re-read with one strongly consistent query of its partition (info, params, tags, latest metrics, ranges,
 * inputs, outputs), and an experiment without a snapshot is read whole from gsi2, its change feed. A rebuild
 * is due at 200 dirty runs: each costs a cold reader one query, fewer are cheaper to re-read than to rewrite.
 */
export const RUN_SNAPSHOT_KIND: SnapshotKind<Run> = {
  name: 'run',
  markEntity: RUN_DIRTY_ITEM,
  headEntity: 'run-snapshot-head',
  partEntity: 'run-snapshot-part',
  markShards: RUN_CHANGE_SHARDS,
  markPartition: runDirtyPartition,
  markKey: runDirtyKey,
  markIdAttribute: 'runId',
  headKey: runSnapshotHeadKey,
  partKey: runSnapshotPartKey,
  format: 1,
  dueAtDirty: 200,
  // 2.1-2.4 KB with 3 params, 3 metrics with min and max, 3 tags (npm run bench:scale).
  heldBytes: 2300,
  idOf: (run) => run.info.runId,
  reread: (db, _experimentId, runId) => readRun(db, runId),
  readAll: readRunsFromFeed,
  revive: reviveRun,
};
