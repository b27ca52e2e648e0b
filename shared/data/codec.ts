import { z } from 'zod';
import { internalError } from '../errors/index.js';
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

export const StringMapSchema = z.record(z.string(), z.string());
