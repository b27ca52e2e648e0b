import { z } from 'zod';
import { internalError } from '../errors/index.js';
import { recordOf } from '../domain/kernel/own-records.js';
import { TABLE } from './table-definition.js';
import type { Item } from './dynamo-ops.js';

/**
 * Every stored item names its entity type and schema version, and is parsed with its zod schema on the way
 * out: an item of the wrong type, or a damaged one, is an INTERNAL_ERROR naming the item, never a crash
 * deeper in the code.
 */
export const entityHeader = <T extends string>(entityType: T) => ({
  [TABLE.entityTypeAttribute]: z.literal(entityType),
  [TABLE.schemaVersionAttribute]: z.literal(1),
});

export const stamp = (entityType: string): Item => ({
  [TABLE.entityTypeAttribute]: entityType,
  [TABLE.schemaVersionAttribute]: 1,
});

export const parseItem = <S extends z.ZodType>(schema: S, item: Item): z.output<S> => {
  const result = schema.safeParse(item);
  if (!result.success) {
    throw internalError(`Stored item ${String(item.pk)} / ${String(item.sk)} is not readable.`, result.error);
  }
  return result.data;
};

const mapOf =
  <V>(isValue: (value: unknown) => value is V) =>
  (value: unknown): value is Record<string, V> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isValue);

/**
 * A stored map keyed by caller-chosen names, read into a null-prototype record (shared/domain/kernel/own-records.ts):
 * z.record assigns keys to a plain object, which loses a key `__proto__`, so the map is checked as a whole and
 * copied key by key instead.
 */
const ownMapSchema = <V>(isValue: (value: unknown) => value is V, what: string) =>
  z.custom<Record<string, V>>(mapOf(isValue), { message: `expected a map of ${what}` }).transform((map) => recordOf(Object.entries(map)));

/** Tags and params. */
export const StringMapSchema = ownMapSchema((v): v is string => typeof v === 'string', 'strings');
/** Aliases → version numbers. */
export const NumberMapSchema = ownMapSchema((v): v is number => typeof v === 'number', 'numbers');

/** A salted scrypt hash as stored (shared/domain/auth/token-secrets.ts): a token's secret, a user's password. */
export const SecretHashSchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string(),
  hash: z.string(),
});
