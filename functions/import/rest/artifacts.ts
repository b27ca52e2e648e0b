/**
 * Listing (recursive, directories read in parallel) and downloading an artifact root's files over the routes
 * artifact-routes.ts picks.
 */
import type { SourceArtifact } from '../source.js';
import { assertSafeRelativePath, encodePath, joinPath, type ArtifactRoute } from './artifact-routes.js';
import { walkTree } from './concurrency.js';
import { withQuery, type RestClient } from './http.js';
import { int64, list } from './wire.js';

interface Entry {
  readonly path: string;
  readonly isDir: boolean;
  readonly size: number;
}

/** A FileInfo (`path`, `is_dir`, `file_size` as number or string) with its path made root-relative. */
const entryOf = (value: unknown, dir: string, rootUri: string): Entry => {
  const file = (value ?? {}) as Record<string, unknown>;
  const raw = typeof file.path === 'string' ? file.path : '';
  // The proxied listing answers basenames, the owner listings root-relative paths; both end up root-relative.
  const path = dir !== '' && !raw.startsWith(`${dir}/`) ? joinPath(dir, raw) : raw;
  const isDir = file.is_dir === true || file.is_dir === 'true';
  return { path: assertSafeRelativePath(path, rootUri), isDir, size: isDir ? 0 : (int64(file.file_size, `size of ${path}`) ?? 0) };
};

const listDirectory = async (client: RestClient, route: ArtifactRoute, rootUri: string, dir: string): Promise<Entry[]> => {
  switch (route.kind) {
    case 'proxied': {
      const body = await client.getJsonAt(withQuery(route.base, { path: joinPath(route.rootPath, dir) }));
      return list(body.files).map((file) => entryOf(file, dir, rootUri));
    }
    case 'run': {
      const entries: Entry[] = [];
      let pageToken: string | undefined;
      const seen = new Set<string>();
      do {
        const body = await client.getJson('/api/2.0/mlflow/artifacts/list', {
          run_id: route.runId,
          run_uuid: route.runId,
          ...(dir !== '' ? { path: dir } : {}),
          ...(pageToken !== undefined ? { page_token: pageToken } : {}),
        });
        entries.push(...list(body.files).map((file) => entryOf(file, dir, rootUri)));
        pageToken = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : undefined;
        if (pageToken !== undefined && seen.has(pageToken)) throw new Error(`artifacts/list of run ${route.runId}: the server repeated a page token`);
        if (pageToken !== undefined) seen.add(pageToken);
      } while (pageToken !== undefined);
      return entries;
    }
    case 'model': {
      const body = await client.getJson(`/api/2.0/mlflow/logged-models/${encodeURIComponent(route.modelId)}/artifacts/directories`, {
        ...(dir !== '' ? { artifact_directory_path: dir } : {}),
      });
      return list(body.files).map((file) => entryOf(file, dir, rootUri));
    }
  }
};

/** Every file under the root, recursively; directories are listed up to `concurrency` at a time. */
export async function* listArtifacts(client: RestClient, route: ArtifactRoute, rootUri: string, concurrency: number): AsyncGenerator<SourceArtifact> {
  const files = walkTree(
    (dir) => listDirectory(client, route, rootUri, dir),
    (entry) => (entry.isDir ? entry.path : undefined),
    concurrency,
  );
  for await (const file of files) yield { path: file.path, size: file.size };
}

/** The URL one file of the root downloads from. */
export const downloadUrlOf = (client: RestClient, route: ArtifactRoute, path: string): string => {
  switch (route.kind) {
    case 'proxied':
      return `${route.base}/${encodePath(joinPath(route.rootPath, path))}`;
    case 'run':
      return withQuery(`${client.baseUrl}/get-artifact`, { run_id: route.runId, path });
    case 'model':
      // MLflow serves this one under /ajax-api only.
      return withQuery(`${client.baseUrl}/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(route.modelId)}/artifacts/files`, {
        artifact_file_path: path,
      });
  }
};
