/**
 * From an artifact root URI (a run's `artifact_uri`, a logged model's `artifact_uri`) to the requests that
 * list and download its files through an MLflow server.
 *
 * - `mlflow-artifacts:/<p>` (the default root of `mlflow server`, artifacts proxied by the server): as MLflow's
 *   `MlflowArtifactsRepository.resolve_uri` does, `<tracking scheme>://<tracking host><tracking path>
 *   /api/2.0/mlflow-artifacts/artifacts/<p>`; a host in the URI (`mlflow-artifacts://h:5000/<p>`) replaces the
 *   tracking host. Listing: `GET …/mlflow-artifacts/artifacts?path=<p>/<dir>` (direct children, basenames);
 *   download: `GET …/mlflow-artifacts/artifacts/<p>/<file>`.
 * - `http(s)://…/api/2.0/mlflow-artifacts/artifacts/<p>`: the same protocol at that address (credentials are
 *   sent only when it is the tracking server's own origin).
 * - anything else (`s3://`, `gs://`, `file:`, `dbfs:`, …: storage the server reads with its own credentials):
 *   through the owner. A run: `GET /api/2.0/mlflow/artifacts/list?run_id=&path=` (run-relative paths, paged)
 *   and `GET /get-artifact?run_id=&path=`. A logged model: `GET /api/2.0/mlflow/logged-models/<id>/artifacts/
 *   directories?artifact_directory_path=` and `GET /ajax-api/2.0/mlflow/logged-models/<id>/artifacts/files?
 *   artifact_file_path=` (MLflow 3 servers). The owner is the run or model the source listed with that root,
 *   else read from the URI's tail (`…/<run_id>/artifacts`, `…/models/<m-id>/artifacts`, MLflow's layout).
 */

export type ArtifactOwner = { readonly kind: 'run'; readonly runId: string } | { readonly kind: 'model'; readonly modelId: string };

export type ArtifactRoute =
  | {
      readonly kind: 'proxied';
      /** `…/api/2.0/mlflow-artifacts/artifacts`, without a trailing slash. */
      readonly base: string;
      /** The root below it, `/`-separated, no leading or trailing slash ('' for the store's root). */
      readonly rootPath: string;
    }
  | ArtifactOwner;

/** `'auto'`: the proxied routes where the root allows them, the owner's otherwise; `'owner'`: always the owner's. */
export type ArtifactAccess = 'auto' | 'owner';

const PROXY_PATH = '/api/2.0/mlflow-artifacts/artifacts';
const MLFLOW_ARTIFACTS = /^mlflow-artifacts:(?:\/\/([^/]*))?(\/.*)?$/u;
const RUN_ROOT = /\/([0-9a-f]{32})\/artifacts\/?$/u;
const MODEL_ROOT = /\/models\/(m-[0-9a-f]{32})\/artifacts\/?$/u;

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/gu, '');

/** Where `mlflow-artifacts:` and http(s) proxy roots are served; undefined for roots only the owner can read. */
export const proxiedRouteOf = (rootUri: string, trackingUrl: string): Extract<ArtifactRoute, { kind: 'proxied' }> | undefined => {
  const scheme = MLFLOW_ARTIFACTS.exec(rootUri);
  if (scheme) {
    const tracking = new URL(trackingUrl);
    const host = scheme[1] || tracking.host;
    const prefix = tracking.pathname.replace(/\/+$/u, '');
    return { kind: 'proxied', base: `${tracking.protocol}//${host}${prefix}${PROXY_PATH}`, rootPath: trimSlashes(scheme[2] ?? '') };
  }
  if (/^https?:\/\//u.test(rootUri)) {
    const url = new URL(rootUri);
    const at = url.pathname.indexOf(PROXY_PATH);
    if (at < 0 || url.search) return undefined;
    const rest = url.pathname.slice(at + PROXY_PATH.length);
    if (rest !== '' && !rest.startsWith('/')) return undefined;
    return {
      kind: 'proxied',
      base: `${url.origin}${url.pathname.slice(0, at)}${PROXY_PATH}`,
      rootPath: trimSlashes(rest).split('/').map((segment) => decodeURIComponent(segment)).join('/'),
    };
  }
  return undefined;
};

/** The run or logged model an artifact root belongs to, by MLflow's layout of artifact URIs. */
export const ownerFromUri = (rootUri: string): ArtifactOwner | undefined => {
  const model = MODEL_ROOT.exec(rootUri);
  if (model) return { kind: 'model', modelId: model[1] as string };
  const run = RUN_ROOT.exec(rootUri);
  if (run) return { kind: 'run', runId: run[1] as string };
  return undefined;
};

export const routeOf = (
  rootUri: string,
  trackingUrl: string,
  knownOwner: ArtifactOwner | undefined,
  access: ArtifactAccess,
): ArtifactRoute => {
  const proxied = access === 'auto' ? proxiedRouteOf(rootUri, trackingUrl) : undefined;
  if (proxied) return proxied;
  const owner = knownOwner ?? ownerFromUri(rootUri);
  if (owner) return owner;
  throw new Error(
    `artifact root ${rootUri} cannot be read through the MLflow server: it is not served by the server's artifact proxy ` +
      '(mlflow-artifacts:) and belongs to no run or logged model the source listed',
  );
};

/** Percent-encodes each segment of a `/`-separated path for a URL path. */
export const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export const joinPath = (...parts: string[]) => parts.filter((part) => part !== '').join('/');

/**
 * Refuses a path a server answered that would escape the root once written elsewhere (`..`, absolute,
 * backslashes, empty segments).
 */
export const assertSafeRelativePath = (path: string, rootUri: string): string => {
  const segments = path.split('/');
  if (path === '' || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`the server listed an unsafe artifact path ${JSON.stringify(path)} under ${rootUri}`);
  }
  return path;
};
