/**
 * Proxied multipart uploads as the MLflow client drives them (mlflow-api.md 6.3), and the presigned-URL RPCs, on the
 * local store: its signed URLs point at http://cairn.test and route back into the same app.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  createLoggedModel,
  createRun,
  type Fetcher,
  listArtifacts,
  MiB,
  MLFLOW,
  multipartUpload,
  PROXY,
  putParts,
  sha256,
  split,
  uploadArtifact,
  utf8,
} from '../../support/artifact-client.js';
import { createTestApi, type TestApi } from '../../support/test-api.js';

const LOCAL_PATH = '/home/user/weights.bin';

/** Plain requests to a signed URL: no MLflow auth header, as the client sends parts. */
const signedFetch = (api: TestApi): Fetcher => (url, init) => api.request(url, init);

const createUpload = (api: TestApi, folder: string, numParts: number) =>
  api.call('POST', `${PROXY}/mpu/create/${folder}`, { path: LOCAL_PATH, num_parts: numParts });

describe('proxied multipart upload (local store)', () => {
  it('mpu/create answers an upload id and one credential per part, numbered 1..5 in order', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const created = await createUpload(api, `${root}/big`, 5);
    // Assess
    expect(created.status).toBe(200);
    expect(created.body.upload_id).toEqual(expect.any(String));
    expect(created.body.credentials.map((c: { part_number: number }) => c.part_number)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(created.body.credentials.map((c: { url: string }) => c.url)).size).toBe(5);
  });

  it('a part PUT answers the quoted MD5 of its bytes as ETag', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const part = randomBytes(1024);
    const created = await createUpload(api, `${root}/big`, 1);
    // Act
    const [uploaded] = await putParts(signedFetch(api), created.body.credentials, [part]);
    // Assess
    expect(uploaded?.etag).toBe(`"${createHash('md5').update(part).digest('hex')}"`);
  });

  it('a 50 MB file PUT in 10 MiB parts completes into <folder>/weights.bin with the same SHA-256', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const data = randomBytes(50 * 1000 * 1000);
    // Act
    const completed = await multipartUpload(api, signedFetch(api), `${root}/big`, LOCAL_PATH, split(data, 10 * MiB));
    // Assess
    expect(completed).toEqual({ status: 200, body: {} });
    expect((await listArtifacts(api, `${root}/big`)).body).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: data.length }] });
    const download = await api.request(`${PROXY}/artifacts/${root}/big/weights.bin`);
    expect(sha256(await bytesOf(download))).toBe(sha256(data));
  });

  it('a Windows local path names the object by its last segment', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const completed = await multipartUpload(api, signedFetch(api), `${root}/big`, 'C:\\Users\\me\\model.bin', [utf8('small')]);
    // Assess
    expect(completed.status).toBe(200);
    expect((await listArtifacts(api, `${root}/big`)).body).toEqual({ files: [{ path: 'model.bin', is_dir: false, file_size: 5 }] });
  });

  it('complete after abort fails with a 4xx', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const created = await createUpload(api, `${root}/big`, 1);
    const parts = await putParts(signedFetch(api), created.body.credentials, [randomBytes(1024)]);
    const uploadId = created.body.upload_id;
    // Act
    const aborted = await api.call('POST', `${PROXY}/mpu/abort/${root}/big`, { path: LOCAL_PATH, upload_id: uploadId });
    const completed = await api.call('POST', `${PROXY}/mpu/complete/${root}/big`, { path: LOCAL_PATH, upload_id: uploadId, parts });
    // Assess
    expect(aborted).toEqual({ status: 200, body: {} });
    expect(completed.status).toBeGreaterThanOrEqual(400);
    expect(completed.status).toBeLessThan(500);
    expect((await listArtifacts(api, `${root}/big`)).body).toEqual({});
  });

  it('complete with an ETag that does not match the uploaded part fails with 400 INVALID_PARAMETER_VALUE', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const created = await createUpload(api, `${root}/big`, 1);
    const [part] = await putParts(signedFetch(api), created.body.credentials, [randomBytes(1024)]);
    const wrong = { ...part, etag: `"${'0'.repeat(32)}"` };
    // Act
    const completed = await api.call('POST', `${PROXY}/mpu/complete/${root}/big`, {
      path: LOCAL_PATH,
      upload_id: created.body.upload_id,
      parts: [wrong],
    });
    // Assess
    expect(completed.status).toBe(400);
    expect(completed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('mpu/create under a deleted run is refused with 400', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    // Act
    const created = await createUpload(api, `${root}/big`, 2);
    // Assess
    expect(created.status).toBe(400);
    expect(created.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});

const presignUpload = (api: TestApi, body: Record<string, unknown>) => api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, body);
const presignDownload = (api: TestApi, body: Record<string, unknown>) => api.call('POST', `${MLFLOW}/artifacts/presigned-download-url`, body);

describe('presigned upload URLs (local store)', () => {
  it('a URL for a run accepts a PUT, and the file then lists under the run', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    const { body } = await presignUpload(api, { run_id: runId, path: 'model/weights.bin', expiration: 60 });
    // Act
    const put = await api.request(body.presigned_url, { method: 'PUT', body: utf8('weights') });
    // Assess
    expect(put.status).toBe(200);
    expect((await listArtifacts(api, `${root}/model`)).body).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: 7 }] });
  });

  it('a URL for a logged model accepts a PUT, and the file then lists under the model', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { modelId, root } = await createLoggedModel(api);
    const { body } = await presignUpload(api, { model_id: modelId, path: 'MLmodel' });
    // Act
    const put = await api.request(body.presigned_url, { method: 'PUT', body: utf8('flavors: {}\n') });
    // Assess
    expect(put.status).toBe(200);
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: 'MLmodel', is_dir: false, file_size: 12 }] });
  });

  it.each([
    ['both run_id and model_id', { run_id: 'a'.repeat(32), model_id: `m-${'a'.repeat(32)}` }],
    ['neither run_id nor model_id', {}],
  ])('a request with %s is refused with 400 INVALID_PARAMETER_VALUE', async (_, owner) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    // Act
    const response = await presignUpload(api, { ...owner, path: 'x.txt' });
    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('a request for a deleted run is refused with 400 INVALID_PARAMETER_VALUE', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId } = await createRun(api);
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    // Act
    const response = await presignUpload(api, { run_id: runId, path: 'x.txt' });
    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('presigned download URLs (local store)', () => {
  /** A run holding `model/data.bin` (4 KiB of random bytes), and a download URL for it. */
  async function signedDownload(expiration?: number) {
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    const data = randomBytes(4096);
    await uploadArtifact(api, `${root}/model/data.bin`, data);
    const presigned = await presignDownload(api, { run_id: runId, path: 'model/data.bin', ...(expiration ? { expiration } : {}) });
    return { api, root, data, presigned, url: new URL(presigned.body.presigned_url as string) };
  }

  it('answers presigned_url and file_size, and the URL serves the bytes', async () => {
    // Prepare
    const { api, data, presigned } = await signedDownload();
    // Act
    const response = await api.request(presigned.body.presigned_url);
    // Assess
    expect(presigned.body.file_size).toBe(4096);
    expect(response.status).toBe(200);
    expect(sha256(await bytesOf(response))).toBe(sha256(data));
  });

  it('an expired URL is refused with 403', async () => {
    // Prepare
    const { api, url } = await signedDownload(1);
    await sleep(2200);
    // Act
    const response = await api.request(url.href);
    // Assess
    expect(response.status).toBe(403);
  });

  it('a URL with a tampered sig is refused with 403', async () => {
    // Prepare
    const { api, url } = await signedDownload();
    const sig = url.searchParams.get('sig') ?? '';
    url.searchParams.set('sig', `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}`);
    // Act
    const response = await api.request(url.href);
    // Assess
    expect(response.status).toBe(403);
  });

  it('a URL signed for one key does not open another key', async () => {
    // Prepare
    const { api, root, url } = await signedDownload();
    await uploadArtifact(api, `${root}/model/other.bin`, 'secret');
    url.pathname = url.pathname.replace('data.bin', 'other.bin');
    // Act
    const response = await api.request(url.href);
    // Assess
    expect(response.status).toBe(403);
  });

  it('a download URL does not accept a PUT', async () => {
    // Prepare
    const { api, url } = await signedDownload();
    // Act
    const response = await api.request(url.href, { method: 'PUT', body: utf8('overwrite') });
    // Assess
    expect(response.status).toBe(403);
  });
});

describe('presigned URL errors (local store)', () => {
  it('a download URL for a missing file is refused with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId } = await createRun(api);
    // Act
    const response = await presignDownload(api, { run_id: runId, path: 'missing.bin' });
    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('an upload URL for an unknown run is refused with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    // Act
    const response = await presignUpload(api, { run_id: 'f'.repeat(32), path: 'x.txt' });
    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
