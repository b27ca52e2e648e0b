import { Readable } from 'node:stream';
import { storeKeyOf } from '../artifacts/artifact-locations.js';
import { joinArtifactPath, safeArtifactPath } from '../artifacts/artifact-paths.js';
import type { ArtifactEntry } from '../artifacts/ports.js';
import { forEachConcurrently } from './concurrency.js';
import { isRefusal, type ImportContext } from './context.js';

/**
 * Copies the files under a source artifact root to the owner's root in Cairn's store, under the keys the
 * artifact routes read (`storeKeyOf` of the root, then the file's relative path). Bodies stream through without
 * a declared length, so the S3 store sends a big file in parts (multipart) and a small one in one PUT.
 *
 * `replay` (the owner was partly written by an interrupted import): files already in the store with the
 * source's size are not copied again. A path or root Cairn's store refuses is a warning, not a stop.
 */
export const copyArtifacts = async (
  context: ImportContext,
  owner: string,
  sourceRoot: string,
  targetRoot: string,
  replay: boolean,
): Promise<void> => {
  const { store } = context.target.artifacts;
  let rootKey: string;
  try {
    rootKey = storeKeyOf(targetRoot, context.target.artifacts);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    context.warn(owner, `artifacts not copied: ${error.message}`);
    return;
  }
  const listings = new Map<string, Promise<ArtifactEntry[]>>();
  const storedSize = async (key: string) => {
    const slash = key.lastIndexOf('/');
    const folder = slash < 0 ? '' : key.slice(0, slash);
    const listing = listings.get(folder) ?? store.list(folder);
    listings.set(folder, listing);
    return (await listing).find((entry) => !entry.isDir && entry.name === key.slice(slash + 1))?.size;
  };

  await forEachConcurrently(context.source.artifacts(sourceRoot), context.concurrency.keysPerRun, async (file) => {
    let key: string;
    try {
      key = joinArtifactPath(rootKey, safeArtifactPath(file.path));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      context.warn(owner, `artifact '${file.path}' not copied: ${error.message}`);
      return;
    }
    if (replay && (await storedSize(key)) === file.size) return;
    const copied = await context.writes.run(async () => {
      const counter = countingBody(await context.source.readArtifact(sourceRoot, file.path));
      try {
        await store.put(key, counter.body);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        context.warn(owner, `artifact '${file.path}' not copied: ${error.message}`);
        return undefined;
      }
      return counter.bytes();
    });
    if (copied === undefined) return;
    if (copied !== file.size) context.warn(owner, `artifact '${file.path}': the source listed ${file.size} bytes and sent ${copied}`);
    context.counts.artifactFiles++;
    context.counts.artifactBytes += copied;
    context.emit('artifacts', owner);
  });
};

/** The source's stream as a Readable the stores take, counting the bytes that went through. */
const countingBody = (stream: NodeJS.ReadableStream) => {
  let bytes = 0;
  async function* counted() {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      yield buffer;
    }
  }
  return { body: Readable.from(counted(), { objectMode: false }), bytes: () => bytes };
};
