import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRolesTestApi, type RolesTestApi } from '../../support/roles-api.js';
import { ENGINES } from '../../support/test-api.js';

describe.each(ENGINES)("MLflow's roles API on groups (%s)", (engine) => {
  let api: RolesTestApi;

  beforeAll(async () => {
    api = await createRolesTestApi(engine);
  });

  const createRole = async (name = `role-${randomUUID()}`, extra: Record<string, unknown> = {}) => {
    const created = await api.call('POST', '/roles/create', { name, ...extra });
    expect(created.status).toBe(200);
    return created.body.role as { id: number; name: string };
  };
  const createExperiment = async () =>
    (await api.tracking.call('POST', '/api/2.0/mlflow/experiments/create', { name: `exp-${randomUUID()}` })).body.experiment_id as string;
  const createModel = async (name = `model-${randomUUID()}`) => {
    expect((await api.tracking.call('POST', '/api/2.0/mlflow/registered-models/create', { name })).status).toBe(200);
    return name;
  };

  it('creates, reads, lists, updates and deletes a role, with MLflow shapes and errors', async () => {
    // Prepare
    const name = `viewers-${randomUUID()}`;

    // Act
    const created = await api.call('POST', '/roles/create', { name, workspace: 'default', description: 'read-only' });
    const id = created.body.role.id as number;
    const fetched = await api.call('GET', '/roles/get', { role_id: String(id) });
    const listed = await api.call('GET', '/roles/list');
    const listedElsewhere = await api.call('GET', '/roles/list', { workspace: 'team-a' });
    const duplicate = await api.call('POST', '/roles/create', { name });
    const otherWorkspace = await api.call('POST', '/roles/create', { name: `x-${randomUUID()}`, workspace: 'team-a' });
    const blank = await api.call('POST', '/roles/create', { name: '   ' });
    const emptyUpdate = await api.call('PATCH', '/roles/update', { role_id: id });
    const updated = await api.call('PATCH', '/roles/update', { role_id: id, name: `${name}-2`, description: 'still read-only' });
    const deleted = await api.call('DELETE', '/roles/delete', { role_id: id });
    const afterDelete = await api.call('GET', '/roles/get', { role_id: id });
    const deletedAgain = await api.call('DELETE', '/roles/delete', { role_id: id });

    // Assess
    expect(created).toEqual({
      status: 200,
      body: { role: { id: expect.any(Number), name, workspace: 'default', description: 'read-only', permissions: [] } },
    });
    expect(fetched.body).toEqual(created.body);
    expect(listed.body.roles).toContainEqual(created.body.role);
    expect(listedElsewhere.body).toEqual({ roles: [] });
    expect(duplicate).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: `Role (name=${name}, workspace=default) already exists.` },
    });
    expect(otherWorkspace.status).toBe(400);
    expect(otherWorkspace.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(blank.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Role name cannot be empty.' });
    expect(emptyUpdate.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "At least one of 'name' or 'description' must be provided to update a role.",
    });
    expect(updated.body.role).toMatchObject({ id, name: `${name}-2`, description: 'still read-only' });
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(afterDelete).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Role with id=${id} not found` } });
    expect(deletedAgain.status).toBe(404);
  });

  it('refuses to rename a role to a taken name, and shows a role without a description as null', async () => {
    // Prepare
    const first = await createRole();
    const second = await createRole();

    // Act
    const clash = await api.call('PATCH', '/roles/update', { role_id: second.id, name: first.name });
    const fetched = await api.call('GET', '/roles/get', { role_id: second.id });

    // Assess
    expect(clash).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: `Role with name=${first.name} already exists in workspace=default` },
    });
    expect(fetched.body.role).toMatchObject({ name: second.name, description: null });
  });

  it("grants a role permissions on an experiment by id and a model by name, which follow the model's renames", async () => {
    // Prepare
    const role = await createRole();
    const experimentId = await createExperiment();
    const modelName = await createModel();

    // Act
    const onExperiment = await api.call('POST', '/roles/permissions/add', {
      role_id: role.id,
      resource_type: 'experiment',
      resource_pattern: experimentId,
      permission: 'READ',
    });
    const onModel = await api.call('POST', '/roles/permissions/add', {
      role_id: role.id,
      resource_type: 'registered_model',
      resource_pattern: modelName,
      permission: 'EDIT',
    });
    const renamed = `${modelName}-renamed`;
    await api.tracking.call('POST', '/api/2.0/mlflow/registered-models/rename', { name: modelName, new_name: renamed });
    const listed = await api.call('GET', '/roles/permissions/list', { role_id: role.id });
    const updated = await api.call('PATCH', '/roles/permissions/update', {
      role_permission_id: onExperiment.body.role_permission.id,
      permission: 'MANAGE',
    });
    const removed = await api.call('DELETE', '/roles/permissions/remove', { role_permission_id: onModel.body.role_permission.id });
    const afterwards = await api.call('GET', '/roles/get', { role_id: role.id });
    const removedAgain = await api.call('DELETE', '/roles/permissions/remove', { role_permission_id: onModel.body.role_permission.id });

    // Assess
    expect(onExperiment.body).toEqual({
      role_permission: {
        id: expect.any(String),
        role_id: role.id,
        resource_type: 'experiment',
        resource_pattern: experimentId,
        permission: 'READ',
      },
    });
    expect(onModel.body.role_permission).toMatchObject({ resource_type: 'registered_model', resource_pattern: modelName, permission: 'EDIT' });
    expect(listed.body.role_permissions).toHaveLength(2);
    expect(listed.body.role_permissions).toContainEqual({ ...onModel.body.role_permission, resource_pattern: renamed });
    expect(updated.body.role_permission).toEqual({ ...onExperiment.body.role_permission, permission: 'MANAGE' });
    expect(removed).toEqual({ status: 200, body: {} });
    expect(afterwards.body.role.permissions).toEqual([updated.body.role_permission]);
    expect(removedAgain).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Role permission with id=${onModel.body.role_permission.id} not found` },
    });
  });

  it('refuses permissions on what does not exist, of unknown types and levels, twice, or on every resource at once', async () => {
    // Prepare
    const role = await createRole();
    const experimentId = await createExperiment();
    const add = (fields: Record<string, unknown>) =>
      api.call('POST', '/roles/permissions/add', { role_id: role.id, resource_type: 'experiment', resource_pattern: experimentId, permission: 'READ', ...fields });
    await add({});

    // Act
    const twice = await add({ permission: 'EDIT' });
    const unknownType = await add({ resource_type: 'prompt' });
    const wildcard = await add({ resource_pattern: '*' });
    const badLevel = await add({ permission: 'OWNER' });
    const futureExperiment = await add({ resource_pattern: '987654321' });
    const unknownModel = await add({ resource_type: 'registered_model', resource_pattern: `nope-${randomUUID()}` });
    const unknownRole = await add({ role_id: 987654 });
    const unknownId = await api.call('PATCH', '/roles/permissions/update', { role_permission_id: 'not-an-id', permission: 'READ' });

    // Assess
    expect(twice).toEqual({
      status: 400,
      body: {
        error_code: 'RESOURCE_ALREADY_EXISTS',
        message: `Role permission (role_id=${role.id}, resource_type=experiment, resource_pattern=${experimentId}) already exists.`,
      },
    });
    expect(unknownType.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid resource type 'prompt'. Valid resource types are: ('experiment', 'registered_model')",
    });
    expect(wildcard.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(badLevel.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid permission 'OWNER'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')",
    });
    expect(futureExperiment).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=987654321 exists' } });
    expect(unknownModel.status).toBe(404);
    expect(unknownRole.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Role with id=987654 not found' });
    expect(unknownId).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Role permission with id=not-an-id not found' } });
  });

  it('assigns and unassigns users by name, and lists a role\'s users and a user\'s roles', async () => {
    // Prepare
    const role = await createRole();
    const alice = await api.createUser(`alice-${randomUUID()}`);

    // Act
    const assigned = await api.call('POST', '/roles/assign', { username: alice.username, role_id: role.id });
    const again = await api.call('POST', '/roles/assign', { username: alice.username, role_id: role.id });
    const ghost = await api.call('POST', '/roles/assign', { username: 'ghost', role_id: role.id });
    const noRole = await api.call('POST', '/roles/assign', { username: alice.username, role_id: 987655 });
    const roleUsers = await api.call('GET', '/roles/users/list', { role_id: role.id });
    const userRoles = await api.call('GET', '/users/roles/list', { username: alice.username });
    const unassigned = await api.call('DELETE', '/roles/unassign', { username: alice.username, role_id: role.id });
    const unassignedAgain = await api.call('DELETE', '/roles/unassign', { username: alice.username, role_id: role.id });
    const userRolesAfter = await api.call('GET', '/users/roles/list', { username: alice.username });

    // Assess
    const assignment = { id: expect.any(String), user_id: alice.userId, role_id: role.id };
    expect(assigned).toEqual({ status: 200, body: { assignment } });
    expect(again).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: `User role assignment (user_id=${alice.userId}, role_id=${role.id}) already exists` },
    });
    expect(ghost).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'User with username=ghost not found' } });
    expect(noRole).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Role with id=987655 not found' } });
    expect(roleUsers.body).toEqual({ assignments: [assignment] });
    expect(userRoles.body.roles.map((r: { id: number }) => r.id)).toEqual([role.id]);
    expect(unassigned).toEqual({ status: 200, body: {} });
    expect(unassignedAgain).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `User role assignment (user_id=${alice.userId}, role_id=${role.id}) not found` },
    });
    expect(userRolesAfter.body).toEqual({ roles: [] });
  });

  it("deletes a role with its memberships (in the user's partition too) and its grants; a new role of the same name inherits nothing", async () => {
    // Prepare
    const role = await createRole();
    const bob = await api.createUser(`bob-${randomUUID()}`);
    const experimentId = await createExperiment();
    await api.call('POST', '/roles/assign', { username: bob.username, role_id: role.id });
    await api.call('POST', '/roles/permissions/add', { role_id: role.id, resource_type: 'experiment', resource_pattern: experimentId, permission: 'EDIT' });

    // Act
    const deleted = await api.call('DELETE', '/roles/delete', { role_id: role.id });
    const remade = await createRole(role.name);
    const bobsRoles = await api.call('GET', '/users/roles/list', { username: bob.username });

    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect((await api.grants.ofUser(bob.userId)).groupIds).toEqual([]);
    expect(await api.grants.ofGroup(String(role.id))).toEqual([]);
    expect(remade.id).not.toBe(role.id);
    expect(remade).toMatchObject({ permissions: [] });
    expect(bobsRoles.body).toEqual({ roles: [] });
  });

  it('answers under /ajax-api/3.0/mlflow as under /api/3.0/mlflow', async () => {
    // Prepare
    const role = await createRole();

    // Act
    const viaAjax = await api.call('GET', '/roles/get', { role_id: role.id }, '/ajax-api/3.0/mlflow');
    const viaApi = await api.call('GET', '/roles/get', { role_id: role.id });

    // Assess
    expect(viaAjax).toEqual(viaApi);
    expect(viaAjax.status).toBe(200);
  });
});
