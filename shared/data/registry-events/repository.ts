import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { RegistryEvents } from '../../domain/registry/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, fromAttributes, queryAll, send } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromRegistryEventItem } from './codec.js';
import { REGISTRY_EVENT_LOG } from './keys.js';

/** The registry-wide event log (gsi1), oldest first. Events are written by the registry's transactions. */
export const createRegistryEventLog = (db: DbContext): RegistryEvents => ({
  async listAfter(cursor, limit) {
    const index = TABLE.indexes.byOwner;
    const result = await send(() =>
      db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          IndexName: index.name,
          KeyConditionExpression: cursor ? '#pk = :pk AND #sk > :cursor' : '#pk = :pk',
          ...expression(
            { '#pk': index.partitionKey, ...(cursor ? { '#sk': index.sortKey } : {}) },
            { ':pk': REGISTRY_EVENT_LOG, ...(cursor ? { ':cursor': cursor } : {}) },
          ),
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map((item) => fromRegistryEventItem(fromAttributes(item)));
  },

  /** One model's events in position order. */
  async forModel(modelId) {
    const items = await queryAll(db, {
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true,
      ...expression({}, { ':pk': `RMEV#${modelId}` }),
    });
    return items.map(fromRegistryEventItem);
  },
});
