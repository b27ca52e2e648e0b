import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { expression, getItem, queryAll } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { membershipKey, subjectPartition } from '../../../shared/data/grants/keys.js';
import { fromMembershipItem } from '../../../shared/data/grants/codec.js';
import { groupNameKey } from '../../../shared/data/groups/keys.js';
import { createGroupRepository } from '../../../shared/data/groups/repository.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import { GroupNameTaken, type GroupStore, type UserStore } from '../../../shared/domain/auth/ports.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

/** The memberships the user's own partition holds: what GrantStore.ofUser reads. */
const membershipsInUserPartition = async (db: DbContext, userId: number) =>
  (
    await queryAll(db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ConsistentRead: true,
      ...expression({}, { ':pk': subjectPartition({ kind: 'user', id: userId }), ':prefix': 'MEMBER#' }),
    })
  ).map((item) => fromMembershipItem(item).groupId);

describe.each(ENGINES)('group repository on %s', (engine) => {
  let db: DbContext;
  let groups: GroupStore;
  let users: UserStore;

  beforeAll(async () => {
    db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-groups-${randomUUID()}` };
    await ensureTable(db);
    groups = createGroupRepository(db);
    users = createUserRepository(db);
  });

  /** A member must be a user: a membership is written in the user's item too. */
  const newUser = async () => {
    const username = `member-${randomUUID()}`;
    const userId = await users.allocateId();
    await users.create({ userId, username, isAdmin: false, passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: 's', hash: 'h' }, credentialVersion: 1, createdAt: 1 });
    return { userId, username };
  };
  /** The groups the user's item holds: what a decision reads (User.groupIds). */
  const groupIdsInUserItem = async (member: { username: string }) => (await users.get(member.username))?.groupIds;

  const newGroup = async (name: string, description = '') => {
    const groupId = await groups.allocateId();
    const group = { groupId, name, description, createdAt: 1_700_000_000_000 };
    await groups.create(group);
    return group;
  };

  it('creates groups with ids that count up, finds them by id and by name, and lists them by name', async () => {
    // Prepare
    const first = await newGroup(`zeta-${randomUUID()}`, 'last by name');
    const second = await newGroup(`alpha-${randomUUID()}`);

    // Act
    const byId = await groups.get(first.groupId);
    const byName = await groups.getByName(second.name);
    const listed = await groups.list();

    // Assess
    expect(Number(second.groupId)).toBe(Number(first.groupId) + 1);
    expect(byId).toEqual(first);
    expect(byName).toEqual(second);
    const names = listed.map((group) => group.name);
    expect(names.indexOf(second.name)).toBeLessThan(names.indexOf(first.name));
    expect(await groups.get('999999')).toBeUndefined();
    expect(await groups.getByName(`missing-${randomUUID()}`)).toBeUndefined();
  });

  it('refuses a second group with a taken name, and writes nothing for it', async () => {
    // Prepare
    const taken = await newGroup(`taken-${randomUUID()}`);
    const groupId = await groups.allocateId();

    // Act
    const refusal = await groups.create({ groupId, name: taken.name, description: '', createdAt: 1 }).catch((error: unknown) => error);

    // Assess
    expect(refusal).toBeInstanceOf(GroupNameTaken);
    expect(await groups.get(groupId)).toBeUndefined();
    expect(await groups.getByName(taken.name)).toEqual(taken);
  });

  it('renames a group (the old name is free, a taken one is refused) and changes its description', async () => {
    // Prepare
    const group = await newGroup(`old-${randomUUID()}`, 'before');
    const other = await newGroup(`other-${randomUUID()}`);
    const newName = `new-${randomUUID()}`;

    // Act
    const renamed = await groups.update(group.groupId, { name: newName, description: 'after' });
    const refusal = await groups.update(group.groupId, { name: other.name }).catch((error: unknown) => error);
    const described = await groups.update(group.groupId, { description: 'again' });
    const missing = await groups.update('999999', { description: 'x' });

    // Assess
    expect(renamed).toBe(true);
    expect(refusal).toBeInstanceOf(GroupNameTaken);
    expect(described).toBe(true);
    expect(missing).toBe(false);
    expect(await groups.get(group.groupId)).toEqual({ ...group, name: newName, description: 'again' });
    expect(await groups.getByName(group.name)).toBeUndefined();
    expect(await getItem(db, groupNameKey(group.name))).toBeUndefined();
    expect((await groups.getByName(newName))?.groupId).toBe(group.groupId);
    expect((await groups.list()).find((listed) => listed.groupId === group.groupId)?.name).toBe(newName);
  });

  it('writes one membership, on both sides, when the same user is assigned many times at once', async () => {
    // Prepare
    const group = await newGroup(`crowd-${randomUUID()}`);
    const member = await newUser();
    const { userId } = member;

    // Act
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => groups.addMember(group.groupId, userId)));

    // Assess
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await groups.members(group.groupId)).toEqual([userId]);
    expect(await membershipsInUserPartition(db, userId)).toEqual([group.groupId]);
    expect(await groupIdsInUserItem(member)).toEqual([group.groupId]);
  });

  it('adds and removes members, and adds none to a group that does not exist', async () => {
    // Prepare
    const group = await newGroup(`team-${randomUUID()}`);
    const [aliceUser, bobUser] = [await newUser(), await newUser()];
    const [alice, bob] = [aliceUser.userId, bobUser.userId];
    await groups.addMember(group.groupId, bob);
    await groups.addMember(group.groupId, alice);

    // Act
    const removed = await groups.removeMember(group.groupId, bob);
    const removedAgain = await groups.removeMember(group.groupId, bob);
    const toMissing = await groups.addMember('999998', alice);
    const nobody = await groups.addMember(group.groupId, 999_997);

    // Assess
    expect(removed).toBe(true);
    expect(removedAgain).toBe(false);
    expect(toMissing).toBe(false);
    expect(nobody).toBe(false);
    expect(await groups.members(group.groupId)).toEqual([alice]);
    expect(await membershipsInUserPartition(db, bob)).toEqual([]);
    expect(await membershipsInUserPartition(db, alice)).toEqual([group.groupId]);
    expect(await getItem(db, membershipKey(alice, '999998'))).toBeUndefined();
    expect(await groupIdsInUserItem(bobUser)).toEqual([]);
    expect(await groupIdsInUserItem(aliceUser)).toEqual([group.groupId]);
  });

  it("deletes a group with its name and every membership, in the users' partitions too", async () => {
    // Prepare
    const group = await newGroup(`doomed-${randomUUID()}`);
    const kept = await newGroup(`kept-${randomUUID()}`);
    const members = await Promise.all(Array.from({ length: 60 }, () => newUser()));
    const userIds = members.map((member) => member.userId);
    await Promise.all(userIds.map((userId) => groups.addMember(group.groupId, userId)));
    await groups.addMember(kept.groupId, userIds[0]!);

    // Act
    const deleted = await groups.delete(group.groupId);
    const deletedAgain = await groups.delete(group.groupId);
    const afterwards = await groups.addMember(group.groupId, userIds[1]!);

    // Assess
    expect(deleted).toBe(true);
    expect(deletedAgain).toBe(false);
    expect(afterwards).toBe(false);
    expect(await groups.get(group.groupId)).toBeUndefined();
    expect(await groups.getByName(group.name)).toBeUndefined();
    expect(await groups.members(group.groupId)).toEqual([]);
    expect(await membershipsInUserPartition(db, userIds[0]!)).toEqual([kept.groupId]);
    for (const userId of userIds.slice(1)) expect(await membershipsInUserPartition(db, userId)).toEqual([]);
    expect(await groupIdsInUserItem(members[0]!)).toEqual([kept.groupId]);
    for (const member of members.slice(1)) expect(await groupIdsInUserItem(member)).toEqual([]);
    // The name is free for a new group, which starts with no members.
    const again = await newGroup(group.name);
    expect(again.groupId).not.toBe(group.groupId);
    expect(await groups.members(again.groupId)).toEqual([]);
  });
});
