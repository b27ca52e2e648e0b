import { UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Group } from '../../domain/auth/entities.js';
import { GroupNameTaken, type GroupStore } from '../../domain/auth/ports.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import { parseItem } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, queryAll, send, toAttributes, transactWrite, type Item, type Key, nextInSequence } from '../dynamo-ops.js';
import { toMembershipItem } from '../grants/codec.js';
import { changeUserGroups, holderOf, transactWithHolder } from '../grants/holders.js';
import { membershipKey } from '../grants/keys.js';
import { TABLE } from '../table-definition.js';
import { fromGroupItem, fromGroupMemberItem, GroupNameGuardSchema, toGroupMemberItem, toGroupNameGuardItem, toNewGroupItem } from './codec.js';
import { GROUP_LISTING, GROUP_MEMBER_PREFIX, groupKey, groupListingKey, groupMemberKey, groupNameKey, groupSequenceKey } from './keys.js';

/** Enough for any realistic burst of changes to one group; past it the caller is told to retry. */
const MAX_ATTEMPTS = 50;
/** Members of a group deleted are removed a few at a time: each is a transaction on the member's item. */
const REMOVE_CONCURRENCY = 4;

type Outcome = { ok: true } | { ok: false; codes: (string | undefined)[] };

/**
 * Groups (MLflow's roles), their name guards and their members. A membership is written three times in one
 * transaction: in the group's partition (to list members), in the user's (so one query of it lists the
 * user's grants and groups) and in the user's item (its `groups` set, what a decision reads: see
 * shared/data/grants/holders.ts). A group's item keeps the group's grants (written by the GrantStore), so
 * it is only ever updated, never replaced. Names are unique through the guard, never by reading first.
 */
export const createGroupRepository = (db: DbContext): GroupStore => {
  const put = (item: Item, condition = 'attribute_not_exists(pk)', names: Record<string, string> = {}, values?: Item): TransactWriteItem => ({
    Put: { TableName: db.tableName, Item: toAttributes(item), ConditionExpression: condition, ...expression(names, values) },
  });
  const remove = (key: Key, condition?: string, names: Record<string, string> = {}, values?: Item): TransactWriteItem => ({
    Delete: {
      TableName: db.tableName,
      Key: toAttributes(key),
      ...(condition ? { ConditionExpression: condition, ...expression(names, values) } : {}),
    },
  });
  const groupExists = (groupId: string): TransactWriteItem => ({
    ConditionCheck: { TableName: db.tableName, Key: toAttributes(groupKey(groupId)), ConditionExpression: 'attribute_exists(pk)' },
  });

  /**
   * Sends a transaction; a cancellation by failed conditions comes back as their codes. One cancelled because
   * another transaction held the same items (two assigns of one user at once) is sent again.
   */
  const transact = async (items: TransactWriteItem[]): Promise<Outcome> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await transactWrite(db, items);
        return { ok: true };
      } catch (error) {
        if (!isTransactionCanceled(error)) throw error;
        const codes = cancellationCodes(error);
        if (!codes.includes('TransactionConflict')) return { ok: false, codes };
        await backoff(Math.min(attempt, 6));
      }
    }
    throw temporarilyUnavailable('The role is being changed by many clients at once; retry.');
  };

  const get = async (groupId: string): Promise<Group | undefined> => {
    const item = await getItem(db, groupKey(groupId));
    return item ? fromGroupItem(item) : undefined;
  };

  const members = async (groupId: string): Promise<number[]> => {
    const items = await queryAll(db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ConsistentRead: true,
      ...expression({}, { ':pk': groupKey(groupId).pk, ':prefix': GROUP_MEMBER_PREFIX }),
    });
    return items.map((item) => fromGroupMemberItem(item).userId).sort((a, b) => a - b);
  };

  /** Removes the membership (both items and the user's group id), in one transaction; false when there was none. */
  const removeMember = async (groupId: string, userId: number): Promise<boolean> => {
    const memberItems = [remove(groupMemberKey(groupId, userId), 'attribute_exists(pk)'), remove(membershipKey(userId, groupId))];
    const holder = await holderOf(db, { kind: 'user', id: userId });
    if (holder?.kind === 'user') {
      const outcome = await transactWithHolder(db, holder, [...memberItems, changeUserGroups(db, holder, 'DELETE', groupId)], 2);
      if (outcome.ok) return true;
      if (!outcome.holderGone) return false;
    }
    // The user is gone (deleted, or its name now another's): only the membership's items are left.
    return (await transact(memberItems)).ok;
  };

  /** Removes every membership of the group, a few members at a time. */
  const removeAllMembers = async (groupId: string) => {
    const userIds = await members(groupId);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(REMOVE_CONCURRENCY, userIds.length) }, async () => {
        while (next < userIds.length) await removeMember(groupId, userIds[next++]!);
      }),
    );
  };

  /**
   * Renames: releases the old name, claims the new one and updates the group, in one transaction. The group's
   * item is updated in place, as it keeps the group's grants.
   */
  const rename = async (group: Group, name: string, description: string | undefined): Promise<Outcome> => {
    const names: Record<string, string> = { '#name': 'name' };
    const values: Item = { ':old': group.name, ':name': name };
    const sets = ['#name = :name'];
    for (const [attribute, value] of Object.entries(groupListingKey(name))) {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      sets.push(`#${attribute} = :${attribute}`);
    }
    if (description !== undefined) {
      names['#description'] = 'description';
      values[':description'] = description;
      sets.push('#description = :description');
    }
    return transact([
      remove(groupNameKey(group.name), 'groupId = :id', {}, { ':id': group.groupId }),
      put(toGroupNameGuardItem(name, group.groupId)),
      {
        Update: {
          TableName: db.tableName,
          Key: toAttributes(groupKey(group.groupId)),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #name = :old',
          ...expression(names, values),
        },
      },
    ]);
  };

  return {
    async allocateId() {
      return String(await nextInSequence(db, groupSequenceKey()));
    },

    async create(group) {
      const outcome = await transact([put(toNewGroupItem(group)), put(toGroupNameGuardItem(group.name, group.groupId))]);
      if (!outcome.ok) throw new GroupNameTaken(group.name);
    },

    get,

    async getByName(name) {
      const guard = await getItem(db, groupNameKey(name));
      return guard ? get(parseItem(GroupNameGuardSchema, guard).groupId) : undefined;
    },

    /** Every group, by name. Groups number in the hundreds at most, so one index partition holds them. */
    async list() {
      const index = TABLE.indexes.byOwner;
      const items = await queryAll(db, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': index.partitionKey }, { ':pk': GROUP_LISTING }),
      });
      return items.map(fromGroupItem);
    },

    async update(groupId, fields) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const group = await get(groupId);
        if (!group) return false;
        if (fields.name === undefined || fields.name === group.name) {
          if (fields.description === undefined) return true;
          try {
            await send(() =>
              db.client.send(
                new UpdateItemCommand({
                  TableName: db.tableName,
                  Key: toAttributes(groupKey(groupId)),
                  UpdateExpression: 'SET description = :description',
                  ConditionExpression: 'attribute_exists(pk)',
                  ...expression({}, { ':description': fields.description }),
                }),
              ),
            );
            return true;
          } catch (error) {
            if (isConditionalCheckFailed(error)) return false;
            throw error;
          }
        }
        const outcome = await rename(group, fields.name, fields.description);
        if (outcome.ok) return true;
        if (outcome.codes[1] === 'ConditionalCheckFailed') throw new GroupNameTaken(fields.name);
        // Renamed or deleted since it was read: read it again.
        await backoff(Math.min(attempt, 6));
      }
      throw temporarilyUnavailable('The role is being changed by many clients at once; retry.');
    },

    /**
     * Removes the group and frees its name first, so no membership can be added after the members are read
     * (addMember checks the group exists); then every membership. The memberships of a group that is gone
     * are removed whatever the answer, so deleting again finishes an interrupted delete.
     */
    async delete(groupId) {
      let removed = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !removed; attempt++) {
        const group = await get(groupId);
        if (!group) break;
        const outcome = await transact([
          remove(groupKey(groupId), '#name = :name', { '#name': 'name' }, { ':name': group.name }),
          remove(groupNameKey(group.name), 'groupId = :id', {}, { ':id': groupId }),
        ]);
        removed = outcome.ok;
        // A failed condition means a rename or delete in between: read the group again.
        if (!removed) await backoff(Math.min(attempt, 6));
      }
      await removeAllMembers(groupId);
      return removed;
    },

    async addMember(groupId, userId) {
      const holder = await holderOf(db, { kind: 'user', id: userId });
      if (holder?.kind !== 'user') return false;
      const outcome = await transactWithHolder(
        db,
        holder,
        [groupExists(groupId), put(toGroupMemberItem(groupId, userId)), put(toMembershipItem(userId, groupId)), changeUserGroups(db, holder, 'ADD', groupId)],
        3,
      );
      return outcome.ok;
    },

    removeMember,

    members,
  };
};
