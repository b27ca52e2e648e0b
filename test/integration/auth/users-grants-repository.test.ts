import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { toAttributes } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { toMembershipItem } from '../../../shared/data/grants/codec.js';
import { createGrantRepository } from '../../../shared/data/grants/repository.js';
import { createGroupRepository } from '../../../shared/data/groups/repository.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import type { Grant, ResourceRef, Subject, User } from '../../../shared/domain/auth/entities.js';
import { GrantExists, GrantMissing, UserNameTaken, type GrantStore, type GroupStore, type UserStore } from '../../../shared/domain/auth/ports.js';
import { hashSecret, verifySecret } from '../../../shared/domain/auth/token-secrets.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { createRegisteredModel } from '../../../shared/domain/registry/registered-models.js';
import { createExperiment } from '../../../shared/domain/tracking/experiments.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const user = (userId: number): Subject => ({ kind: 'user', id: userId });
const group = (groupId: string): Subject => ({ kind: 'group', id: groupId });
const experiment = (id: string): ResourceRef => ({ kind: 'experiment', id });
const model = (id: string): ResourceRef => ({ kind: 'registered_model', id });
/** What a promise rejected with; undefined when it resolved. */
const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
const byResource = (a: Grant, b: Grant) => (`${a.resource.kind}#${a.resource.id}` < `${b.resource.kind}#${b.resource.id}` ? -1 : 1);

describe.each(ENGINES)('users and grants on %s', (engine) => {
  let db: DbContext;
  let users: UserStore;
  let grants: GrantStore;
  let groups: GroupStore;
  let tracking: TrackingDeps;

  beforeAll(async () => {
    db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-users-${randomUUID()}` };
    await ensureTable(db);
    users = createUserRepository(db);
    grants = createGrantRepository(db);
    groups = createGroupRepository(db);
    tracking = createTrackingDeps({ client: db.client, tableName: db.tableName });
  });

  const newUser = async (username: string): Promise<User> => {
    const created: User = {
      userId: await users.allocateId(),
      username,
      isAdmin: false,
      passwordHash: await hashSecret(`${username}-password`),
      credentialVersion: 1,
      createdAt: 1_700_000_000_000,
      grants: new Map(),
      groupIds: [],
    };
    await users.create(created);
    return created;
  };
  /** A user's number (grants are written with the user's item, so the user must exist). */
  const newUserId = async (prefix: string) => (await newUser(`${prefix}-${randomUUID()}`)).userId;
  /** A group's id (its grants are written with its item). */
  const newGroupId = async () => {
    const groupId = await groups.allocateId();
    await groups.create({ groupId, name: `group-${randomUUID()}`, description: '', createdAt: 1 });
    return groupId;
  };

  it('numbers users 1, 2, 3…, reads them back whole, and lists them by name', async () => {
    // Prepare
    const first = await newUser('zoe');
    const second = await newUser('adam');

    // Act
    const read = await users.get('zoe');
    const listed = await users.list();

    // Assess
    expect([first.userId, second.userId]).toEqual([1, 2]);
    expect(read).toEqual(first);
    expect(listed.map((u) => u.username)).toEqual(['adam', 'zoe']);
    expect(await users.get('nobody')).toBeUndefined();
  });

  it('changes a password by raising the credential version, and the admin flag; both report a missing user', async () => {
    // Prepare
    const created = await newUser(`pat-${randomUUID()}`);

    // Act
    const changed = await users.setPassword(created.username, await hashSecret('a-new-password'));
    const promoted = await users.setAdmin(created.username, true);
    const after = await users.get(created.username);

    // Assess
    expect([changed, promoted]).toEqual([true, true]);
    expect(after).toMatchObject({ userId: created.userId, isAdmin: true, credentialVersion: 2 });
    expect(await verifySecret('a-new-password', after!.passwordHash)).toBe(true);
    expect(await verifySecret(`${created.username}-password`, after!.passwordHash)).toBe(false);
    expect(await users.setPassword('nobody', await hashSecret('whatever-password'))).toBe(false);
    expect(await users.setAdmin('nobody', true)).toBe(false);
    expect(await users.get('nobody')).toBeUndefined();
  });

  it('lets exactly one of many concurrent creates of one name win', async () => {
    // Prepare
    const username = `race-${randomUUID()}`;
    const ids = await Promise.all(Array.from({ length: 8 }, () => users.allocateId()));

    // Act
    const outcomes = await Promise.allSettled(
      ids.map(async (userId) =>
        users.create({ userId, username, isAdmin: false, passwordHash: await hashSecret('p'), credentialVersion: 1, createdAt: 1 }),
      ),
    );

    // Assess
    const won = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [ids[index]] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const reason of lost) expect(reason).toBeInstanceOf(UserNameTaken);
    expect((await users.get(username))?.userId).toBe(won[0]);
  });

  it('frees a deleted name but never its number: the user made again is a new number', async () => {
    // Prepare
    const username = `again-${randomUUID()}`;
    const before = await newUser(username);

    // Act
    const deleted = await users.delete(username);
    const deletedAgain = await users.delete(username);
    const gone = await users.get(username);
    const after = await newUser(username);

    // Assess
    expect([deleted, deletedAgain, gone]).toEqual([true, false, undefined]);
    expect(after.userId).toBeGreaterThan(before.userId);
    expect((await users.get(username))?.userId).toBe(after.userId);
  });

  it('creates, updates and upserts a grant by its rules, and deletes it once', async () => {
    // Prepare
    const subject = user(await newUserId('granted'));
    const resource = experiment('17');

    // Act
    const missingUpdate = await errorOf(grants.put({ subject, resource, permission: 'EDIT' }, 'update'));
    await grants.put({ subject, resource, permission: 'READ' }, 'create');
    const duplicate = await errorOf(grants.put({ subject, resource, permission: 'MANAGE' }, 'create'));
    const afterCreate = await grants.get(subject, resource);
    await grants.put({ subject, resource, permission: 'EDIT' }, 'update');
    const afterUpdate = await grants.get(subject, resource);
    await grants.put({ subject, resource, permission: 'NO_PERMISSIONS' }, 'upsert');
    const afterUpsert = await grants.get(subject, resource);
    const deleted = await grants.delete(subject, resource);
    const deletedAgain = await grants.delete(subject, resource);

    // Assess
    expect(missingUpdate).toBeInstanceOf(GrantMissing);
    expect(duplicate).toBeInstanceOf(GrantExists);
    expect(afterCreate).toEqual({ subject, resource, permission: 'READ' });
    expect(afterUpdate?.permission).toBe('EDIT');
    expect(afterUpsert?.permission).toBe('NO_PERMISSIONS');
    expect([deleted, deletedAgain]).toEqual([true, false]);
    expect(await grants.get(subject, resource)).toBeUndefined();
  });

  it("reads a user's grants and groups in one query, and a group's grants", async () => {
    // Prepare
    const [userId, otherId] = [await newUserId('own'), await newUserId('other')];
    const [seven, nine] = [await newGroupId(), await newGroupId()];
    await grants.put({ subject: user(userId), resource: experiment('1'), permission: 'EDIT' }, 'create');
    await grants.put({ subject: user(userId), resource: model('m-abc'), permission: 'MANAGE' }, 'create');
    await grants.put({ subject: user(otherId), resource: experiment('1'), permission: 'READ' }, 'create');
    await grants.put({ subject: group(seven), resource: experiment('2'), permission: 'READ' }, 'create');
    for (const groupId of [seven, nine]) {
      await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(toMembershipItem(userId, groupId)) }));
    }

    // Act
    const own = await grants.ofUser(userId);
    const ofGroup = await grants.ofGroup(seven);
    const nobody = await grants.ofUser(999_999);

    // Assess
    expect([...own.grants].sort(byResource)).toEqual([
      { subject: user(userId), resource: experiment('1'), permission: 'EDIT' },
      { subject: user(userId), resource: model('m-abc'), permission: 'MANAGE' },
    ]);
    expect([...own.groupIds].sort()).toEqual([seven, nine].sort());
    expect(ofGroup).toEqual([{ subject: group(seven), resource: experiment('2'), permission: 'READ' }]);
    expect(nobody).toEqual({ grants: [], groupIds: [] });
  });

  it('finds every grant on a resource, and removes all grants on a resource or of a subject', async () => {
    // Prepare
    const on = model(`m-${randomUUID()}`);
    const other = experiment(`e-${randomUUID()}`);
    const [first, second, thirty] = [await newUserId('first'), await newUserId('second'), await newGroupId()];
    await grants.put({ subject: user(first), resource: on, permission: 'READ' }, 'create');
    await grants.put({ subject: user(second), resource: on, permission: 'EDIT' }, 'create');
    await grants.put({ subject: group(thirty), resource: on, permission: 'MANAGE' }, 'create');
    await grants.put({ subject: user(first), resource: other, permission: 'EDIT' }, 'create');
    await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(toMembershipItem(first, thirty)) }));

    // Act
    const holders = await grants.on(on);
    await grants.deleteAllOn(on);
    const afterResource = await Promise.all([grants.ofUser(first), grants.ofUser(second), grants.ofGroup(thirty)]);
    await grants.deleteAllOf(user(first));
    const afterSubject = await grants.ofUser(first);

    // Assess
    expect(holders.map((g) => `${g.subject.kind}#${g.subject.id}:${g.permission}`).sort()).toEqual(
      [`group#${thirty}:MANAGE`, `user#${first}:READ`, `user#${second}:EDIT`].sort(),
    );
    expect(afterResource.map((r) => ('grants' in r ? r.grants : r))).toEqual([
      [{ subject: user(first), resource: other, permission: 'EDIT' }],
      [],
      [],
    ]);
    // Only grants go: the membership stays in the partition (the group's side is shared/data/groups').
    expect(afterSubject).toEqual({ grants: [], groupIds: [thirty] });
  });

  it("writes the creator's MANAGE with a new experiment, and nothing when the creation fails", async () => {
    // Prepare
    const name = `exp-${randomUUID()}`;
    const [creator, late] = [await newUserId('creator'), await newUserId('late')];

    // Act
    const experimentId = await createExperiment(tracking, { name, tags: [], creatorUserId: creator });
    const taken = await errorOf(createExperiment(tracking, { name, tags: [], creatorUserId: late }));
    const anonymous = await createExperiment(tracking, { name: `${name}-anonymous`, tags: [] });

    // Assess
    expect(await grants.get(user(creator), experiment(experimentId))).toEqual({
      subject: user(creator),
      resource: experiment(experimentId),
      permission: 'MANAGE',
    });
    expect(taken).toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' });
    expect(await grants.ofUser(late)).toEqual({ grants: [], groupIds: [] });
    expect(await grants.on(experiment(anonymous))).toEqual([]);
  });

  it("writes the creator's MANAGE with a new registered model, by the model's id, and nothing when the name is taken", async () => {
    // Prepare
    const name = `model-${randomUUID()}`;
    const [creator, late] = [await newUserId('creator'), await newUserId('late')];

    // Act
    const created = await createRegisteredModel(tracking, { name, tags: [], creatorUserId: creator });
    const taken = await errorOf(createRegisteredModel(tracking, { name, tags: [], creatorUserId: late }));

    // Assess
    expect((await grants.ofUser(creator)).grants).toEqual([
      { subject: user(creator), resource: model(created.modelId), permission: 'MANAGE' },
    ]);
    expect(taken).toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' });
    expect(await grants.ofUser(late)).toEqual({ grants: [], groupIds: [] });
  });
});
