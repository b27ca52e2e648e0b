import { randomUUID } from 'node:crypto';
import { TransactionCanceledException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { expression, getItem, toAttributes } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createGrantRepository } from '../../../shared/data/grants/repository.js';
import { createGroupRepository } from '../../../shared/data/groups/repository.js';
import { userKey } from '../../../shared/data/users/keys.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { loadAccess } from '../../../shared/domain/auth/access.js';
import { resourceKey, type NewUser, type ResourceRef, type User } from '../../../shared/domain/auth/entities.js';
import { GrantHolderMissing, type AuthSettings, type GrantStore, type GroupStore, type UserStore } from '../../../shared/domain/auth/ports.js';
import { createExperiment } from '../../../shared/domain/tracking/experiments.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const SETTINGS: AuthSettings = { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 30 };
const experiment = (id: string): ResourceRef => ({ kind: 'experiment', id });
const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

/**
 * A user's grants and groups kept in the user's item, a group's grants in the group's item (shared/data/grants/
 * holders.ts), written with each grant and membership: what a decision reads without a query.
 */
describe.each(ENGINES)('grants in their holders’ items on %s', (engine) => {
  let db: DbContext;
  let users: UserStore;
  let grants: GrantStore;
  let groups: GroupStore;
  /** The DynamoDB commands sent through `db`, by name, since the last reset. */
  let sent: string[];
  /**
   * Transactions to cancel as DynamoDB does when another transaction holds one of their items: the local
   * engines run transactions one at a time, so they never answer TransactionConflict themselves.
   */
  let conflictsToFake = 0;

  beforeAll(async () => {
    // Without the wire (dynamo-wire.ts), every call goes through the `send` replaced below.
    const client = createDynamoClient({ endpoint: endpointOf(engine), wire: false });
    const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
    sent = [];
    (client as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = async (...args) => {
      const name = (args[0] as object).constructor.name;
      sent.push(name);
      if (name === 'TransactWriteItemsCommand' && conflictsToFake > 0) {
        conflictsToFake -= 1;
        throw new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
        });
      }
      return send(...args);
    };
    db = { client, tableName: `cairn-holders-${randomUUID()}` };
    await ensureTable(db);
    users = createUserRepository(db);
    grants = createGrantRepository(db);
    groups = createGroupRepository(db);
  });

  const newUser = async (username = `user-${randomUUID()}`): Promise<NewUser> => {
    const user: NewUser = {
      userId: await users.allocateId(),
      username,
      isAdmin: false,
      passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: 's', hash: 'h' },
      credentialVersion: 1,
      createdAt: 1,
    };
    await users.create(user);
    return user;
  };
  const newGroup = async () => {
    const group = { groupId: await groups.allocateId(), name: `group-${randomUUID()}`, description: '', createdAt: 1 };
    await groups.create(group);
    return group.groupId;
  };
  /** The user as a request reads it: one strongly consistent GetItem, the user's grants and groups in it. */
  const current = async (username: string): Promise<User> => {
    const user = await users.get(username);
    if (!user) throw new Error(`${username} is missing`);
    return user;
  };
  const accessOf = async (username: string) =>
    loadAccess({ grants, settings: SETTINGS }, { kind: 'user', user: await current(username), principal: `basic:${username}` });

  it('keeps every one of 8 grants written to one user at once, and 8 changes and revocations at once after them', async () => {
    // Prepare
    const user = await newUser();
    const subject = { kind: 'user', id: user.userId } as const;
    const resources = Array.from({ length: 8 }, (_, index) => experiment(`burst-${index}`));

    // Act: each write is its own transaction setting its own path of the one map, all in flight together
    await Promise.all(resources.map((resource, index) => grants.put({ subject, resource, permission: index % 2 ? 'EDIT' : 'READ' }, 'create')));
    const afterCreates = await current(user.username);
    await Promise.all(
      resources.map((resource, index) => (index < 4 ? grants.delete(subject, resource) : grants.put({ subject, resource, permission: 'MANAGE' }, 'update'))),
    );
    const afterChanges = await current(user.username);

    // Assess: no write overwrote another's entry
    expect(new Map(afterCreates.grants)).toEqual(new Map(resources.map((resource, index) => [resourceKey(resource), index % 2 ? 'EDIT' : 'READ'])));
    expect(new Map(afterChanges.grants)).toEqual(new Map(resources.slice(4).map((resource) => [resourceKey(resource), 'MANAGE'])));
    expect((await grants.ofUser(user.userId)).grants.map((grant) => grant.resource.id).sort()).toEqual(resources.slice(4).map((r) => r.id));
  });

  it('sends a write again when another transaction held the user item, and lands each entry by its own path', async () => {
    // Prepare
    const user = await newUser();
    const subject = { kind: 'user', id: user.userId } as const;
    const entries = Array.from({ length: 16 }, (_, index) => `EXP#raw-${index}`);

    // Act: 5 cancellations spread over 4 writes in flight; then 16 plain path updates of the map at once
    conflictsToFake = 5;
    await Promise.all(['c0', 'c1', 'c2', 'c3'].map((id) => grants.put({ subject, resource: experiment(id), permission: 'READ' }, 'create')));
    const retried = conflictsToFake;
    await Promise.all(
      entries.map((entry) =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(userKey(user.username)),
            UpdateExpression: 'SET #grants.#entry = :permission',
            ...expression({ '#grants': 'grants', '#entry': entry }, { ':permission': 'EDIT' }),
          }),
        ),
      ),
    );

    // Assess: the server sets a path in the stored map, so no writer's entry replaces another's
    expect(retried).toBe(0);
    const stored = await current(user.username);
    expect([...stored.grants.keys()].sort()).toEqual(
      [...['c0', 'c1', 'c2', 'c3'].map((id) => resourceKey(experiment(id))), ...entries.map((entry) => `experiment#${entry.slice(4)}`)].sort(),
    );
  });

  it('decides from the user item as read at each request: a grant counts, and a revoked one no longer, at the next read', async () => {
    // Prepare
    const user = await newUser();
    const resource = experiment(`revoked-${randomUUID()}`);
    const subject = { kind: 'user', id: user.userId } as const;

    // Act
    const before = await accessOf(user.username);
    await grants.put({ subject, resource, permission: 'EDIT' }, 'create');
    const granted = await accessOf(user.username);
    await grants.put({ subject, resource, permission: 'READ' }, 'update');
    const lowered = await accessOf(user.username);
    await grants.delete(subject, resource);
    const revoked = await accessOf(user.username);

    // Assess
    expect([before, granted, lowered, revoked].map((access) => access.permissionOn(resource))).toEqual(['NO_PERMISSIONS', 'EDIT', 'READ', 'NO_PERMISSIONS']);
  });

  it('gives nothing to a user deleted and made again under the name: grants, memberships and creations by the old number are refused', async () => {
    // Prepare
    const username = `again-${randomUUID()}`;
    const old = await newUser(username);
    const groupId = await newGroup();
    await users.delete(username);
    const remade = await newUser(username);
    const tracking = createTrackingDeps({ client: db.client, tableName: db.tableName });
    const name = `created-by-${old.userId}`;

    // Act: the old number still names the user's item (USERID#<n>), whose number no longer matches
    const grant = await errorOf(grants.put({ subject: { kind: 'user', id: old.userId }, resource: experiment('1'), permission: 'MANAGE' }, 'create'));
    const membership = await groups.addMember(groupId, old.userId);
    const creation = await errorOf(createExperiment(tracking, { name, tags: [], creatorUserId: old.userId }));

    // Assess
    expect(remade.userId).not.toBe(old.userId);
    expect(grant).toBeInstanceOf(GrantHolderMissing);
    expect(membership).toBe(false);
    expect(creation).toMatchObject({ errorCode: 'PERMISSION_DENIED' });
    expect(await tracking.experiments.getByName(name)).toBeUndefined();
    const user = await current(username);
    expect([user.userId, user.grants.size, user.groupIds]).toEqual([remade.userId, 0, []]);
    expect(await grants.ofUser(old.userId)).toEqual({ grants: [], groupIds: [] });
    expect(await groups.members(groupId)).toEqual([]);
  });

  it("reads a member's groups' grants in one BatchGetItem, and a user in no group costs no read at all", async () => {
    // Prepare
    const [member, loner] = [await newUser(), await newUser()];
    const [readers, managers, deleted] = [await newGroup(), await newGroup(), await newGroup()];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => experiment(`${id}-${randomUUID()}`)) as [ResourceRef, ResourceRef, ResourceRef, ResourceRef];
    await grants.put({ subject: { kind: 'group', id: readers }, resource: a, permission: 'READ' }, 'create');
    await grants.put({ subject: { kind: 'group', id: readers }, resource: b, permission: 'EDIT' }, 'create');
    await grants.put({ subject: { kind: 'group', id: managers }, resource: b, permission: 'MANAGE' }, 'create');
    await grants.put({ subject: { kind: 'group', id: managers }, resource: c, permission: 'MANAGE' }, 'create');
    await grants.put({ subject: { kind: 'group', id: deleted }, resource: d, permission: 'MANAGE' }, 'create');
    await grants.put({ subject: { kind: 'user', id: member.userId }, resource: c, permission: 'READ' }, 'create');
    for (const groupId of [readers, managers, deleted]) await groups.addMember(groupId, member.userId);
    // The deleted group's id stays in no user item (its members are removed), but a batch of a missing item gives nothing either.
    await groups.delete(deleted);
    const [memberNow, lonerNow] = [await current(member.username), await current(loner.username)];

    // Act
    sent.length = 0;
    const memberAccess = await loadAccess({ grants, settings: SETTINGS }, { kind: 'user', user: memberNow, principal: 'basic:m' });
    const memberReads = [...sent];
    sent.length = 0;
    const lonerAccess = await loadAccess({ grants, settings: SETTINGS }, { kind: 'user', user: lonerNow, principal: 'basic:l' });
    const lonerReads = [...sent];

    // Assess
    expect(memberNow.groupIds).toEqual([readers, managers].sort());
    expect(memberReads).toEqual(['BatchGetItemCommand']);
    expect(lonerReads).toEqual([]);
    // The highest group grant, the user's own over any group's, nothing from a deleted group.
    expect([a, b, c, d].map((resource) => memberAccess.permissionOn(resource))).toEqual(['READ', 'MANAGE', 'READ', 'NO_PERMISSIONS']);
    expect(lonerAccess.permissionOn(a)).toBe('NO_PERMISSIONS');
  });

  it("removes a deleted subject's or resource's entries from the holders' items", async () => {
    // Prepare
    const [ann, ben] = [await newUser(), await newUser()];
    const groupId = await newGroup();
    const model: ResourceRef = { kind: 'registered_model', id: `m-${randomUUID()}` };
    const kept = experiment(`kept-${randomUUID()}`);
    await grants.put({ subject: { kind: 'user', id: ann.userId }, resource: model, permission: 'MANAGE' }, 'create');
    await grants.put({ subject: { kind: 'user', id: ann.userId }, resource: kept, permission: 'READ' }, 'create');
    await grants.put({ subject: { kind: 'user', id: ben.userId }, resource: model, permission: 'READ' }, 'create');
    await grants.put({ subject: { kind: 'group', id: groupId }, resource: model, permission: 'EDIT' }, 'create');
    await groups.addMember(groupId, ben.userId);

    // Act
    await grants.deleteAllOn(model);
    const [annAfter, benAfter, groupGrants] = [await current(ann.username), await current(ben.username), await grants.ofGroups([groupId])];
    await grants.deleteAllOf({ kind: 'user', id: ann.userId });
    const annCleared = await current(ann.username);

    // Assess
    expect([...annAfter.grants.keys()]).toEqual([resourceKey(kept)]);
    expect(benAfter.grants.size).toBe(0);
    expect(benAfter.groupIds).toEqual([groupId]);
    expect(groupGrants).toEqual([]);
    expect(await grants.on(model)).toEqual([]);
    expect(annCleared.grants.size).toBe(0);
    // Entries are paths of the one map: nothing else of the item moved.
    expect(await getItem(db, userKey(ann.username))).toMatchObject({ userId: ann.userId, username: ann.username, grants: {} });
  });
});
