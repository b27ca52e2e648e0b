import type { DbContext } from '../db-context.js';
import type { SnapshotKind } from './kind.js';
import { readDirtyMarks } from './dirty-marks.js';
import { compactSnapshot } from './snapshot-compactor.js';

export interface LocalSnapshotFeedOptions {
  /** Dirty entities from which a write-driven rebuild runs (what the stream consumer uses in AWS). @default the kind's dueAtDirty */
  readonly dueAt?: number;
  /**
   * How long after a write its experiment is looked at: writes in between are folded into the same look, so
   * a burst costs one read of the marks per interval, not one per write. @default 1000
   */
  readonly delayMs?: number;
  readonly logError?: (error: unknown) => void;
}

/** A rebuild may take at most this share of the time between two rebuilds of one experiment. */
const MAX_BUSY_SHARE = 0.25;
/** Experiments remembered for their last rebuild's duration; idle ones past it are forgotten. */
const REMEMBERED = 1000;

interface Feed {
  timer?: NodeJS.Timeout;
  running: boolean;
  /** Another look was asked for while a rebuild ran. */
  again: boolean;
  lastMs: number;
}

/**
 * How `npm start` keeps one kind's search snapshots current without the table's stream: the repository tells
 * it of every committed write with its mark (`written`), and a search that finds a snapshot due tells it too
 * (`due`). A written experiment is looked at after `delayMs` and rebuilt if at least `dueAt` entities are
 * marked dirty, as the stream consumer does in AWS; so a burst of writes (an OTLP export storm, a sweep) is
 * folded into the snapshot while it arrives, and the next search re-reads only the last interval's entities.
 * One rebuild per experiment at a time, spaced so that rebuilding a big experiment takes at most a quarter of
 * the process's time; never blocking a write or a search. A failure is logged; the next write or search
 * looks again.
 */
export const localSnapshotFeed = <T>(db: DbContext, kind: SnapshotKind<T>, options: LocalSnapshotFeedOptions = {}) => {
  const delayMs = options.delayMs ?? 1000;
  const dueAt = options.dueAt ?? kind.dueAtDirty;
  const logError = options.logError ?? console.error;
  const feeds = new Map<string, Feed>();

  /**
   * A look after writes rebuilds only past `dueAt` dirty entities, even with no snapshot yet (where the stream
   * consumer builds the first one at once): a few writes to a new experiment cost a search a few re-reads,
   * and the table changes in the background only for a real burst. A search that finds an experiment with no
   * snapshot and many entities asks through `due`.
   */
  const compactIfDirty = async (experimentId: string) =>
    (await readDirtyMarks(db, kind, experimentId)).size >= dueAt ? compactSnapshot(db, kind, experimentId) : undefined;

  const feedOf = (experimentId: string): Feed => {
    let feed = feeds.get(experimentId);
    if (!feed) {
      if (feeds.size >= REMEMBERED) forgetIdle();
      feed = { running: false, again: false, lastMs: 0 };
      feeds.set(experimentId, feed);
    }
    return feed;
  };

  const forgetIdle = () => {
    for (const [experimentId, feed] of feeds) if (!feed.running && !feed.timer) feeds.delete(experimentId);
  };

  const schedule = (experimentId: string, feed: Feed) => {
    const wait = Math.max(delayMs, feed.lastMs / MAX_BUSY_SHARE - feed.lastMs);
    feed.timer = setTimeout(() => {
      feed.timer = undefined;
      run(experimentId, feed, false);
    }, wait);
    // A pending look never keeps a process (or a test) alive.
    feed.timer.unref();
  };

  const run = (experimentId: string, feed: Feed, force: boolean) => {
    feed.running = true;
    const started = performance.now();
    const rebuild = force ? compactSnapshot(db, kind, experimentId) : compactIfDirty(experimentId);
    void rebuild
      .catch(logError)
      .finally(() => {
        feed.running = false;
        feed.lastMs = performance.now() - started;
        if (feed.again && !feed.timer) schedule(experimentId, feed);
        feed.again = false;
      });
  };

  return {
    /** A write of the experiment was committed with its dirty mark. */
    written(experimentId: string): void {
      const feed = feedOf(experimentId);
      if (feed.running) feed.again = true;
      else if (!feed.timer) schedule(experimentId, feed);
    },
    /** A search found the experiment's snapshot due: rebuild now unless a rebuild is running. */
    due(experimentId: string): void {
      const feed = feedOf(experimentId);
      if (feed.running) return;
      clearTimeout(feed.timer);
      feed.timer = undefined;
      run(experimentId, feed, true);
    },
  };
};
