import { randomUUID } from 'node:crypto';
import type { MetricPoint } from './entities.js';

export interface HistorySnapshotCacheOptions {
  /** How long a paged read may take between pages. @default 60000 */
  readonly ttlMs?: number;
  /** Points held in all snapshots together. @default 2000000 */
  readonly maxPoints?: number;
}

/**
 * Sorted metric histories kept between the pages of one paged read. The MLflow client reads a long history
 * 25,000 points at a time; without this, every page would read and sort the whole history again. A page
 * token names its snapshot, so a read sees one consistent history; a token whose snapshot is gone (another
 * process, or expired) falls back to reading the history again and using the offset. A snapshot answers
 * only the (run, key) it was taken for, whatever token names it.
 */
export const createHistorySnapshotCache = (options: HistorySnapshotCacheOptions = {}) => {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxPoints = options.maxPoints ?? 2_000_000;
  const snapshots = new Map<string, { points: MetricPoint[]; owner: string; expires: number }>();
  let held = 0;

  const evict = (now: number) => {
    for (const [id, snapshot] of snapshots) {
      if (snapshot.expires > now && held <= maxPoints) break;
      snapshots.delete(id);
      held -= snapshot.points.length;
    }
  };

  return {
    /** The snapshot `id` if it is still kept and was taken for `owner`. */
    get(id: string | undefined, owner: string): MetricPoint[] | undefined {
      if (id === undefined) return undefined;
      const snapshot = snapshots.get(id);
      return snapshot && snapshot.owner === owner && snapshot.expires > Date.now() ? snapshot.points : undefined;
    },
    /** Keeps `points` of `owner` (the run and key read) and returns the id that page tokens carry. */
    put(points: MetricPoint[], owner: string): string {
      const id = randomUUID();
      const now = Date.now();
      snapshots.set(id, { points, owner, expires: now + ttlMs });
      held += points.length;
      evict(now);
      return id;
    },
  };
};

export type HistorySnapshotCache = ReturnType<typeof createHistorySnapshotCache>;
