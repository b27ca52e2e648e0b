import { DeleteItemCommand, PutItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Grant, ResourceRef, Subject } from '../../domain/auth/entities.js';
import { GrantExists, GrantMissing, type GrantStore } from '../../domain/auth/ports.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, getItem, queryAll, send, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromGrantItem, fromMembershipItem, toGrantItem } from './codec.js';
import { GRANT_PREFIX, grantKey, grantsOnPartition, MEMBER_PREFIX, subjectPartition } from './keys.js';

const CONDITIONS = { create: 'attribute_not_exists(pk)', update: 'attribute_exists(pk)', upsert: undefined } as const;

/**
 * The Put of a grant inside another aggregate's transaction: the creator's MANAGE written with the experiment
 * or registered model it is on, so neither exists without the other. Unconditional, as the resource is new.
 */
export const putGrantItem = (db: DbContext, grant: Grant): TransactWriteItem => ({
  Put: { TableName: db.tableName, Item: toAttributes(toGrantItem(grant)) },
});

/**
 * Grants in their subject's partition (a user's also holds the user's group memberships), and on gsi1 by the
 * resource they are on. Everything a permission decision reads comes from the base table, strongly
 * consistent; only "who holds grants on this resource" goes through the index.
 */
export const createGrantRepository = (db: DbContext): GrantStore => {
  const subjectItems = (subject: Subject, prefix: string) =>
    queryAll(db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ConsistentRead: true,
      ...expression({}, { ':pk': subjectPartition(subject), ':prefix': prefix }),
    });

  const grantsOn = (resource: ResourceRef) => {
    const index = TABLE.indexes.byOwner;
    return queryAll(db, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ...expression({ '#pk': index.partitionKey }, { ':pk': grantsOnPartition(resource) }),
    });
  };

  /** Deletes the items by key, 25 to a transaction as the registry's purge does; an item already gone is no error. */
  const deleteItems = async (items: Item[]) => {
    for (let offset = 0; offset < items.length; offset += 25) {
      await transactWrite(
        db,
        items.slice(offset, offset + 25).map((item) => ({
          Delete: { TableName: db.tableName, Key: toAttributes({ pk: item.pk, sk: item.sk }) },
        })),
      );
    }
  };

  return {
    async ofUser(userId) {
      // One query of the partition: the grants (GRANT#…) and the memberships (MEMBER#…) together.
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk',
        ConsistentRead: true,
        ...expression({}, { ':pk': subjectPartition({ kind: 'user', id: userId }) }),
      });
      const sortKey = (item: Item) => String(item.sk);
      return {
        grants: items.filter((item) => sortKey(item).startsWith(GRANT_PREFIX)).map(fromGrantItem),
        groupIds: items.filter((item) => sortKey(item).startsWith(MEMBER_PREFIX)).map((item) => fromMembershipItem(item).groupId),
      };
    },

    async ofGroup(groupId) {
      return (await subjectItems({ kind: 'group', id: groupId }, GRANT_PREFIX)).map(fromGrantItem);
    },

    async get(subject, resource) {
      const item = await getItem(db, grantKey(subject, resource));
      return item ? fromGrantItem(item) : undefined;
    },

    async put(grant, mode) {
      const condition = CONDITIONS[mode];
      try {
        await send(() =>
          db.client.send(
            new PutItemCommand({
              TableName: db.tableName,
              Item: toAttributes(toGrantItem(grant)),
              ...(condition ? { ConditionExpression: condition } : {}),
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw mode === 'create' ? new GrantExists() : new GrantMissing();
        throw error;
      }
    },

    async delete(subject, resource) {
      const result = await send(() =>
        db.client.send(
          new DeleteItemCommand({
            TableName: db.tableName,
            Key: toAttributes(grantKey(subject, resource)),
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return result.Attributes !== undefined;
    },

    async on(resource) {
      return (await grantsOn(resource)).map(fromGrantItem);
    },

    async deleteAllOn(resource) {
      await deleteItems(await grantsOn(resource));
    },

    async deleteAllOf(subject) {
      await deleteItems(await subjectItems(subject, GRANT_PREFIX));
    },
  };
};
