import { randomBytes } from 'node:crypto';
import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import type { DbContext } from '../db-context.js';
import { clearDirtyMark, readDirtyMarks } from './dirty-marks.js';
import { readRunsFromFeed, rereadRuns } from './run-reads.js';
import {
  deleteSegmentParts,
  loadSegments,
  publishSnapshotHead,
  readSnapshotHead,
  segmentOf,
  writeSegment,
  type SegmentRef,
  type SnapshotEntry,
} from './snapshot-store.js';

export interface CompactionResult {
  /** False when another build published first (nothing of this one remains). */
  readonly published: boolean;
  readonly version?: number;
  readonly runs: number;
  readonly rereadRuns: number;
  readonly segmentsWritten: number;
  readonly bytesWritten?: number;
  readonly marksCleared: number;
}

const CONCURRENCY = 32;

/**
 * Folds an experiment's dirty runs into a new snapshot: loads the current one's segments that hold marked
 * runs (or, without a snapshot, every run from gsi2), re-reads each marked run strongly consistent, rewrites
 * those segments under a new build id, publishes the head if it is still the one loaded, and only then clears each mark whose token
 * it folded in. A write that lands meanwhile leaves a newer token, so its mark stays; a crash at any step
 * leaves the old head valid and the marks in place. Run by the table's stream in AWS and in the background
 * under `npm start`; safe to run concurrently (one publish wins, the other removes its parts).
 */
export const compactRunSnapshot = async (db: DbContext, experimentId: string, now: () => number = Date.now): Promise<CompactionResult> => {
  const head = await readSnapshotHead(db, experimentId);
  const marks = await readDirtyMarks(db, experimentId);
  // With a head, only the segments holding marked runs are loaded and rewritten: a rebuild after a few writes
  // to a 100,000-run experiment reads and writes a few segments, not the whole snapshot.
  const changedSegments = new Set([...marks.keys()].map(segmentOf));
  let runs: Map<string, SnapshotEntry>;
  let heldBefore = 0;
  if (head) {
    if (marks.size === 0) return { published: true, version: head.version, runs: head.runs, rereadRuns: 0, segmentsWritten: 0, marksCleared: 0 };
    const refs = new Map(
      [...changedSegments].flatMap((segment) => {
        const ref = head.segments[String(segment)];
        return ref ? [[segment, ref] as const] : [];
      }),
    );
    const loaded = await loadSegments(db, experimentId, refs);
    if (!loaded) return { published: false, runs: 0, rereadRuns: 0, segmentsWritten: 0, marksCleared: 0 };
    runs = new Map([...loaded.values()].flat().map((entry) => [entry.run.info.runId, entry]));
    heldBefore = runs.size;
  } else {
    runs = new Map([...(await readRunsFromFeed(db, experimentId))].map(([runId, run]) => [runId, { run }]));
    for (const runId of runs.keys()) changedSegments.add(segmentOf(runId));
  }
  const stale = [...marks].filter(([runId, token]) => runs.get(runId)?.token !== token);
  await rereadRuns(db, stale, runs);
  const total = (head?.runs ?? 0) - heldBefore + runs.size;

  const bySegment = new Map<number, SnapshotEntry[]>();
  for (const entry of runs.values()) {
    const segment = segmentOf(entry.run.info.runId);
    if (!changedSegments.has(segment)) continue;
    const entries = bySegment.get(segment);
    if (entries) entries.push(entry);
    else bySegment.set(segment, [entry]);
  }
  const build = `${String(now()).padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
  const written = new Map<number, SegmentRef>();
  let bytesWritten = 0;
  const segments = [...changedSegments];
  await mapConcurrently(segments, CONCURRENCY, async (segment) => {
    const entries = bySegment.get(segment) ?? [];
    if (entries.length === 0) return;
    const { ref, bytes } = await writeSegment(db, experimentId, segment, build, entries);
    written.set(segment, ref);
    bytesWritten += bytes;
  });
  const nextSegments: Record<string, SegmentRef> = { ...(head?.segments ?? {}) };
  for (const segment of changedSegments) delete nextSegments[String(segment)];
  for (const [segment, ref] of written) nextSegments[String(segment)] = ref;
  const version = (head?.version ?? 0) + 1;
  const published = await publishSnapshotHead(db, experimentId, head?.version, { version, segments: nextSegments, runs: total, builtAt: now() });
  if (!published) {
    await Promise.all([...written].map(([segment, ref]) => deleteSegmentParts(db, experimentId, segment, ref)));
    return { published: false, runs: total, rereadRuns: stale.length, segmentsWritten: 0, marksCleared: 0 };
  }

  const clearable = [...marks].filter(([runId, token]) => runs.get(runId)?.token === token || !runs.has(runId));
  await mapConcurrently(clearable, CONCURRENCY, ([runId, token]) => clearDirtyMark(db, experimentId, runId, token));
  // Readers still loading the old head find its parts gone and read the head again.
  if (head) {
    const replaced = [...changedSegments].flatMap((segment) => {
      const ref = head.segments[String(segment)];
      return ref ? [[segment, ref] as const] : [];
    });
    await Promise.all(replaced.map(([segment, ref]) => deleteSegmentParts(db, experimentId, segment, ref)));
  }
  return { published: true, version, runs: total, rereadRuns: stale.length, segmentsWritten: written.size, bytesWritten, marksCleared: clearable.length };
};

/**
 * Rebuilds the snapshot if it is due: there is none yet, or at least `dueAt` runs are marked dirty (each
 * costs a cold reader one query; fewer are cheaper to re-read than a rebuild is to write). What the table's
 * stream runs when dirty marks appear.
 */
export const compactIfDue = async (
  db: DbContext,
  experimentId: string,
  dueAt: number,
): Promise<CompactionResult | undefined> => {
  const [head, marks] = await Promise.all([readSnapshotHead(db, experimentId), readDirtyMarks(db, experimentId)]);
  if (head && marks.size < dueAt) return undefined;
  return compactRunSnapshot(db, experimentId);
};
