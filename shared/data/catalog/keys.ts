/**
 * Catalog keys: what the searches of experiments and of the registry read, kept in a few partitions so that a
 * process loads a whole catalog with consistent queries, then reads only the changes since (shared/data/README.md,
 * "Catalog searches"). An item belongs to one shard for good (by the hash of its id), and so does every change
 * of it.
 *   CAT#<catalog>#<shard> / E#<entry key>         an entry: the item as searches show it, with its recent moves
 *   CAT#<catalog>#<shard> / L#<change, 12 digits>  a change: which entries it wrote (expires after a week)
 *   CAT#<catalog>#<shard> / Z                      the head: the number of the shard's last change
 * `E#` < `L#` < `Z`, so "every change after n" is one key condition (`sk > L#<n>`) that also answers the head.
 *   CAT#<catalog> / BUILT                           the catalog holds every item (built.ts)
 */
export type CatalogName = 'EXP' | 'REG';

/** Shards per catalog. Fixed for the table's life: items are found under the shard of their id. */
export const CATALOG_SHARDS = 8;

/** FNV-1a of the id's UTF-16 code units: stable, spread evenly over sequential ids and over hex ids alike. */
export const catalogShardOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % CATALOG_SHARDS;
};

export const catalogPartition = (catalog: CatalogName, shard: number) => `CAT#${catalog}#${shard}`;
export const CATALOG_ENTRY_PREFIX = 'E#';
/** Above every entry key: `E$` follows `E#…` whatever comes after the `#`. */
export const CATALOG_ENTRY_END = 'E$';
export const catalogEntryKey = (catalog: CatalogName, shard: number, entryKey: string) =>
  ({ pk: catalogPartition(catalog, shard), sk: `${CATALOG_ENTRY_PREFIX}${entryKey}` }) as const;
export const catalogChangeSortKey = (seq: number) => `L#${String(seq).padStart(12, '0')}`;
export const catalogChangeKey = (catalog: CatalogName, shard: number, seq: number) =>
  ({ pk: catalogPartition(catalog, shard), sk: catalogChangeSortKey(seq) }) as const;
export const CATALOG_HEAD_SK = 'Z';
export const catalogHeadKey = (catalog: CatalogName, shard: number) =>
  ({ pk: catalogPartition(catalog, shard), sk: CATALOG_HEAD_SK }) as const;
export const catalogBuiltKey = (catalog: CatalogName) => ({ pk: `CAT#${catalog}`, sk: 'BUILT' }) as const;
