/**
 * One bound on what all the search indexes of a process hold together (runs, trace infos, logged models): a
 * Lambda has one memory size for all of them, so each index's own bound is not enough. Each experiment an
 * index holds is a holding of its estimated bytes (entities × the kind's `heldBytes`); past the budget the
 * least recently searched holdings are dropped, whichever index holds them, never the one being searched.
 */
export interface SnapshotMemory {
  /** `key` (an index's experiment) holds `bytes` and was just searched; `drop` makes its index forget it. */
  hold(key: string, bytes: number, drop: () => void): void;
  /** The index forgot `key` by itself (its own bounds). */
  release(key: string): void;
  /** Drops the least recently searched holdings until the total fits the budget, never `keep`. */
  fit(keep: string): void;
  /** Estimated bytes held now. */
  held(): number;
}

export const createSnapshotMemory = (maxBytes: number): SnapshotMemory => {
  // A Map iterates in insertion order: re-inserting on every search keeps it least recently searched first.
  const holdings = new Map<string, { bytes: number; drop: () => void }>();
  let total = 0;
  const release = (key: string) => {
    const holding = holdings.get(key);
    if (!holding) return;
    holdings.delete(key);
    total -= holding.bytes;
  };
  return {
    hold(key, bytes, drop) {
      release(key);
      holdings.set(key, { bytes, drop });
      total += bytes;
    },
    release,
    fit(keep) {
      for (const [key, holding] of holdings) {
        if (total <= maxBytes) break;
        if (key === keep) continue;
        release(key);
        holding.drop();
      }
    },
    held: () => total,
  };
};

/**
 * The budget of a process: half a Lambda's memory (the rest is Node, the bundle, requests and garbage
 * collection headroom: a cold 100,000-run search peaks near twice what it keeps), else 1 GiB.
 */
export const defaultSnapshotMemoryBytes = (env: NodeJS.ProcessEnv = process.env): number => {
  const lambdaMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return Number.isFinite(lambdaMb) && lambdaMb > 0 ? Math.floor(lambdaMb * 1024 * 1024 * 0.5) : 1024 * 1024 * 1024;
};
