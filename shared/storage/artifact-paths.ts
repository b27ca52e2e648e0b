import { invalidParameter } from '../errors/index.js';

/**
 * MLflow's `validate_path_is_safe` (mlflow/utils/uri.py), made stricter as Cairn stores keys, not files:
 * after decoding percent-escapes until nothing changes, a path must not be absolute or carry a drive
 * letter, and must not contain `..` or `.` segments, empty segments, backslashes, `#`, or NUL.
 * Returns the decoded path, which is what stores see.
 */
export const safeArtifactPath = (path: string): string => {
  const decoded = decodeRepeatedly(path);
  const segments = decoded.split('/');
  const unsafe =
    decoded === '' ||
    decoded.startsWith('/') ||
    /^[a-zA-Z]:/.test(decoded) ||
    /[\\#\0]/.test(decoded) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) throw invalidParameter(`Invalid path: ${path}`);
  return decoded;
};

/** Like safeArtifactPath, but '' (and a trailing '/') mean the folder itself. */
export const safeArtifactFolder = (path: string | undefined): string => {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  return trimmed === '' ? '' : safeArtifactPath(trimmed);
};

/**
 * Python's `unquote`, which MLflow uses: `%XX` runs become their UTF-8 text, and a `%` not followed by two
 * hex digits stays as it is (a file may be called `top 5%.csv`).
 */
const unquote = (text: string): string =>
  text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));

/**
 * `unquote` until nothing changes (doubly encoded `%252e%252e` is `..` too), at most 10 rounds: `settled`
 * says whether it stopped changing.
 */
export const unquoteRepeatedly = (text: string): { text: string; settled: boolean } => {
  let current = text;
  for (let round = 0; round < 10; round++) {
    const next = unquote(current);
    if (next === current) return { text: current, settled: true };
    current = next;
  }
  return { text: current, settled: false };
};

const decodeRepeatedly = (path: string): string => {
  const { text, settled } = unquoteRepeatedly(path);
  if (!settled) throw invalidParameter(`Invalid path: ${path}`);
  return text;
};

export const joinArtifactPath = (...parts: string[]): string => parts.filter((part) => part !== '').join('/');

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The file name a client sent as a local path, from Windows or POSIX (`C:\\data\\x.bin` → `x.bin`). */
export const clientFileName = (localPath: string): string => {
  const name = localPath.split(/[\\/]/).pop() ?? '';
  return safeArtifactPath(name);
};
