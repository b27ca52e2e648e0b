import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DatasetRecord, RecordCursor, RecordMerge } from '../../domain/genai/datasets-entities.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, batchGet, expression, queryPages, send, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { fromGuardItem, fromRecordItem, recordSize, toGuardItem, toRecordItem } from './codec.js';
import { RECORD_PREFIX, datasetPartition, recordGuardKey, recordSortKey } from './keys.js';

/** Records per TransactWriteItems (a guard and a record each, of DynamoDB's 100 items). */
const RECORDS_PER_TRANSACTION = 50;
/** Record bytes per transaction, under DynamoDB's 4 MB for one transaction. */
const BYTES_PER_TRANSACTION = 3 * 1024 * 1024;
/** Transactions under way at once for one upsert. */
const PARALLEL_TRANSACTIONS = 4;
/** Map keys set per UpdateItem (two paths each), keeping the expression well under DynamoDB's 4 KB. */
const KEYS_PER_UPDATE = 20;
/** After every record sort key (`R#<15 digits>#dr-...`), before the guards (`RH#...`). */
const RECORDS_END = `${RECORD_PREFIX}~`;

const chunksOf = (records: readonly DatasetRecord[]): DatasetRecord[][] => {
  const chunks: DatasetRecord[][] = [];
  let current: DatasetRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordSize(record);
    if (current.length > 0 && (current.length >= RECORDS_PER_TRANSACTION || bytes + size > BYTES_PER_TRANSACTION)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/**
 * A record is written with its guard in one transaction, the guard on condition that no record of these inputs
 * exists: two upserts of equal inputs, however concurrent, make one record, and the loser learns it from the
 * cancellation reason of its guard and merges instead. Merges are one UpdateItem of map paths: concurrent merges of
 * one record each set their own keys, so none overwrites another's.
 */
export const createRecordWrites = (db: DbContext) => {
  const put = (item: Item): TransactWriteItem => ({
    Put: { TableName: db.tableName, Item: toAttributes(item), ConditionExpression: 'attribute_not_exists(pk)' },
  });

  /** Inserts one chunk; answers the hashes whose guard another writer holds. */
  const insertChunk = async (chunk: readonly DatasetRecord[]): Promise<string[]> => {
    const lost: string[] = [];
    let pending = [...chunk];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const items = pending.flatMap((record) => {
        const sk = recordSortKey(record.createdTime, record.recordId);
        return [put(toGuardItem(record, sk)), put(toRecordItem(record))];
      });
      try {
        await transactWrite(db, items);
        return lost;
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        const codes = cancellationCodes(error);
        const taken = new Set(pending.filter((_, index) => codes[index * 2] === 'ConditionalCheckFailed').map((record) => record.inputHash));
        if (taken.size === 0 && !codes.includes('TransactionConflict')) throw error;
        lost.push(...taken);
        pending = pending.filter((record) => !taken.has(record.inputHash));
        if (taken.size === 0) await backoff(Math.min(attempt, 6));
      }
    }
    return lost;
  };

  return {
    async recordsByHash(datasetId: string, hashes: readonly string[]): Promise<Map<string, DatasetRecord>> {
      if (hashes.length === 0) return new Map();
      const guards = (await batchGet(db, hashes.map((hash) => recordGuardKey(datasetId, hash)))).map(fromGuardItem);
      const records = (await batchGet(db, guards.map((guard) => ({ pk: datasetPartition(datasetId), sk: guard.recordSk })))).map(fromRecordItem);
      return new Map(records.map((record) => [record.inputHash, record]));
    },

    async insertRecords(records: readonly DatasetRecord[]): Promise<Set<string>> {
      const chunks = chunksOf(records);
      const lost = new Set<string>();
      for (let offset = 0; offset < chunks.length; offset += PARALLEL_TRANSACTIONS) {
        const results = await Promise.all(chunks.slice(offset, offset + PARALLEL_TRANSACTIONS).map(insertChunk));
        for (const hashes of results) for (const hash of hashes) lost.add(hash);
      }
      return lost;
    },

    async mergeRecord(record: DatasetRecord, merge: RecordMerge, now: number): Promise<void> {
      const keyed = [
        ...merge.expectations.map(([key, text]) => ({ map: 'expectations', order: 'expectationOrder', key, text })),
        ...merge.tags.map(([key, text]) => ({ map: 'tags', order: 'tagOrder', key, text })),
      ];
      // Keys new to the record go after those it has, in this merge's order (dict.update keeps a known key's place).
      const position = (index: number) => now * 1000 + index;
      for (let offset = 0; offset === 0 || offset < keyed.length; offset += KEYS_PER_UPDATE) {
        const names: Record<string, string> = {};
        const values: Item = { ':now': now };
        const sets = ['lastUpdateTime = :now'];
        const removes: string[] = [];
        if (offset === 0) {
          if (merge.outputs === null) removes.push('outputs');
          else if (merge.outputs !== undefined) (sets.push('outputs = :outputs'), (values[':outputs'] = merge.outputs));
          if (merge.expectations.length > 0) (sets.push('hasExpectations = :true'), (values[':true'] = true));
          if (merge.lastUpdatedBy !== undefined) (sets.push('lastUpdatedBy = :by'), (values[':by'] = merge.lastUpdatedBy));
        }
        keyed.slice(offset, offset + KEYS_PER_UPDATE).forEach(({ map, order, key, text }, index) => {
          names[`#k${index}`] = key;
          values[`:v${index}`] = text;
          values[`:p${index}`] = position(offset + index);
          sets.push(`${map}.#k${index} = :v${index}`, `${order}.#k${index} = if_not_exists(${order}.#k${index}, :p${index})`);
        });
        try {
          await send(() =>
            db.client.send(
              new UpdateItemCommand({
                TableName: db.tableName,
                Key: toAttributes({ pk: datasetPartition(record.datasetId), sk: recordSortKey(record.createdTime, record.recordId) }),
                UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
                ConditionExpression: 'attribute_exists(pk)',
                ...expression(names, values),
              }),
            ),
          );
        } catch (error) {
          // The dataset was deleted meanwhile: the upsert answers that when it updates the dataset.
          if (isConditionalCheckFailed(error)) return;
          throw error;
        }
      }
    },

    async recordsPage(datasetId: string, after: RecordCursor | undefined, limit: number, maxBytes: number) {
      const from = after ? recordSortKey(after.createdTime, after.recordId) : RECORD_PREFIX;
      const records: DatasetRecord[] = [];
      let bytes = 0;
      for await (const page of queryPages(db, {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: toAttributes({ ':pk': datasetPartition(datasetId), ':from': from, ':to': RECORDS_END }),
        ConsistentRead: true,
        Limit: limit + 2,
      })) {
        for (const item of page) {
          if (item.sk === from) continue;
          const record = fromRecordItem(item);
          const size = recordSize(record);
          if (records.length >= limit || (records.length > 0 && bytes + size > maxBytes)) return { records, more: true };
          records.push(record);
          bytes += size;
        }
      }
      return { records, more: false };
    },
  };
};
