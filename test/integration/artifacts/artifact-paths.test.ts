/**
 * How artifact paths travel: names with spaces, unicode and `%` as `requests` puts them on the wire, the download
 * file name of names that are not HTTP tokens, and the unsafe paths the proxied service refuses (mlflow-api.md 6.2).
 */
import { describe, expect, it } from 'vitest';
import {
  asRequestsSends,
  createRun,
  errorCodeOf,
  getArtifact,
  listArtifacts,
  PROXY,
  putArtifact,
  roundTrip,
  sha256,
  storedFiles,
  uploadArtifact,
  utf8,
} from '../../support/artifact-client.js';
import { createTestApi, type TestApi } from '../../support/test-api.js';

describe('artifact names as requests encodes them (local store)', () => {
  it('names with spaces and unicode, percent-encoded as requests sends them, round-trip and list decoded', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const data = utf8('données ✓');
    // Act
    const downloaded = await roundTrip(api, `${root}/my plots/résumé 模型 ✓.txt`, data);
    // Assess
    expect(sha256(downloaded)).toBe(sha256(data));
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: 'my plots', is_dir: true }] });
    expect((await listArtifacts(api, `${root}/my plots`)).body).toEqual({
      files: [{ path: 'résumé 模型 ✓.txt', is_dir: false, file_size: data.byteLength }],
    });
  });

  it('a name with a literal %, sent raw as requests does, is stored under that name', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const response = await putArtifact(api, `${root}/top%205%.csv`, 'a,b\n');
    // Assess
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await listArtifacts(api, root)).body).toEqual({ files: [{ path: 'top 5%.csv', is_dir: false, file_size: 4 }] });
  });
});

describe('download file names that are not HTTP tokens (local store)', () => {
  it('an ASCII name with a space is sent unquoted, as MLflow sends it', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    await uploadArtifact(api, `${root}/loss curve.png`, 'png');
    // Act
    const response = await getArtifact(api, asRequestsSends(`${root}/loss curve.png`));
    // Assess
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=loss curve.png');
  });

  it('a non-ASCII name is sent with an RFC 5987 filename* holding the exact name', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    const name = 'modèle 模型.txt';
    await uploadArtifact(api, `${root}/${name}`, 'x');
    // Act
    const response = await getArtifact(api, asRequestsSends(`${root}/${name}`));
    // Assess
    expect(response.status).toBe(200);
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.slice(disposition.indexOf("UTF-8''") + 7))).toBe(name);
  });
});

/** Unsafe paths, as they reach the server (WHATWG URLs collapse a literal `..` segment before it is sent). */
const UNSAFE: [string, (root: string) => string][] = [
  ['a `..` segment', (root) => `${root}/..%2F..%2Fother%2Fx.txt`],
  ['an absolute path (%2F)', () => '%2Fetc%2Fpasswd'],
  ['a backslash', (root) => `${root}/a%5C..%5Cx.txt`],
  ['a NUL byte', (root) => `${root}/x%00.txt`],
  ['an empty segment', (root) => `${root}//x.txt`],
  ['a double-encoded `..`', (root) => `${root}/%252E%252E%252F%252E%252E%252Fx.txt`],
];

/** Each way a path reaches the server: the download/upload/delete URL path, or the listing's `path` query. */
const SENDERS: [string, (api: TestApi, path: string) => Promise<Response>][] = [
  ['a PUT', (api, path) => putArtifact(api, path, 'payload')],
  ['a GET', (api, path) => getArtifact(api, path)],
  ['a DELETE', (api, path) => api.request(`${PROXY}/artifacts/${path}`, { method: 'DELETE' })],
  ['a listing', (api, path) => api.request(`${PROXY}/artifacts?path=${path}`)],
];
const UNSAFE_REQUESTS = SENDERS.flatMap(([method, send]) => UNSAFE.map(([what, pathOf]) => [method, what, send, pathOf] as const));

describe('unsafe artifact paths (local store)', () => {
  it.each(UNSAFE_REQUESTS)('%s of a path with %s is refused with 400 INVALID_PARAMETER_VALUE', async (_, __, send, pathOf) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    const response = await send(api, pathOf(root));
    // Assess
    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('INVALID_PARAMETER_VALUE');
  });

  it.each(UNSAFE)('a refused PUT of a path with %s stores nothing', async (_, pathOf) => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const { root } = await createRun(api);
    // Act
    await putArtifact(api, pathOf(root), 'payload');
    // Assess
    expect(await storedFiles(api)).toEqual([]);
  });
});

