/**
 * Grants are kept by ids (a user's number, a model's id, a principal's unique id), never by name: a model or
 * user made again under an old name, a model renamed onto a freed name, and a role made again under the same
 * ARN inherit nothing (issue 13's escalation list). And a run records who created it, whatever the client says.
 * Against the app with authorization on, real table, real Basic credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccess } from '../../../shared/domain/auth/access.js';
import { resolvePrincipal } from '../../../shared/domain/auth/principals.js';
import { ENGINES } from '../../support/test-api.js';
import { decisionOf, PASSWORD, startMatrixServer, type MatrixServer } from './matrix-server.js';

const M = '/api/2.0/mlflow';
const C = '/api/2.0/cairn';

describe.each(ENGINES)('nothing is inherited by name (%s)', (engine) => {
  let server: MatrixServer;
  beforeAll(async () => {
    server = await startMatrixServer(engine);
    for (const name of ['eve', 'mallory', 'alice', 'bob']) await server.makeUser(name);
  });
  afterAll(() => server?.stop());

  const grantOnModel = async (name: string, username: string, permission: string) =>
    expect((await server.call('admin', 'POST', `${M}/registered-models/permissions/create`, { name, username, permission })).status).toBe(200);

  it('a registered model deleted and made again under its name keeps none of the old grants', async () => {
    // Prepare: eve managed the first model of the name
    await server.must('POST', `${M}/registered-models/create`, { name: 'prod-model' });
    await grantOnModel('prod-model', 'eve', 'MANAGE');
    await server.must('DELETE', `${M}/registered-models/delete`, { name: 'prod-model' });
    await server.must('POST', `${M}/registered-models/create`, { name: 'prod-model' });

    // Act
    const get = await server.call('eve', 'GET', `${M}/registered-models/get`, { name: 'prod-model' });
    const remove = await server.call('eve', 'DELETE', `${M}/registered-models/delete`, { name: 'prod-model' });
    const permission = await server.call('admin', 'GET', `${M}/registered-models/permissions/get`, { name: 'prod-model', username: 'eve' });

    // Assess
    expect([get, remove].map(decisionOf)).toEqual(['denied', 'denied']);
    expect(permission.status).toBe(404);
    expect(permission.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it("a model renamed onto a deleted model's name gets none of its grants, and keeps its own", async () => {
    // Prepare: eve could read the deleted 'staging-model'; mallory makes his own and takes the name
    await server.must('POST', `${M}/registered-models/create`, { name: 'staging-model' });
    await grantOnModel('staging-model', 'eve', 'READ');
    await server.must('DELETE', `${M}/registered-models/delete`, { name: 'staging-model' });
    expect((await server.call('mallory', 'POST', `${M}/registered-models/create`, { name: 'mallory-model' })).status).toBe(200);

    // Act
    const rename = await server.call('mallory', 'POST', `${M}/registered-models/rename`, { name: 'mallory-model', new_name: 'staging-model' });
    const eve = await server.call('eve', 'GET', `${M}/registered-models/get`, { name: 'staging-model' });
    const mallory = await server.call('mallory', 'DELETE', `${M}/registered-models/delete`, { name: 'staging-model' });

    // Assess
    expect(rename.status).toBe(200);
    expect(decisionOf(eve)).toBe('denied');
    expect(mallory.status).toBe(200);
  });

  it("renaming a model one edits cannot take another's name or its grants; grants follow each model's id", async () => {
    // Prepare: alice edits a model of the admin's, bob manages his own
    await server.must('POST', `${M}/registered-models/create`, { name: 'a-model' });
    await grantOnModel('a-model', 'alice', 'EDIT');
    expect((await server.call('bob', 'POST', `${M}/registered-models/create`, { name: 'b-model' })).status).toBe(200);

    // Act: onto bob's name while it is taken, then once bob has moved his model away
    const taken = await server.call('alice', 'POST', `${M}/registered-models/rename`, { name: 'a-model', new_name: 'b-model' });
    const bobMoves = await server.call('bob', 'POST', `${M}/registered-models/rename`, { name: 'b-model', new_name: 'b-model-2' });
    const takesFreed = await server.call('alice', 'POST', `${M}/registered-models/rename`, { name: 'a-model', new_name: 'b-model' });
    const aliceOnBobs = await server.call('alice', 'GET', `${M}/registered-models/get`, { name: 'b-model-2' });
    const bobOnFreed = await server.call('bob', 'DELETE', `${M}/registered-models/delete`, { name: 'b-model' });
    const bobOnHis = await server.call('bob', 'PATCH', `${M}/registered-models/update`, { name: 'b-model-2', description: 'still mine' });

    // Assess
    expect([taken.status, taken.json.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    expect([bobMoves.status, takesFreed.status]).toEqual([200, 200]);
    expect([aliceOnBobs, bobOnFreed].map(decisionOf)).toEqual(['denied', 'denied']);
    expect(bobOnHis.status).toBe(200);
  });

  it('a user deleted and made again under the same name has none of the old grants', async () => {
    // Prepare
    const experimentId: string = (await server.must('POST', `${M}/experiments/create`, { name: 'carols-old-experiment' })).experiment_id;
    await server.must('POST', `${M}/users/create`, { username: 'carol', password: PASSWORD });
    await server.must('POST', `${M}/experiments/permissions/create`, { experiment_id: experimentId, username: 'carol', permission: 'MANAGE' });
    const before = await server.call('carol', 'GET', `${M}/experiments/get`, { experiment_id: experimentId });
    await server.must('DELETE', `${M}/users/delete`, { username: 'carol' });
    await server.must('POST', `${M}/users/create`, { username: 'carol', password: PASSWORD });

    // Act
    const get = await server.call('carol', 'GET', `${M}/experiments/get`, { experiment_id: experimentId });
    const user = await server.call('admin', 'GET', `${M}/users/get`, { username: 'carol' });

    // Assess
    expect(before.status).toBe(200);
    expect(decisionOf(get)).toBe('denied');
    expect(user.json.user.experiment_permissions).toEqual([]);
  });

  it('a role made again under the same ARN (a new unique id) is not the mapped principal, nor is a user made again', async () => {
    // Prepare: the trainer role is mapped to the user `trainer`, who edits one experiment
    const arn = 'arn:aws:iam::123456789012:role/trainer';
    const first = { principalId: 'AROAFIRSTFIRSTFIRST1', arn };
    const remade = { principalId: 'AROASECONDSECONDSEC2', arn };
    const experimentId: string = (await server.must('POST', `${M}/experiments/create`, { name: 'training' })).experiment_id;
    const trainer = await server.makeUser('trainer');
    await server.grant(trainer, { kind: 'experiment', id: experimentId }, 'EDIT');
    await server.must('POST', `${C}/principals/create`, { principal_id: first.principalId, arn, username: 'trainer' });
    const experiment = { kind: 'experiment', id: experimentId } as const;

    // Act
    const mapped = await loadAccess(server.ports, await resolvePrincipal(server.ports, first));
    const remadeRole = await resolvePrincipal(server.ports, remade);
    await server.must('DELETE', `${M}/users/delete`, { username: 'trainer' });
    await server.makeUser('trainer');
    const remadeUser = await resolvePrincipal(server.ports, first);

    // Assess
    expect(mapped.can(experiment, 'EDIT')).toBe(true);
    expect(remadeRole.kind).toBe('unmapped-principal');
    expect((await loadAccess(server.ports, remadeRole)).can(experiment, 'READ')).toBe(false);
    expect(remadeUser.kind).toBe('unmapped-principal');
    expect((await loadAccess(server.ports, remadeUser)).can(experiment, 'READ')).toBe(false);
  });
});

describe('a run records who created it (dynoxide)', () => {
  let server: MatrixServer;
  beforeAll(async () => {
    server = await startMatrixServer('dynoxide');
    await server.makeUser('bob');
  });
  afterAll(() => server?.stop());

  it("bob's run claiming user_id and mlflow.user 'alice' is bob's, and so is a later mlflow.user tag", async () => {
    // Prepare
    const experimentId: string = (await server.call('bob', 'POST', `${M}/experiments/create`, { name: 'bobs-runs' })).json.experiment_id;

    // Act
    const created = await server.call('bob', 'POST', `${M}/runs/create`, {
      experiment_id: experimentId,
      user_id: 'alice',
      tags: [{ key: 'mlflow.user', value: 'alice' }],
    });
    const runId: string = created.json.run.info.run_id;
    const tagged = await server.call('bob', 'POST', `${M}/runs/set-tag`, { run_id: runId, key: 'mlflow.user', value: 'alice' });
    const batch = await server.call('bob', 'POST', `${M}/runs/log-batch`, { run_id: runId, tags: [{ key: 'mlflow.user', value: 'alice' }] });
    const run = (await server.call('bob', 'GET', `${M}/runs/get`, { run_id: runId })).json.run;

    // Assess
    expect(created.json.run.info.user_id).toBe('bob');
    expect([tagged.status, batch.status]).toEqual([200, 200]);
    expect(run.info.user_id).toBe('bob');
    expect(run.data.tags.filter((tag: { key: string }) => tag.key === 'mlflow.user')).toEqual([{ key: 'mlflow.user', value: 'bob' }]);
  });
});
