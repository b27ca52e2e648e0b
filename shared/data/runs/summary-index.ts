import type { Run } from '../../domain/tracking/entities.js';
import type { RunSearchIndex } from '../../domain/tracking/ports.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { readDirtyMarks } from './dirty-marks.js';
import { readRunsFromFeed, rereadRuns } from './run-reads.js';
import { loadSegments, readSnapshotHead, segmentOf, type SegmentRef, type SnapshotEntry } from './snapshot-store.js';

export interface RunSummaryIndexOptions {
  /** Experiments kept in memory; the least recently searched one is dropped first. @default 64 */
  readonly maxExperiments?: number;
  /**
   * Runs kept in memory over all experiments (about 2 KB each with 3 params, 3 metrics and a few tags; see
   * `npm run bench:scale`): past it the least recently searched experiments are dropped, never the one being
   * searched. @default 300,000 (about 600 MB)
   */
  readonly maxRuns?: number;
  /** Told after a refresh when the experiment's snapshot is worth rebuilding (many dirty runs, or none yet). */
  readonly onSnapshotDue?: (experimentId: string) => void;
}

/** Dirty runs past which a snapshot rebuild is due: each is one query for a process that has not read it yet. */
export const SNAPSHOT_DUE_AT_DIRTY_RUNS = 200;

interface ExperimentState {
  /** The build of each segment loaded from the snapshot's head. */
  segments: Map<number, SegmentRef>;
  /** Loaded from gsi2 because the experiment has no snapshot yet. */
  fromFeed: boolean;
  runs: Map<string, SnapshotEntry>;
  running?: Promise<void>;
  queued?: Promise<void>;
}

/** Reads of the head before giving up: each retry means a rebuild was just published. */
const MAX_ATTEMPTS = 6;

/**
 * The runs of an experiment, for search-runs: its snapshot (shared/data/runs/snapshot-store.ts) plus every run
 * marked dirty since, re-read strongly consistent. A search sees every write acknowledged before it began,
 * whatever the writer's clock or latency, because a write and its dirty mark are one transaction and a mark
 * is cleared only once a published snapshot holds the write:
 *   1. read every dirty mark (strongly consistent);
 *   2. read the head (strongly consistent) and load the segments whose build changed since the last load;
 *   3. re-read each marked run whose token differs from the one held.
 * A warm process pays one query per shard and one GetItem, plus one query per run changed since its last
 * search; a cold one loads the snapshot (64 segments, a few MB) and the dirty runs.
 */
export const createRunSummaryIndex = (db: DbContext, options: RunSummaryIndexOptions = {}) => {
  const maxExperiments = options.maxExperiments ?? 64;
  const maxRuns = options.maxRuns ?? 300_000;
  const cache = new Map<string, ExperimentState>();

  const refresh = async (experimentId: string, state: ExperimentState) => {
    // The marks first, then the head: a mark cleared before the marks were read was folded into a snapshot
    // published before it was cleared, so the head read after them names that snapshot or a later one.
    const marks = await readDirtyMarks(db, experimentId);
    for (let attempt = 0; ; attempt++) {
      const head = await readSnapshotHead(db, experimentId);
      if (head) {
        if (await loadChangedSegments(experimentId, state, head.segments)) break;
        // A part is gone: a newer head replaced it meanwhile; read the head again.
        if (attempt + 1 >= MAX_ATTEMPTS) throw temporarilyUnavailable(`The search snapshot of experiment ${experimentId} is being rebuilt; retry.`);
        continue;
      }
      if (state.segments.size > 0 || !state.fromFeed) {
        // No snapshot (yet, or its format changed): the change feed is the way in.
        state.runs = new Map([...(await readRunsFromFeed(db, experimentId))].map(([runId, run]) => [runId, { run }]));
        state.segments = new Map();
        state.fromFeed = true;
      }
      break;
    }
    await rereadMarked(state, marks);
    if (marks.size >= SNAPSHOT_DUE_AT_DIRTY_RUNS || (state.fromFeed && state.runs.size >= SNAPSHOT_DUE_AT_DIRTY_RUNS)) options.onSnapshotDue?.(experimentId);
  };

  /** Loads the segments whose build differs from the one held; false when a part is gone (a newer head). */
  const loadChangedSegments = async (experimentId: string, state: ExperimentState, segments: Readonly<Record<string, SegmentRef>>) => {
    const wanted = new Map(Object.entries(segments).map(([segment, ref]) => [Number(segment), ref]));
    const changed = new Map([...wanted].filter(([segment, ref]) => state.segments.get(segment)?.build !== ref.build));
    const dropped = [...state.segments.keys()].filter((segment) => !wanted.has(segment));
    if (changed.size === 0 && dropped.length === 0 && !state.fromFeed) return true;
    const loaded = await loadSegments(db, experimentId, changed);
    if (!loaded) return false;
    const replaced = new Set([...changed.keys(), ...dropped]);
    if (state.fromFeed) state.runs = new Map();
    else for (const runId of state.runs.keys()) if (replaced.has(segmentOf(runId))) state.runs.delete(runId);
    for (const entries of loaded.values()) for (const entry of entries) state.runs.set(entry.run.info.runId, entry);
    state.segments = wanted;
    state.fromFeed = false;
    return true;
  };

  const rereadMarked = (state: ExperimentState, marks: Map<string, string>) =>
    rereadRuns(db, [...marks].filter(([runId, token]) => state.runs.get(runId)?.token !== token), state.runs);

  /**
   * A caller must see every write that finished before it called, so it waits for a refresh that starts
   * after its arrival: it joins the queued one, or queues one behind the running one.
   */
  const requestRefresh = (experimentId: string, state: ExperimentState): Promise<void> => {
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

  /** Drops the least recently searched experiments while over the bounds, never `keep`. */
  const evict = (keep: string) => {
    let total = 0;
    for (const state of cache.values()) total += state.runs.size;
    for (const [experimentId, state] of cache) {
      if (cache.size <= maxExperiments && total <= maxRuns) break;
      if (experimentId === keep) continue;
      total -= state.runs.size;
      cache.delete(experimentId);
    }
  };

  return {
    /** Every run of the experiment (active and deleted), including every write acknowledged before the call. */
    async runsOf(experimentId: string): Promise<Run[]> {
      let state = cache.get(experimentId);
      if (state) cache.delete(experimentId);
      state ??= { segments: new Map(), fromFeed: false, runs: new Map() };
      cache.set(experimentId, state);
      await requestRefresh(experimentId, state);
      evict(experimentId);
      return Array.from(state.runs.values(), (entry) => entry.run);
    },
    /** Runs held in memory, per experiment: what the bound above counts. */
    heldRuns(): Map<string, number> {
      return new Map([...cache].map(([experimentId, state]) => [experimentId, state.runs.size]));
    },
  } satisfies RunSearchIndex & Record<string, unknown>;
};
