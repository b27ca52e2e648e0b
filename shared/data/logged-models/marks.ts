import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { getItem } from '../dynamo-ops.js';
import { dirtyMark } from '../snapshots/dirty-marks.js';
import { loggedModelKey } from './keys.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from './search-kind.js';

/** Told once a write of a logged model and its mark are committed (npm start's local snapshot feed). */
export type OnModelMarked = (experimentId: string) => void;

/** The mark of a change of a logged model ("changed since the snapshot"), for the change's own transaction. */
export const loggedModelMark = (db: DbContext, experimentId: string, modelId: string, now: number): TransactWriteItem =>
  dirtyMark(db, LOGGED_MODEL_SNAPSHOT_KIND, experimentId, modelId, now);

/** Model ids remembered with their experiment; past it the oldest are forgotten. */
const REMEMBERED = 10_000;

/**
 * A model's experiment, which a mark's key needs and a write by model id does not carry. It never changes, so
 * it is remembered; a model is read (strongly consistent: it may have been created a moment ago) the first
 * time. Undefined when the model was never created.
 */
export const createModelExperiments = (db: DbContext) => {
  const known = new Map<string, string>();
  return async (modelId: string): Promise<string | undefined> => {
    const remembered = known.get(modelId);
    if (remembered !== undefined) return remembered;
    const item = await getItem(db, loggedModelKey(modelId));
    const experimentId = item?.experimentId;
    if (typeof experimentId !== 'string') return undefined;
    if (known.size >= REMEMBERED) known.delete(known.keys().next().value as string);
    known.set(modelId, experimentId);
    return experimentId;
  };
};

export type ModelExperiments = ReturnType<typeof createModelExperiments>;
