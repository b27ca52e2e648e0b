import { DeleteItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Grant, ResourceRef, Subject } from '../../domain/auth/entities.js';
import { GrantExists, GrantHolderMissing, GrantMissing, type GrantStore } from '../../domain/auth/ports.js';
import { MlflowError } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { batchGet, expression, getItem, queryAll, send, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { groupKey } from '../groups/keys.js';
import { TABLE } from '../table-definition.js';
import { fromGrantItem, fromMembershipItem, GRANT_MAP, groupGrantsOfItem, toGrantItem } from './codec.js';
import { fillHolder, holderGone, holderOf, removeGrantEntry, setGrantEntry, transactWithHolder, type Holder } from './holders.js';
import { GRANT_PREFIX, grantKey, grantMapKey, grantsOnPartition, MEMBER_PREFIX, subjectPartition } from './keys.js';

const CONDITIONS = { create: 'attribute_not_exists(pk)', update: 'attribute_exists(pk)', upsert: undefined } as const;

/** Deletes of one holder's grants run a few at a time: each is a transaction on the same holder item. */
const DELETE_CONCURRENCY = 4;

/** The user creating an experiment or model was deleted while the request ran: nothing was created. */
export const creatorMissing = () => new MlflowError('PERMISSION_DENIED', 'The user making this request no longer exists.');

/**
 * The creator's MANAGE inside another aggregate's transaction (written with the experiment or registered model
 * it is on, so neither exists without the other): the grant's item, and its entry in the creator's item at
 * `holderIndex` (the last of the two). Unconditional on the grant, as the resource is new. GrantHolderMissing
 * when the number is no user's.
 */
export const creatorGrantWrites = async (db: DbContext, grant: Grant): Promise<{ holder: Holder; writes: TransactWriteItem[] }> => {
  const holder = await holderOf(db, grant.subject);
  if (!holder) throw new GrantHolderMissing();
  return {
    holder,
    writes: [
      { Put: { TableName: db.tableName, Item: toAttributes(toGrantItem(grant)) } },
      setGrantEntry(db, holder, grantMapKey(grant.resource), grant.permission),
    ],
  };
};

/** Runs `work` on every item, at most `limit` at a time. */
const eachLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
};

/**
 * Grants in their subject's partition (a user's also holds the user's group memberships), on gsi1 by the
 * resource they are on, and as entries of their holder's item (holders.ts), all written in one transaction. A
 * decision reads only the holders' items: the user's comes with authentication, the groups' in one batch.
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

  /** Deletes the grant's item alone: its holder is gone, so there is no entry to remove. */
  const deleteGrantItem = async (subject: Subject, resource: ResourceRef): Promise<boolean> => {
    const result = await send(() =>
      db.client.send(
        new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(grantKey(subject, resource)), ReturnValues: 'ALL_OLD' }),
      ),
    );
    return result.Attributes !== undefined;
  };

  /** The grant's item and its holder's entry, in one transaction. */
  const deleteWithHolder = async (holder: Holder | undefined, subject: Subject, resource: ResourceRef): Promise<boolean> => {
    if (holder) {
      const outcome = await transactWithHolder(
        db,
        holder,
        [
          { Delete: { TableName: db.tableName, Key: toAttributes(grantKey(subject, resource)), ConditionExpression: 'attribute_exists(pk)' } },
          removeGrantEntry(db, holder, grantMapKey(resource)),
        ],
        1,
      );
      if (outcome.ok) return true;
      if (!outcome.holderGone) {
        if (outcome.codes[0] === 'ConditionalCheckFailed') return false;
        throw new Error(`Revoking a grant failed: ${outcome.codes.join(', ')}`);
      }
    }
    return deleteGrantItem(subject, resource);
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

    /** One strongly consistent BatchGetItem of the groups' items; a group since deleted gives nothing. */
    async ofGroups(groupIds) {
      const ids = [...new Set(groupIds)];
      if (ids.length === 0) return [];
      const items = await batchGet(db, ids.map(groupKey));
      const grants: Grant[] = [];
      for (const item of items) {
        const groupId = String(item.groupId);
        if (Object.hasOwn(item, GRANT_MAP)) {
          grants.push(...groupGrantsOfItem(groupId, item));
          continue;
        }
        // A group written before grants travelled with groups: given its map now, then read again.
        await fillHolder(db, { kind: 'group', groupId });
        const filled = await getItem(db, groupKey(groupId));
        if (filled && Object.hasOwn(filled, GRANT_MAP)) grants.push(...groupGrantsOfItem(groupId, filled));
      }
      return grants;
    },

    async get(subject, resource) {
      const item = await getItem(db, grantKey(subject, resource));
      return item ? fromGrantItem(item) : undefined;
    },

    async put(grant, mode) {
      const holder = await holderOf(db, grant.subject);
      if (!holder) throw new GrantHolderMissing();
      const condition = CONDITIONS[mode];
      const outcome = await transactWithHolder(
        db,
        holder,
        [
          { Put: { TableName: db.tableName, Item: toAttributes(toGrantItem(grant)), ...(condition ? { ConditionExpression: condition } : {}) } },
          setGrantEntry(db, holder, grantMapKey(grant.resource), grant.permission),
        ],
        1,
      );
      if (outcome.ok) return;
      if (outcome.holderGone) throw new GrantHolderMissing();
      if (outcome.codes[0] === 'ConditionalCheckFailed') throw mode === 'create' ? new GrantExists() : new GrantMissing();
      throw new Error(`Writing a grant failed: ${outcome.codes.join(', ')}`);
    },

    async delete(subject, resource) {
      return deleteWithHolder(await holderOf(db, subject), subject, resource);
    },

    async on(resource) {
      return (await grantsOn(resource)).map(fromGrantItem);
    },

    /** Each grant with its holder's entry (a model deleted for good leaves nothing in users' or groups' items). */
    async deleteAllOn(resource) {
      const grants = (await grantsOn(resource)).map(fromGrantItem);
      await eachLimited(grants, DELETE_CONCURRENCY, async (grant) => deleteWithHolder(await holderOf(db, grant.subject), grant.subject, resource));
    },

    /** A subject whose item is gone (a user or group deleted first) has no entries left: its grants' items go in batches. */
    async deleteAllOf(subject) {
      const items = await subjectItems(subject, GRANT_PREFIX);
      if (items.length === 0) return;
      const holder = await holderOf(db, subject);
      if (!holder || (await holderGone(db, holder))) return deleteItems(items);
      await eachLimited(items.map(fromGrantItem), DELETE_CONCURRENCY, (grant) => deleteWithHolder(holder, subject, grant.resource));
    },
  };
};
