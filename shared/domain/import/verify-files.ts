import { createHash } from 'node:crypto';
import { storeKeyOf } from '../artifacts/artifact-locations.js';
import { joinArtifactPath, safeArtifactPath } from '../artifacts/artifact-paths.js';
import type { ArtifactStore } from '../artifacts/ports.js';
import { forEachConcurrently } from './concurrency.js';
import { isRefusal } from './context.js';
import type { FileDigest, ImportDifference } from './verify-compare.js';
import type { VerifyContext } from './verify-context.js';

/**
 * The files of one owner (a run, a logged model) on both sides, by path relative to its root, each with its size
 * and SHA-256 (every byte is read: sizes alone would miss a file rewritten in place).
 */

const FILES_AT_ONCE = 4;

const sha256Of = async (stream: NodeJS.ReadableStream): Promise<FileDigest> => {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    hash.update(buffer);
  }
  return { size, sha256: hash.digest('hex') };
};

/** The source's files under `rootUri`, under the paths the importer stores them at. */
export const sourceFiles = async (context: VerifyContext, rootUri: string): Promise<Map<string, FileDigest>> => {
  const files = new Map<string, FileDigest>();
  await forEachConcurrently(context.source.artifacts(rootUri), FILES_AT_ONCE, async (file) => {
    const digest = await sha256Of(await context.source.readArtifact(rootUri, file.path));
    files.set(storedPath(file.path), digest);
    context.counts.artifactFiles++;
    context.counts.artifactBytes += digest.size;
  });
  return files;
};

/** A path the store refuses was not copied (the importer warned): kept as the source wrote it, so it shows as missing. */
const storedPath = (path: string) => {
  try {
    return safeArtifactPath(path);
  } catch (error) {
    if (isRefusal(error)) return path;
    throw error;
  }
};

/** Cairn's files under the owner's root, or a difference when the root is not in Cairn's store. */
export const cairnFiles = async (
  context: VerifyContext,
  item: string,
  rootUri: string,
): Promise<Map<string, FileDigest> | ImportDifference> => {
  let rootKey: string;
  try {
    rootKey = storeKeyOf(rootUri, context.target.artifacts);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return { item, aspect: 'artifact root', source: undefined, cairn: `'${rootUri}' (${error.message})` };
  }
  const { store } = context.target.artifacts;
  const paths: string[] = [];
  await listRecursively(store, rootKey, '', paths);
  const files = new Map<string, FileDigest>();
  await forEachConcurrently(paths, FILES_AT_ONCE, async (path) => {
    const object = await store.get(joinArtifactPath(rootKey, path));
    if (object) files.set(path, await sha256Of(object.body));
  });
  return files;
};

const listRecursively = async (store: Pick<ArtifactStore, 'list'>, rootKey: string, folder: string, paths: string[]): Promise<void> => {
  const entries = await store.list(folder === '' ? rootKey : joinArtifactPath(rootKey, folder));
  for (const entry of entries) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDir) await listRecursively(store, rootKey, path, paths);
    else paths.push(path);
  }
};
