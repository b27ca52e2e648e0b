import fc from 'fast-check';
import type { z } from 'zod';
import {
  anyNasty,
  BODY_NASTIES,
  CONTENT_TYPES,
  DEEP_VALUES,
  FILTER_NASTIES,
  METHODS,
  RAW_PATH_NASTIES,
  STRING_NASTIES,
  TOKEN_NASTIES,
  WEBHOOK_URL_NASTIES,
} from './nasty.js';
import { encodeComponent, renderJson } from './render.js';
import { ALIASES, FIELD_POOLS, routeId, ROUTES, type FuzzRoute, type Pool } from './routes.js';
import { objectKeys, schemaArbitrary, type FieldHook } from './zod-arbitrary.js';

/** A generated request, before rendering: readable in reports, with big values shown by their size. */
export interface FuzzRequest {
  /** The table row it was generated from (`METHOD /path/template`). */
  route: string;
  method: string;
  /** The concrete path, percent-encoded as sent. */
  path: string;
  query?: Record<string, unknown>;
  /** A JSON value (may hold `Deep` markers), or `raw` text/bytes sent as they are. */
  body?: unknown;
  raw?: string | Buffer;
  /** `undefined`: no Content-Type header. */
  contentType?: string | undefined;
}

/** Existing values per pool (seed.ts); an empty pool falls back to generated strings. */
export type Pools = Partial<Record<Pool, string[]>>;

const POOL_NASTIES: Partial<Record<Pool, string[]>> = {
  pageToken: TOKEN_NASTIES,
  filter: FILTER_NASTIES,
  webhookUrl: WEBHOOK_URL_NASTIES,
  artifactPath: RAW_PATH_NASTIES.map(decodeURIComponentSafe),
};

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const isArraySchema = (schema: z.ZodType): boolean => {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType } } })._zod.def;
  if (def.type === 'array') return true;
  if (def.type === 'optional') return isArraySchema(def.innerType!);
  if (def.type === 'pipe') return isArraySchema(def.out!) || isArraySchema(def.in!);
  return false;
};

const fromPool = (pools: Pools, pool: Pool): fc.Arbitrary<string> => {
  const values = pools[pool] ?? [];
  return values.length > 0 ? fc.constantFrom(...values) : fc.string({ minLength: 1, maxLength: 12 });
};

/** Field values: mostly existing ids and schema-shaped values, sometimes hostile ones. */
const fieldHook =
  (route: FuzzRoute, pools: Pools): FieldHook =>
  (field, fromSchema, schema) => {
    const pool = route.pools?.[field] ?? FIELD_POOLS[field];
    const nasty = fc.oneof(anyNasty, fc.constantFrom(...(pool && POOL_NASTIES[pool] ? POOL_NASTIES[pool] : STRING_NASTIES)));
    if (!pool) return fc.oneof({ arbitrary: fromSchema, weight: 8 }, { arbitrary: nasty, weight: 1 });
    const existing = isArraySchema(schema) ? fc.array(fromPool(pools, pool), { minLength: 1, maxLength: 3 }) : fromPool(pools, pool);
    return fc.oneof({ arbitrary: existing, weight: 7 }, { arbitrary: fromSchema, weight: 1 }, { arbitrary: nasty, weight: 2 });
  };

/** A path parameter: an existing value, a hostile one encoded, or a hostile raw sequence. */
const pathValue = (pools: Pools, pool: Pool | undefined, keepSlash: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: (pool ? fromPool(pools, pool) : fc.string({ minLength: 1 })).map((v) => encodeComponent(v, keepSlash)), weight: 6 },
    { arbitrary: fc.constantFrom(...STRING_NASTIES).map((v) => encodeComponent(v, keepSlash)), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_PATH_NASTIES), weight: 2 },
  );

const concretePath = (route: FuzzRoute, pools: Pools): fc.Arbitrary<string> => {
  const parts = route.path.split('/').map((segment): fc.Arbitrary<string> => {
    if (segment === '*') return pathValue(pools, route.pools?.['*'] ?? FIELD_POOLS['*'], true);
    if (segment.startsWith(':')) {
      const name = segment.slice(1);
      return pathValue(pools, route.pools?.[name] ?? FIELD_POOLS[name], false);
    }
    return fc.constant(segment);
  });
  const alias = ALIASES.find(([, canonical]) => route.path.startsWith(canonical));
  return fc.tuple(fc.tuple(...parts), fc.boolean()).map(([segments, viaAlias]) => {
    const path = segments.join('/');
    return alias && viaAlias ? alias[0] + path.slice(alias[1].length) : path;
  });
};

const fieldsOf = (route: FuzzRoute, pools: Pools): fc.Arbitrary<Record<string, unknown>> =>
  route.schema ? (schemaArbitrary(route.schema, fieldHook(route, pools)) as fc.Arbitrary<Record<string, unknown>>) : fc.constant({});

/** One field replaced by a hostile value, or a hostile key added (`__proto__`, `constructor`). */
const mutated = (route: FuzzRoute, fields: fc.Arbitrary<Record<string, unknown>>) => {
  const keys = [...(route.schema ? objectKeys(route.schema) : []), '__proto__', 'constructor'];
  return fc
    .tuple(fields, fc.constantFrom(...keys), fc.oneof(anyNasty, fc.constantFrom(...DEEP_VALUES)))
    .map(([record, key, value]) => Object.defineProperty({ ...record }, key, { value, enumerable: true, writable: true, configurable: true }));
};

const requestFor = (route: FuzzRoute, pools: Pools): fc.Arbitrary<FuzzRequest> => {
  const fields = fieldsOf(route, pools);
  const extraQuery = route.query
    ? fc.record(Object.fromEntries(Object.entries(route.query).map(([k, pool]) => [k, fromPool(pools, pool)])))
    : fc.constant(undefined);
  const usual = route.method === 'ALL' ? fc.constantFrom('GET', 'PUT', 'POST') : fc.constant(route.method);
  const base = { route: routeId(route) };
  const shape = (method: string, path: string, values: Record<string, unknown>, query: Record<string, unknown> | undefined) =>
    method === 'GET' || method === 'HEAD'
      ? { ...base, method, path, query: { ...values, ...query } }
      : route.bytes
        ? { ...base, method, path, ...(query ? { query } : {}), raw: renderJson(values), contentType: 'application/octet-stream' }
        : { ...base, method, path, ...(query ? { query } : {}), body: values, contentType: 'application/json' };
  const path = concretePath(route, pools);
  return fc.oneof(
    { arbitrary: fc.tuple(usual, path, fields, extraQuery).map(([m, p, f, q]) => shape(m, p, f, q)), weight: 8 },
    { arbitrary: fc.tuple(usual, path, mutated(route, fields), extraQuery).map(([m, p, f, q]) => shape(m, p, f, q)), weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...METHODS), path, fields, extraQuery).map(([m, p, f, q]) => shape(m, p, f, q)), weight: 1 },
    {
      arbitrary: fc
        .tuple(path, fields, fc.constantFrom(...CONTENT_TYPES), fc.constantFrom('POST', 'PATCH', 'DELETE', 'PUT'))
        .map(([p, f, contentType, method]) => ({ ...base, method, path: p, body: f, contentType })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(usual, path, fc.constantFrom(...BODY_NASTIES))
        .map(([method, p, raw]) => ({ ...base, method: method === 'GET' ? 'POST' : method, path: p, raw, contentType: 'application/json' })),
      weight: 1,
    },
  );
};

/** Requests over every route of the table (or the given ones), each route equally likely. */
export const requestArbitrary = (pools: Pools, routes: FuzzRoute[] = ROUTES): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(...routes.map((route) => requestFor(route, pools)));
