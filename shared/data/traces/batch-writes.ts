import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { backoff, send, toAttributes, type Item, type Key } from '../dynamo-ops.js';
import { traceWriteLimit } from './limiter.js';

/** DynamoDB's most per BatchWriteItem. */
const BATCH = 25;
/** Batches in flight at once for one call: enough to keep a burst moving without flooding the table. */
const PARALLEL_BATCHES = 4;

/**
 * Puts and deletes, 25 per BatchWriteItem, several batches at a time, sending unprocessed items again until none
 * are left. Puts replace whole items and deletes of missing keys succeed, so a write sent twice (a retried export)
 * leaves what one would have: the calls are idempotent item by item.
 */
export const batchWrite = async (db: DbContext, puts: readonly Item[], deletes: readonly Key[] = []): Promise<void> => {
  const requests: WriteRequest[] = [
    ...puts.map((item) => ({ PutRequest: { Item: toAttributes(item) } })),
    ...deletes.map((key) => ({ DeleteRequest: { Key: toAttributes(key) } })),
  ];
  const batches: WriteRequest[][] = [];
  for (let offset = 0; offset < requests.length; offset += BATCH) batches.push(requests.slice(offset, offset + BATCH));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await writeBatch(db, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
};

const writeBatch = async (db: DbContext, batch: WriteRequest[]) => {
  let pending: WriteRequest[] | undefined = batch;
  for (let attempt = 0; pending && pending.length > 0; attempt++) {
    const items: WriteRequest[] = pending;
    const result = await traceWriteLimit(db)(() => send(() => db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: items } }))));
    pending = result.UnprocessedItems?.[db.tableName];
    if (pending?.length) await backoff(attempt);
  }
};
