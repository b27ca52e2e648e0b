import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckpointKind, ImportCheckpoint } from '../../shared/domain/import/ports.js';

export { createMemoryCheckpoint } from '../../shared/domain/import/context.js';

const KINDS: readonly CheckpointKind[] = ['experiment', 'run', 'logged-model', 'registered-model'];

/**
 * A checkpoint in a file of JSON lines, one `{"kind":"run","id":"…"}` per finished item, appended as items
 * finish: an interrupted import loses at most the line being written, and a torn last line is ignored on
 * reading (that item is simply written again). The file belongs to one import (one source, one target, one
 * selection); the caller names it.
 */
export const openFileCheckpoint = async (path: string): Promise<ImportCheckpoint & { readonly finished: number }> => {
  const done = new Set<string>();
  const id = (kind: CheckpointKind, itemId: string) => `${kind}\u0000${itemId}`;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (entry) done.add(id(entry.kind, entry.id));
  }
  await mkdir(dirname(path), { recursive: true });
  // Appends one after another, so concurrent marks never interleave inside a line.
  let tail: Promise<void> = text === '' || text.endsWith('\n') ? Promise.resolve() : appendFile(path, '\n');
  return {
    get finished() {
      return done.size;
    },
    isDone: async (kind, itemId) => done.has(id(kind, itemId)),
    markDone(kind, itemId) {
      const key = id(kind, itemId);
      if (done.has(key)) return tail;
      tail = tail.then(() => appendFile(path, `${JSON.stringify({ kind, id: itemId })}\n`)).then(() => void done.add(key));
      return tail;
    },
  };
};

const parseLine = (line: string): { kind: CheckpointKind; id: string } | undefined => {
  if (line.trim() === '') return undefined;
  try {
    const entry = JSON.parse(line) as { kind?: unknown; id?: unknown };
    if (typeof entry.id === 'string' && KINDS.includes(entry.kind as CheckpointKind)) return { kind: entry.kind as CheckpointKind, id: entry.id };
  } catch {
    // A line cut off by an interruption: its item is not finished.
  }
  return undefined;
};
