import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { backoff, queryPages, send, toAttributes, type Key } from '../dynamo-ops.js';

/** Deletes items by key, 25 per BatchWriteItem, sending unprocessed ones again. Deleting a missing item is no error. */
export const deleteKeys = async (db: DbContext, keys: readonly Key[]): Promise<void> => {
  for (let offset = 0; offset < keys.length; offset += 25) {
    let pending: WriteRequest[] = keys.slice(offset, offset + 25).map((key) => ({ DeleteRequest: { Key: toAttributes({ pk: key.pk, sk: key.sk }) } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const requests = pending;
      const result = await send(() => db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: requests } })));
      pending = result.UnprocessedItems?.[db.tableName] ?? [];
      if (pending.length > 0) await backoff(attempt);
    }
  }
};

/** Deletes every item of a partition (or of its sort keys under `prefix`), page by page. */
export const deletePartition = async (db: DbContext, pk: string, prefix?: string): Promise<number> => {
  let deleted = 0;
  for await (const page of queryPages(db, {
    KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: toAttributes(prefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': prefix }),
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  })) {
    await deleteKeys(db, page.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })));
    deleted += page.length;
  }
  return deleted;
};
