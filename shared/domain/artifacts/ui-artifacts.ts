import type { Readable } from 'node:stream';
import { invalidParameter, missingParameter } from '../../errors/index.js';
import type { ByteRangeSpec } from './byte-range.js';
import { joinArtifactPath, safeArtifactFolder, safeArtifactPath } from './artifact-paths.js';
import { downloadKey, ownerRootKey, type ArtifactDeps, type Download } from './artifacts.js';
import type { TrackingPorts } from '../tracking/ports.js';

type ArtifactOwners = Pick<TrackingPorts, 'runs' | 'loggedModels'>;

/** MLflow's upload_artifact_handler takes at most 10 MB in one request. */
export const MAX_UI_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * MLflow's `POST /ajax-api/2.0/mlflow/upload-artifact?run_uuid=&path=`: the UI's upload of one small file into a
 * run's artifacts, refused past 10 MB or without a body, in the handler's words.
 */
export const uploadRunArtifact = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  request: { runId: string | undefined; path: string | undefined; contentLength: number | undefined },
  readBody: () => Promise<Uint8Array>,
): Promise<void> => {
  if (!request.runId) throw invalidParameter('Request must specify run_uuid.');
  if (!request.path) throw invalidParameter('Request must specify path.');
  const relative = safeArtifactPath(request.path);
  if ((request.contentLength ?? 0) > MAX_UI_UPLOAD_BYTES) throw invalidParameter('Artifact size is too large. Max size is 10MB.');
  const { key } = await ownerRootKey(tracking, artifacts, { kind: 'run', id: request.runId }, true);
  const data = await readBody();
  if (data.byteLength === 0) throw invalidParameter('Request must specify data.');
  if (data.byteLength > MAX_UI_UPLOAD_BYTES) throw invalidParameter('Artifact size is too large. Max size is 10MB.');
  await artifacts.store.put(joinArtifactPath(key, relative), data as Uint8Array | Readable, { contentLength: data.byteLength });
};

/**
 * MLflow's `GET /ajax-api/2.0/mlflow/logged-models/<id>/artifacts/directories`: the files of a logged model's
 * folder, paths relative to the model's root, and that root.
 */
export const listLoggedModelArtifacts = async (tracking: ArtifactOwners, artifacts: ArtifactDeps, modelId: string, path?: string) => {
  const folder = safeArtifactFolder(path);
  const { root, key } = await ownerRootKey(tracking, artifacts, { kind: 'model', id: modelId }, false);
  const entries = await artifacts.store.list(joinArtifactPath(key, folder));
  return { rootUri: root, files: entries.map((e) => ({ ...e, path: joinArtifactPath(folder, e.name) })) };
};

/** MLflow's `GET /ajax-api/2.0/mlflow/logged-models/<id>/artifacts/files?artifact_file_path=`: one file, as /get-artifact sends it. */
export const getLoggedModelArtifact = async (
  tracking: ArtifactOwners,
  artifacts: ArtifactDeps,
  modelId: string,
  path: string | undefined,
  range?: ByteRangeSpec,
): Promise<Download> => {
  if (!path) throw missingParameter('artifact_file_path');
  const relative = safeArtifactPath(path);
  const { key } = await ownerRootKey(tracking, artifacts, { kind: 'model', id: modelId }, false);
  return downloadKey(artifacts, joinArtifactPath(key, relative), range);
};

