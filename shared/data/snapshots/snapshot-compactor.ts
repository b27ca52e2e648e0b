import { randomBytes } from 'node:crypto';
import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import type { DbContext } from '../db-context.js';
import { clearDirtyMark, readDirtyMarks } from './dirty-marks.js';
import type { SnapshotEntry, SnapshotKind } from './kind.js';
import { readAllEntries, rereadMarked } from './reread.js';
import { deleteSegmentParts, loadSegments, publishSnapshotHead, readSnapshotHead, segmentOf, writeSegment, type SegmentRef } from './snapshot-store.js';

export interface CompactionResult {
  /** False when another build published first (nothing of this one remains). */
  readonly published: boolean;
  readonly version?: number;
  readonly entries: number;
  readonly reread: number;
  readonly segmentsWritten: number;
  readonly bytesWritten?: number;
  readonly marksCleared: number;
}

const CONCURRENCY = 32;

/**
 * Folds an experiment's dirty entities into a new snapshot: loads the current one's segments that hold marked
 * entities (or, without a snapshot, every entity from the kind's way in), re-reads each marked entity strongly
 * consistent, rewrites those segments under a new build id, publishes the head if it is still the one loaded, and only
 * then clears each mark whose token it folded in. A write that lands meanwhile leaves a newer token, so its
 * mark stays; a crash at any step leaves the old head valid and the marks in place. Run by the table's stream
 * in AWS and in the background under `npm start`; safe to run concurrently (one publish wins, the other
 * removes its parts).
 */
export const compactSnapshot = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  now: () => number = Date.now,
): Promise<CompactionResult> => {
  const head = await readSnapshotHead(db, kind, experimentId);
  const marks = await readDirtyMarks(db, kind, experimentId);
  // With a head, only the segments holding marked entities are loaded and rewritten: a rebuild after a few
  // writes to a 100,000-run experiment reads and writes a few segments, not the whole snapshot.
  const changedSegments = new Set([...marks.keys()].map(segmentOf));
  let entries: Map<string, SnapshotEntry<T>>;
  let heldBefore = 0;
  if (head) {
    if (marks.size === 0) return { published: true, version: head.version, entries: head.entries, reread: 0, segmentsWritten: 0, marksCleared: 0 };
    const refs = new Map(
      [...changedSegments].flatMap((segment) => {
        const ref = head.segments[String(segment)];
        return ref ? [[segment, ref] as const] : [];
      }),
    );
    const loaded = await loadSegments(db, kind, experimentId, refs);
    if (!loaded) return { published: false, entries: 0, reread: 0, segmentsWritten: 0, marksCleared: 0 };
    entries = new Map([...loaded.values()].flat().map((entry) => [kind.idOf(entry.entity), entry]));
    heldBefore = entries.size;
  } else {
    entries = await readAllEntries(db, kind, experimentId);
    for (const id of entries.keys()) changedSegments.add(segmentOf(id));
  }
  // A mark read above and folded in below is cleared; one written after it is left for the next build.
  const stale = [...marks].filter(([id, token]) => entries.get(id)?.token !== token);
  await rereadMarked(db, kind, experimentId, stale, entries);
  const total = (head?.entries ?? 0) - heldBefore + entries.size;

  const bySegment = new Map<number, SnapshotEntry<T>[]>();
  for (const [id, entry] of entries) {
    const segment = segmentOf(id);
    if (!changedSegments.has(segment)) continue;
    const list = bySegment.get(segment);
    if (list) list.push(entry);
    else bySegment.set(segment, [entry]);
  }
  const build = `${String(now()).padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
  const written = new Map<number, SegmentRef>();
  let bytesWritten = 0;
  await mapConcurrently([...changedSegments], CONCURRENCY, async (segment) => {
    const list = bySegment.get(segment) ?? [];
    if (list.length === 0) return;
    const { ref, bytes } = await writeSegment(db, kind, experimentId, segment, build, list);
    written.set(segment, ref);
    bytesWritten += bytes;
  });
  const nextSegments: Record<string, SegmentRef> = { ...(head?.segments ?? {}) };
  for (const segment of changedSegments) delete nextSegments[String(segment)];
  for (const [segment, ref] of written) nextSegments[String(segment)] = ref;
  const version = (head?.version ?? 0) + 1;
  const published = await publishSnapshotHead(db, kind, experimentId, head?.version, { version, segments: nextSegments, entries: total, builtAt: now() });
  if (!published) {
    await Promise.all([...written].map(([segment, ref]) => deleteSegmentParts(db, kind, experimentId, segment, ref)));
    return { published: false, entries: total, reread: stale.length, segmentsWritten: 0, marksCleared: 0 };
  }

  // A mark of an entity that is gone was folded in as its removal.
  const clearable = [...marks].filter(([id, token]) => entries.get(id)?.token === token || !entries.has(id));
  await mapConcurrently(clearable, CONCURRENCY, ([id, token]) => clearDirtyMark(db, kind, experimentId, id, token));
  // Readers still loading the old head find its parts gone and read the head again.
  if (head) {
    const replaced = [...changedSegments].flatMap((segment) => {
      const ref = head.segments[String(segment)];
      return ref ? [[segment, ref] as const] : [];
    });
    await Promise.all(replaced.map(([segment, ref]) => deleteSegmentParts(db, kind, experimentId, segment, ref)));
  }
  return { published: true, version, entries: total, reread: stale.length, segmentsWritten: written.size, bytesWritten, marksCleared: clearable.length };
};

/**
 * Rebuilds the snapshot if it is due: there is none yet, or at least `dueAt` entities are marked dirty (each
 * costs a cold reader one read; fewer are cheaper to re-read than a rebuild is to write). What the table's
 * stream runs when dirty marks appear.
 */
export const compactIfDue = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string, dueAt: number): Promise<CompactionResult | undefined> => {
  const [head, marks] = await Promise.all([readSnapshotHead(db, kind, experimentId), readDirtyMarks(db, kind, experimentId)]);
  if (head && marks.size < dueAt) return undefined;
  return compactSnapshot(db, kind, experimentId);
};
