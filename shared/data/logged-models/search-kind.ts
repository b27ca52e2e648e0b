import type { LoggedModel } from '../../domain/tracking/entities.js';
import type { DbContext } from '../db-context.js';
import { batchGet, getItem } from '../dynamo-ops.js';
import type { SnapshotKind } from '../snapshots/kind.js';
import { fromLoggedModelItem } from './codec.js';
import {
  LOGGED_MODEL_DIRTY_SHARDS,
  loggedModelDirtyKey,
  loggedModelDirtyPartition,
  loggedModelKey,
  loggedModelSnapshotHeadKey,
  loggedModelSnapshotPartKey,
} from './keys.js';
import { listActiveModels } from './listing.js';

export const LOGGED_MODEL_DIRTY_ITEM = 'logged-model-dirty';

/** What search sees of a stored model: active and of the experiment (a deleted model's mark removes it). */
const searchable = (model: LoggedModel, experimentId: string) => model.lifecycleStage === 'active' && model.experimentId === experimentId;

const rereadModel = async (db: DbContext, experimentId: string, modelId: string): Promise<LoggedModel | undefined> => {
  const item = await getItem(db, loggedModelKey(modelId));
  if (!item) return undefined;
  const model = fromLoggedModelItem(item);
  return searchable(model, experimentId) ? model : undefined;
};

/** rereadModel of up to 100 ids in one BatchGetItem (strongly consistent). */
const rereadModels = async (db: DbContext, experimentId: string, modelIds: readonly string[]): Promise<Map<string, LoggedModel>> => {
  const items = await batchGet(db, modelIds.map((modelId) => loggedModelKey(modelId)));
  const models = new Map<string, LoggedModel>();
  for (const item of items) {
    const model = fromLoggedModelItem(item);
    if (searchable(model, experimentId)) models.set(model.modelId, model);
  }
  return models;
};

const readAllModels = async (db: DbContext, experimentId: string): Promise<Map<string, LoggedModel>> =>
  new Map((await listActiveModels(db, experimentId)).map((model) => [model.modelId, model]));

/**
 * Active logged models as a search snapshot kind (shared/data/snapshots), for search_logged_models in any order
 * but the default one and with a filter. A model is one item, so marks are re-read 100 per BatchGetItem; an
 * experiment without a snapshot is read whole from gsi1 (its listing by creation time). In memory a model costs
 * about 870 bytes with 2 params and 2 tags, plus about 210 bytes per metric point it holds: 1.6 KB with 3 points,
 * 3 KB with 10, 11 KB with 50 (`npx tsx --expose-gc test/bench/logged-models-memory.ts`).
 */
export const LOGGED_MODEL_SNAPSHOT_KIND: SnapshotKind<LoggedModel> = {
  name: 'logged model',
  markEntity: LOGGED_MODEL_DIRTY_ITEM,
  headEntity: 'logged-model-snapshot-head',
  partEntity: 'logged-model-snapshot-part',
  markShards: LOGGED_MODEL_DIRTY_SHARDS,
  markPartition: loggedModelDirtyPartition,
  markKey: loggedModelDirtyKey,
  markIdAttribute: 'modelId',
  headKey: loggedModelSnapshotHeadKey,
  partKey: loggedModelSnapshotPartKey,
  format: 1,
  // Re-read 100 per BatchGetItem like trace infos, but bigger (their metric points) and fewer: 500.
  dueAtDirty: 500,
  // What the memory budget counts per model: a few params and tags and 3-5 metric points (see above).
  heldBytes: 2000,
  idOf: (model) => model.modelId,
  reread: rereadModel,
  rereadMany: rereadModels,
  readAll: readAllModels,
  // V8's deserializer keeps a key `__proto__` as an own property; only the prototype is to be dropped, in place.
  revive: (model) => {
    Object.setPrototypeOf(model.params, null);
    Object.setPrototypeOf(model.tags, null);
    return model;
  },
};
