/**
 * The local store's door (`/_cairn/artifact-store/...`), where the URLs the server signs land: a URL signed before
 * a run or logged model was deleted no longer writes under it, and every refusal is MLflow's error JSON, since the
 * MLflow client PUTs and GETs these URLs itself.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLoggedModel, createRun, type Fetcher, listArtifacts, MLFLOW, PROXY, putParts, storedFiles, utf8 } from '../../support/artifact-client.js';
import { createTestApi, TEST_BASE_URL, type TestApi } from '../../support/test-api.js';

const signedFetch = (api: TestApi): Fetcher => (url, init) => api.request(url, init);

const presignUpload = async (api: TestApi, owner: { run_id: string } | { model_id: string }, path: string) => {
  const answer = await api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, { ...owner, path });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.presigned_url as string;
};

const errorJson = async (response: Response) => ({
  status: response.status,
  contentType: response.headers.get('content-type'),
  body: (await response.json()) as Record<string, unknown>,
});

describe('uploads through signed URLs after a delete (local store)', () => {
  it('a presigned upload URL taken before runs/delete refuses the PUT with 400 and the file never appears', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    const url = await presignUpload(api, { run_id: runId }, 'late.txt');
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    // Act
    const answer = await errorJson(await api.request(url, { method: 'PUT', body: utf8('late') }));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining(runId) });
    expect(await storedFiles(api)).toEqual([]);
    expect((await listArtifacts(api, root)).body).toEqual({});
  });

  it('the same URL writes again once the run is restored', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId } = await createRun(api);
    const url = await presignUpload(api, { run_id: runId }, 'back.txt');
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    await api.call('POST', `${MLFLOW}/runs/restore`, { run_id: runId });
    // Act
    const response = await api.request(url, { method: 'PUT', body: utf8('back') });
    // Assess
    expect(response.status).toBe(200);
    expect((await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId })).body.files).toEqual([
      { path: 'back.txt', is_dir: false, file_size: 4 },
    ]);
  });

  it('a presigned upload URL taken before the logged model was deleted refuses the PUT', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { modelId } = await createLoggedModel(api);
    const url = await presignUpload(api, { model_id: modelId }, 'model.pkl');
    await api.call('DELETE', `${MLFLOW}/logged-models/${modelId}`);
    // Act
    const answer = await errorJson(await api.request(url, { method: 'PUT', body: utf8('weights') }));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(await storedFiles(api)).toEqual([]);
  });

  it('part URLs of a multipart upload refuse parts once the run is deleted, and complete is refused', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { runId, root } = await createRun(api);
    const created = await api.call('POST', `${PROXY}/mpu/create/${root}`, { path: 'weights.bin', num_parts: 2 });
    const [first] = await putParts(signedFetch(api), created.body.credentials.slice(0, 1), [randomBytes(1024)]);
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: runId });
    // Act
    const part = await errorJson(await api.request(created.body.credentials[1].url, { method: 'PUT', body: randomBytes(1024) }));
    const completed = await api.call('POST', `${PROXY}/mpu/complete/${root}`, {
      path: 'weights.bin',
      upload_id: created.body.upload_id,
      parts: [first],
    });
    // Assess
    expect(part.status).toBe(400);
    expect(part.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(completed.status).toBe(400);
    expect(completed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await listArtifacts(api, root)).body).toEqual({});
  });
});

describe("the store door answers MLflow's error JSON (local store)", () => {
  const signedGet = async (api: TestApi) => {
    const { runId } = await createRun(api);
    const upload = await presignUpload(api, { run_id: runId }, 'data.bin');
    await api.request(upload, { method: 'PUT', body: utf8('data') });
    const download = await api.call('POST', `${MLFLOW}/artifacts/presigned-download-url`, { run_id: runId, path: 'data.bin' });
    return new URL(download.body.presigned_url as string);
  };

  it.each([
    ['an unknown resource', 404, 'ENDPOINT_NOT_FOUND', async () => new URL(`${TEST_BASE_URL}/_cairn/artifact-store/elsewhere/x`), 'GET'],
    [
      'a tampered signature',
      403,
      'PERMISSION_DENIED',
      async (api: TestApi) => {
        const url = await signedGet(api);
        url.searchParams.set('sig', '0'.repeat(64));
        return url;
      },
      'GET',
    ],
    ['a signed GET URL used to PUT', 403, 'PERMISSION_DENIED', signedGet, 'PUT'],
    [
      'a missing object',
      404,
      'RESOURCE_DOES_NOT_EXIST',
      async (api: TestApi) => {
        const url = await signedGet(api);
        await api.request(`${PROXY}/artifacts/${url.pathname.replace('/_cairn/artifact-store/objects/', '')}`, { method: 'DELETE' });
        return url;
      },
      'GET',
    ],
    [
      'an expired URL',
      403,
      'PERMISSION_DENIED',
      async (api: TestApi) => {
        const url = await signedGet(api);
        url.searchParams.set('expires', '1');
        return url;
      },
      'GET',
    ],
  ] as const)('%s answers %i %s as JSON', async (_, status, errorCode, urlOf, method) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const url = await urlOf(api);
    // Act
    const answer = await errorJson(await api.request(url.href, { method, ...(method === 'PUT' ? { body: utf8('x') } : {}) }));
    // Assess
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ error_code: errorCode, message: expect.any(String) });
  });

  it('a part URL used with GET answers 403 PERMISSION_DENIED as JSON: its signature covers PUT only', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const created = await api.call('POST', `${PROXY}/mpu/create/${root}`, { path: 'weights.bin', num_parts: 1 });
    // Act
    const response = await api.request(created.body.credentials[0].url, { method: 'GET' });
    // Assess
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error_code: string }).error_code).toBe('PERMISSION_DENIED');
  });
});
