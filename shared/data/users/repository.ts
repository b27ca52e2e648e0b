import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { UserNameTaken, type UserStore } from '../../domain/auth/ports.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, getItem, queryAll, send, toAttributes, nextInSequence } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromUserItem, toUserItem } from './codec.js';
import { USER_LISTING, userKey, userSequenceKey } from './keys.js';

/**
 * Users: one item each, keyed by name (a conditional put claims the name), numbered from a counter that only
 * grows. Reads are strongly consistent: a password change or a deletion counts from the next request.
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

    async create(user) {
      try {
        await send(() =>
          db.client.send(
            new PutItemCommand({
              TableName: db.tableName,
              Item: toAttributes(toUserItem(user)),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new UserNameTaken(user.username);
        throw error;
      }
    },

    async get(username) {
      const item = await getItem(db, userKey(username));
      return item ? fromUserItem(item) : undefined;
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
