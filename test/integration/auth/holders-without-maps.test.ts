import { randomUUID } from 'node:crypto';
import { PutItemCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { cancellationCodes, isTransactionCanceled } from '../../../shared/data/dynamo-errors.js';
import { expression, getItem, toAttributes, type Item } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { toGrantItem, toMembershipItem } from '../../../shared/data/grants/codec.js';
import { afterHolderError } from '../../../shared/data/grants/holders.js';
import { createGrantRepository } from '../../../shared/data/grants/repository.js';
import { toGroupItem } from '../../../shared/data/groups/codec.js';
import { groupKey } from '../../../shared/data/groups/keys.js';
import { createGroupRepository } from '../../../shared/data/groups/repository.js';
import { toNewUserItem } from '../../../shared/data/users/codec.js';
import { userKey, userNumberKey } from '../../../shared/data/users/keys.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import { loadAccess } from '../../../shared/domain/auth/access.js';
import { resourceKey, type Grant, type ResourceRef } from '../../../shared/domain/auth/entities.js';
import type { GrantStore, GroupStore, UserStore } from '../../../shared/domain/auth/ports.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const experiment = (id: string): ResourceRef => ({ kind: 'experiment', id });

/**
 * Items written before grants travelled with their holders: a user's item without `grants` (nor `groups`, nor a
 * USERID item for its number), a group's without `grants`, their grants and memberships only in their
 * partitions. The first read or write of such a holder fills its map from the partition, so nothing it held is
 * lost and nothing revoked comes back.
 */
describe.each(ENGINES)('holders written before their maps on %s', (engine) => {
  let db: DbContext;
  let users: UserStore;
  let grants: GrantStore;
  let groups: GroupStore;

  beforeAll(async () => {
    db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-old-holders-${randomUUID()}` };
    await ensureTable(db);
    users = createUserRepository(db);
    grants = createGrantRepository(db);
    groups = createGroupRepository(db);
  });

  const put = (item: Item) => db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(item) }));
  const withoutMap = ({ grants: _, ...item }: Item) => item;

  /** A user as the code before this change stored it, holding these grants and groups in its partition only. */
  const oldUser = async (held: ResourceRef[], groupIds: string[] = []) => {
    const user = { userId: await users.allocateId(), username: `old-${randomUUID()}`, isAdmin: false, passwordHash: { kdf: 'scrypt' as const, N: 16384, r: 8, p: 1, salt: 's', hash: 'h' }, credentialVersion: 1, createdAt: 1 };
    await put(withoutMap(toNewUserItem(user)));
    for (const resource of held) await put(toGrantItem({ subject: { kind: 'user', id: user.userId }, resource, permission: 'EDIT' }));
    for (const groupId of groupIds) await put(toMembershipItem(user.userId, groupId));
    return user;
  };
  const storedGrants = async (username: string) => [...((await users.get(username))?.grants.keys() ?? [])].sort();

  it("gives an old user's item its grants and groups at the first read", async () => {
    // Prepare
    const groupId = await groups.allocateId();
    await groups.create({ groupId, name: `g-${randomUUID()}`, description: '', createdAt: 1 });
    const user = await oldUser([experiment('1'), experiment('2')], [groupId]);

    // Act
    const read = await users.get(user.username);

    // Assess
    expect([...(read?.grants ?? [])].sort()).toEqual([
      [resourceKey(experiment('1')), 'EDIT'],
      [resourceKey(experiment('2')), 'EDIT'],
    ]);
    expect(read?.groupIds).toEqual([groupId]);
    expect(await getItem(db, userKey(user.username))).toMatchObject({ grants: { 'EXP#1': 'EDIT', 'EXP#2': 'EDIT' }, groups: new Set([groupId]) });
  });

  it("fills an old user's item before a grant, a revocation or a membership is written to it (never read before)", async () => {
    // Prepare
    const [granted, revoked, joined] = [await oldUser([experiment('old')]), await oldUser([experiment('old')]), await oldUser([experiment('old')])];
    const groupId = await groups.allocateId();
    await groups.create({ groupId, name: `g-${randomUUID()}`, description: '', createdAt: 1 });

    // Act
    await grants.put({ subject: { kind: 'user', id: granted.userId }, resource: experiment('new'), permission: 'READ' }, 'create');
    const revocation = await grants.delete({ kind: 'user', id: revoked.userId }, experiment('old'));
    const membership = await groups.addMember(groupId, joined.userId);

    // Assess
    expect(await storedGrants(granted.username)).toEqual([resourceKey(experiment('new')), resourceKey(experiment('old'))]);
    expect(revocation).toBe(true);
    expect(await storedGrants(revoked.username)).toEqual([]);
    expect(membership).toBe(true);
    expect(await storedGrants(joined.username)).toEqual([resourceKey(experiment('old'))]);
    expect((await users.get(joined.username))?.groupIds).toEqual([groupId]);
    // The number's USERID item is written once found through the listing.
    expect(await getItem(db, userNumberKey(granted.userId))).toMatchObject({ username: granted.username });
  });

  it('recovers from the ValidationError of a path set in a missing map: the map is filled, the write sent again lands', async () => {
    // Prepare: a transaction without the "keeps its map" condition, as a writer relying on the error would send
    const user = await oldUser([experiment('kept')]);
    const holder = { kind: 'user', userId: user.userId, username: user.username } as const;
    const grant: Grant = { subject: { kind: 'user', id: user.userId }, resource: experiment('added'), permission: 'MANAGE' };
    const items: TransactWriteItem[] = [
      { Put: { TableName: db.tableName, Item: toAttributes(toGrantItem(grant)) } },
      {
        Update: {
          TableName: db.tableName,
          Key: toAttributes(userKey(user.username)),
          UpdateExpression: 'SET #grants.#entry = :permission',
          ConditionExpression: '#userId = :userId',
          ...expression({ '#grants': 'grants', '#entry': 'EXP#added', '#userId': 'userId' }, { ':permission': 'MANAGE', ':userId': user.userId }),
        },
      },
    ];
    const send = () => db.client.send(new TransactWriteItemsCommand({ TransactItems: items }));

    // Act
    const refusal = await send().then(() => undefined, (error: unknown) => error);
    const next = await afterHolderError(db, [{ holder, index: 1 }], refusal);
    await send();

    // Assess: a cancelled transaction (code ValidationError) or the whole request refused, as engines differ
    const refused = isTransactionCanceled(refusal) ? cancellationCodes(refusal)[1] : (refusal as Error).name;
    expect(['ValidationError', 'ValidationException']).toContain(refused);
    expect(next).toBe('retry');
    expect(await storedGrants(user.username)).toEqual([resourceKey(experiment('added')), resourceKey(experiment('kept'))]);
  });

  it("fills an old group's item when a member's access reads it", async () => {
    // Prepare
    const groupId = await groups.allocateId();
    const group = { groupId, name: `old-group-${randomUUID()}`, description: '', createdAt: 1 };
    await put(toGroupItem(group));
    await put(toGrantItem({ subject: { kind: 'group', id: groupId }, resource: experiment('shared'), permission: 'EDIT' }));
    const member = await oldUser([], [groupId]);
    const user = await users.get(member.username);

    // Act
    const access = await loadAccess(
      { grants, settings: { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 } },
      { kind: 'user', user: user!, principal: 'basic:member' },
    );

    // Assess
    expect(access.permissionOn(experiment('shared'))).toBe('EDIT');
    expect(await getItem(db, groupKey(groupId))).toMatchObject({ grants: { 'EXP#shared': 'EDIT' } });
    expect(await groups.get(groupId)).toEqual(group);
  });
});
