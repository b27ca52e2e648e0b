/**
 * Logged-model keys (MLflow 3). A logged model is one item: params, tags and metrics inline, since models
 * are written a few times and read whole.
 *   LM#<modelId> / LM             the model (gsi1: LMEXP#<experimentId> / <creation ms, 15 digits>#<modelId>)
 */
export const loggedModelKey = (modelId: string) => ({ pk: `LM#${modelId}`, sk: 'LM' }) as const;
export const loggedModelListingPartition = (experimentId: string) => `LMEXP#${experimentId}`;
export const loggedModelListingKey = (experimentId: string, creationMs: number, modelId: string) =>
  ({
    gsi1pk: loggedModelListingPartition(experimentId),
    gsi1sk: `${String(creationMs).padStart(15, '0')}#${modelId}`,
  }) as const;

/**
 * The experiment's dirty logged models: one mark per model changed since the search snapshot was last built,
 * written with a fresh token in the change's own transaction (shared/data/snapshots), spread over shards by a
 * hash of the model id.
 *   LMDIRTY#<experimentId>#<shard> / <modelId>
 */
export const LOGGED_MODEL_DIRTY_SHARDS = 4;
export const loggedModelDirtyPartition = (experimentId: string, shard: number) => `LMDIRTY#${experimentId}#${shard}`;
export const loggedModelDirtyShard = (modelId: string) => {
  let hash = 0;
  for (let i = 0; i < modelId.length; i++) hash = (hash * 31 + modelId.charCodeAt(i)) >>> 0;
  return hash % LOGGED_MODEL_DIRTY_SHARDS;
};
export const loggedModelDirtyKey = (experimentId: string, modelId: string) =>
  ({ pk: loggedModelDirtyPartition(experimentId, loggedModelDirtyShard(modelId)), sk: modelId }) as const;

/**
 * The experiment's logged-model search snapshot: a head naming the current build of each segment, and the
 * segments' parts, never overwritten.
 *   LMSNAP#<experimentId> / HEAD
 *   LMSNAP#<experimentId>#<segment> / <build id>#<part>
 */
export const loggedModelSnapshotHeadKey = (experimentId: string) => ({ pk: `LMSNAP#${experimentId}`, sk: 'HEAD' }) as const;
export const loggedModelSnapshotPartKey = (experimentId: string, segment: number, build: string, part: number) =>
  ({ pk: `LMSNAP#${experimentId}#${String(segment).padStart(3, '0')}`, sk: `${build}#${String(part).padStart(3, '0')}` }) as const;
