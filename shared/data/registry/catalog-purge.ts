import { transactWrite, expression, queryAll } from '../dynamo-ops.js';
import { changeWithCatalog, PLAN_AGAIN } from '../catalog/changes.js';
import { CATALOG_ENTRY_PREFIX, catalogPartition, catalogShardOf } from '../catalog/keys.js';
import type { DbContext } from '../db-context.js';
import { REGISTRY_CATALOG, versionEntryKey } from './catalog.js';

/** Entries per change: with the head and the change item, under DynamoDB's 100 items a transaction. */
const PER_CHANGE = 90;

/** Removes the catalog entries of a deleted model's versions, as numbered changes of its shard. */
export const removeVersionEntries = async (db: DbContext, modelId: string): Promise<void> => {
  const prefix = `${CATALOG_ENTRY_PREFIX}${versionEntryKey(modelId, 0).slice(0, -10)}`;
  const items = await queryAll(db, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ConsistentRead: true,
    ProjectionExpression: 'sk',
    ...expression({}, { ':pk': catalogPartition(REGISTRY_CATALOG, catalogShardOf(modelId)), ':prefix': prefix }),
  });
  const keys = items.map((item) => String(item.sk).slice(CATALOG_ENTRY_PREFIX.length));
  for (let offset = 0; offset < keys.length; offset += PER_CHANGE) {
    const slice = keys.slice(offset, offset + PER_CHANGE);
    await changeWithCatalog(db, REGISTRY_CATALOG, modelId, [], async (catalog) => {
      try {
        await transactWrite(db, catalog.writes(slice.map((key) => ({ key, value: null })), 0, Date.now()));
        return undefined;
      } catch (error) {
        if (catalog.lost(error)) return PLAN_AGAIN;
        throw error;
      }
    });
  }
};
