/**
 * Artifact paths a hostile caller sends: the store's reserved `.uploads` folder, names and paths longer than a
 * filesystem or S3 takes, and experiment artifact locations that would send runs outside the store. Each is a 400
 * INVALID_PARAMETER_VALUE in MLflow's error form, on every artifact route, and stores nothing.
 */
import { describe, expect, it } from 'vitest';
import { createRun, getArtifact, listArtifacts, MLFLOW, PROXY, putArtifact, storedFiles } from '../../support/artifact-client.js';
import { createTestApi, type TestApi } from '../../support/test-api.js';

/** A JSON error answer: its status and body. */
const answerOf = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

const LONG_SEGMENT = 'n'.repeat(256);
const LONG_PATH = Array.from({ length: 40 }, () => 'd'.repeat(120)).join('/');

/** Store keys (proxied paths) no route may reach. */
const HOSTILE_KEYS: [string, (root: string) => string][] = [
  ['the reserved .uploads folder', () => '.uploads'],
  ['a file in the reserved .uploads folder', () => '.uploads/0123456789abcdef0123456789abcdef/manifest.json'],
  ['an encoded .uploads', () => '%2Euploads/x'],
  ['a name like a temp file', (root) => `${root}/.cairn-tmp-0011223344556677`],
  ['a 256-byte name', (root) => `${root}/${LONG_SEGMENT}`],
  ['a 256-byte name of 2-byte characters', (root) => `${root}/${encodeURIComponent('é'.repeat(128))}`],
  ['a path of 4.8 KB', (root) => `${root}/${LONG_PATH}`],
];

/** Each proxied route a path reaches, as the MLflow client sends it. */
const PROXIED: [string, (api: TestApi, path: string) => Promise<Response>][] = [
  ['PUT', (api, path) => putArtifact(api, path, 'payload')],
  ['GET', (api, path) => getArtifact(api, path)],
  ['DELETE', (api, path) => api.request(`${PROXY}/artifacts/${path}`, { method: 'DELETE' })],
  ['list', (api, path) => api.request(`${PROXY}/artifacts?path=${path}`)],
  [
    'mpu/create',
    (api, path) =>
      api.request(`${PROXY}/mpu/create/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: 'weights.bin', num_parts: 1 }),
      }),
  ],
];
const PROXIED_CASES = PROXIED.flatMap(([route, send]) => HOSTILE_KEYS.map(([what, keyOf]) => [route, what, send, keyOf] as const));

describe('hostile artifact paths on the proxied routes (local store)', () => {
  it.each(PROXIED_CASES)('%s of %s answers 400 INVALID_PARAMETER_VALUE and stores nothing', async (_, __, send, keyOf) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const answer = await answerOf(await send(api, keyOf(root)));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/^Invalid path/) });
    expect(await storedFiles(api)).toEqual([]);
  });

  it('the listing of the store root does not show the uploads in progress', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    await api.call('POST', `${PROXY}/mpu/create/${root}`, { path: 'weights.bin', num_parts: 1 });
    await putArtifact(api, `${root}/notes.txt`, 'x');
    // Act
    const listing = await listArtifacts(api, '');
    // Assess
    expect(listing.body.files.map((f: { path: string }) => f.path)).toEqual(['0']);
  });

  it('a 255-byte name and a path just under the limit are stored', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const name = 'n'.repeat(255);
    const folders = Array.from({ length: 7 }, () => 'd'.repeat(120)).join('/');
    // Act
    const long = await putArtifact(api, `${root}/${name}`, 'x');
    const deep = await putArtifact(api, `${root}/${folders}/f.txt`, 'x');
    // Assess
    expect(long.status).toBe(200);
    expect(deep.status).toBe(200);
  });
});

describe('hostile artifact paths on the run-scoped routes (local store)', () => {
  const RUN_SCOPED: [string, (api: TestApi, runId: string, path: string) => Promise<{ status: number; body: any }>][] = [
    ['artifacts/list', (api, runId, path) => api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId, path })],
    ['presigned-upload-url', (api, runId, path) => api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, { run_id: runId, path })],
    ['presigned-download-url', (api, runId, path) => api.call('POST', `${MLFLOW}/artifacts/presigned-download-url`, { run_id: runId, path })],
    [
      'get-artifact',
      async (api, runId, path) => answerOf(await api.request(`/get-artifact?${new URLSearchParams({ run_id: runId, path })}`)),
    ],
  ];
  const PATHS: [string, string][] = [
    ['a 256-byte name', LONG_SEGMENT],
    ['a path of 4.8 KB', LONG_PATH],
  ];
  const CASES = RUN_SCOPED.flatMap(([route, send]) => PATHS.map(([what, path]) => [route, what, send, path] as const));

  it.each(CASES)('%s with %s answers 400 INVALID_PARAMETER_VALUE', async (_, __, send, path) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId } = await createRun(api);
    // Act
    const answer = await send(api, runId, path);
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('experiment artifact locations', () => {
  it.each([
    ['mlflow-artifacts:/../..', /'\.' or '\.\.'/],
    ['mlflow-artifacts:/a/%2E%2E/b', /'\.' or '\.\.'/],
    ['mlflow-artifacts://host:5000/../x', /'\.' or '\.\.'/],
    ['s3://bucket/a/../../b', /'\.' or '\.\.'/],
    ['s3://bucket/a/%252e%252e/b', /'\.' or '\.\.'/],
    ['mlflow-artifacts:/.uploads', /reserved/],
    ['mlflow-artifacts:/a//b', /Invalid path/],
    [`mlflow-artifacts:/${LONG_SEGMENT}`, /255 bytes/],
    ['file:///tmp/x', /local path or file: URI/],
    ['FILE:/tmp/x', /local path or file: URI/],
    ['../..', /local path or file: URI/],
    ['/var/data/mlruns', /local path or file: URI/],
    ['relative/mlruns', /local path or file: URI/],
    ['C:\\mlruns', /local path or file: URI/],
    ['runs:/abc/artifacts', /runs:\/ URI/],
    ['s3://bucket/x#frag', /Invalid artifact location/],
    ['s3://bucket/x?a=..', /Invalid artifact location/],
  ])('experiments/create refuses %j with 400 INVALID_PARAMETER_VALUE and creates nothing', async (location, message) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    // Act
    const created = await api.call('POST', `${MLFLOW}/experiments/create`, { name: 'hostile', artifact_location: location });
    // Assess
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
    expect((await api.call('GET', `${MLFLOW}/experiments/get-by-name`, { experiment_name: 'hostile' })).status).toBe(404);
  });

  it.each(['s3://bucket/prefix', 's3://bucket', 'gs://bucket/mlruns', 'mlflow-artifacts:/custom/place', 'mlflow-artifacts://host:5000/x', 'mlflow-artifacts:/'])(
    'experiments/create accepts %j as MLflow does',
    async (location) => {
      // Prepare
      const api = await createTestApi('dynoxide');
      // Act
      const created = await api.call('POST', `${MLFLOW}/experiments/create`, { name: 'fine', artifact_location: location });
      // Assess
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const read = await api.call('GET', `${MLFLOW}/experiments/get`, { experiment_id: created.body.experiment_id });
      expect(read.body.experiment.artifact_location).toBe(location);
    },
  );

  it('a run under an experiment at mlflow-artifacts:/custom/place stores and lists its artifacts there', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const created = await api.call('POST', `${MLFLOW}/experiments/create`, { name: 'placed', artifact_location: 'mlflow-artifacts:/custom/place' });
    const { runId, root } = await createRun(api, created.body.experiment_id);
    // Act
    const put = await putArtifact(api, `${root}/notes.txt`, 'hello');
    const listing = await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId });
    // Assess
    expect(root).toBe(`custom/place/${runId}/artifacts`);
    expect(put.status).toBe(200);
    expect(listing.body).toEqual({ root_uri: `mlflow-artifacts:/custom/place/${runId}/artifacts`, files: [{ path: 'notes.txt', is_dir: false, file_size: 5 }] });
  });
});
