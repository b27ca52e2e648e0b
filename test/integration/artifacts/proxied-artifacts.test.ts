/**
 * The proxied artifact service on the local store, driven as the MLflow client drives it (mlflow-api.md 6.2, 6.4,
 * 6.5, 6.6), plus the run-scoped list and /get-artifact routes (3.7).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  createLoggedModel,
  createRun,
  errorCodeOf,
  getArtifact,
  listArtifacts,
  MLFLOW,
  PROXY,
  putArtifact,
  roundTrip,
  sha256,
  storedFiles,
  uploadArtifact,
} from '../../support/artifact-client.js';
import { createTestApi, type TestApi } from '../../support/test-api.js';

describe('proxied artifact round trips (local store)', () => {
  it('a zero-byte file uploads and downloads as zero bytes', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const downloaded = await roundTrip(api, `${root}/empty.txt`, new Uint8Array(0));
    // Assess
    expect(downloaded.byteLength).toBe(0);
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: 'empty.txt', is_dir: false, file_size: 0 }] });
  });

  it('3 MB of random bytes download with the same SHA-256', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const data = randomBytes(3 * 1000 * 1000);
    // Act
    const downloaded = await roundTrip(api, `${root}/weights.bin`, data);
    // Assess
    expect(sha256(downloaded)).toBe(sha256(data));
  });

  it('the upload answers {} with a JSON content type', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const response = await putArtifact(api, `${root}/notes.txt`, 'hello', 'text/plain');
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({});
  });
});

describe('proxied artifact listings (local store)', () => {
  /** a/b/c/file.txt and a/top.txt under a fresh run: `a/b` holds only a folder. */
  async function tree(): Promise<{ api: TestApi; root: string }> {
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    await uploadArtifact(api, `${root}/a/b/c/file.txt`, 'deep file');
    await uploadArtifact(api, `${root}/a/top.txt`, 'top');
    return { api, root };
  }

  it('each level lists its immediate children by basename, with file_size only for files', async () => {
    // Prepare
    const { api, root } = await tree();
    // Act
    const levels = await Promise.all([root, `${root}/a`, `${root}/a/b/c`].map((path) => listArtifacts(api, path)));
    // Assess
    expect(levels.map((level) => level.body)).toEqual([
      { files: [{ path: 'a', is_dir: true }] },
      { files: [{ path: 'b', is_dir: true }, { path: 'top.txt', is_dir: false, file_size: 3 }] },
      { files: [{ path: 'file.txt', is_dir: false, file_size: 9 }] },
    ]);
  });

  it('a folder holding only folders lists them', async () => {
    // Prepare
    const { api, root } = await tree();
    // Act
    const listing = await listArtifacts(api, `${root}/a/b`);
    // Assess
    expect(listing).toEqual({ status: 200, body: { files: [{ path: 'c', is_dir: true }] } });
  });

  it('the path of a file lists as {}', async () => {
    // Prepare
    const { api, root } = await tree();
    // Act
    const listing = await listArtifacts(api, `${root}/a/top.txt`);
    // Assess
    expect(listing).toEqual({ status: 200, body: {} });
  });

  it('a missing path lists as {}', async () => {
    // Prepare
    const { api, root } = await tree();
    // Act
    const listing = await listArtifacts(api, `${root}/no/such/folder`);
    // Assess
    expect(listing).toEqual({ status: 200, body: {} });
  });
});

describe('proxied artifact downloads (local store)', () => {
  it.each([
    ['MLmodel', 'text/plain'],
    ['input_example.json', 'text/plain'],
    ['conda.yaml', 'text/plain'],
    ['model.pkl', 'application/octet-stream'],
  ])('%s downloads as an attachment named by its basename, typed %s', async (name, contentType) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    await uploadArtifact(api, `${root}/model/${name}`, 'content');
    // Act
    const response = await getArtifact(api, `${root}/model/${name}`);
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=${name}`);
    expect(response.headers.get('content-type')?.split(';')[0]).toBe(contentType);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('artifact writes and run state (local store)', () => {
  it("an upload under a deleted run's artifact root is refused with 400 and stores nothing", async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    // Act
    const response = await putArtifact(api, `${root}/late.txt`, 'too late');
    // Assess
    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('INVALID_PARAMETER_VALUE');
    expect(await storedFiles(api)).toEqual([]);
  });

  it('DELETE of a folder removes its whole tree and keeps its siblings', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    await uploadArtifact(api, `${root}/a/b/c/file.txt`, 'deep');
    await uploadArtifact(api, `${root}/a/top.txt`, 'top');
    await uploadArtifact(api, `${root}/keep.txt`, 'keep');
    // Act
    const deleted = await api.call('DELETE', `${PROXY}/artifacts/${root}/a`);
    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: 'keep.txt', is_dir: false, file_size: 4 }] });
    expect((await getArtifact(api, `${root}/a/b/c/file.txt`)).status).toBe(404);
  });
});

describe('run-scoped artifact routes (local store)', () => {
  it('artifacts/list answers run-relative paths and the run artifact URI as root_uri', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root, artifactUri } = await createRun(api);
    await uploadArtifact(api, `${root}/model/MLmodel`, 'flavors: {}\n');
    await uploadArtifact(api, `${root}/model/data/model.pkl`, 'pickle');
    // Act
    const listing = await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId, path: 'model' });
    // Assess
    expect(listing).toEqual({
      status: 200,
      body: {
        root_uri: artifactUri,
        files: [
          { path: 'model/MLmodel', is_dir: false, file_size: 12 },
          { path: 'model/data', is_dir: true },
        ],
      },
    });
  });

  it('artifacts/list without a path lists the run root', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root, artifactUri } = await createRun(api);
    await uploadArtifact(api, `${root}/model/MLmodel`, 'flavors: {}\n');
    await uploadArtifact(api, `${root}/metrics.txt`, 'm');
    // Act
    const listing = await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId });
    // Assess
    expect(listing.body).toEqual({
      root_uri: artifactUri,
      files: [
        { path: 'metrics.txt', is_dir: false, file_size: 1 },
        { path: 'model', is_dir: true },
      ],
    });
  });

  it('/get-artifact answers the bytes of a run file', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    const data = randomBytes(4096);
    await uploadArtifact(api, `${root}/plots/loss.png`, data);
    // Act
    const response = await api.request(`/get-artifact?${new URLSearchParams({ run_id: runId, path: 'plots/loss.png' })}`);
    // Assess
    expect(response.status).toBe(200);
    expect(sha256(await bytesOf(response))).toBe(sha256(data));
  });
});

describe('logged model artifacts (local store)', () => {
  it('files under <exp>/models/<model_id>/artifacts upload, list and download', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createLoggedModel(api);
    const pickle = randomBytes(2048);
    // Act
    await uploadArtifact(api, `${root}/MLmodel`, 'artifact_path: model\n');
    await uploadArtifact(api, `${root}/model.pkl`, pickle);
    const listing = await listArtifacts(api, root);
    const download = await getArtifact(api, `${root}/model.pkl`);
    // Assess
    expect(root).toMatch(/^0\/models\/m-[0-9a-f]{32}\/artifacts$/);
    expect(listing.body).toEqual({
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 21 },
        { path: 'model.pkl', is_dir: false, file_size: 2048 },
      ],
    });
    expect(sha256(await bytesOf(download))).toBe(sha256(pickle));
  });

  it("an upload under a deleted logged model's root is refused with 400", async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { modelId, root } = await createLoggedModel(api);
    await api.call('DELETE', `${MLFLOW}/logged-models/${modelId}`);
    // Act
    const response = await putArtifact(api, `${root}/MLmodel`, 'late');
    // Assess
    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('INVALID_PARAMETER_VALUE');
  });
});
