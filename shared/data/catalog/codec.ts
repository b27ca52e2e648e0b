import { z } from 'zod';
import type { CatalogMove } from '../../domain/kernel/catalog.js';
import { internalError } from '../../errors/index.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { catalogChangeKey, catalogEntryKey, catalogHeadKey, CATALOG_ENTRY_PREFIX, type CatalogName } from './keys.js';

const ENTRY = 'catalog-entry';
const CHANGE = 'catalog-change';
const HEAD = 'catalog-head';

/** How long a change item is kept: a process idle for longer reloads its shard instead of reading the changes. */
export const CHANGE_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * An entry as stored: the change that last wrote it, the item's value in its catalog's JSON form, and its recent
 * moves. One JSON string per item: a cold load parses 100,000 of them, and a string costs the SDK almost nothing
 * to read, where an attribute map per field costs it most of the load.
 */
export interface StoredEntry {
  readonly seq: number;
  readonly value: unknown;
  readonly moves: readonly StoredMove[];
}

/** A move with the time it was made (its writer's clock), by which old moves are let go. */
export interface StoredMove extends CatalogMove {
  readonly at: number;
}

const MoveSchema = z.object({ seq: z.number().int().nonnegative(), at: z.number(), before: z.record(z.string(), z.unknown()) });
const StoredEntrySchema = z.object({ seq: z.number().int().nonnegative(), value: z.unknown(), moves: z.array(MoveSchema) });

const EntryItemSchema = z.object({ ...entityHeader(ENTRY), j: z.string() });
const ChangeItemSchema = z.object({ ...entityHeader(CHANGE), seq: z.number().int().positive(), keys: z.array(z.string()) });
const HeadItemSchema = z.object({ ...entityHeader(HEAD), seq: z.number().int().nonnegative().optional() });

export const toEntryItem = (catalog: CatalogName, shard: number, key: string, entry: StoredEntry): Item => ({
  ...catalogEntryKey(catalog, shard, key),
  ...stamp(ENTRY),
  j: JSON.stringify(entry),
});

/** The entry key (without its prefix) and the stored entry of an entry item. */
export const fromEntryItem = (item: Item): { key: string; entry: StoredEntry } => {
  const { j } = parseItem(EntryItemSchema, item);
  let parsed: unknown;
  try {
    parsed = JSON.parse(j);
  } catch (error) {
    throw internalError(`Stored item ${String(item.pk)} / ${String(item.sk)} is not readable.`, error);
  }
  const result = StoredEntrySchema.safeParse(parsed);
  if (!result.success) throw internalError(`Stored item ${String(item.pk)} / ${String(item.sk)} is not readable.`, result.error);
  return { key: String(item.sk).slice(CATALOG_ENTRY_PREFIX.length), entry: result.data };
};

export const toChangeItem = (catalog: CatalogName, shard: number, seq: number, keys: readonly string[], now: number): Item => ({
  ...catalogChangeKey(catalog, shard, seq),
  ...stamp(CHANGE),
  seq,
  keys: [...keys],
  [TABLE.timeToLiveAttribute]: Math.floor(now / 1000) + CHANGE_RETENTION_SECONDS,
});

export const fromChangeItem = (item: Item): { seq: number; keys: string[] } => {
  const { seq, keys } = parseItem(ChangeItemSchema, item);
  return { seq, keys };
};

export const isHeadItem = (item: Item) => item[TABLE.entityTypeAttribute] === HEAD;

export const headSeqOf = (item: Item | undefined): number => (item ? (parseItem(HeadItemSchema, item).seq ?? 0) : 0);

export const HEAD_STAMP = stamp(HEAD);
export { catalogHeadKey };
