import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResourceRef, User } from '../../../shared/domain/auth/entities.js';
import { loadAccess } from '../../../shared/domain/auth/access.js';
import type { AuthSettings } from '../../../shared/domain/auth/ports.js';
import { createRolesTestApi, type RolesTestApi } from '../../support/roles-api.js';
import { ENGINES } from '../../support/test-api.js';

const SETTINGS: AuthSettings = { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 30 };

describe.each(ENGINES)('what groups give their members (%s)', (engine) => {
  let api: RolesTestApi;

  beforeAll(async () => {
    api = await createRolesTestApi(engine);
  });

  /** As the authorization middleware does: the user read for this request (its grants and groups with it), then loadAccess. */
  const accessOf = async (user: User) => {
    const current = await api.users.get(user.username);
    if (!current) throw new Error(`${user.username} is missing`);
    return loadAccess({ grants: api.grants, settings: SETTINGS }, { kind: 'user', user: current, principal: `basic:${user.username}` });
  };
  const experiment = async (): Promise<ResourceRef> => ({
    kind: 'experiment',
    id: (await api.tracking.call('POST', '/api/2.0/mlflow/experiments/create', { name: `exp-${randomUUID()}` })).body.experiment_id,
  });
  const roleWith = async (grants: { type: string; pattern: string; permission: string }[], members: User[]) => {
    const role = (await api.call('POST', '/roles/create', { name: `role-${randomUUID()}` })).body.role as { id: number };
    for (const grant of grants) {
      const added = await api.call('POST', '/roles/permissions/add', {
        role_id: role.id,
        resource_type: grant.type,
        resource_pattern: grant.pattern,
        permission: grant.permission,
      });
      expect(added.status).toBe(200);
    }
    for (const member of members) expect((await api.call('POST', '/roles/assign', { username: member.username, role_id: role.id })).status).toBe(200);
    return role.id;
  };

  it("lets a user's own grant win over a group's, even a lower one", async () => {
    // Prepare
    const alice = await api.createUser(`alice-${randomUUID()}`);
    const exp = await experiment();
    await roleWith([{ type: 'experiment', pattern: exp.id, permission: 'MANAGE' }], [alice]);
    await api.grants.put({ subject: { kind: 'user', id: alice.userId }, resource: exp, permission: 'READ' }, 'create');

    // Act
    const access = await accessOf(alice);

    // Assess
    expect(access.permissionOn(exp)).toBe('READ');
    expect(access.canRead(exp)).toBe(true);
    expect(access.can(exp, 'EDIT')).toBe(false);
  });

  it("gives the highest of the user's groups' grants, the default where none has one, and stops at once on unassign", async () => {
    // Prepare
    const bob = await api.createUser(`bob-${randomUUID()}`);
    const [shared, elsewhere] = [await experiment(), await experiment()];
    await roleWith([{ type: 'experiment', pattern: shared.id, permission: 'READ' }], [bob]);
    const editors = await roleWith([{ type: 'experiment', pattern: shared.id, permission: 'EDIT' }], [bob]);

    // Act
    const before = await accessOf(bob);
    await api.call('DELETE', '/roles/unassign', { username: bob.username, role_id: editors });
    const after = await accessOf(bob);

    // Assess
    expect(before.permissionOn(shared)).toBe('EDIT');
    expect(before.can(shared, 'MANAGE')).toBe(false);
    expect(before.canRead(elsewhere)).toBe(false);
    expect(after.permissionOn(shared)).toBe('READ');
  });

  it("follows a registered model granted by name through its rename, and ends with the role's deletion", async () => {
    // Prepare
    const carol = await api.createUser(`carol-${randomUUID()}`);
    const name = `model-${randomUUID()}`;
    await api.tracking.call('POST', '/api/2.0/mlflow/registered-models/create', { name });
    const model = await api.tracking.deps.registry.getModelByName(name);
    const resource: ResourceRef = { kind: 'registered_model', id: model!.modelId };
    const role = await roleWith([{ type: 'registered_model', pattern: name, permission: 'EDIT' }], [carol]);
    await api.tracking.call('POST', '/api/2.0/mlflow/registered-models/rename', { name, new_name: `${name}-v2` });

    // Act
    const afterRename = await accessOf(carol);
    await api.call('DELETE', '/roles/delete', { role_id: role });
    const afterDelete = await accessOf(carol);

    // Assess
    expect(afterRename.permissionOn(resource)).toBe('EDIT');
    expect(afterDelete.permissionOn(resource)).toBe('NO_PERMISSIONS');
  });

  it('gives a group grant to no one outside the group', async () => {
    // Prepare
    const [member, outsider] = [await api.createUser(`in-${randomUUID()}`), await api.createUser(`out-${randomUUID()}`)];
    const exp = await experiment();
    await roleWith([{ type: 'experiment', pattern: exp.id, permission: 'MANAGE' }], [member]);

    // Act
    const [memberAccess, outsiderAccess] = [await accessOf(member), await accessOf(outsider)];

    // Assess
    expect(memberAccess.permissionOn(exp)).toBe('MANAGE');
    expect(outsiderAccess.permissionOn(exp)).toBe('NO_PERMISSIONS');
  });
});
