import type { CatalogItem, CatalogSnapshot } from '../../domain/kernel/catalog.js';
import type { CatalogState } from './reader.js';

/** Every item of a catalog state, shard after shard. */
function* itemsOf<T>(shards: CatalogState<T>['shards']): Generator<CatalogItem<T>> {
  for (const entries of shards) yield* entries.values();
}

/** A catalog state as the search use cases read it (shared/domain/kernel/catalog.ts). */
export const snapshotOfCatalog = <T>(state: CatalogState<T>): CatalogSnapshot<T> => ({
  version: state.version,
  items: { [Symbol.iterator]: () => itemsOf(state.shards) },
});
