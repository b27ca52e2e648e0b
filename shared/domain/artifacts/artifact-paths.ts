import { invalidParameter } from '../../errors/index.js';

/** The longest segment a filesystem takes (NAME_MAX), in UTF-8 bytes. */
export const MAX_ARTIFACT_SEGMENT_BYTES = 255;
/** The longest key S3 takes, in UTF-8 bytes; a store may allow fewer (its own prefix counts, see ArtifactStore.maxKeyBytes). */
export const MAX_ARTIFACT_KEY_BYTES = 1024;
/** Top-level folder the stores keep for themselves (the local store's multipart uploads in progress). */
export const RESERVED_ARTIFACT_ROOT = '.uploads';
/** Files the local store is still writing: hidden from listings, so no artifact may be named like them. */
export const TEMP_ARTIFACT_PREFIX = '.cairn-tmp-';

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * MLflow's `validate_path_is_safe` (mlflow/utils/uri.py), made stricter as Cairn stores keys, not files.
 * `path` is the path as the request carried it once its transport decoding is done (a URL path decoded once by
 * `unquotePath`, as Werkzeug does; a query or JSON field as parsed): that is the key stores see, and it is
 * returned unchanged. The check runs on it and, as MLflow's does, on it decoded until nothing changes
 * (`%252e%252e` is `..` too): no absolute path or drive letter, no `..` or `.` segments, no backslash, `#` or
 * NUL; the key itself has no empty segments either. Every refusal is MLflow's exact "Invalid path".
 */
export const safeArtifactPath = (path: string): string => {
  if (utf8Length(path) > MAX_ARTIFACT_KEY_BYTES) {
    throw invalidParameter(`Invalid path: the artifact path is ${utf8Length(path)} bytes long; the limit is ${MAX_ARTIFACT_KEY_BYTES} bytes.`);
  }
  const decoded = unquoteRepeatedly(path);
  if (!decoded.settled || unsafeForm(decoded.text) || unsafeForm(path) || path.split('/').includes('')) {
    throw invalidParameter(INVALID_PATH);
  }
  return path;
};

/** MLflow's whole message for an unsafe artifact path. */
export const INVALID_PATH = 'Invalid path';

const unsafeForm = (path: string): boolean =>
  path === '' ||
  path.startsWith('/') ||
  /^[a-zA-Z]:/.test(path) ||
  /[\\#\0]/.test(path) ||
  path.split('/').some((segment) => segment === '.' || segment === '..');

/** Like safeArtifactPath, but '' (and a trailing '/') mean the folder itself. */
export const safeArtifactFolder = (path: string | undefined): string => {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  return trimmed === '' ? '' : safeArtifactPath(trimmed);
};

/**
 * Python's `unquote`, which Werkzeug applies once to a URL path and MLflow repeats to check one: `%XX` runs become
 * their UTF-8 text (bytes that are not UTF-8 become U+FFFD), and a `%` not followed by two hex digits stays as it
 * is (a file may be called `top 5%.csv`).
 */
export const unquotePath = (text: string): string =>
  text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));

/**
 * `unquote` until nothing changes (doubly encoded `%252e%252e` is `..` too), at most 10 rounds: `settled`
 * says whether it stopped changing.
 */
export const unquoteRepeatedly = (text: string): { text: string; settled: boolean } => {
  let current = text;
  for (let round = 0; round < 10; round++) {
    const next = unquotePath(current);
    if (next === current) return { text: current, settled: true };
    current = next;
  }
  return { text: current, settled: false };
};

/**
 * The one rule every store key obeys, whichever route or store it comes through: a safe path (see
 * safeArtifactPath, already decoded), not under the reserved `.uploads` folder, no segment named like a temp file,
 * segments of at most 255 bytes and the whole key at most `maxBytes`. '' is the root (a folder only) when
 * `allowRoot`. Every breach is INVALID_PARAMETER_VALUE: a caller's path never reaches the filesystem or S3 unchecked.
 */
export const checkStoreKey = (key: string, maxBytes: number, allowRoot = false): string => {
  if (key === '' && allowRoot) return key;
  const segments = key.split('/');
  const long = segments.find((s) => utf8Length(s) > MAX_ARTIFACT_SEGMENT_BYTES);
  if (long !== undefined) {
    throw invalidParameter(
      `Invalid path: the name '${long.slice(0, 64)}...' is ${utf8Length(long)} bytes long; the limit is ${MAX_ARTIFACT_SEGMENT_BYTES} bytes.`,
    );
  }
  if (utf8Length(key) > maxBytes) {
    throw invalidParameter(`Invalid path: the artifact path is ${utf8Length(key)} bytes long; the limit is ${maxBytes} bytes.`);
  }
  if (key === '' || key.startsWith('/') || /[\\\0]/.test(key) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw invalidParameter(`Invalid path: ${key}`);
  }
  if (segments[0] === RESERVED_ARTIFACT_ROOT || segments.some((s) => s.startsWith(TEMP_ARTIFACT_PREFIX))) {
    throw invalidParameter(
      `Invalid path: ${key}. '${RESERVED_ARTIFACT_ROOT}' at the top of the store and names starting with '${TEMP_ARTIFACT_PREFIX}' are reserved.`,
    );
  }
  return key;
};

export const joinArtifactPath = (...parts: string[]): string => parts.filter((part) => part !== '').join('/');

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The file name a client sent as a local path, from Windows or POSIX (`C:\\data\\x.bin` → `x.bin`). */
export const clientFileName = (localPath: string): string => {
  const name = localPath.split(/[\\/]/).pop() ?? '';
  return safeArtifactPath(name);
};
