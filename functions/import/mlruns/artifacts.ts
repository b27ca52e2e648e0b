import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SourceArtifact } from '../source.js';
import { keyPath, listFilesRecursive, pathExists } from './files.js';
import { TRASH_FOLDER } from './tracking.js';

export interface ArtifactReaderOptions {
  /**
   * Where an MLflow server run with `--serve-artifacts` kept its files (its `--artifacts-destination`, by default
   * `./mlartifacts` beside where it ran): `mlflow-artifacts:/<path>` URIs are read from `<this>/<path>`.
   */
  readonly mlflowArtifactsRoot?: string;
}

export interface ArtifactReader {
  list(rootUri: string): AsyncIterable<SourceArtifact>;
  open(rootUri: string, path: string): Promise<NodeJS.ReadableStream>;
}

/** A local path from an artifact URI; other schemes (s3:, gs:, dbfs:, http:) live elsewhere and are refused. */
const localPathOf = (uri: string, options: ArtifactReaderOptions): string => {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(uri)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (`C:\mlruns\1`), a plain path like the ones MLflow once stored.
  if (scheme === undefined || /^[a-zA-Z]:[\\/]/.test(uri)) return resolve(uri);
  if (scheme === 'file') return decodeURIComponent(new URL(uri).pathname);
  if (scheme === 'mlflow-artifacts' && options.mlflowArtifactsRoot !== undefined) {
    const path = decodeURIComponent(new URL(uri).pathname).replace(/^\/+/, '');
    return join(options.mlflowArtifactsRoot, ...path.split('/'));
  }
  throw new Error(
    `artifacts at ${uri} are not in a local folder; an mlruns source reads file:// and plain paths` +
      (scheme === 'mlflow-artifacts' ? ' (give the server\'s --artifacts-destination for mlflow-artifacts:)' : ''),
  );
};

/**
 * The places a recorded artifact path may be found now. MLflow stores absolute paths: a folder copied from
 * another machine (or renamed) still names `/home/someone/project/mlruns/1/<run>/artifacts`, so the part after
 * the last `mlruns` segment (or after this folder, when the path is inside it) is looked up in this folder. A
 * deleted experiment's folder was moved whole into `.trash` while its URIs kept the old path, so each
 * candidate is tried there too.
 */
const candidatePaths = (folder: string, recorded: string): string[] => {
  const rests: string[][] = [];
  const inside = relative(folder, recorded);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) rests.push(inside.split(sep));
  const segments = recorded.split(/[\\/]+/).filter((segment) => segment !== '');
  const mlruns = segments.lastIndexOf('mlruns');
  if (mlruns >= 0 && mlruns < segments.length - 1) rests.push(segments.slice(mlruns + 1));
  return [
    recorded,
    ...rests.flatMap((rest) => [join(folder, ...rest), join(folder, TRASH_FOLDER, ...rest)]),
  ];
};

export const createArtifactReader = (folder: string, options: ArtifactReaderOptions = {}): ArtifactReader => {
  const resolved = new Map<string, Promise<string | undefined>>();

  /** The folder holding a root's files now, or undefined when it has none anywhere (nothing was logged). */
  const locate = (rootUri: string): Promise<string | undefined> => {
    let found = resolved.get(rootUri);
    if (found === undefined) {
      found = (async () => {
        for (const candidate of candidatePaths(folder, localPathOf(rootUri, options))) {
          if (await pathExists(candidate)) return candidate;
        }
        return undefined;
      })();
      resolved.set(rootUri, found);
    }
    return found;
  };

  return {
    async *list(rootUri) {
      const root = await locate(rootUri);
      if (root === undefined) return;
      for (const path of await listFilesRecursive(root)) {
        yield { path, size: (await stat(keyPath(root, path))).size };
      }
    },
    async open(rootUri, path) {
      const root = await locate(rootUri);
      if (root === undefined) throw new Error(`no artifacts found for ${rootUri}`);
      const file = keyPath(root, path);
      if (!(await stat(file)).isFile()) throw new Error(`${path} under ${rootUri} is not a file`);
      return createReadStream(file);
    },
  };
};
