import { describe, expect, it } from 'vitest';
import type { User } from '../../../shared/domain/auth/entities.js';
import * as roles from '../../../shared/domain/auth/groups.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { memoryGrantStore, memoryGroupStore, memoryUserStore } from '../../support/fakes/auth.js';

/** The use cases on the in-memory stores, linked as the repositories are: a membership on both sides. */
const setUp = async () => {
  const users = memoryUserStore();
  const grants = memoryGrantStore(users);
  const groups = memoryGroupStore(grants);
  const user: User = {
    userId: await users.allocateId(),
    username: 'alice',
    isAdmin: false,
    passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: '', hash: '' },
    credentialVersion: 1,
    createdAt: 0,
    grants: new Map(),
    groupIds: [],
  };
  await users.create(user);
  const deps: roles.GroupDeps = {
    auth: { users, grants, groups, now: () => 1_700_000_000_000 },
    experiments: { get: async (id) => (id === '7' ? ({ experimentId: '7' } as never) : undefined) },
    registry: {
      getModelByName: async (name) => (name === 'churn' ? ({ modelId: 'm1', name: 'churn' } as never) : undefined),
      getModel: async (id) => (id === 'm1' ? ({ modelId: 'm1', name: 'churn' } as never) : undefined),
    },
  };
  return { deps, grants, groups, user };
};

const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as MlflowError);

describe('groups (roles) use cases', () => {
  it("puts an assignment in the user's view of their groups, and a deletion takes the group's memberships and grants", async () => {
    // Prepare
    const { deps, grants, user } = await setUp();
    const { group } = await roles.createGroup(deps, { name: 'readers' });
    await roles.addGroupGrant(deps, group.groupId, { resourceType: 'experiment', pattern: '7', permission: 'READ' });
    await roles.addGroupGrant(deps, group.groupId, { resourceType: 'registered_model', pattern: 'churn', permission: 'EDIT' });

    // Act
    await roles.assignUser(deps, group.groupId, 'alice');
    const mine = await roles.groupsOfUser(deps, 'alice');
    await roles.deleteGroup(deps, group.groupId);

    // Assess
    expect(mine.map((view) => view.group.name)).toEqual(['readers']);
    expect(mine[0]?.grants.map((grant) => [grant.resource, grant.pattern, grant.permission])).toEqual(
      expect.arrayContaining([
        [{ kind: 'experiment', id: '7' }, '7', 'READ'],
        [{ kind: 'registered_model', id: 'm1' }, 'churn', 'EDIT'],
      ]),
    );
    expect((await grants.ofUser(user.userId)).groupIds).toEqual([]);
    expect(await grants.ofGroup(group.groupId)).toEqual([]);
    expect(await roles.groupsOfUser(deps, 'alice')).toEqual([]);
  });

  it('tells a repeated assignment from a missing group, and refuses unknown users', async () => {
    // Prepare
    const { deps, user } = await setUp();
    const { group } = await roles.createGroup(deps, { name: 'editors', description: 'edit' });
    await roles.assignUser(deps, group.groupId, 'alice');

    // Act
    const repeated = await errorOf(roles.assignUser(deps, group.groupId, 'alice'));
    const missingGroup = await errorOf(roles.assignUser(deps, '99', 'alice'));
    const missingUser = await errorOf(roles.assignUser(deps, group.groupId, 'bob'));

    // Assess
    expect(repeated).toMatchObject({
      errorCode: 'RESOURCE_ALREADY_EXISTS',
      message: `User role assignment (user_id=${user.userId}, role_id=${group.groupId}) already exists`,
    });
    expect(missingGroup).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Role with id=99 not found' });
    expect(missingUser).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'User with username=bob not found' });
  });

  it('grants only on resources that exist, one at a time', async () => {
    // Prepare
    const { deps } = await setUp();
    const { group } = await roles.createGroup(deps, { name: 'ops' });
    const add = (resourceType: string, pattern: string) =>
      errorOf(roles.addGroupGrant(deps, group.groupId, { resourceType, pattern, permission: 'READ' }));

    // Act
    const [futureExperiment, unknownModel, wildcard] = [await add('experiment', '8'), await add('registered_model', 'nope'), await add('experiment', '*')];

    // Assess
    expect(futureExperiment).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=8 exists' });
    expect(unknownModel).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nope not found' });
    expect(wildcard).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect(await roles.listGroupGrants(deps, group.groupId)).toEqual([]);
  });
});
