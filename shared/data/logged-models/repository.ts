import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { LoggedModel, LoggedModelStatus } from '../../domain/tracking/entities.js';
import type { LoggedModelStore } from '../../domain/tracking/ports.js';
import { loggedModelNotFound } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { batchGet, expression, getItem, queryAll, send, toAttributes, type Item } from '../dynamo-ops.js';
import type { LoggedModelPlace } from '../../domain/tracking/ports.js';
import { newestFirst } from './newest-first.js';
import { TABLE } from '../table-definition.js';
import { fromLoggedModelItem, toLoggedModelItem } from './codec.js';
import { loggedModelKey, loggedModelListingPartition } from './keys.js';

/** Map entries per UpdateItem, keeping expressions well under DynamoDB's 4 KB expression limit. */
const ENTRIES_PER_UPDATE = 40;

/** Logged models, one item each. Metric points arrive with run writes (writes.ts). */
export const createLoggedModelRepository = (db: DbContext) => {
  /** Updates an active model; RESOURCE_DOES_NOT_EXIST when it is missing or deleted. */
  const update = async (modelId: string, set: string, names: Record<string, string>, values: Item, condition = '') => {
    try {
      await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(loggedModelKey(modelId)),
            UpdateExpression: set,
            ConditionExpression: `lifecycleStage = :active${condition ? ` AND ${condition}` : ''}`,
            ...expression(names, { ...values, ':active': 'active' }),
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw loggedModelNotFound(modelId);
      throw error;
    }
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
      await send(() =>
        db.client.send(
          new PutItemCommand({
            TableName: db.tableName,
            Item: toAttributes(toLoggedModelItem(model)),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
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

    async listByExperiment(experimentId: string): Promise<LoggedModel[]> {
      const items = await queryAll(db, {
        IndexName: TABLE.indexes.byOwner.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': loggedModelListingPartition(experimentId) }),
      });
      return items.map(fromLoggedModelItem).filter((model) => model.lifecycleStage === 'active');
    },

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
