import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { backoff, type Key } from '../dynamo-ops.js';
import { catalogWrites, isShardMoved, readShard, type EntryWrite, type ShardRead } from './journal.js';
import { catalogShardOf, type CatalogName } from './keys.js';

/** Enough for any realistic burst of changes to one shard at once; past it the caller is told to retry. */
const MAX_ATTEMPTS = 100;

/** Said by an attempt whose transaction lost to another change of the shard: read again and plan again. */
export const PLAN_AGAIN: unique symbol = Symbol('plan again');

/** What an attempt gets: the shard as read, and the catalog's items to add to its transaction at `at`. */
export interface CatalogAttempt {
  readonly read: ShardRead;
  /** The catalog's items for `writes`; put them in the transaction starting at index `at`. */
  readonly writes: (writes: readonly EntryWrite[], at: number, now: number) => TransactWriteItem[];
  /** Whether a failed transaction lost to another change of the shard (its items starting at `at`). */
  readonly lost: (error: unknown) => boolean;
  /** The same, from the cancellation codes of a transaction sent by other means (transactWithHolder). */
  readonly lostBy: (codes: readonly (string | undefined)[]) => boolean;
}

/**
 * Runs one change of the item `id` of `catalog` with its catalog entries: reads the shard's head, the entries of
 * `keys` and the `items` the change is planned from (at one instant), and lets `attempt` build and send its
 * transaction. An attempt that lost to another change of the
 * shard (PLAN_AGAIN) is run again on a fresh read, after a short backoff.
 */
export const changeWithCatalog = async <R>(
  db: DbContext,
  catalog: CatalogName,
  id: string,
  keys: readonly string[],
  attempt: (context: CatalogAttempt) => Promise<R | typeof PLAN_AGAIN>,
  items: readonly Key[] = [],
): Promise<R> => {
  const shard = catalogShardOf(id);
  for (let n = 0; n < MAX_ATTEMPTS; n++) {
    const read = await readShard(db, catalog, shard, keys, items);
    let headIndex = -1;
    const result = await attempt({
      read,
      writes: (writes, at, now) => {
        headIndex = at;
        return catalogWrites(db, read, writes, now);
      },
      lost: (error) => headIndex >= 0 && isShardMoved(error, headIndex),
      lostBy: (codes) => headIndex >= 0 && (codes[headIndex] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict')),
    });
    if (result !== PLAN_AGAIN) return result;
    await backoff(Math.min(n, 6));
  }
  throw temporarilyUnavailable('Many changes of the catalog at once; retry.');
};
