import type { Readable } from 'node:stream';
import { invalidParameter, loggedModelNotFound, MlflowError, notFound, runNotActive, runNotFound } from '../../errors/index.js';
import { ArtifactStoreError, type ArtifactEntry, type ArtifactStore } from './ports.js';
import type { ByteRange, ByteRangeSpec } from './byte-range.js';
import { basename, clientFileName, joinArtifactPath, safeArtifactFolder, safeArtifactPath } from './artifact-paths.js';
import { artifactContentType } from './mime-types.js';
import { ownersOfPath, storeKeyOf, type ArtifactOwner, type StoreLocation } from './artifact-locations.js';
import { getModelVersionDownloadUri } from '../registry/model-versions.js';
import type { TrackingPorts } from '../tracking/ports.js';

/** The runs and logged models that own artifacts: whether they exist, are deleted, and where their root is. */
type ArtifactOwners = Pick<TrackingPorts, 'runs' | 'loggedModels'>;

/** What the artifact use cases need besides the runs and logged models that own the artifacts. */
export interface ArtifactDeps extends StoreLocation {
  readonly store: ArtifactStore;
  /** 'redirect': answer downloads with a presigned GET (AWS); 'stream': send the bytes (local). */
  readonly downloads: 'redirect' | 'stream';
  /** Lifetime of every URL Cairn hands out, and the most a caller may ask for. @default 900 */
  readonly urlExpirySeconds: number;
  /** Largest body a proxied PUT may carry (Lambda's payload limit in AWS); unlimited when absent. */
  readonly maxProxyUploadBytes?: number;
}

/**
 * Proxied upload (PUT .../mlflow-artifacts/artifacts/<path>): refused for a deleted run or model, and,
 * past `maxProxyUploadBytes`, from the declared length before the body is read.
 */
export const uploadArtifact = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  path: string,
  contentLength: number | undefined,
  readBody: () => Promise<Readable | Uint8Array>,
): Promise<void> => {
  const key = safeArtifactPath(path);
  if (artifacts.maxProxyUploadBytes !== undefined && (contentLength ?? 0) > artifacts.maxProxyUploadBytes) {
    throw invalidParameter(
      `The artifact is ${contentLength} bytes, more than this server takes in one request (${artifacts.maxProxyUploadBytes}). ` +
        'Set MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true and MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=4194304 in the client, ' +
        'so that larger files go straight to storage in parts.',
    );
  }
  await requireWritableOwners(tracking, ownersOfPath(key));
  await artifacts.store.put(key, await readBody(), { contentLength });
};

/**
 * A download: a redirect to a presigned URL (the store answers `Range` itself), or the bytes, with `range`
 * when a range was asked and read (artifact `Range` rules: byte-range.ts).
 */
export type Download =
  | { kind: 'redirect'; url: string }
  | { kind: 'stream'; body: Readable; size: number; contentType: string; fileName: string; range?: ByteRange | 'unsatisfiable' };

/** Proxied download (GET .../mlflow-artifacts/artifacts/<path>), `path` decoded once from the URL. */
export const downloadArtifact = (artifacts: ArtifactDeps, path: string, range?: ByteRangeSpec): Promise<Download> =>
  downloadKey(artifacts, safeArtifactPath(path), range);

/** The download of a store key that is already checked (decoding it again would change `%25` names). */
export const downloadKey = async (artifacts: ArtifactDeps, key: string, range?: ByteRangeSpec): Promise<Download> => {
  const fileName = basename(key);
  if (artifacts.downloads === 'redirect') {
    const url = await artifacts.store.presignGet(key, artifacts.urlExpirySeconds, {
      filename: fileName,
      contentType: artifactContentType(fileName),
    });
    return { kind: 'redirect', url };
  }
  const object = await artifacts.store.get(key, range);
  if (!object) throw notFound(`No such file or directory: '${key}'`);
  const download = { kind: 'stream' as const, body: object.body, size: object.size, contentType: artifactContentType(fileName), fileName };
  return object.range ? { ...download, range: object.range } : download;
};

/** Immediate children, names relative to the folder; a file or a missing folder lists nothing. */
export const listArtifacts = (artifacts: ArtifactDeps, path: string | undefined): Promise<ArtifactEntry[]> =>
  artifacts.store.list(safeArtifactFolder(path));

export const deleteArtifact = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, path: string): Promise<void> => {
  const key = safeArtifactPath(path);
  await requireWritableOwners(tracking, ownersOfPath(key));
  await artifacts.store.delete(key);
};

/** Proxied multipart upload: the object is `<folder>/<file name of the client's local path>`. */
export const createMultipartUpload = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  folder: string,
  localPath: string,
  parts: number,
) => {
  if (!Number.isInteger(parts) || parts < 1 || parts > 10_000) {
    throw invalidParameter(`num_parts must be between 1 and 10000, got ${parts}.`);
  }
  const key = joinArtifactPath(safeArtifactFolder(folder), clientFileName(localPath));
  await requireWritableOwners(tracking, ownersOfPath(key));
  const uploadId = await artifacts.store.createMultipartUpload(key);
  const urls = await artifacts.store.presignUploadParts(key, uploadId, parts, artifacts.urlExpirySeconds);
  return { uploadId, credentials: urls.map((url, index) => ({ url, partNumber: index + 1 })) };
};

/** Store errors a caller caused (a wrong ETag, an upload that is gone) become MLflow errors, never a 5xx. */
const translateStoreError = (error: unknown): unknown => {
  if (!(error instanceof ArtifactStoreError)) return error;
  if (error.kind === 'NoSuchUpload') return notFound(`Multipart upload not found: ${error.message}`);
  return invalidParameter(error.message);
};

/** Refused, like every write, once the run or logged model is deleted: parts uploaded before the delete never become a file. */
export const completeMultipartUpload = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  folder: string,
  localPath: string,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
) => {
  const key = joinArtifactPath(safeArtifactFolder(folder), clientFileName(localPath));
  await requireWritableOwners(tracking, ownersOfPath(key));
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  await artifacts.store.completeMultipartUpload(key, uploadId, sorted).catch((error: unknown) => {
    throw translateStoreError(error);
  });
};

export const abortMultipartUpload = async (artifacts: ArtifactDeps, folder: string, localPath: string, uploadId: string) => {
  const key = joinArtifactPath(safeArtifactFolder(folder), clientFileName(localPath));
  await artifacts.store.abortMultipartUpload(key, uploadId).catch((error: unknown) => {
    throw translateStoreError(error);
  });
};

/** The artifact root of a run or logged model, as a store key. */
export const ownerRootKey = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, owner: ArtifactOwner, forWrite: boolean) => {
  if (owner.kind === 'run') {
    const info = await tracking.runs.getInfo(owner.id);
    if (!info) throw runNotFound(owner.id);
    if (forWrite && info.lifecycleStage !== 'active') throw runNotActive(owner.id);
    return { root: info.artifactUri, key: storeKeyOf(info.artifactUri, artifacts) };
  }
  const model = await tracking.loggedModels.get(owner.id);
  if (!model) throw loggedModelNotFound(owner.id);
  return { root: model.artifactUri, key: storeKeyOf(model.artifactUri, artifacts) };
};

const clampExpiry = (artifacts: ArtifactDeps, requested: number | undefined) => {
  if (requested !== undefined && requested < 1) throw invalidParameter(`expiration must be a positive number of seconds, got ${requested}.`);
  return Math.min(requested ?? artifacts.urlExpirySeconds, artifacts.urlExpirySeconds);
};

/** The store key of one file under the owner's root (a write needs an active owner). */
const ownerFileKey = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, owner: ArtifactOwner, path: string, forWrite: boolean) => {
  const { key } = await ownerRootKey(tracking, artifacts, owner, forWrite);
  return joinArtifactPath(key, safeArtifactPath(path));
};

/** POST /mlflow/artifacts/presigned-upload-url: a PUT URL for exactly one key under the owner's root. */
export const presignedUploadUrl = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  owner: ArtifactOwner,
  path: string,
  expiration?: number,
) => {
  const fileKey = await ownerFileKey(tracking, artifacts, owner, path, true);
  const url = await artifacts.store.presignPut(fileKey, clampExpiry(artifacts, expiration));
  return { url };
};

/** POST /mlflow/artifacts/presigned-download-url: a GET URL for one file of the owner, and its size. */
export const presignedDownloadUrl = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  owner: ArtifactOwner,
  path: string,
  expiration?: number,
) => {
  const fileKey = await ownerFileKey(tracking, artifacts, owner, path, false);
  // Signing first lets the store refuse a key it cannot hold before the listing answers "no such file".
  const url = await artifacts.store.presignGet(fileKey, clampExpiry(artifacts, expiration), { filename: basename(fileKey) });
  const parent = fileKey.slice(0, Math.max(0, fileKey.lastIndexOf('/')));
  const entry = (await artifacts.store.list(parent)).find((e) => e.name === basename(fileKey) && !e.isDir);
  if (!entry) throw notFound(`No such file: '${path}'`);
  return { url, size: entry.size };
};

/** GET /mlflow/artifacts/list: a run's artifacts with paths relative to the run's root. */
export const listRunArtifacts = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, runId: string, path?: string) => {
  const folder = safeArtifactFolder(path);
  const { root, key } = await ownerRootKey(tracking, artifacts, { kind: 'run', id: runId }, false);
  const entries = await artifacts.store.list(joinArtifactPath(key, folder));
  return { rootUri: root, files: entries.map((e) => ({ ...e, path: joinArtifactPath(folder, e.name) })) };
};

/** GET /get-artifact: one file of a run. */
export const getRunArtifact = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, runId: string, path: string, range?: ByteRangeSpec) => {
  const relative = safeArtifactPath(path);
  const { key } = await ownerRootKey(tracking, artifacts, { kind: 'run', id: runId }, false);
  return downloadKey(artifacts, joinArtifactPath(key, relative), range);
};

/**
 * Refuses a write to the store key `key` when a run or logged model it lies under is deleted: the check of every
 * upload path, including the local store's signed URLs (handed out before the delete, used after it).
 */
export const requireWritableKey = (tracking: ArtifactOwners, key: string): Promise<void> => requireWritableOwners(tracking, ownersOfPath(key));

const requireWritableOwners = async (tracking: ArtifactOwners, owners: ArtifactOwner[]) => {
  for (const owner of owners) await requireWritableOwner(tracking, owner);
};

const requireWritableOwner = async (tracking: ArtifactOwners, owner: ArtifactOwner) => {
  if (owner.kind === 'run') {
    const info = await tracking.runs.getInfo(owner.id);
    if (info && info.lifecycleStage !== 'active') throw runNotActive(owner.id);
    return;
  }
  const model = await tracking.loggedModels.get(owner.id);
  if (model === undefined && (await tracking.loggedModels.exists(owner.id))) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Logged model with ID '${owner.id}' is deleted.`);
  }
};

/** GET /model-versions/get-artifact: one file of a registered model version, from its download URI. */
export const getModelVersionArtifact = async (
  registry: Parameters<typeof getModelVersionDownloadUri>[0] & Pick<TrackingPorts, 'runs'>,
  artifacts: ArtifactDeps,
  name: string,
  version: string,
  path: string,
  range?: ByteRangeSpec,
) => {
  // MLflow checks the path before it looks the version up: a traversal is "Invalid path" whatever the version.
  const relative = safeArtifactPath(path);
  const uri = await underlyingUri(registry, await getModelVersionDownloadUri(registry, name, version));
  return downloadKey(artifacts, joinArtifactPath(storeKeyOf(uri, artifacts), relative), range);
};

/**
 * A `runs:/<run id>/<path>` download URI (a version registered from a run's URI as it was, e.g. imported from
 * MLflow) as the files' own location, the run's artifact root and the path: MLflow's server reads it through its
 * RunsArtifactRepository the same way.
 */
const underlyingUri = async (tracking: Pick<TrackingPorts, 'runs'>, uri: string): Promise<string> => {
  const match = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) return uri;
  const runId = match[1] ?? '';
  const info = await tracking.runs.getInfo(runId);
  if (!info) throw runNotFound(runId);
  const path = (match[2] ?? '').replace(/\/+$/, '');
  return path === '' ? info.artifactUri : `${info.artifactUri.replace(/\/+$/, '')}/${path}`;
};
