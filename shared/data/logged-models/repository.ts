import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { LoggedModel, LoggedModelStatus } from '../../domain/tracking/entities.js';
import type { LoggedModelStore } from '../../domain/tracking/ports.js';
import { loggedModelNotFound } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, batchGet, expression, getItem, toAttributes, type Item } from '../dynamo-ops.js';
import { writeWithMark } from '../snapshots/dirty-marks.js';
import type { LoggedModelPlace } from '../../domain/tracking/ports.js';
import { newestFirst } from './newest-first.js';
import { fromLoggedModelItem, toLoggedModelItem } from './codec.js';
import { loggedModelKey } from './keys.js';
import { listActiveModels } from './listing.js';
import { createModelExperiments, type OnModelMarked } from './marks.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from './search-kind.js';

/** Map entries per UpdateItem, keeping expressions well under DynamoDB's 4 KB expression limit. */
const ENTRIES_PER_UPDATE = 40;
/** Rounds of an update that collided with another transaction on the model (TransactionConflict). */
const CONFLICT_ATTEMPTS = 8;

export interface LoggedModelRepositoryOptions {
  /** Told after each committed model write, with the model's experiment (npm start's local snapshot feed). */
  readonly onModelMarked?: OnModelMarked;
}

/**
 * Logged models, one item each. Metric points arrive with run writes (writes.ts). Every write that changes what
 * search_logged_models sees of a model carries the model's dirty mark in its transaction (search-kind.ts).
 */
export const createLoggedModelRepository = (db: DbContext, options: LoggedModelRepositoryOptions = {}) => {
  const experimentOf = createModelExperiments(db);

  /** Updates an active model with its mark; RESOURCE_DOES_NOT_EXIST when it is missing or deleted. */
  const update = async (modelId: string, set: string, names: Record<string, string>, values: Item, condition = '') => {
    const experimentId = await experimentOf(modelId);
    if (experimentId === undefined) throw loggedModelNotFound(modelId);
    const now = Number(values[':now']);
    const change: TransactWriteItem = {
      Update: {
        TableName: db.tableName,
        Key: toAttributes(loggedModelKey(modelId)),
        UpdateExpression: set,
        ConditionExpression: `lifecycleStage = :active${condition ? ` AND ${condition}` : ''}`,
        ...expression(names, { ...values, ':active': 'active' }),
      },
    };
    for (let attempt = 0; ; attempt++) {
      try {
        // The update's cancellation reason is the first (writeWithMark puts the mark last).
        await writeWithMark(db, LOGGED_MODEL_SNAPSHOT_KIND, experimentId, modelId, [change], now);
        break;
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        const codes = cancellationCodes(error);
        if (codes[0] === 'ConditionalCheckFailed') throw loggedModelNotFound(modelId);
        // Another transaction on the model or its mark (a run appending its points): as a plain update would wait.
        if (!codes.includes('TransactionConflict') || attempt + 1 >= CONFLICT_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
    options.onModelMarked?.(experimentId);
  };

  const updateEntries = async (modelId: string, map: 'tags' | 'params', given: { key: string; value: string }[], now: number) => {
    // One update may not name a map entry twice ("Two document paths overlap"): the last value of a key wins,
    // as when MLflow sets them one after the other.
    const entries = [...new Map(given.map((entry) => [entry.key, entry])).values()];
    for (let offset = 0; offset < entries.length; offset += ENTRIES_PER_UPDATE) {
      const slice = entries.slice(offset, offset + ENTRIES_PER_UPDATE);
      const names: Record<string, string> = {};
      const values: Item = { ':now': now };
      const sets = slice.map((entry, index) => {
        names[`#k${index}`] = entry.key;
        values[`:v${index}`] = entry.value;
        return `${map}.#k${index} = :v${index}`;
      });
      await update(modelId, `SET ${sets.join(', ')}, lastUpdatedTimestampMs = :now`, names, values);
    }
  };

  return {
    async create(model: LoggedModel): Promise<void> {
      await writeWithMark(
        db,
        LOGGED_MODEL_SNAPSHOT_KIND,
        model.experimentId,
        model.modelId,
        [{ Put: { TableName: db.tableName, Item: toAttributes(toLoggedModelItem(model)), ConditionExpression: 'attribute_not_exists(pk)' } }],
        model.lastUpdatedTimestampMs,
      );
      options.onModelMarked?.(model.experimentId);
    },

    /** The model, unless missing or deleted. */
    async get(modelId: string): Promise<LoggedModel | undefined> {
      const item = await getItem(db, loggedModelKey(modelId));
      if (!item) return undefined;
      const model = fromLoggedModelItem(item);
      return model.lifecycleStage === 'active' ? model : undefined;
    },

    /** True when the model was ever created, deleted or not. */
    async exists(modelId: string): Promise<boolean> {
      return (await getItem(db, loggedModelKey(modelId))) !== undefined;
    },

    newestFirst: (experimentId: string, after?: LoggedModelPlace, pageSize?: number) => newestFirst(db, experimentId, after, pageSize),

    /** Active models by id, read strongly consistent (what a page answers): missing and deleted ones left out. */
    async getMany(modelIds: readonly string[]): Promise<LoggedModel[]> {
      const items = await batchGet(db, modelIds.map((id) => loggedModelKey(id)));
      return items.map(fromLoggedModelItem).filter((model) => model.lifecycleStage === 'active');
    },

    listByExperiment: (experimentId: string): Promise<LoggedModel[]> => listActiveModels(db, experimentId),

    setStatus(modelId: string, status: LoggedModelStatus, now: number, statusMessage?: string): Promise<void> {
      return update(
        modelId,
        `SET #status = :status, lastUpdatedTimestampMs = :now${statusMessage === undefined ? '' : ', statusMessage = :message'}`,
        { '#status': 'status' },
        { ':status': status, ':now': now, ':message': statusMessage },
      );
    },

    setTags(modelId: string, tags: { key: string; value: string }[], now: number): Promise<void> {
      return updateEntries(modelId, 'tags', tags, now);
    },

    /** RESOURCE_DOES_NOT_EXIST when the model or the tag is missing. */
    deleteTag(modelId: string, key: string, now: number): Promise<void> {
      return update(modelId, 'REMOVE tags.#k SET lastUpdatedTimestampMs = :now', { '#k': key }, { ':now': now }, 'attribute_exists(tags.#k)');
    },

    logParams(modelId: string, params: { key: string; value: string }[], now: number): Promise<void> {
      return updateEntries(modelId, 'params', params, now);
    },

    softDelete(modelId: string, now: number): Promise<void> {
      return update(modelId, 'SET lifecycleStage = :deleted, lastUpdatedTimestampMs = :now', {}, { ':deleted': 'deleted', ':now': now });
    },
  } satisfies LoggedModelStore;
};
