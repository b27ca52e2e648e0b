/**
 * search_traces order_by, as MLflow's store orders (`_get_orderby_clauses_for_search_traces`): clauses
 * `<attribute | tag.<key> | metadata.<key>> [ASC|DESC]`, missing values last in both directions, then
 * `timestamp_ms DESC` unless ordered on already, then `request_id ASC` so that ties have one order.
 *
 * Each trace is reduced to a tuple of JSON values (valuesOf) compared key by key: page tokens carry the last
 * answered trace's tuple, so a page continues after it even while new traces arrive (search.ts).
 */
import { compareDecimalIds, compareNumbers, compareStrings, ownValueReader } from '../../search/compare.js';
import { parseOrderByClause } from '../../search/tokenizer.js';
import type { TraceInfo } from '../entities.js';
import { ORDER_BY_ATTRIBUTE_KEYS, resolveTraceIdentifier, type TraceEntity } from './identifiers.js';
import { invalidOrderByEntity } from './messages.js';
import { attributeValue } from './view.js';

export type OrderValue = string | number | null;

export interface TraceOrderKey {
  readonly type: Extract<TraceEntity, 'attribute' | 'tag' | 'request_metadata'>;
  readonly key: string;
  readonly ascending: boolean;
}

export interface TraceOrder {
  readonly keys: readonly TraceOrderKey[];
  /** The tuple a trace sorts by. */
  readonly valuesOf: (info: TraceInfo) => OrderValue[];
  /** Orders two tuples of valuesOf. */
  readonly compare: (a: readonly OrderValue[], b: readonly OrderValue[]) => number;
  /** When the first key is the request time, the direction traces are read in (a search may stop early). */
  readonly byTime?: 'ascending' | 'descending';
}

const TIMESTAMP: TraceOrderKey = { type: 'attribute', key: 'timestamp_ms', ascending: false };
const REQUEST_ID: TraceOrderKey = { type: 'attribute', key: 'request_id', ascending: true };

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for a clause MLflow cannot parse or an entity it cannot order by.
 */
export const parseTraceOrderBy = (orderBy: readonly string[] | undefined): TraceOrder => {
  const keys: TraceOrderKey[] = [];
  for (const clause of orderBy ?? []) {
    const { identifier, ascending } = parseOrderByClause(clause);
    const { type, key } = resolveTraceIdentifier(identifier.trim(), ORDER_BY_ATTRIBUTE_KEYS);
    if (type !== 'attribute' && type !== 'tag' && type !== 'request_metadata') throw invalidOrderByEntity(type, key);
    keys.push({ type, key, ascending });
  }
  const has = (key: string) => keys.some((k) => k.type === 'attribute' && k.key === key);
  if (!has('timestamp_ms')) keys.push(TIMESTAMP);
  if (!has('request_id')) keys.push(REQUEST_ID);
  const readers = keys.map(readerOf);
  const comparators = keys.map(comparatorOf);
  const first = keys[0] as TraceOrderKey;
  const byTime = first.type === 'attribute' && first.key === 'timestamp_ms' ? (first.ascending ? 'ascending' : 'descending') : undefined;
  return {
    keys,
    valuesOf: (info) => readers.map((read) => read(info)),
    compare: (a, b) => {
      for (let i = 0; i < comparators.length; i++) {
        const result = (comparators[i] as ValueComparator)(a[i] ?? null, b[i] ?? null);
        if (result !== 0) return result;
      }
      return 0;
    },
    ...(byTime ? { byTime } : {}),
  };
};

type ValueComparator = (a: OrderValue, b: OrderValue) => number;

const readerOf = ({ type, key }: TraceOrderKey): ((info: TraceInfo) => OrderValue) => {
  if (type === 'attribute') return (info) => attributeValue(info, key) ?? null;
  const read = ownValueReader<string>(key);
  return type === 'tag' ? (info) => read(info.tags) ?? null : (info) => read(info.metadata) ?? null;
};

/** Missing values last whatever the direction (MLflow sorts `value IS NULL` first, ascending). */
const comparatorOf = ({ key, ascending }: TraceOrderKey): ValueComparator => {
  const sign = ascending ? 1 : -1;
  return (a, b) => {
    if (a === null) return b === null ? 0 : 1;
    if (b === null) return -1;
    if (typeof a === 'number' && typeof b === 'number') return sign * compareNumbers(a, b);
    if (key === 'experiment_id') return sign * compareDecimalIds(String(a), String(b));
    return sign * compareStrings(String(a), String(b));
  };
};

/** A position read back from a page token: a tuple as long as the order's, of JSON scalars. */
export const readPosition = (order: TraceOrder) => (position: unknown): OrderValue[] | undefined => {
  if (!Array.isArray(position) || position.length !== order.keys.length) return undefined;
  const ok = position.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  return ok ? (position as OrderValue[]) : undefined;
};
