import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import type { DbContext } from '../db-context.js';
import { backoff, queryPages, send, toAttributes, type Key } from '../dynamo-ops.js';

/** BatchWriteItems in flight at once: a dataset of 100,000 records is 4,000 of them, too slow one at a time. */
const BATCHES_IN_FLIGHT = 16;

/** Deletes items by key, 25 per BatchWriteItem (several at once), sending unprocessed ones again. Deleting a missing item is no error. */
export const deleteKeys = async (db: DbContext, keys: readonly Key[]): Promise<void> => {
  const batches = Array.from({ length: Math.ceil(keys.length / 25) }, (_, i) => keys.slice(i * 25, i * 25 + 25));
  await mapConcurrently(batches, BATCHES_IN_FLIGHT, async (batch) => {
    let pending: WriteRequest[] = batch.map((key) => ({ DeleteRequest: { Key: toAttributes({ pk: key.pk, sk: key.sk }) } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const requests = pending;
      const result = await send(() => db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: requests } })));
      pending = result.UnprocessedItems?.[db.tableName] ?? [];
      if (pending.length > 0) await backoff(attempt);
    }
  });
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
