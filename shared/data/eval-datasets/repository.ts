import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { EvalDatasetStore } from '../../domain/genai/datasets-entities.js';
import { datasetDigest } from '../../domain/genai/datasets.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { backoff, batchGet, expression, getItem, queryAll, send, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { deleteKeys, deletePartition } from './batch-delete.js';
import { fromAssociationItem, fromDatasetItem, schemaItem, toAssociationItem, toDatasetItem } from './codec.js';
import { ASSOCIATION_PREFIX, DATASET_LISTING_PARTITION, associationKey, datasetKey, datasetPartition, experimentDatasetsPartition } from './keys.js';
import { createRecordWrites } from './records.js';

/** Map entries per UpdateItem, well under DynamoDB's 4 KB expression limit. */
const ENTRIES_PER_UPDATE = 40;
const MAX_ATTEMPTS = 80;

/** Evaluation datasets in the one table; records are written by records.ts. Access patterns: shared/data/README.md. */
export const createEvalDatasetRepository = (db: DbContext): EvalDatasetStore => {
  const records = createRecordWrites(db);

  const update = async (datasetId: string, updateExpression: string, names: Record<string, string>, values: Item, condition = 'attribute_exists(pk)') => {
    try {
      await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(datasetKey(datasetId)),
            UpdateExpression: updateExpression,
            ConditionExpression: condition,
            ...expression(names, values),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  const touch = (datasetId: string, now: number) => update(datasetId, 'SET lastUpdateTime = :now', {}, { ':now': now });

  const associations = async (datasetId: string) =>
    (
      await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toAttributes({ ':pk': datasetPartition(datasetId), ':prefix': ASSOCIATION_PREFIX }),
        ConsistentRead: true,
      })
    ).map(fromAssociationItem);

  return {
    async create(dataset, experimentIds) {
      const put = (item: Item, condition?: string) => ({
        Put: { TableName: db.tableName, Item: toAttributes(item), ...(condition ? { ConditionExpression: condition } : {}) },
      });
      const links = experimentIds.map((experimentId) => put(toAssociationItem(dataset.datasetId, experimentId, dataset.createdTime)));
      await transactWrite(db, [put(toDatasetItem(dataset), 'attribute_not_exists(pk)'), ...links.slice(0, 99)]);
      for (let offset = 99; offset < links.length; offset += 100) await transactWrite(db, links.slice(offset, offset + 100));
    },

    async get(datasetId) {
      const item = await getItem(db, datasetKey(datasetId));
      return item ? fromDatasetItem(item) : undefined;
    },

    async list() {
      const items = await queryAll(db, {
        IndexName: TABLE.indexes.byOwner.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': DATASET_LISTING_PARTITION }),
      });
      return items.map(fromDatasetItem);
    },

    async idsInExperiments(experimentIds) {
      const pages = await Promise.all(
        [...new Set(experimentIds)].map((experimentId) =>
          queryAll(db, {
            IndexName: TABLE.indexes.byOwner.name,
            KeyConditionExpression: '#pk = :pk',
            ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': experimentDatasetsPartition(experimentId) }),
          }),
        ),
      );
      return new Set(pages.flat().map((item) => fromAssociationItem(item).datasetId));
    },

    async delete(datasetId) {
      // The dataset goes first, so it reads as missing at once; deleting again finishes an interrupted purge.
      const { Attributes } = await send(() =>
        db.client.send(new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(datasetKey(datasetId)), ReturnValues: 'ALL_OLD' })),
      );
      await deletePartition(db, datasetPartition(datasetId));
      return Attributes !== undefined;
    },

    async setTags(datasetId, tags) {
      const entries = Object.entries(tags);
      if (entries.length === 0) return (await getItem(db, datasetKey(datasetId))) !== undefined;
      for (let offset = 0; offset < entries.length; offset += ENTRIES_PER_UPDATE) {
        const names: Record<string, string> = {};
        const values: Item = {};
        const sets = entries.slice(offset, offset + ENTRIES_PER_UPDATE).map(([key, value], index) => {
          names[`#k${index}`] = key;
          values[`:v${index}`] = value;
          return `tags.#k${index} = :v${index}`;
        });
        if (!(await update(datasetId, `SET ${sets.join(', ')}`, names, values))) return false;
      }
      return true;
    },

    async deleteTag(datasetId, key) {
      await update(datasetId, 'REMOVE tags.#k', { '#k': key }, {});
    },

    async experimentIds(datasetId) {
      return (await associations(datasetId))
        .sort((a, b) => a.createdTime - b.createdTime || (a.experimentId < b.experimentId ? -1 : a.experimentId > b.experimentId ? 1 : 0))
        .map((link) => link.experimentId);
    },

    async addExperiments(datasetId, experimentIds, now) {
      for (const experimentId of experimentIds) {
        try {
          await send(() =>
            db.client.send(
              new PutItemCommand({
                TableName: db.tableName,
                Item: toAttributes(toAssociationItem(datasetId, experimentId, now)),
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            ),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }
      return touch(datasetId, now);
    },

    async removeExperiments(datasetId, experimentIds, now) {
      if (!(await getItem(db, datasetKey(datasetId)))) return undefined;
      const existing = (await batchGet(db, experimentIds.map((experimentId) => associationKey(datasetId, experimentId)))).map(fromAssociationItem);
      if (existing.length === 0) return [];
      await deleteKeys(db, existing.map((link) => associationKey(datasetId, link.experimentId)));
      return (await touch(datasetId, now)) ? existing.map((link) => link.experimentId) : undefined;
    },

    recordsByHash: records.recordsByHash,
    insertRecords: records.insertRecords,
    mergeRecord: records.mergeRecord,
    recordsPage: records.recordsPage,

    async recordsChanged(datasetId, change) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const item = await getItem(db, datasetKey(datasetId));
        if (!item) return false;
        const current = fromDatasetItem(item);
        const schema = change.schema(current.schema);
        const values: Item = {
          ':now': change.now,
          ':digest': datasetDigest(current.name, change.now),
          ':next': current.revision + 1,
          ':seen': current.revision,
          ':inserted': change.inserted,
        };
        const sets = ['lastUpdateTime = :now', 'digest = :digest', 'revision = :next'];
        if (schema) (sets.push('#schema = :schema'), (values[':schema'] = schemaItem(schema)));
        // MLflow writes the last upserted record's `mlflow.user`, or nobody when no record names one.
        if (change.lastUpdatedBy !== undefined) (sets.push('lastUpdatedBy = :by'), (values[':by'] = change.lastUpdatedBy));
        const expressionText = `SET ${sets.join(', ')}${change.lastUpdatedBy === undefined ? ' REMOVE lastUpdatedBy' : ''} ADD recordCount :inserted`;
        const names: Record<string, string> = schema ? { '#schema': 'schema' } : {};
        if (await update(datasetId, expressionText, names, values, 'revision = :seen')) return true;
        await backoff(Math.min(attempt, 6));
      }
      throw temporarilyUnavailable('Too many concurrent changes of this dataset; retry later.');
    },
  };
};
