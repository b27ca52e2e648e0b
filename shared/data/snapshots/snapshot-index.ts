import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { readDirtyMarks } from './dirty-marks.js';
import type { SnapshotEntry, SnapshotKind } from './kind.js';
import type { SnapshotMemory } from './memory-budget.js';
import { readAllEntries, rereadMarked } from './reread.js';
import { loadSegments, readSnapshotHead, segmentOf, type SegmentRef } from './snapshot-store.js';

export interface SnapshotIndexOptions {
  /** Experiments kept in memory; the least recently searched one is dropped first. @default 64 */
  readonly maxExperiments?: number;
  /**
   * Entities kept in memory over all experiments: past it the least recently searched experiments are
   * dropped, never the one being searched. The kind's index states what one costs. @default 300,000
   */
  readonly maxEntities?: number;
  /** Told after a refresh when the experiment's snapshot is worth rebuilding (many dirty entities, or none yet). */
  readonly onSnapshotDue?: (experimentId: string) => void | Promise<void>;
  /** The process's budget over every index (memory-budget.ts); this index's own bounds apply too. */
  readonly memory?: SnapshotMemory;
}

interface ExperimentState<T> {
  /** The build of each segment loaded from the snapshot's head. */
  segments: Map<number, SegmentRef>;
  /** Loaded from the kind's way in (readAll) because the experiment has no snapshot yet. */
  fromFeed: boolean;
  entries: Map<string, SnapshotEntry<T>>;
  running?: Promise<void>;
  queued?: Promise<void>;
}

/** What an entity is assumed to cost held, for a kind that does not say (SnapshotKind.heldBytes). */
const DEFAULT_HELD_BYTES = 1024;

/** Reads of the head before giving up: each retry means a rebuild was just published. */
const MAX_ATTEMPTS = 6;

/**
 * The entities of an experiment, for a search: its snapshot (snapshot-store.ts) plus every entity marked dirty
 * since, re-read strongly consistent. A search sees every write acknowledged before it began, whatever the
 * writer's clock or latency, because a write and its dirty mark are one transaction and a mark is cleared only
 * once a published snapshot holds the write:
 *   1. read every dirty mark (strongly consistent);
 *   2. read the head (strongly consistent) and load the segments whose build changed since the last load;
 *   3. re-read each marked entity whose token differs from the one held.
 * A warm process pays one query per mark shard and one GetItem, plus one read per entity changed since its
 * last search; a cold one loads the snapshot (64 segments) and the dirty entities.
 */
export const createSnapshotIndex = <T>(db: DbContext, kind: SnapshotKind<T>, options: SnapshotIndexOptions = {}) => {
  const maxExperiments = options.maxExperiments ?? 64;
  const maxEntities = options.maxEntities ?? 300_000;
  const cache = new Map<string, ExperimentState<T>>();

  const refresh = async (experimentId: string, state: ExperimentState<T>) => {
    // The marks first, then the head: a mark cleared before the marks were read was folded into a snapshot
    // published before it was cleared, so the head read after them names that snapshot or a later one.
    const marks = await readDirtyMarks(db, kind, experimentId);
    for (let attempt = 0; ; attempt++) {
      const head = await readSnapshotHead(db, kind, experimentId);
      if (head) {
        if (await loadChangedSegments(experimentId, state, head.segments)) break;
        // A part is gone: a newer head replaced it meanwhile; read the head again.
        if (attempt + 1 >= MAX_ATTEMPTS) {
          throw temporarilyUnavailable(`The ${kind.name} search snapshot of experiment ${experimentId} is being rebuilt; retry.`);
        }
        continue;
      }
      if (state.segments.size > 0 || !state.fromFeed) {
        // No snapshot (yet, or its format changed): the kind's way in.
        state.entries = await readAllEntries(db, kind, experimentId);
        state.segments = new Map();
        state.fromFeed = true;
      }
      break;
    }
    await rereadMarked(db, kind, experimentId, [...marks].filter(([id, token]) => state.entries.get(id)?.token !== token), state.entries);
    // Awaited: in AWS the request is a write that must land before the Lambda is frozen (rebuild-requests.ts).
    if (marks.size >= kind.dueAtDirty || (state.fromFeed && state.entries.size >= kind.dueAtDirty)) await options.onSnapshotDue?.(experimentId);
  };

  /** Loads the segments whose build differs from the one held; false when a part is gone (a newer head). */
  const loadChangedSegments = async (experimentId: string, state: ExperimentState<T>, segments: Readonly<Record<string, SegmentRef>>) => {
    const wanted = new Map(Object.entries(segments).map(([segment, ref]) => [Number(segment), ref]));
    const changed = new Map([...wanted].filter(([segment, ref]) => state.segments.get(segment)?.build !== ref.build));
    const dropped = [...state.segments.keys()].filter((segment) => !wanted.has(segment));
    if (changed.size === 0 && dropped.length === 0 && !state.fromFeed) return true;
    const loaded = await loadSegments(db, kind, experimentId, changed);
    if (!loaded) return false;
    const replaced = new Set([...changed.keys(), ...dropped]);
    if (state.fromFeed) state.entries = new Map();
    else for (const id of state.entries.keys()) if (replaced.has(segmentOf(id))) state.entries.delete(id);
    for (const entries of loaded.values()) for (const entry of entries) state.entries.set(kind.idOf(entry.entity), entry);
    state.segments = wanted;
    state.fromFeed = false;
    return true;
  };

  /**
   * A caller must see every write that finished before it called, so it waits for a refresh that starts
   * after its arrival: it joins the queued one, or queues one behind the running one.
   */
  const requestRefresh = (experimentId: string, state: ExperimentState<T>): Promise<void> => {
    const start = () => {
      state.running = refresh(experimentId, state).finally(() => (state.running = undefined));
      return state.running;
    };
    if (state.queued) return state.queued;
    if (!state.running) return start();
    state.queued = state.running
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return start();
      });
    return state.queued;
  };

  const memoryKey = (experimentId: string) => `${kind.name}/${experimentId}`;

  /** Drops the least recently searched experiments while over the bounds, never `keep`. */
  const evict = (keep: string) => {
    let total = 0;
    for (const state of cache.values()) total += state.entries.size;
    for (const [experimentId, state] of cache) {
      if (cache.size <= maxExperiments && total <= maxEntities) break;
      if (experimentId === keep) continue;
      total -= state.entries.size;
      cache.delete(experimentId);
      options.memory?.release(memoryKey(experimentId));
    }
    options.memory?.hold(memoryKey(keep), (cache.get(keep)?.entries.size ?? 0) * (kind.heldBytes ?? DEFAULT_HELD_BYTES), () => cache.delete(keep));
    options.memory?.fit(memoryKey(keep));
  };

  return {
    /** Every entity of the experiment, including every write acknowledged before the call. */
    async entitiesOf(experimentId: string): Promise<T[]> {
      let state = cache.get(experimentId);
      if (state) cache.delete(experimentId);
      state ??= { segments: new Map(), fromFeed: false, entries: new Map() };
      cache.set(experimentId, state);
      await requestRefresh(experimentId, state);
      evict(experimentId);
      return Array.from(state.entries.values(), (entry) => entry.entity);
    },
    /** Entities held in memory, per experiment: what the bound above counts. */
    held(): Map<string, number> {
      return new Map([...cache].map(([experimentId, state]) => [experimentId, state.entries.size]));
    },
  };
};

export type SnapshotIndex<T> = ReturnType<typeof createSnapshotIndex<T>>;
