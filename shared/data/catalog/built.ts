import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { stamp } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, getItem, send, toAttributes, transactWrite } from '../dynamo-ops.js';
import { catalogWrites, readShard } from './journal.js';
import { catalogBuiltKey, catalogShardOf, type CatalogName } from './keys.js';

/**
 * Building a catalog from the items it mirrors, once for a table's life: a table written before the catalog
 * existed (or loaded in bulk) has items without entries. The first read of the catalog in a process checks the
 * BUILT mark; without it, it writes an entry for every item that has none, as numbered changes like any other
 * (so processes already reading see them), then sets the mark. Concurrent builders and writers are safe: an
 * entry is only added where none exists, so a newer entry a writer made is never replaced.
 *
 * The items are listed from gsi1, which may lag the table by a moment: an item written by a version of Cairn
 * without the catalog in the very second before the build could be left out (every later write of it adds it).
 */
export interface CatalogSource {
  /** The id the item's shard is chosen by. */
  readonly shardId: string;
  readonly key: string;
  readonly value: unknown;
}

/** Entries per transaction: with the head and the change item, under DynamoDB's 100 items. */
const ENTRIES_PER_CHANGE = 90;
const MAX_ATTEMPTS = 100;

export const isCatalogBuilt = async (db: DbContext, catalog: CatalogName): Promise<boolean> =>
  (await getItem(db, catalogBuiltKey(catalog))) !== undefined;

const addMissing = async (db: DbContext, catalog: CatalogName, shard: number, sources: readonly CatalogSource[]) => {
  let pending = [...sources];
  for (let attempt = 0; pending.length > 0 && attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readShard(db, catalog, shard, []);
    const writes = pending.map((source) => ({ key: source.key, value: source.value, onlyIfAbsent: true }));
    try {
      await transactWrite(db, catalogWrites(db, read, writes, Date.now()));
      return;
    } catch (error) {
      if (!isTransactionCanceled(error)) throw error;
      const codes = cancellationCodes(error);
      // Entries start at index 2: those that failed exist already; the head or a conflict: read again.
      const present = new Set(pending.filter((_, i) => codes[i + 2] === 'ConditionalCheckFailed').map((s) => s.key));
      pending = pending.filter((source) => !present.has(source.key));
      await backoff(Math.min(attempt, 4));
    }
  }
  if (pending.length > 0) throw new Error(`Building catalog ${catalog}: shard ${shard} kept changing.`);
};

/** Adds an entry for every source without one, then marks the catalog built. */
export const buildCatalog = async (db: DbContext, catalog: CatalogName, sources: readonly CatalogSource[]): Promise<void> => {
  const byShard = new Map<number, CatalogSource[]>();
  for (const source of sources) {
    const shard = catalogShardOf(source.shardId);
    const list = byShard.get(shard) ?? [];
    list.push(source);
    byShard.set(shard, list);
  }
  await Promise.all(
    [...byShard].map(async ([shard, list]) => {
      for (let offset = 0; offset < list.length; offset += ENTRIES_PER_CHANGE) {
        await addMissing(db, catalog, shard, list.slice(offset, offset + ENTRIES_PER_CHANGE));
      }
    }),
  );
  await send(() =>
    db.client.send(
      new PutItemCommand({ TableName: db.tableName, Item: toAttributes({ ...catalogBuiltKey(catalog), ...stamp('catalog-built'), at: Date.now() }) }),
    ),
  );
};
