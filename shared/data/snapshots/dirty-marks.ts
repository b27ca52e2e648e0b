import { randomBytes } from 'node:crypto';
import { DeleteItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { stamp } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, queryAll, send, toAttributes, transactWrite } from '../dynamo-ops.js';
import type { SnapshotKind } from './kind.js';

/**
 * The mark a change of an entity writes: "this entity changed since the snapshot". Its token is new on every
 * write, so a reader that re-read the entity after seeing a token holds at least that write, and the compactor
 * clears only a mark whose token it folded in. Put it in the change's own transaction.
 */
export const dirtyMark = <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string, id: string, now: number): TransactWriteItem => ({
  Put: {
    TableName: db.tableName,
    Item: toAttributes({
      ...kind.markKey(experimentId, id),
      ...stamp(kind.markEntity),
      [kind.markIdAttribute]: id,
      experimentId,
      token: randomBytes(9).toString('base64url'),
      at: now,
    }),
  },
});

/**
 * Writes `items` and the entity's dirty mark in one transaction: how every kind's writes leave their mark. The
 * mark goes last, so the cancellation codes of a refused transaction keep the offsets of `items`.
 */
export const writeWithMark = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  id: string,
  items: readonly TransactWriteItem[],
  now: number,
): Promise<void> => {
  await transactWrite(db, [...items, dirtyMark(db, kind, experimentId, id, now)]);
};

/** Entity id -> token of every dirty mark of the experiment, read strongly consistent (one query per shard). */
export const readDirtyMarks = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string): Promise<Map<string, string>> => {
  const shards = await Promise.all(
    Array.from({ length: kind.markShards }, (_, shard) =>
      queryAll(db, {
        KeyConditionExpression: 'pk = :pk',
        ConsistentRead: true,
        ProjectionExpression: 'sk, #token',
        ...expression({ '#token': 'token' }, { ':pk': kind.markPartition(experimentId, shard) }),
      }),
    ),
  );
  return new Map(shards.flat().map((item) => [String(item.sk), String(item.token)]));
};

/** Clears a mark only if no write came after the one folded in (its token is still `token`). */
export const clearDirtyMark = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string, id: string, token: string): Promise<void> => {
  try {
    await send(() =>
      db.client.send(
        new DeleteItemCommand({
          TableName: db.tableName,
          Key: toAttributes(kind.markKey(experimentId, id)),
          ConditionExpression: '#token = :token',
          ...expression({ '#token': 'token' }, { ':token': token }),
        }),
      ),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
};
