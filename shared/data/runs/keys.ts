/**
 * Run keys. A run's partition holds its summary: everything runs/get and runs/search show.
 *   RUN#<runId> / RUN             run info
 *   RUN#<runId> / P#<key>         param (immutable)
 *   RUN#<runId> / T#<key>         tag (a deleted tag stays as a tombstone, so the change feed carries the deletion)
 *   RUN#<runId> / L#<key>         latest point of a metric (MLflow's max of (step, timestamp, value))
 *   RUN#<runId> / MN#<key>        lowest value of a metric (Cairn; shared/domain/tracking/metric-ranges.ts)
 *   RUN#<runId> / MX#<key>        highest value of a metric (Cairn)
 *   RUN#<runId> / D#<id>          dataset input (id = hash of name and digest)
 *   RUN#<runId> / MI#<modelId>    model input
 *   RUN#<runId> / O#<modelId>     model output
 * Every summary item is also in gsi2, the change feed that search-runs reads:
 *   RUNS#<experimentId>#<shard> / <updated at, ms, 15 digits>#<runId>
 * Metric history lives in its own partitions (shared/data/metrics/keys.ts).
 */
export const RUN_SK = 'RUN';
export const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: RUN_SK }) as const;
export const runPartition = (runId: string) => `RUN#${runId}`;
export const runParamKey = (runId: string, key: string) => ({ pk: runPartition(runId), sk: `P#${key}` }) as const;
export const runTagKey = (runId: string, key: string) => ({ pk: runPartition(runId), sk: `T#${key}` }) as const;
export const runLatestMetricKey = (runId: string, key: string) => ({ pk: runPartition(runId), sk: `L#${key}` }) as const;
export const runMetricMinKey = (runId: string, key: string) => ({ pk: runPartition(runId), sk: `MN#${key}` }) as const;
export const runMetricMaxKey = (runId: string, key: string) => ({ pk: runPartition(runId), sk: `MX#${key}` }) as const;
export const runDatasetInputKey = (runId: string, inputId: string) =>
  ({ pk: runPartition(runId), sk: `D#${inputId}` }) as const;
export const runModelInputKey = (runId: string, modelId: string) =>
  ({ pk: runPartition(runId), sk: `MI#${modelId}` }) as const;
export const runModelOutputKey = (runId: string, modelId: string) =>
  ({ pk: runPartition(runId), sk: `O#${modelId}` }) as const;

/**
 * Shards of an experiment's change feed. Spreading one experiment's summary writes over several gsi2
 * partitions keeps a busy experiment under one partition's write throughput. Fixed for the table's life:
 * changing it would hide items written under the old count.
 */
export const RUN_CHANGE_SHARDS = 4;
export const runChangeShard = (runId: string) => Number.parseInt(runId.slice(0, 4), 16) % RUN_CHANGE_SHARDS || 0;
export const runChangePartition = (experimentId: string, shard: number) => `RUNS#${experimentId}#${shard}`;
export const runChangeSortKey = (updatedAt: number, runId: string) =>
  `${String(updatedAt).padStart(15, '0')}#${runId}`;
/** Index keys for a summary item of `runId`, stamped with the time of this write. */
export const runChangeIndexKey = (experimentId: string, runId: string, updatedAt: number) => ({
  gsi2pk: runChangePartition(experimentId, runChangeShard(runId)),
  gsi2sk: runChangeSortKey(updatedAt, runId),
});

/**
 * The experiment's dirty runs: one mark per run changed since the search snapshot was last built, written in
 * the change's own transaction with a fresh token, and read strongly consistent by every search, so no
 * acknowledged write can be missed (shared/data/README.md, "Search runs and how it scales").
 *   RUNDIRTY#<experimentId>#<shard> / <runId>
 */
export const runDirtyPartition = (experimentId: string, shard: number) => `RUNDIRTY#${experimentId}#${shard}`;
export const runDirtyKey = (experimentId: string, runId: string) =>
  ({ pk: runDirtyPartition(experimentId, runChangeShard(runId)), sk: runId }) as const;

/**
 * The experiment's search snapshot: a head naming the current version of each segment, and the segments' parts
 * (gzip of the runs of one hash bucket). Parts are written under a fresh build id and never overwritten, so a
 * reader that read the head either finds the parts it names or learns that a newer head replaced them.
 *   RUNSNAP#<experimentId> / HEAD
 *   RUNSNAP#<experimentId>#<segment> / <build id>#<part>
 */
export const runSnapshotHeadKey = (experimentId: string) => ({ pk: `RUNSNAP#${experimentId}`, sk: 'HEAD' }) as const;
export const runSnapshotPartKey = (experimentId: string, segment: number, build: string, part: number) =>
  ({ pk: `RUNSNAP#${experimentId}#${String(segment).padStart(3, '0')}`, sk: `${build}#${String(part).padStart(3, '0')}` }) as const;
