import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { UserNameTaken, type UserStore } from '../../domain/auth/ports.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, queryAll, send, toAttributes, nextInSequence, transactWrite } from '../dynamo-ops.js';
import { fillHolder } from '../grants/holders.js';
import { TABLE } from '../table-definition.js';
import { fromUserItem, keepsGrants, toNewUserItem, toUserNumberItem } from './codec.js';
import { USER_LISTING, userKey, userSequenceKey } from './keys.js';

/** Concurrent creates of one name collide as transactions; the losers are sent again (and then see the name taken). */
const MAX_ATTEMPTS = 50;

/**
 * Users: one item each, keyed by name (a conditional put claims the name), numbered from a counter that only
 * grows, with the user's grants and groups in it (shared/data/grants/holders.ts writes them). Reads are
 * strongly consistent: a password change, a deletion or a revoked grant counts from the next request.
 */
export const createUserRepository = (db: DbContext): UserStore => {
  /** An UpdateItem on an existing user; false when the user is missing. */
  const update = async (username: string, updateExpression: string, values: Record<string, unknown>): Promise<boolean> => {
    try {
      await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(userKey(username)),
            UpdateExpression: updateExpression,
            ConditionExpression: 'attribute_exists(pk)',
            ...expression({}, values),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  return {
    async allocateId() {
      return await nextInSequence(db, userSequenceKey());
    },

    /** The user item (with an empty map of grants) and the number's USERID item, in one transaction. */
    async create(user) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        try {
          await transactWrite(db, [
            { Put: { TableName: db.tableName, Item: toAttributes(toNewUserItem(user)), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: db.tableName, Item: toAttributes(toUserNumberItem(user.userId, user.username)), ConditionExpression: 'attribute_not_exists(pk)' } },
          ]);
          return;
        } catch (error) {
          if (!isTransactionCanceled(error)) throw error;
          const codes = cancellationCodes(error);
          if (codes[0] === 'ConditionalCheckFailed') throw new UserNameTaken(user.username);
          if (!codes.includes('TransactionConflict')) throw error;
          await backoff(Math.min(attempt, 6));
        }
      }
      throw temporarilyUnavailable('Many users are being created under one name at once; retry.');
    },

    /** An item from before grants travelled with users gets them at its first read (holders.ts). */
    async get(username) {
      const item = await getItem(db, userKey(username));
      if (!item) return undefined;
      if (keepsGrants(item)) return fromUserItem(item);
      const user = fromUserItem(item);
      await fillHolder(db, { kind: 'user', userId: user.userId, username });
      const filled = await getItem(db, userKey(username));
      return filled ? fromUserItem(filled) : undefined;
    },

    async list() {
      const index = TABLE.indexes.byOwner;
      const items = await queryAll(db, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': index.partitionKey }, { ':pk': USER_LISTING }),
      });
      return items.map(fromUserItem);
    },

    setPassword: (username, passwordHash) =>
      update(username, 'SET passwordHash = :hash ADD credentialVersion :one', { ':hash': passwordHash, ':one': 1 }),

    setAdmin: (username, isAdmin) => update(username, 'SET isAdmin = :admin', { ':admin': isAdmin }),

    async delete(username) {
      const result = await send(() =>
        db.client.send(
          new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(userKey(username)), ReturnValues: 'ALL_OLD' }),
        ),
      );
      return result.Attributes !== undefined;
    },
  };
};
