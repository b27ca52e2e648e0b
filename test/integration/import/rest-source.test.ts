import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestSource, RestSourceError, type RestSourceOptions } from '../../../functions/import/rest-source.js';
import type { ImportSource, SourceMetricPoint, SourceRegisteredModel, SourceTag } from '../../../functions/import/source.js';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { endpointOf } from '../../support/test-api.js';

/**
 * Issue 15: the MLflow server source reads a whole server over MLflow's REST API. A second Cairn plays the
 * server: seeded through its own REST API (what MLflow's client would send), then read back through the source
 * and compared with what was seeded.
 */

type User = { username: string; password: string };
const ADMIN: User = { username: 'admin', password: `admin-${randomUUID()}` };
const BOB: User = { username: 'bob', password: 'bob-pass-27182818' };
const T0 = 1_700_000_000_000;
const HISTORY_POINTS = 20_000;

const basic = (user: User) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const bytesOf = async (stream: NodeJS.ReadableStream) => Buffer.concat(await all(stream as AsyncIterable<Buffer>));

/** The seeded value of point i of `loss`: NaN and ±Infinity among ordinary numbers. */
const lossAt = (i: number) => (i === 5 ? Number.NaN : i === 6 ? Infinity : i === 7 ? -Infinity : (i % 977) / 7 - 3.5);
const wire = (value: number) => (Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : value);

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** MLflow's client calls against a server, as one user. */
const clientOf = (url: string, user?: User) => {
  const headers = (extra: Record<string, string> = {}) => (user ? { ...extra, authorization: basic(user) } : extra);
  const call = async (method: string, path: string, body: Record<string, unknown> = {}): Promise<any> => {
    const get = method === 'GET';
    const target = `${url}/api/2.0/mlflow${path}${get ? `?${new URLSearchParams(body as Record<string, string>)}` : ''}`;
    const response = await fetch(target, { method, headers: headers({ 'content-type': 'application/json' }), ...(get ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  const put = async (artifactUri: string, path: string, bytes: Buffer) => {
    const root = artifactUri.replace(/^mlflow-artifacts:\//u, '');
    const response = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${encodePath(`${root}/${path}`)}`, { method: 'PUT', headers: headers(), body: bytes });
    if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
  };
  return { call, put };
};

interface Seeded {
  experimentId: string;
  unicodeExperimentId: string;
  deletedExperimentId: string;
  parent: any;
  childId: string;
  deletedRunId: string;
  runInDeletedExperimentId: string;
  modelId: string;
  modelArtifactUri: string;
  runFiles: Map<string, Buffer>;
  modelFiles: Map<string, Buffer>;
}

const seed = async (url: string, user?: User): Promise<Seeded> => {
  const { call, put } = clientOf(url, user);
  const { experiment_id: experimentId } = await call('POST', '/experiments/create', { name: 'source-main', tags: [{ key: 'team', value: 'ml' }] });
  const { experiment_id: unicodeExperimentId } = await call('POST', '/experiments/create', { name: 'ünïcødé 実験' });
  const { experiment_id: deletedExperimentId } = await call('POST', '/experiments/create', { name: 'gone' });

  const { run: parent } = await call('POST', '/runs/create', {
    experiment_id: experimentId,
    run_name: 'parent',
    user_id: 'alice',
    start_time: T0,
    tags: [{ key: 'mlflow.user', value: 'alice' }],
  });
  const runId = parent.info.run_id as string;
  await call('POST', '/runs/log-batch', {
    run_id: runId,
    params: [{ key: 'lr', value: '0.1' }, { key: 'layers', value: '3' }],
    tags: [{ key: 'team', value: 'vision' }],
    metrics: [0, 1, 2].map((i) => ({ key: 'acc', value: i / 2, timestamp: T0 + i, step: i })),
  });
  const batches = Array.from({ length: HISTORY_POINTS / 1000 }, (_, b) =>
    Array.from({ length: 1000 }, (_, j) => {
      const i = b * 1000 + j;
      return { key: 'loss', value: wire(lossAt(i)), timestamp: T0 + i, step: i };
    }),
  );
  for (let at = 0; at < batches.length; at += 5) {
    await Promise.all(batches.slice(at, at + 5).map((metrics) => call('POST', '/runs/log-batch', { run_id: runId, metrics })));
  }
  await call('POST', '/runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'train' }],
        dataset: { name: 'wine', digest: 'd1g35t', source_type: 'local', source: '{"uri": "/data/wine.csv"}', schema: '{"cols": 3}', profile: '{"rows": 10}' },
      },
    ],
  });

  const { model } = await call('POST', '/logged-models', {
    experiment_id: experimentId,
    name: 'clf',
    model_type: 'sklearn',
    source_run_id: runId,
    params: [{ key: 'alpha', value: '0.5' }],
    tags: [{ key: 'flavor', value: 'sklearn' }],
  });
  const modelId = model.info.model_id as string;
  await call('POST', '/runs/log-metric', { run_id: runId, key: 'val_acc', value: 0.875, timestamp: T0 + 99, step: 1, model_id: modelId });
  await call('POST', '/runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 1 }] });
  const modelFiles = new Map([
    ['MLmodel', Buffer.from('artifact_path: model\nflavors: {}\n')],
    ['data/model.pkl', randomBytes(4096)],
  ]);
  for (const [path, bytes] of modelFiles) await put(model.info.artifact_uri, path, bytes);
  await call('PATCH', `/logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' });

  const runFiles = new Map([
    ['notes.txt', Buffer.from('hello from the source\n')],
    ['empty.txt', Buffer.alloc(0)],
    ['with space ü.txt', Buffer.from('spaced')],
    ['model/weights.bin', randomBytes(200_000)],
    ['model/deep/config.json', Buffer.from('{"depth": 2}')],
  ]);
  for (const [path, bytes] of runFiles) await put(parent.info.artifact_uri, path, bytes);
  await call('POST', '/runs/update', { run_id: runId, status: 'FINISHED', end_time: T0 + 60_000 });

  const { run: child } = await call('POST', '/runs/create', {
    experiment_id: experimentId,
    run_name: 'child',
    start_time: T0 + 10,
    tags: [{ key: 'mlflow.parentRunId', value: runId }],
  });
  const { run: deletedRun } = await call('POST', '/runs/create', { experiment_id: experimentId, run_name: 'doomed', start_time: T0 + 20 });
  await call('POST', '/runs/delete', { run_id: deletedRun.info.run_id });
  const { run: runInDeleted } = await call('POST', '/runs/create', { experiment_id: deletedExperimentId, run_name: 'inside', start_time: T0 });
  await call('POST', '/experiments/delete', { experiment_id: deletedExperimentId });

  await call('POST', '/registered-models/create', { name: 'wine-model', description: 'the wine one', tags: [{ key: 'owner', value: 'ml' }] });
  await call('POST', '/model-versions/create', {
    name: 'wine-model',
    source: `runs:/${runId}/model`,
    run_id: runId,
    description: 'first',
    tags: [{ key: 'quality', value: 'ok' }],
  });
  await call('POST', '/model-versions/create', { name: 'wine-model', source: `models:/${modelId}`, model_id: modelId });
  await call('POST', '/model-versions/create', { name: 'wine-model', source: `runs:/${runId}/model` });
  await call('DELETE', '/model-versions/delete', { name: 'wine-model', version: '3' });
  await call('POST', '/registered-models/alias', { name: 'wine-model', alias: 'champion', version: '2' });
  await call('POST', '/model-versions/transition-stage', { name: 'wine-model', version: '1', stage: 'Production', archive_existing_versions: false });
  for (const name of [`it's "quoted"`, "o'neil", 'back\\slash']) {
    await call('POST', '/registered-models/create', { name });
    await call('POST', '/model-versions/create', { name, source: `runs:/${runId}/model` });
  }
  // A near namesake the loose (LIKE) match of `it's "quoted"` also finds, and must drop.
  await call('POST', '/registered-models/create', { name: `it_s "quoted"` });
  for (const _ of [1, 2]) await call('POST', '/model-versions/create', { name: `it_s "quoted"`, source: `runs:/${runId}/other` });
  await call('POST', '/registered-models/create', { name: 'greeting', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
  await call('POST', '/model-versions/create', {
    name: 'greeting',
    source: `runs:/${runId}/prompt`,
    tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }, { key: 'mlflow.prompt.text', value: 'Hello {{name}}' }],
  });

  return {
    experimentId,
    unicodeExperimentId,
    deletedExperimentId,
    parent,
    childId: child.info.run_id,
    deletedRunId: deletedRun.info.run_id,
    runInDeletedExperimentId: runInDeleted.info.run_id,
    modelId,
    modelArtifactUri: model.info.artifact_uri,
    runFiles,
    modelFiles,
  };
};

const historyOf = async (source: ImportSource, runId: string, key: string) => {
  const pages = await all(source.metricHistory(runId, key));
  return { pages: pages.length, points: pages.flat().sort((a, b) => a.step - b.step) };
};

const expectedLoss = (): SourceMetricPoint[] =>
  Array.from({ length: HISTORY_POINTS }, (_, i) => ({ key: 'loss', value: lossAt(i), timestamp: T0 + i, step: i }));

const artifactsOf = async (source: ImportSource, rootUri: string) => {
  const listed = await all(source.artifacts(rootUri));
  const files = new Map<string, Buffer>();
  for (const { path } of listed) files.set(path, await bytesOf(await source.readArtifact(rootUri, path)));
  return { listed: listed.sort((a, b) => a.path.localeCompare(b.path)), files };
};

const byKey = (tags: readonly SourceTag[]) => [...tags].sort((a, b) => a.key.localeCompare(b.key));

/** Registered models with tags in one order (a server answers them in any). */
const canonical = (models: SourceRegisteredModel[]) =>
  models.map((m) => ({ ...m, tags: byKey(m.tags), versions: m.versions.map((v) => ({ ...v, tags: byKey(v.tags) })) }));

const sizesOf = (files: Map<string, Buffer>) =>
  [...files].map(([path, bytes]) => ({ path, size: bytes.length })).sort((a, b) => a.path.localeCompare(b.path));

describe('the MLflow server source, against a Cairn server', () => {
  let server: LocalServer;
  let seeded: Seeded;
  let source: ImportSource;
  const sourceWith = (options: Partial<RestSourceOptions> = {}) => createRestSource({ url: server.url, ...options });

  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dynamoEndpoint: endpointOf('dynoxide'), tableName: `cairn-import-src-${randomUUID()}` });
    seeded = await seed(server.url);
    source = sourceWith();
  });
  afterAll(async () => server?.stop());

  it('reads every experiment, deleted ones included, with names, tags and artifact locations', async () => {
    // Act
    const experiments = await all(source.experiments());

    // Assess
    const byId = new Map(experiments.map((e) => [e.experimentId, e]));
    expect(experiments).toHaveLength(4);
    expect(byId.get('0')).toMatchObject({ name: 'Default', lifecycleStage: 'active' });
    expect(byId.get(seeded.experimentId)).toMatchObject({
      name: 'source-main',
      lifecycleStage: 'active',
      artifactLocation: `mlflow-artifacts:/${seeded.experimentId}`,
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(byId.get(seeded.experimentId)?.creationTime).toEqual(expect.any(Number));
    expect(byId.get(seeded.unicodeExperimentId)?.name).toBe('ünïcødé 実験');
    expect(byId.get(seeded.deletedExperimentId)).toMatchObject({ name: 'gone', lifecycleStage: 'deleted' });
    expect(source.description).toBe(`MLflow server ${server.url}`);
  });

  it('reads every run with params, tags, metric keys, datasets, model outputs, times and lifecycle', async () => {
    // Act
    const runs = await all(source.runs(seeded.experimentId));
    const inDeleted = await all(source.runs(seeded.deletedExperimentId));

    // Assess
    const runId = seeded.parent.info.run_id as string;
    const byId = new Map(runs.map((r) => [r.runId, r]));
    expect([...byId.keys()].sort()).toEqual([runId, seeded.childId, seeded.deletedRunId].sort());
    const parent = byId.get(runId);
    expect(parent).toMatchObject({
      experimentId: seeded.experimentId,
      runName: 'parent',
      userId: 'alice',
      status: 'FINISHED',
      startTime: T0,
      endTime: T0 + 60_000,
      artifactUri: `mlflow-artifacts:/${seeded.experimentId}/${runId}/artifacts`,
      lifecycleStage: 'active',
      datasets: [
        {
          name: 'wine',
          digest: 'd1g35t',
          sourceType: 'local',
          source: '{"uri": "/data/wine.csv"}',
          schema: '{"cols": 3}',
          profile: '{"rows": 10}',
          tags: [{ key: 'mlflow.data.context', value: 'train' }],
        },
      ],
      modelOutputs: [{ modelId: seeded.modelId, step: 1 }],
    });
    expect([...(parent?.params ?? [])].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'layers', value: '3' },
      { key: 'lr', value: '0.1' },
    ]);
    expect(parent?.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'vision' }, { key: 'mlflow.user', value: 'alice' }]));
    expect([...(parent?.metricKeys ?? [])].sort()).toEqual(['acc', 'loss', 'val_acc']);
    expect(byId.get(seeded.childId)?.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.parentRunId', value: runId }]));
    expect(byId.get(seeded.childId)?.status).toBe('RUNNING');
    expect(byId.get(seeded.childId)?.endTime).toBeUndefined();
    expect(byId.get(seeded.deletedRunId)?.lifecycleStage).toBe('deleted');
    expect(inDeleted.map((r) => [r.runId, r.lifecycleStage])).toEqual([[seeded.runInDeletedExperimentId, 'deleted']]);
  });

  it('reads the full 20,000-point history with NaN and ±Infinity, in one page or in many', async () => {
    // Act
    const runId = seeded.parent.info.run_id as string;
    const whole = await historyOf(source, runId, 'loss');
    const paged = await historyOf(sourceWith({ pageSize: 4096 }), runId, 'loss');
    const withModel = await historyOf(source, runId, 'val_acc');

    // Assess
    expect(whole.points).toEqual(expectedLoss());
    expect(paged.pages).toBe(5);
    expect(paged.points).toEqual(expectedLoss());
    expect(Object.is(whole.points[5]?.value, Number.NaN)).toBe(true);
    expect(whole.points.slice(6, 8).map((p) => p.value)).toEqual([Infinity, -Infinity]);
    expect(withModel.points).toEqual([{ key: 'val_acc', value: 0.875, timestamp: T0 + 99, step: 1, modelId: seeded.modelId }]);
  });

  it('reads logged models with params, tags, metrics and status', async () => {
    // Act
    const models = await all(source.loggedModels(seeded.experimentId));
    const none = await all(source.loggedModels(seeded.unicodeExperimentId));

    // Assess
    expect(none).toEqual([]);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      modelId: seeded.modelId,
      experimentId: seeded.experimentId,
      name: 'clf',
      artifactLocation: seeded.modelArtifactUri,
      sourceRunId: seeded.parent.info.run_id,
      status: 'LOGGED_MODEL_READY',
      modelType: 'sklearn',
      lifecycleStage: 'active',
      params: [{ key: 'alpha', value: '0.5' }],
      tags: expect.arrayContaining([{ key: 'flavor', value: 'sklearn' }]),
      metrics: [expect.objectContaining({ key: 'val_acc', value: 0.875, step: 1, timestamp: T0 + 99 })],
    });
    expect(models[0]?.creationTimestamp).toEqual(expect.any(Number));
  });

  it('reads registered models with live versions, stages, aliases, tags, prompts and awkward names', async () => {
    // Act
    const models = await all(source.registeredModels());

    // Assess
    const byName = new Map(models.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(['back\\slash', 'greeting', `it's "quoted"`, `it_s "quoted"`, "o'neil", 'wine-model'].sort());
    const wine = byName.get('wine-model');
    expect(wine).toMatchObject({ description: 'the wine one', tags: [{ key: 'owner', value: 'ml' }], aliases: [{ alias: 'champion', version: 2 }] });
    const runId = seeded.parent.info.run_id as string;
    expect(wine?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(wine?.versions[0]).toMatchObject({
      currentStage: 'Production',
      description: 'first',
      source: `runs:/${runId}/model`,
      runId,
      status: 'READY',
      tags: [{ key: 'quality', value: 'ok' }],
      deleted: false,
    });
    expect(wine?.versions[1]).toMatchObject({ currentStage: 'None', source: `models:/${seeded.modelId}`, modelId: seeded.modelId });
    for (const name of [`it's "quoted"`, "o'neil", 'back\\slash']) expect(byName.get(name)?.versions.map((v) => v.version)).toEqual([1]);
    expect(byName.get(`it's "quoted"`)?.versions[0]?.source).toBe(`runs:/${runId}/model`);
    expect(byName.get(`it_s "quoted"`)?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(byName.get('greeting')?.versions[0]?.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.prompt.text', value: 'Hello {{name}}' }]));
  });

  it('reads the same models and versions one item per page', async () => {
    // Act
    const paged = await all(sourceWith({ pageSize: 1 }).registeredModels());
    const experiments = await all(sourceWith({ pageSize: 1 }).experiments());
    const runs = await all(sourceWith({ pageSize: 1 }).runs(seeded.experimentId));

    // Assess
    expect(canonical(paged)).toEqual(canonical(await all(source.registeredModels())));
    expect(experiments).toHaveLength(4);
    expect(runs).toHaveLength(3);
  });

  it('lists and streams run and logged-model artifacts through the proxy and through the owner routes', async () => {
    // Act
    const run = await artifactsOf(source, seeded.parent.info.artifact_uri);
    const model = await artifactsOf(source, seeded.modelArtifactUri);
    const owner = sourceWith({ artifactAccess: 'owner' });
    await all(owner.runs(seeded.experimentId));
    await all(owner.loggedModels(seeded.experimentId));
    const runByOwner = await artifactsOf(owner, seeded.parent.info.artifact_uri);
    const modelByOwner = await artifactsOf(owner, seeded.modelArtifactUri);

    // Assess
    expect(run.listed).toEqual(sizesOf(seeded.runFiles));
    expect(run.files).toEqual(seeded.runFiles);
    expect(model.listed).toEqual(sizesOf(seeded.modelFiles));
    expect(model.files).toEqual(seeded.modelFiles);
    expect(runByOwner.listed).toEqual(sizesOf(seeded.runFiles));
    expect(runByOwner.files).toEqual(seeded.runFiles);
    expect(modelByOwner.listed).toEqual(sizesOf(seeded.modelFiles));
    expect(modelByOwner.files).toEqual(seeded.modelFiles);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const limited = sourceWith({ concurrency: 2, fetch: counting });
    const root = seeded.parent.info.artifact_uri as string;

    // Act
    const bodies = await Promise.all([...seeded.runFiles.keys()].map(async (path) => bytesOf(await limited.readArtifact(root, path))));
    await Promise.all([all(limited.registeredModels()), all(limited.artifacts(root)), all(limited.runs(seeded.experimentId))]);

    // Assess
    expect(bodies).toEqual([...seeded.runFiles.values()]);
    expect(most).toBe(2);
  });

  it('retries 429, 5xx and network failures with backoff, then gives up with a clear error', async () => {
    // Prepare: the first answers fail, as a proxy in front of a busy server would make them
    const failures = [
      () => new Response('busy', { status: 503 }),
      () => new Response('{"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "slow down"}', { status: 429, headers: { 'retry-after': '1' } }),
      () => {
        throw new TypeError('fetch failed');
      },
    ];
    let calls = 0;
    const waits: number[] = [];
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      const fail = failures.shift();
      return fail ? fail() : fetch(input, init);
    };
    const failing: typeof fetch = async () => new Response('<html>bad gateway</html>', { status: 502 });
    const sleep = async (ms: number) => {
      waits.push(ms);
    };

    // Act
    const experiments = await all(sourceWith({ fetch: flaky, sleep }).experiments());
    const gaveUp = await all(sourceWith({ fetch: failing, sleep, retry: { attempts: 3 } }).experiments()).catch((error: unknown) => error);

    // Assess
    expect(experiments).toHaveLength(4);
    expect(calls).toBe(4);
    expect(waits[1]).toBe(1000);
    expect(gaveUp).toBeInstanceOf(RestSourceError);
    expect((gaveUp as RestSourceError).status).toBe(502);
    expect((gaveUp as Error).message).toMatch(/experiments\/search with 502 .*gave up after 3 tries/u);
    expect(waits).toHaveLength(5);
  });

  it('does not retry a refused request, and says what the server answered', async () => {
    // Prepare
    let calls = 0;
    const refusing: typeof fetch = async () => {
      calls += 1;
      return new Response('{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad view_type"}', { status: 400 });
    };

    // Act
    const error = await all(sourceWith({ fetch: refusing }).experiments()).catch((e: unknown) => e);

    // Assess
    expect(calls).toBe(1);
    expect((error as Error).message).toContain('400 INVALID_PARAMETER_VALUE: bad view_type');
  });
});

describe('the MLflow server source with authentication', () => {
  let server: LocalServer;
  let seeded: { experimentId: string; hiddenRunId: string };

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpointOf('dynoxide'),
      tableName: `cairn-import-auth-${randomUUID()}`,
      auth: { adminUsername: ADMIN.username, adminPassword: ADMIN.password, defaultPermission: 'READ' },
    });
    const { call } = clientOf(server.url, ADMIN);
    const { experiment_id: experimentId } = await call('POST', '/experiments/create', { name: 'guarded' });
    const { experiment_id: hiddenId } = await call('POST', '/experiments/create', { name: 'hidden' });
    const { run } = await call('POST', '/runs/create', { experiment_id: hiddenId, start_time: T0 });
    await call('POST', '/runs/log-metric', { run_id: run.info.run_id, key: 'm', value: 1, timestamp: T0, step: 0 });
    await call('POST', '/users/create', BOB);
    await call('POST', '/experiments/permissions/create', { experiment_id: hiddenId, username: BOB.username, permission: 'NO_PERMISSIONS' });
    seeded = { experimentId, hiddenRunId: run.info.run_id };
  });
  afterAll(async () => server?.stop());

  it('reads with Basic credentials', async () => {
    // Act
    const experiments = await all(createRestSource({ url: server.url, auth: { kind: 'basic', ...ADMIN } }).experiments());
    const fromUrl = await all(createRestSource({ url: server.url.replace('://', `://${ADMIN.username}:${encodeURIComponent(ADMIN.password)}@`) }).experiments());

    // Assess
    expect(experiments.map((e) => e.name).sort()).toEqual(['Default', 'guarded', 'hidden']);
    expect(fromUrl).toEqual(experiments);
  });

  it('fails with 401 naming the credential problem: none given, a refused password, a refused token', async () => {
    // Act
    const failure = (options: Partial<RestSourceOptions>) =>
      all(createRestSource({ url: server.url, ...options }).experiments()).then(
        () => undefined,
        (error: unknown) => error as RestSourceError,
      );
    const none = await failure({});
    const wrong = await failure({ auth: { kind: 'basic', username: ADMIN.username, password: 'not-the-password' } });
    const token = await failure({ auth: { kind: 'bearer', token: 'cairn_nope_nope' } });

    // Assess
    expect([none?.status, wrong?.status, token?.status]).toEqual([401, 401, 401]);
    expect(none?.message).toContain('requires credentials and none were given');
    expect(wrong?.message).toContain(`the user name '${ADMIN.username}' and its password were refused`);
    expect(token?.message).toContain('the Bearer token was refused');
    expect(wrong?.message).not.toContain('not-the-password');
  });

  it('fails with 403 naming the missing permission', async () => {
    // Act
    const bob = createRestSource({ url: server.url, auth: { kind: 'basic', ...BOB } });
    const error = await all(bob.metricHistory(seeded.hiddenRunId, 'm')).catch((e: unknown) => e as RestSourceError);

    // Assess
    expect(error).toBeInstanceOf(RestSourceError);
    expect((error as RestSourceError).status).toBe(403);
    expect((error as RestSourceError).message).toContain(`user '${BOB.username}' may not read this`);
  });
});
