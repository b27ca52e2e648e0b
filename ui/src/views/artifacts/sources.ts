import { artifactUrl, listArtifacts, listProxiedArtifacts, proxiedArtifactUrl } from '../../api/mlflow';
import type { FileInfo } from '../../api/types';
import { runPath } from '../../app/router';

/** Where an artifact browser reads from: paths are relative to the owner's artifact root. */
export interface ArtifactSource {
  /** Changes when the owner does, so listings are read again. */
  key: string;
  /** The entries of a folder ('' for the root), with paths from the root. */
  list(folder: string): Promise<FileInfo[]>;
  /** Where the file's bytes are downloaded from (Range requests included). */
  url(path: string): string;
  /** The page route that shows the file. */
  route(path: string): string;
}

/** A run's artifacts through the tracking API (`artifacts/list`, `/get-artifact`). */
export const runArtifacts = (experimentId: string, runId: string): ArtifactSource => ({
  key: `run:${runId}`,
  list: (folder) => listArtifacts(runId, folder || undefined),
  url: (path) => artifactUrl(runId, path),
  route: (path) => runPath(experimentId, runId, path),
});

const join = (...parts: string[]) => parts.filter(Boolean).join('/');

/**
 * Artifacts under an `mlflow-artifacts:` root (a logged model's), through MLflow's proxied artifact service,
 * which answers any location in Cairn's store. `route` gives the page of a file.
 */
export const proxiedArtifacts = (root: string, route: (path: string) => string): ArtifactSource => ({
  key: `proxied:${root}`,
  list: async (folder) => (await listProxiedArtifacts(join(root, folder))).map((file) => ({ ...file, path: join(folder, file.path) })),
  url: (path) => proxiedArtifactUrl(join(root, path)),
  route,
});
