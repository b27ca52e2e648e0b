/**
 * Drives Cairn's artifact routes the way the MLflow Python client does (mlflow-api.md section 6): PUT/GET/list on
 * the proxied service, multipart uploads whose parts go to the URLs the server hands out with plain requests.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestApi } from './test-api.js';

export const MLFLOW = '/api/2.0/mlflow';
export const PROXY = '/api/2.0/mlflow-artifacts';
export const MiB = 1024 * 1024;

/** Sends a request to a URL the server handed out: the in-process app for the local store, real fetch for S3. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** The `error_code` of a JSON error answer. */
export const errorCodeOf = async (response: Response): Promise<unknown> => ((await response.json()) as { error_code?: unknown }).error_code;
export const bytesOf = async (response: Response): Promise<Uint8Array> => new Uint8Array(await response.arrayBuffer());

/**
 * The path as `requests` puts it on the wire: characters that are illegal in a URL (space, non-ASCII as UTF-8)
 * are percent-encoded, '/' and already-encoded escapes are kept. encodeURI does that for the names these tests use.
 */
export const asRequestsSends = (path: string): string => encodeURI(path);

export interface TestRun {
  runId: string;
  experimentId: string;
  artifactUri: string;
  /** The run's artifact root as a proxied path: `<experiment>/<run>/artifacts`. */
  root: string;
}

/** The proxied path of an `mlflow-artifacts:/...` URI. */
export const proxiedPath = (uri: string): string => uri.replace(/^mlflow-artifacts:\/+/, '');

export async function createRun(api: TestApi, experimentId = '0'): Promise<TestRun> {
  const created = await api.call('POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId, start_time: 1 });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const info = created.body.run.info;
  return { runId: info.run_id, experimentId, artifactUri: info.artifact_uri, root: proxiedPath(info.artifact_uri) };
}

/** A logged model of experiment 0: its id and its artifact root as a proxied path. */
export async function createLoggedModel(api: TestApi): Promise<{ modelId: string; root: string }> {
  const created = await api.call('POST', `${MLFLOW}/logged-models`, { experiment_id: '0', name: 'model' });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return { modelId: created.body.model.info.model_id, root: proxiedPath(created.body.model.info.artifact_uri) };
}

/** PUT of one file, as `HttpArtifactRepository.log_artifact` sends it; `path` is already encoded as sent. */
export const putArtifact = (api: TestApi, encodedPath: string, body: Uint8Array | string, contentType = 'application/octet-stream') =>
  api.request(`${PROXY}/artifacts/${encodedPath}`, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? utf8(body) : body,
  });

/** PUT that must succeed with `{}`. */
export async function uploadArtifact(api: TestApi, path: string, body: Uint8Array | string): Promise<void> {
  const response = await putArtifact(api, asRequestsSends(path), body);
  expect(response.status, await response.clone().text()).toBe(200);
}

export const getArtifact = (api: TestApi, encodedPath: string) => api.request(`${PROXY}/artifacts/${encodedPath}`);

/** Uploads `body` at `path` (encoded as requests sends it), downloads it back, and answers the download's bytes. */
export async function roundTrip(api: TestApi, path: string, body: Uint8Array | string): Promise<Uint8Array> {
  await uploadArtifact(api, path, body);
  const response = await getArtifact(api, asRequestsSends(path));
  expect(response.status, await response.clone().text()).toBe(200);
  return bytesOf(response);
}

/** Every file a local-store test API holds, relative paths under its store root. */
export const storedFiles = async (api: TestApi): Promise<string[]> =>
  (await readdir(join(api.artifactDir, 'artifacts'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

/** GET /mlflow-artifacts/artifacts?path=... (the path is query-encoded here, as `requests` does with `params`). */
export const listArtifacts = (api: TestApi, path: string) => api.call('GET', `${PROXY}/artifacts`, { path });

/** Splits `data` into parts of `partSize` bytes, the last one smaller, as the client does with its chunk size. */
export function split(data: Uint8Array, partSize: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let start = 0; start < data.length; start += partSize) parts.push(data.subarray(start, start + partSize));
  return parts;
}

/** PUTs each part to its credential's URL with no MLflow auth and answers the parts to complete with (ETag quotes kept). */
export async function putParts(fetcher: Fetcher, credentials: { url: string }[], parts: Uint8Array[]) {
  return Promise.all(
    parts.map(async (bytes, index) => {
      const url = credentials[index]!.url;
      const response = await fetcher(url, { method: 'PUT', body: bytes });
      expect(response.status, await response.clone().text()).toBe(200);
      return { part_number: index + 1, etag: response.headers.get('etag') ?? '', url };
    }),
  );
}

/** mpu/create, parts, mpu/complete for `<folder>/<basename of localPath>`; answers the status and body of complete. */
export async function multipartUpload(api: TestApi, fetcher: Fetcher, folder: string, localPath: string, parts: Uint8Array[]) {
  const created = await api.call('POST', `${PROXY}/mpu/create/${folder}`, { path: localPath, num_parts: parts.length });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const uploaded = await putParts(fetcher, created.body.credentials, parts);
  return api.call('POST', `${PROXY}/mpu/complete/${folder}`, { path: localPath, upload_id: created.body.upload_id, parts: uploaded });
}
