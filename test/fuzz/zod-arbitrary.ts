import fc from 'fast-check';
import type { z } from 'zod';

/**
 * Arbitraries from zod 4 schemas, by walking `schema._zod.def`: values of the right shape (that a schema
 * would mostly accept) for each field, with a hook that lets the caller replace a named field's values
 * (pools of existing ids, nasty values). Unknown kinds of schema fall back to any JSON value, so a schema
 * the walker does not know still gets fuzzed.
 */

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string } } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Given a field's name and its shape-derived arbitrary, answers the arbitrary to use. */
export type FieldHook = (field: string, fromSchema: fc.Arbitrary<unknown>, schema: z.ZodType) => fc.Arbitrary<unknown>;

const bounds = (def: Def) => {
  let min: number | undefined;
  let max: number | undefined;
  let int = false;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length' || c.check === 'greater_than') min = c.minimum ?? c.value;
    if (c.check === 'max_length' || c.check === 'less_than') max = c.maximum ?? c.value;
    if (c.check === 'number_format' && c.format?.includes('int')) int = true;
  }
  return { min, max, int };
};

const jsonLeaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));

export const schemaArbitrary = (schema: z.ZodType, hook: FieldHook, field = ''): fc.Arbitrary<unknown> => {
  const def = defOf(schema);
  const walk = (inner: z.ZodType | undefined, name = field) => (inner ? schemaArbitrary(inner, hook, name) : jsonLeaf);
  switch (def.type) {
    case 'object': {
      const keys = Object.keys(def.shape ?? {});
      const fields = Object.fromEntries(keys.map((key) => [key, hook(key, walk(def.shape?.[key], key), def.shape![key]!)]));
      return fc.record(fields, { requiredKeys: [] }).map(dropUndefined);
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.type === 'optional' ? fc.option(walk(def.innerType), { nil: undefined, freq: 4 }) : walk(def.innerType);
    case 'array':
      return fc.array(walk(def.element), { maxLength: 3 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => walk(option)));
    // z.preprocess(fn, schema) is a pipe from a transform: the caller sends what the inner schema takes.
    // Other pipes (`schema.transform(...).pipe(...)`) take what their first part takes.
    case 'pipe':
      return defOf(def.in!).type === 'transform' ? walk(def.out) : walk(def.in);
    case 'string': {
      const { min, max } = bounds(def);
      return fc.string({ minLength: min ?? 0, maxLength: Math.min(max ?? 12, Math.max(min ?? 0, 12)) });
    }
    case 'number': {
      const { min, max, int } = bounds(def);
      const lo = min ?? -1_000_000;
      const hi = max ?? 1_000_000;
      return int ? fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) }) : fc.double({ min: lo, max: hi, noNaN: true });
    }
    case 'int':
    case 'bigint':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    // Doubles are a custom schema (non-finite values allowed): numbers and their proto-JSON string forms.
    case 'custom':
      return fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.5'));
    default:
      return fc.oneof(jsonLeaf, fc.dictionary(fc.string({ maxLength: 4 }), jsonLeaf, { maxKeys: 2 }));
  }
};

const dropUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** The field names of an object schema (unwrapping pipes and optionals), for mutations of one field. */
export const objectKeys = (schema: z.ZodType): string[] => {
  const def = defOf(schema);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'pipe') return objectKeys(defOf(def.in!).type === 'transform' ? def.out! : def.in!);
  if (def.innerType) return objectKeys(def.innerType);
  return [];
};
