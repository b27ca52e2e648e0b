import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import type { DbContext } from '../db-context.js';
import type { SnapshotEntry, SnapshotKind } from './kind.js';

/** Entities read at once when many are re-read (marked dirty): enough to hide latency, polite to the table. */
const REREAD_CONCURRENCY = 32;
/** Ids per rereadMany (BatchGetItem's most), and batches in flight at once. */
const BATCH = 100;
const BATCH_CONCURRENCY = 8;

/**
 * Re-reads each `[id, token]` into `entries`, strongly consistent, recording the token it was read at; an
 * entity that no longer exists is removed. What a search and a snapshot rebuild do with the marked entities.
 */
export const rereadMarked = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  marked: readonly (readonly [string, string])[],
  entries: Map<string, SnapshotEntry<T>>,
): Promise<void> => {
  const { rereadMany } = kind;
  if (rereadMany) {
    const batches: (readonly (readonly [string, string])[])[] = [];
    for (let offset = 0; offset < marked.length; offset += BATCH) batches.push(marked.slice(offset, offset + BATCH));
    await mapConcurrently(batches, BATCH_CONCURRENCY, async (batch) => {
      const found = await rereadMany(db, experimentId, batch.map(([id]) => id));
      for (const [id, token] of batch) {
        const entity = found.get(id);
        if (entity) entries.set(id, { entity, token });
        else entries.delete(id);
      }
    });
    return;
  }
  await mapConcurrently(marked, REREAD_CONCURRENCY, async ([id, token]) => {
    const entity = await kind.reread(db, experimentId, id);
    if (entity) entries.set(id, { entity, token });
    else entries.delete(id);
  });
};

/** Every entity from the kind's way in (no snapshot yet), as entries without a token. */
export const readAllEntries = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string): Promise<Map<string, SnapshotEntry<T>>> =>
  new Map([...(await kind.readAll(db, experimentId))].map(([id, entity]) => [id, { entity }]));
