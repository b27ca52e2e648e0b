import { randomBytes } from 'node:crypto';
import { DeleteItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { RunScope } from '../../domain/tracking/ports.js';
import { stamp } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, queryAll, send, toAttributes, transactWrite } from '../dynamo-ops.js';
import { RUN_CHANGE_SHARDS, runDirtyKey, runDirtyPartition } from './keys.js';

export const RUN_DIRTY_ITEM = 'run-dirty';

/**
 * The mark every change of a run's summary writes in its own transaction: "this run changed since the
 * snapshot". Its token is new on every write, so a reader that re-read the run after seeing a token knows it
 * holds at least that write, and the compactor clears only a mark whose token it has folded in.
 */
export const dirtyMark = (db: DbContext, scope: RunScope, now: number): TransactWriteItem => ({
  Put: {
    TableName: db.tableName,
    Item: toAttributes({
      ...runDirtyKey(scope.experimentId, scope.runId),
      ...stamp(RUN_DIRTY_ITEM),
      runId: scope.runId,
      experimentId: scope.experimentId,
      token: randomBytes(9).toString('base64url'),
      at: now,
    }),
  },
});

/**
 * The table a run write goes to, and who is told once the write and its mark are committed: under `npm start`
 * that is the local snapshot feed (background-compactions.ts), what the table's stream is in AWS.
 */
export interface MarkingDb extends DbContext {
  readonly onRunMarked?: (experimentId: string) => void;
}

/** Writes `items` and the run's dirty mark in one transaction, then tells the feed. */
export const transactWithMark = async (db: MarkingDb, items: TransactWriteItem[], scope: RunScope, now: number): Promise<void> => {
  // The mark goes last, so cancellation codes keep the offsets of `items`.
  await transactWrite(db, [...items, dirtyMark(db, scope, now)]);
  db.onRunMarked?.(scope.experimentId);
};

/** Run id -> token of every dirty mark of the experiment, read strongly consistent (one query per shard). */
export const readDirtyMarks = async (db: DbContext, experimentId: string): Promise<Map<string, string>> => {
  const shards = await Promise.all(
    Array.from({ length: RUN_CHANGE_SHARDS }, (_, shard) =>
      queryAll(db, {
        KeyConditionExpression: 'pk = :pk',
        ConsistentRead: true,
        ProjectionExpression: 'sk, #token',
        ...expression({ '#token': 'token' }, { ':pk': runDirtyPartition(experimentId, shard) }),
      }),
    ),
  );
  return new Map(shards.flat().map((item) => [String(item.sk), String(item.token)]));
};

/** Clears a mark only if no write came after the one folded in (its token is still `token`). */
export const clearDirtyMark = async (db: DbContext, experimentId: string, runId: string, token: string): Promise<void> => {
  try {
    await send(() =>
      db.client.send(
        new DeleteItemCommand({
          TableName: db.tableName,
          Key: toAttributes(runDirtyKey(experimentId, runId)),
          ConditionExpression: '#token = :token',
          ...expression({ '#token': 'token' }, { ':token': token }),
        }),
      ),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
};
