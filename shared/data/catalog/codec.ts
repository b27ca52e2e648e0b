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
 * An entry: the change that last wrote it, the item's value in its catalog's JSON form, and its recent moves.
 * Stored as one JSON string, `[seq, value]` or `[seq, value, [[seq, at, before], ...]]`: a cold load reads
 * 100,000 of them, and one string attribute costs the SDK little to read, where a map per field costs it most
 * of the load.
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

const EntryItemSchema = z.object({ ...entityHeader(ENTRY), j: z.string() });
const ChangeItemSchema = z.object({ ...entityHeader(CHANGE), seq: z.number().int().positive(), keys: z.array(z.string()) });
const HeadItemSchema = z.object({ ...entityHeader(HEAD), seq: z.number().int().nonnegative().optional() });

/** The attributes a bulk read of entries asks for: the key and the text (entryOfText reads them). */
export const ENTRY_PROJECTION = { ProjectionExpression: '#sk, #j', ExpressionAttributeNames: { '#sk': 'sk', '#j': 'j' } } as const;

const textOf = (entry: StoredEntry): string =>
  JSON.stringify(
    entry.moves.length === 0
      ? [entry.seq, entry.value]
      : [entry.seq, entry.value, entry.moves.map((move) => [move.seq, move.at, move.before])],
  );

export const toEntryItem = (catalog: CatalogName, shard: number, key: string, entry: StoredEntry): Item => ({
  ...catalogEntryKey(catalog, shard, key),
  ...stamp(ENTRY),
  j: textOf(entry),
});

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isMove = (value: unknown): value is [number, number, Record<string, unknown>] =>
  Array.isArray(value) && isCount(value[0]) && typeof value[1] === 'number' && typeof value[2] === 'object' && value[2] !== null && !Array.isArray(value[2]);

/**
 * The entry key (without its prefix) and the entry of an entry's sort key and text. The value is its catalog's
 * to check (its decode); an entry of any other shape is an internal error naming it.
 */
export const entryOfText = (sk: unknown, text: unknown): { key: string; entry: StoredEntry } => {
  const unreadable = (cause?: unknown) => internalError(`The catalog entry ${String(sk)} is not readable.`, cause);
  if (typeof sk !== 'string' || !sk.startsWith(CATALOG_ENTRY_PREFIX) || typeof text !== 'string') throw unreadable();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw unreadable(error);
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 3 || !isCount(parsed[0])) throw unreadable();
  const moves = parsed[2] ?? [];
  if (!Array.isArray(moves) || !moves.every(isMove)) throw unreadable();
  return {
    key: sk.slice(CATALOG_ENTRY_PREFIX.length),
    entry: { seq: parsed[0], value: parsed[1], moves: moves.map(([seq, at, before]) => ({ seq, at, before })) },
  };
};

/** An entry item read whole (its header checked). */
export const fromEntryItem = (item: Item): { key: string; entry: StoredEntry } => {
  const { j } = parseItem(EntryItemSchema, item);
  return entryOfText(item.sk, j);
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
