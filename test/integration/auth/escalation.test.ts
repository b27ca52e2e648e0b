/**
 * Issue 13's escalation attempts, each made by a signed-in user against the app with authorization on (real
 * table, real Basic credentials), each refused: raising one's own rights, reaching another experiment's
 * artifacts by a path, a run id, a presigned URL, a logged model or a model version's source, and inheriting
 * grants by name (a model renamed or recreated, a user recreated). Bob's artifact holds SECRET, which no answer
 * to alice may contain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_ADMIN } from '../../fuzz/app.js';
import { ENGINES } from '../../support/test-api.js';
import { decisionOf, startMatrixServer, type MatrixServer } from './matrix-server.js';

const M = '/api/2.0/mlflow';
const P = '/api/2.0/mlflow-artifacts';
const SECRET = 'bob-secret-weights';

/** Alice's experiment and run; bob's, with an artifact and a logged model; a model alice may edit. */
const seed = async (server: MatrixServer) => {
  const alice = await server.makeUser('alice');
  await server.makeUser('bob');
  const create = async (as: string, method: string, path: string, fields: Record<string, unknown>) => {
    const answer = await server.call(as, method, path, fields);
    expect(answer.status, `${as} ${path}: ${answer.text}`).toBe(200);
    return answer.json;
  };
  const aliceExperiment: string = (await create('alice', 'POST', `${M}/experiments/create`, { name: 'alice-exp' })).experiment_id;
  const aliceRun: string = (await create('alice', 'POST', `${M}/runs/create`, { experiment_id: aliceExperiment })).run.info.run_id;
  const bobExperiment: string = (await create('bob', 'POST', `${M}/experiments/create`, { name: 'bob-exp' })).experiment_id;
  const bobRun: string = (await create('bob', 'POST', `${M}/runs/create`, { experiment_id: bobExperiment })).run.info.run_id;
  const bobKey = `${bobExperiment}/${bobRun}/artifacts/secret.txt`;
  const put = await server.send('bob', { method: 'PUT', path: `${P}/artifacts/${bobKey}`, body: SECRET, contentType: 'application/octet-stream' });
  expect(put.status).toBe(200);
  const bobModel: string = (await create('bob', 'POST', `${M}/logged-models`, { experiment_id: bobExperiment, name: 'bob-lm', source_run_id: bobRun })).model.info.model_id;
  await create('admin', 'POST', `${M}/registered-models/create`, { name: 'shared-model' });
  const shared = (await server.deps.registry.getModelByName('shared-model'))!;
  await server.grant(alice, { kind: 'registered_model', id: shared.modelId }, 'EDIT');
  return { alice, aliceExperiment, aliceRun, bobExperiment, bobRun, bobKey, bobModel, sharedModelId: shared.modelId };
};

describe.each(ENGINES)('escalation attempts are refused (%s)', (engine) => {
  let server: MatrixServer;
  let world: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    server = await startMatrixServer(engine);
    world = await seed(server);
  });
  afterAll(() => server?.stop());

  it('a user cannot make herself an admin', async () => {
    // Act
    const answer = await server.call('alice', 'PATCH', `${M}/users/update-admin`, { username: 'alice', is_admin: true });
    const after = await server.call('admin', 'GET', `${M}/users/get`, { username: 'alice' });

    // Assess
    expect(decisionOf(answer)).toBe('denied');
    expect(after.json.user.is_admin).toBe(false);
  });

  it('a user who may edit cannot grant herself MANAGE, by creating or updating a permission', async () => {
    // Prepare: alice edits an experiment of the admin's
    const experimentId: string = (await server.must('POST', `${M}/experiments/create`, { name: 'edited-by-alice' })).experiment_id;
    await server.grant(world.alice, { kind: 'experiment', id: experimentId }, 'EDIT');
    const mine = { username: 'alice', permission: 'MANAGE' };

    // Act
    const answers = [
      await server.call('alice', 'POST', `${M}/experiments/permissions/create`, { experiment_id: experimentId, ...mine }),
      await server.call('alice', 'PATCH', `${M}/experiments/permissions/update`, { experiment_id: experimentId, ...mine }),
      await server.call('alice', 'POST', `${M}/registered-models/permissions/create`, { name: 'shared-model', ...mine }),
      await server.call('alice', 'PATCH', `${M}/registered-models/permissions/update`, { name: 'shared-model', ...mine }),
    ];
    const { grants } = await server.ports.grants.ofUser(world.alice.userId);

    // Assess
    expect(answers.map(decisionOf)).toEqual(['denied', 'denied', 'denied', 'denied']);
    expect(grants.find((g) => g.resource.id === experimentId)?.permission).toBe('EDIT');
    expect(grants.find((g) => g.resource.id === world.sharedModelId)?.permission).toBe('EDIT');
  });

  it('the check reads the fields the handler reads: her names in the query, or a body sent as text/plain, reach nothing of his', async () => {
    // Prepare: alice manages a model of her own; bob has one, and a password
    expect((await server.call('alice', 'POST', `${M}/registered-models/create`, { name: 'alice-model' })).status).toBe(200);
    expect((await server.call('bob', 'POST', `${M}/registered-models/create`, { name: 'bob-model' })).status).toBe(200);
    const text = (body: object) => ({ body: JSON.stringify(body), contentType: 'text/plain' });

    // Act
    const answers = [
      await server.send('alice', { method: 'DELETE', path: `${M}/registered-models/delete`, ...text({ name: 'bob-model' }) }),
      await server.send('alice', { method: 'DELETE', path: `${M}/registered-models/delete?name=alice-model`, ...text({ name: 'bob-model' }) }),
      await server.send('alice', { method: 'PATCH', path: `${M}/registered-models/update?name=alice-model`, body: { name: 'bob-model', description: 'mine now' } }),
      await server.send('alice', { method: 'PATCH', path: `${M}/users/update-password?username=alice`, ...text({ username: 'bob', password: 'taken-over' }) }),
      await server.send('alice', { method: 'PATCH', path: `${M}/users/update-password?username=alice`, body: { username: 'bob', password: 'taken-over' } }),
      // No experiment_id in the body: the run would land in the Default experiment, which she may not edit.
      await server.send('alice', { method: 'POST', path: `${M}/runs/create?experiment_id=${world.aliceExperiment}`, body: {} }),
    ];
    const bobsModel = await server.call('bob', 'GET', `${M}/registered-models/get`, { name: 'bob-model' });
    const bobSignsIn = await server.call('bob', 'GET', `${M}/users/current`);

    // Assess
    expect(answers.map(decisionOf)).toEqual(['denied', 'denied', 'denied', 'denied', 'denied', 'denied']);
    expect(bobsModel.json.registered_model.description ?? '').toBe('');
    expect(bobSignsIn.status).toBe(200);
  });

  it("scoring another's model is refused, its name read as scoring reads it ('/' in it too)", async () => {
    // Prepare: bob's model, with a '/' in its name, a version and the alias champion
    expect((await server.call('bob', 'POST', `${M}/registered-models/create`, { name: 'team/model' })).status).toBe(200);
    expect((await server.call('bob', 'POST', `${M}/model-versions/create`, { name: 'team/model', source: `runs:/${world.bobRun}/model` })).status).toBe(200);
    expect((await server.call('bob', 'POST', `${M}/registered-models/alias`, { name: 'team/model', alias: 'champion', version: '1' })).status).toBe(200);
    const score = (as: string, uri: string) =>
      server.send(as, { method: 'POST', path: `/api/2.0/cairn/serving/invocations?model=${encodeURIComponent(uri)}`, body: { inputs: [[1]] } });

    // Act
    const alice = await score('alice', 'models:/team/model@champion');
    const bob = await score('bob', 'models:/team/model@champion');

    // Assess: bob reaches scoring (nothing is deployed here, so it answers why), alice does not
    expect(decisionOf(alice)).toBe('denied');
    expect(decisionOf(bob)).toBe('allowed');
  });

  it("an experiment cannot be put inside another experiment's folder, where its runs would write into his files", async () => {
    // Prepare: locations inside bob's experiment, in each form; one in a folder of nobody's
    const { bobExperiment: b, bobRun } = world;
    const inside = [`mlflow-artifacts:/${b}`, `mlflow-artifacts:/${b}/${bobRun}/artifacts/planted`, `mlflow-artifacts://host/${b}/sub`, `mlflow-artifacts:/${b}/../${b}/x`];

    // Act
    const refused = [];
    for (const [index, artifact_location] of inside.entries()) {
      refused.push(await server.call('alice', 'POST', `${M}/experiments/create`, { name: `squatter-${index}`, artifact_location }));
    }
    const ownFolder = await server.call('alice', 'POST', `${M}/experiments/create`, { name: 'team-folder', artifact_location: 'mlflow-artifacts:/team-alice' });
    const listing = await server.call('bob', 'GET', `${M}/artifacts/list`, { run_id: bobRun });

    // Assess
    expect(refused.map(decisionOf)).toEqual(inside.map(() => 'denied'));
    expect(ownFolder.status).toBe(200);
    expect(listing.json.files.map((file: { path: string }) => file.path)).toEqual(['secret.txt']);
  });

  it("another experiment's artifacts stay out of reach through '..', encoded or not, in the URL and in fields", async () => {
    // Prepare: from alice's own run folder up to bob's file
    const { aliceExperiment: a, aliceRun: ar, bobKey } = world;
    const up = `${a}/${ar}/artifacts/../../../${bobKey}`;
    const encodedSlashes = `${a}/${ar}/artifacts/${encodeURIComponent(`../../../${bobKey}`)}`;
    const doubly = `${a}/${ar}/artifacts/${encodeURIComponent(encodeURIComponent(`../../../${bobKey}`))}`;
    const requests = [
      `${P}/artifacts/${up}`,
      `${P}/artifacts/${a}/${ar}/artifacts/%2e%2e/%2E%2E/%2e%2e/${bobKey}`,
      `${P}/artifacts/${encodedSlashes}`,
      `${P}/artifacts/${doubly}`,
      `/ajax-api/2.0/mlflow-artifacts/artifacts/${encodedSlashes}`,
      `${P}/artifacts?path=${encodeURIComponent(`${a}/${ar}/artifacts/../../../${world.bobExperiment}/${world.bobRun}/artifacts`)}`,
      `/get-artifact?run_uuid=${ar}&path=${encodeURIComponent(`../../../${bobKey}`)}`,
      `${M}/artifacts/list?run_id=${ar}&path=${encodeURIComponent(`../../../${world.bobExperiment}/${world.bobRun}/artifacts`)}`,
    ];

    // Act
    const answers = await Promise.all(requests.map((path) => server.send('alice', { method: 'GET', path })));

    // Assess: refused, or an invalid path; never bob's bytes nor his listing
    for (const [index, answer] of answers.entries()) {
      expect(answer.status, requests[index]).toBeGreaterThanOrEqual(400);
      expect(answer.text, requests[index]).not.toContain(SECRET);
      expect(answer.text, requests[index]).not.toContain('secret.txt');
    }
  });

  it('the /ajax-api twins of the proxied routes serve her own files and refuse his', async () => {
    // Prepare
    const ajax = '/ajax-api/2.0/mlflow-artifacts/artifacts';
    const mine = `${world.aliceExperiment}/${world.aliceRun}/artifacts/mine.txt`;

    // Act
    const write = await server.send('alice', { method: 'PUT', path: `${ajax}/${mine}`, body: 'hers', contentType: 'application/octet-stream' });
    const readMine = await server.send('alice', { method: 'GET', path: `${ajax}/${mine}` });
    const readHis = await server.send('alice', { method: 'GET', path: `${ajax}/${world.bobKey}` });
    const deleteHis = await server.send('alice', { method: 'DELETE', path: `${ajax}/${world.bobKey}` });

    // Assess
    expect([write.status, readMine.status, readMine.text]).toEqual([200, 200, 'hers']);
    expect([readHis, deleteHis].map(decisionOf)).toEqual(['denied', 'denied']);
  });

  it("another experiment's run id under one's own experiment folder reaches nothing, to read or to write", async () => {
    // Prepare
    const underMine = `${world.aliceExperiment}/${world.bobRun}/artifacts/secret.txt`;

    // Act
    const read = await server.send('alice', { method: 'GET', path: `${P}/artifacts/${underMine}` });
    const write = await server.send('alice', { method: 'PUT', path: `${P}/artifacts/${underMine}`, body: 'planted', contentType: 'application/octet-stream' });
    const list = await server.call('alice', 'GET', `${P}/artifacts`, { path: `${world.aliceExperiment}/${world.bobRun}/artifacts` });
    const multipart = await server.call('alice', 'POST', `${P}/mpu/create/${underMine}`, { path: 'secret.txt', num_parts: 1 });

    // Assess
    expect([read, write, list, multipart].map(decisionOf)).toEqual(['denied', 'denied', 'denied', 'denied']);
  });

  it("presigned URLs are not signed for another experiment's run or logged model", async () => {
    // Act
    const answers = [
      await server.call('alice', 'POST', `${M}/artifacts/presigned-download-url`, { run_id: world.bobRun, path: 'secret.txt' }),
      await server.call('alice', 'POST', `${M}/artifacts/presigned-download-url`, { model_id: world.bobModel, path: 'model.pkl' }),
      await server.call('alice', 'POST', `${M}/artifacts/presigned-upload-url`, { run_id: world.bobRun, path: 'planted.txt' }),
      await server.call('alice', 'POST', `${M}/artifacts/presigned-upload-url`, { model_id: world.bobModel, path: 'planted.txt' }),
    ];

    // Assess
    expect(answers.map(decisionOf)).toEqual(['denied', 'denied', 'denied', 'denied']);
    for (const answer of answers) expect(answer.text).not.toContain('presigned_url');
  });

  it("a logged model of another experiment cannot be read, listed, changed or used as a source", async () => {
    // Act
    const answers = [
      await server.call('alice', 'GET', `${M}/logged-models/${world.bobModel}`),
      await server.call('alice', 'GET', `${M}/logged-models/${world.bobModel}/artifacts/directories`),
      await server.call('alice', 'GET', `${M}/logged-models/${world.bobModel}/artifacts/files`, { artifact_file_path: 'model.pkl' }),
      await server.call('alice', 'PATCH', `${M}/logged-models/${world.bobModel}/tags`, { tags: [{ key: 'k', value: 'v' }] }),
      // Her own experiment, his run as the source
      await server.call('alice', 'POST', `${M}/logged-models`, { experiment_id: world.aliceExperiment, name: 'stolen', source_run_id: world.bobRun }),
    ];

    // Assess
    expect(answers.map(decisionOf)).toEqual(['denied', 'denied', 'denied', 'denied', 'denied']);
  });

  it("a model version on a model she may edit cannot point at another experiment's files, so get-artifact serves none", async () => {
    // Prepare: every way of naming bob's files as a version's source
    const sources = [
      { source: `runs:/${world.bobRun}/artifacts` },
      { source: `runs:/${world.bobRun}` },
      { source: `mlflow-artifacts:/${world.bobExperiment}/${world.bobRun}/artifacts` },
      { source: `mlflow-artifacts:/${world.aliceExperiment}/${world.aliceRun}/artifacts/../../../${world.bobExperiment}/${world.bobRun}/artifacts` },
      { source: `models:/${world.bobModel}` },
      { source: `mlflow-artifacts:/${world.aliceExperiment}/${world.aliceRun}/artifacts`, run_id: world.bobRun },
      { source: `mlflow-artifacts:/${world.aliceExperiment}/${world.aliceRun}/artifacts`, model_id: world.bobModel },
    ];

    // Act
    const created = [];
    for (const fields of sources) created.push(await server.call('alice', 'POST', `${M}/model-versions/create`, { name: 'shared-model', ...fields }));
    const versions = await server.call('admin', 'GET', `${M}/model-versions/search`, { filter: "name='shared-model'" });
    const fetched = await server.call('alice', 'GET', '/model-versions/get-artifact', { name: 'shared-model', version: '1', path: 'secret.txt' });

    // Assess
    expect(created.map(decisionOf)).toEqual(sources.map(() => 'denied'));
    expect(versions.json.model_versions ?? []).toEqual([]);
    expect(fetched.status).toBeGreaterThanOrEqual(400);
    expect(fetched.text).not.toContain(SECRET);
  });
});
