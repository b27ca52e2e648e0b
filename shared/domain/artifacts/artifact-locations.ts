import { invalidParameter } from '../../errors/index.js';
import { checkStoreKey, MAX_ARTIFACT_KEY_BYTES, safeArtifactFolder, unquotePath, unquoteRepeatedly } from './artifact-paths.js';

/** Where the store sits, so that `s3://` artifact locations inside it can be served too. */
export interface StoreLocation {
  /** The bucket and key prefix of the S3 store; absent for the local store. */
  readonly s3?: { bucket: string; prefix: string };
}

/**
 * The store key of an artifact URI: `mlflow-artifacts:/<path>` (MLflow's proxied root, with or without a
 * host) maps to `<path>` decoded once; `s3://<bucket>/<prefix>/<path>` maps to `<path>` when it is inside Cairn's own
 * bucket and prefix. Any other location is the client's own storage, which the server does not reach.
 */
export const storeKeyOf = (uri: string, location: StoreLocation): string => {
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
  // The client puts this path in the proxied service's URLs, which the server decodes once: so does this.
  if (proxied) return safeArtifactFolder(unquotePath(proxied[1] ?? ''));
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (s3 && location.s3 && s3[1] === location.s3.bucket) {
    const prefix = location.s3.prefix ? `${location.s3.prefix}/` : '';
    const path = s3[2] ?? '';
    if (prefix === '' || path === location.s3.prefix || path.startsWith(prefix)) {
      return safeArtifactFolder(path.slice(prefix.length));
    }
  }
  // Not a server fault but a location Cairn does not hold: a 4xx, so no client retries it and no alarm counts it.
  throw invalidParameter(
    `The artifact location ${uri} is not in Cairn's artifact store; clients read and write it with their own credentials.`,
  );
};

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const MAX_LOCATION_LENGTH = 2048;

/**
 * An experiment's `artifact_location`, checked at experiments/create so that no run under it breaks later. MLflow
 * refuses `runs:/` URIs (_validate_experiment_artifact_location), fragments and `..` in the query (the create
 * handler), and turns a local path into a `file://` URI of the server's disk. Cairn also refuses:
 * - a local path or a `file:` URI: a serverless server has no disk its clients share;
 * - `.` and `..` segments anywhere in the path, percent-encoded or not (traversal out of the store or bucket);
 * - for `mlflow-artifacts:` (Cairn's own store), any path a store key could not be: reserved names, empty segments,
 *   segments over 255 bytes.
 * `s3://bucket/prefix` and every other scheme stay accepted as MLflow accepts them: the client writes there itself.
 */
export const validateArtifactLocation = (location: string | undefined): void => {
  if (!location) return;
  if (location.length > MAX_LOCATION_LENGTH) {
    throw invalidParameter(`Invalid artifact path length. The maximum length is ${MAX_LOCATION_LENGTH} characters.`);
  }
  if (location.startsWith('runs:')) throw invalidParameter(`Artifact location cannot be a runs:/ URI. Given: '${location}'`);
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  // One letter before ':' is a Windows drive (C:\data), a local path like any other.
  if (scheme === undefined || scheme.length === 1 || scheme === 'file') {
    throw invalidParameter(
      `Invalid artifact location: '${location}'. A local path or file: URI cannot be an artifact location on Cairn, ` +
        "which has no disk shared with its clients; use an s3:// URI, an mlflow-artifacts:/ URI, or leave it empty for Cairn's store.",
    );
  }
  const [beforeFragment = '', fragment] = location.split('#');
  const [address = '', query = ''] = beforeFragment.split('?');
  if (fragment !== undefined || query.includes('..')) throw invalidParameter(`Invalid artifact location: '${location}'`);
  const path = address.slice(scheme.length + 1).replace(/^\/\/[^/]*/, '');
  const decoded = unquoteRepeatedly(path);
  const traverses = decoded.text.split(/[/\\]/).some((segment) => segment === '.' || segment === '..');
  if (!decoded.settled || traverses) {
    throw invalidParameter(`Invalid artifact location: '${location}'. It must not contain '.' or '..' path segments.`);
  }
  if (scheme === 'mlflow-artifacts') checkStoreKey(storeKeyOf(location, {}), MAX_ARTIFACT_KEY_BYTES, true);
};

const RUN_ID = /^[0-9a-f]{32}$/;
const MODEL_ID = /^m-[0-9a-f]{32}$/;

export type ArtifactOwner = { kind: 'run'; id: string } | { kind: 'model'; id: string };

/**
 * The runs and logged models a proxied artifact path lies under, as MLflow lays them out:
 * `<experiment root>/<run id>/artifacts/...` and `<experiment root>/models/<model id>/artifacts/...`.
 * All of them, outermost first: a path can name one run's folder inside another's.
 */
export const ownersOfPath = (path: string): ArtifactOwner[] => {
  const segments = path.split('/');
  const owners: ArtifactOwner[] = [];
  for (let index = 0; index < segments.length - 1; index++) {
    if (segments[index + 1] !== 'artifacts') continue;
    const id = segments[index] ?? '';
    if (MODEL_ID.test(id) && segments[index - 1] === 'models') owners.push({ kind: 'model', id });
    else if (RUN_ID.test(id)) owners.push({ kind: 'run', id });
  }
  return owners;
};

export const requireOwnerId = (runId: string | undefined, modelId: string | undefined): ArtifactOwner => {
  if (Boolean(runId) === Boolean(modelId)) throw invalidParameter('Exactly one of run_id and model_id must be provided.');
  return runId ? { kind: 'run', id: runId } : { kind: 'model', id: modelId ?? '' };
};

/** MLflow's `append_to_uri_path`: joins with exactly one slash. */
export const appendToUri = (root: string, ...parts: string[]): string =>
  parts.reduce((uri, part) => (uri.endsWith('/') ? `${uri}${part}` : `${uri}/${part}`), root);
