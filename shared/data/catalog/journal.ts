import { TransactGetItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { expression, fromAttributes, send, toAttributes, type Item, type Key } from '../dynamo-ops.js';
import { fromEntryItem, headSeqOf, HEAD_STAMP, toChangeItem, toEntryItem, type StoredEntry, type StoredMove } from './codec.js';
import { catalogEntryKey, catalogHeadKey, type CatalogName } from './keys.js';

/**
 * The write side of a catalog: every change of an item goes with its entry and a numbered change, in the
 * transaction that changes the item. The shard's head holds the number of its last change and each change is
 * conditioned on it, so changes of a shard are numbered 1, 2, 3… in the order they land, with no gap: a reader
 * that saw the head at n holds every change up to n once it has read them (reader.ts). Two writers of one shard
 * at once: the later one's condition fails and it plans again from what the first wrote.
 */

/** Moves kept per entry, and for how long: a paging client that takes longer sees later moves as made before. */
export const MOVES_KEPT = 16;
export const MOVE_RETENTION_MS = 24 * 3600 * 1000;

/** What a change is planned from: the shard's last change number and the current entries of the keys it writes. */
export interface ShardRead {
  readonly catalog: CatalogName;
  readonly shard: number;
  readonly seq: number;
  readonly entries: ReadonlyMap<string, StoredEntry>;
  /** The other items asked for, in order (undefined where missing). */
  readonly items: readonly (Item | undefined)[];
}

/** One entry a change writes: the item's new value (null: the item is gone) and its sort fields before, if they moved. */
export interface EntryWrite {
  readonly key: string;
  readonly value: unknown;
  readonly moved?: Readonly<Record<string, unknown>>;
  /** Written only where the entry is missing (building the catalog from the items: built.ts). */
  readonly onlyIfAbsent?: boolean;
}

/**
 * The head, the entries of `keys` and the `items` a change is planned from, in one TransactGetItems: read at one
 * instant, so a change planned from them and conditioned on the head cannot overwrite an entry written after.
 */
export const readShard = async (
  db: DbContext,
  catalog: CatalogName,
  shard: number,
  keys: readonly string[],
  items: readonly Key[] = [],
): Promise<ShardRead> => {
  const wanted = [catalogHeadKey(catalog, shard), ...items, ...keys.map((key) => catalogEntryKey(catalog, shard, key))];
  const { Responses } = await send(() =>
    db.client.send(
      new TransactGetItemsCommand({ TransactItems: wanted.map((key) => ({ Get: { TableName: db.tableName, Key: toAttributes(key) } })) }),
    ),
  );
  const [head, ...read] = (Responses ?? []).map((response) => (response.Item ? fromAttributes(response.Item) : undefined));
  const entries = new Map(
    read.slice(items.length).flatMap((item) => {
      if (!item) return [];
      const { key, entry } = fromEntryItem(item);
      return [[key, entry] as const];
    }),
  );
  return { catalog, shard, seq: headSeqOf(head), entries, items: read.slice(0, items.length) };
};

const keptMoves = (moves: readonly StoredMove[], now: number): StoredMove[] =>
  moves.filter((move) => move.at >= now - MOVE_RETENTION_MS).slice(-MOVES_KEPT);

/**
 * The items a change adds to its transaction, the head's update first: the head (conditioned on the number the
 * change was planned from), the change item, and each entry put or deleted.
 */
export const catalogWrites = (db: DbContext, read: ShardRead, writes: readonly EntryWrite[], now: number): TransactWriteItem[] => {
  const { catalog, shard } = read;
  const seq = read.seq + 1;
  const head: TransactWriteItem = {
    Update: {
      TableName: db.tableName,
      Key: toAttributes(catalogHeadKey(catalog, shard)),
      UpdateExpression: 'SET #seq = :next, #et = :et, #v = :v',
      ConditionExpression: read.seq === 0 ? 'attribute_not_exists(#seq) OR #seq = :seen' : '#seq = :seen',
      ...expression(
        { '#seq': 'seq', '#et': '_et', '#v': '_v' },
        { ':next': seq, ':seen': read.seq, ':et': HEAD_STAMP._et, ':v': HEAD_STAMP._v },
      ),
    },
  };
  const change: TransactWriteItem = {
    Put: { TableName: db.tableName, Item: toAttributes(toChangeItem(catalog, shard, seq, writes.map((w) => w.key), now)) },
  };
  const entries = writes.map((write): TransactWriteItem => {
    if (write.value === null) {
      return { Delete: { TableName: db.tableName, Key: toAttributes(catalogEntryKey(catalog, shard, write.key)) } };
    }
    const previous = read.entries.get(write.key)?.moves ?? [];
    const moves = write.moved ? [...previous, { seq, at: now, before: write.moved }] : previous;
    const entry: StoredEntry = { seq, value: write.value, moves: keptMoves(moves, now) };
    const item = toAttributes(toEntryItem(catalog, shard, write.key, entry));
    return { Put: { TableName: db.tableName, Item: item, ...(write.onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) } };
  });
  return [head, change, ...entries];
};

/** How many items `catalogWrites` adds for `writes` entries. */
export const catalogWriteCount = (writes: number) => 2 + writes;

/**
 * Whether a cancelled transaction should be planned again: its head (at `headIndex` among its items) failed,
 * another change of the shard having landed since the read, or it collided with another transaction.
 */
export const isShardMoved = (error: unknown, headIndex: number): boolean => {
  if (!isTransactionCanceled(error)) return false;
  const codes = cancellationCodes(error);
  return codes[headIndex] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict');
};
