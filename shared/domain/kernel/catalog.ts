/**
 * A catalog (every experiment; every registered model and version) as a search reads it: the items as they are
 * now, and the version the read is at. The store numbers each catalog's changes per shard (an item's shard never
 * changes); `version[shard]` is the last change of that shard the snapshot holds, and every change up to it is
 * in it. Each item also keeps its recent moves: the values its sort fields had before each change of them.
 *
 * With both, a search that pages can order every page as the catalog was at its first page (`positionAt`):
 * an item renamed or updated while a client pages keeps the place it had, so no item that existed then is
 * answered twice or skipped (kernel/snapshot-page.ts).
 */
export interface CatalogMove {
  /** The change that made the move, in the item's shard. */
  readonly seq: number;
  /** The sort fields before that change (only those it changed). */
  readonly before: Readonly<Record<string, unknown>>;
}

export interface CatalogItem<T> {
  readonly value: T;
  readonly shard: number;
  /** Oldest first; only recent ones are kept (the store says how many and how long). */
  readonly moves: readonly CatalogMove[];
}

export interface CatalogSnapshot<T> {
  /** Per shard, the last change the items hold (they may hold later ones too: see `positionAt`). */
  readonly version: readonly number[];
  readonly items: Iterable<CatalogItem<T>>;
}

/**
 * The item's sort fields as they were at `version`: the values before its first move after it, else its current
 * ones. An item created after `version` has no earlier values and is placed by its current ones.
 */
export const positionAt = <T>(item: CatalogItem<T>, version: readonly number[]): T => {
  const seen = version[item.shard] ?? 0;
  for (const move of item.moves) {
    if (move.seq > seen) return { ...item.value, ...move.before };
  }
  return item.value;
};

/** A catalog snapshot from plain values with no history: one shard at `version` (in-memory stores, tests). */
export const snapshotOf = <T>(values: Iterable<T>, version = 0): CatalogSnapshot<T> => ({
  version: [version],
  items: [...values].map((value) => ({ value, shard: 0, moves: [] })),
});
