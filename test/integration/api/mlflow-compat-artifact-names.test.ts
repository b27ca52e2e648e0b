/**
 * Issue 16, item 1: MLflow's server decodes an artifact URL path exactly once (Werkzeug's `<path:...>`), and
 * checks it, decoded again until it settles, without storing that further decoding. `mlflow.log_image` names files
 * like `dog%step%100%timestamp%...`; `requests` sends every `%` of such a name as `%25` (its `requote_uri`), so
 * the server must store the name as the client had it. Each name goes through PUT, both listings, both downloads,
 * a presigned upload and a multipart upload.
 */
import { describe, expect, it } from 'vitest';
import { bytesOf, createRun, getArtifact, listArtifacts, MLFLOW, multipartUpload, putArtifact, utf8 } from '../../support/artifact-client.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

/** [what, the name as stored, the name as `requests` puts it on the wire]. */
const NAMES: [string, string, string][] = [
  ['log_image step names with bare %', 'dog%step%100%timestamp%1700000000.png', 'dog%25step%25100%25timestamp%251700000000.png'],
  ['a literal %25 and %41', 'a%25b%41.txt', 'a%2525b%2541.txt'],
  ['a + and spaces', 'a+b c d.txt', 'a+b%20c%20d.txt'],
  ['non-ASCII', 'résumé 模型 ✓.txt', encodeURI('résumé 模型 ✓.txt')],
];

/** A file name on the client's disk whose basename is `name` (multipart uploads send the local path). */
const localPathOf = (name: string) => `/home/user/${name}`;

const runArtifactList = (api: TestApi, runId: string, path?: string) =>
  api.call('GET', `${MLFLOW}/artifacts/list`, path === undefined ? { run_id: runId } : { run_id: runId, path });

const getRunArtifact = (api: TestApi, runId: string, path: string) =>
  api.request(`/get-artifact?${new URLSearchParams({ run_id: runId, path }).toString()}`);

describe.each(ENGINES)('MLflow decodes an artifact URL path exactly once (%s)', (engine) => {
  it.each(NAMES)('%s: PUT stores the name as the client had it, and both listings and downloads find it', async (_, name, wire) => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId, root } = await createRun(api);
    // Act
    const put = await putArtifact(api, `${root}/${wire}`, 'bytes');
    // Assess
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: name, is_dir: false, file_size: 5 }] });
    expect((await runArtifactList(api, runId)).body.files).toEqual([{ path: name, is_dir: false, file_size: 5 }]);
    const proxied = await getArtifact(api, `${root}/${wire}`);
    expect(proxied.status).toBe(200);
    expect(new TextDecoder().decode(await bytesOf(proxied))).toBe('bytes');
    const byRun = await getRunArtifact(api, runId, name);
    expect(byRun.status).toBe(200);
    expect(new TextDecoder().decode(await bytesOf(byRun))).toBe('bytes');
  });

  it.each(NAMES)('%s: a presigned upload URL for the name stores it under that name', async (_, name) => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    const signed = await api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, { run_id: runId, path: `plots/${name}` });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    // Act
    const put = await api.request(signed.body.presigned_url, { method: 'PUT', body: utf8('signed') });
    // Assess
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await runArtifactList(api, runId, 'plots')).body.files).toEqual([{ path: `plots/${name}`, is_dir: false, file_size: 6 }]);
  });

  it.each(NAMES)('%s: a multipart upload of a local file with the name stores it under that name', async (_, name) => {
    // Prepare
    const api = await createTestApi(engine);
    const { root } = await createRun(api);
    // Act
    const completed = await multipartUpload(api, (url, init) => api.request(url, init), `${root}/big`, localPathOf(name), [utf8('one part, 19 bytes.')]);
    // Assess
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect((await listArtifacts(api, `${root}/big`)).body).toEqual({ files: [{ path: name, is_dir: false, file_size: 19 }] });
  });

  it('a name with an encoded # is refused with MLflow\'s 400 "Invalid path", and nothing is stored', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { root } = await createRun(api);
    // Act
    const put = await putArtifact(api, `${root}/x%23y.txt`, 'bytes');
    // Assess
    expect(put.status).toBe(400);
    expect(await put.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' });
    expect((await listArtifacts(api, root)).body).toEqual({});
  });

  it('a doubly encoded `..` is still refused: the check decodes until the path settles', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { root } = await createRun(api);
    // Act
    const put = await putArtifact(api, `${root}/%252E%252E/x.txt`, 'bytes');
    // Assess
    expect(put.status).toBe(400);
    expect(await put.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' });
  });
});

