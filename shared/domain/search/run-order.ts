/**
 * search_runs order_by (MLflow's `parse_order_by_for_search_runs` and the SQL store's
 * `_get_orderby_clauses`):
 *
 * - each clause is `<identifier> [ASC|DESC]` over metrics, params, tags or the attributes
 *   run_id, run_name, user_id, status, start_time (alias created), end_time, artifact_uri;
 * - runs lacking the value sort last in both directions; for metrics, NaN sorts after every
 *   number and before missing values, in both directions;
 * - `start_time DESC` is appended unless start_time is already ordered, then `run_id ASC`.
 *
 * Cairn's search endpoint also orders by `metrics.<key>.min|max` (splitMetricAggregate): a NaN range sorts
 * as a NaN latest value does, and a run without the key's range as a missing one.
 */
import { invalidParameter } from '../../errors/index.js';
import type { MetricPoint, MetricRange, Run } from '../tracking/entities.js';
import type { MetricAggregate } from '../tracking/metric-ranges.js';
import { compareNumbers, compareOptional, compareStrings, ownValueReader } from './compare.js';
import { pyList } from './messages.js';
import type { RunSearchExtensions } from './run-filter.js';
import { ORDER_BY_ATTRIBUTE_KEYS, resolveRunIdentifier, splitMetricAggregate, translateAttributeAlias } from './run-identifier.js';
import { lex, parseOrderByClause } from './tokenizer.js';

export interface RunOrderKey {
  readonly type: 'metric' | 'parameter' | 'tag' | 'attribute';
  /** For attributes, with `created` translated to `start_time`. */
  readonly key: string;
  readonly ascending: boolean;
  /** Metrics under Cairn's extension: order by the key's `min` or `max`; absent for the latest value. */
  readonly aggregate?: Exclude<MetricAggregate, 'last'>;
}

/** The caller's order_by, parsed; `compareRuns` adds MLflow's defaults. */
export interface RunOrder {
  readonly keys: readonly RunOrderKey[];
}

type RunComparator = (a: Run, b: Run) => number;

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for malformed clauses, unknown keys, dataset keys
 *   and duplicate fields (the reference answers 500 for the last two).
 */
export const parseRunOrderBy = (orderBy: string[] | undefined, extensions: RunSearchExtensions = {}): RunOrder => {
  const keys: RunOrderKey[] = [];
  const seen = new Set<string>();
  for (const written of orderBy ?? []) {
    const { clause, aggregate } = extensions.metricAggregates ? withoutAggregate(written) : { clause: written, aggregate: 'last' as const };
    const { identifier, ascending } = parseOrderByClause(clause);
    const resolved = resolveRunIdentifier(identifier, ORDER_BY_ATTRIBUTE_KEYS);
    if (resolved.type === 'dataset') {
      throw invalidParameter(`Invalid identifier type '${resolved.type}'`);
    }
    const key = resolved.type === 'attribute' ? translateAttributeAlias(resolved.key) : resolved.key;
    const field = `${resolved.type}\u0000${key}\u0000${aggregate}`;
    if (seen.has(field)) {
      throw invalidParameter(`\`order_by\` contains duplicate fields: ${pyList(orderBy ?? [])}`);
    }
    seen.add(field);
    keys.push({ type: resolved.type, key, ascending, ...(aggregate === 'last' ? {} : { aggregate }) });
  }
  return { keys };
};

/** The clause with its identifier's aggregate suffix taken off (before MLflow's parsing unquotes it). */
const withoutAggregate = (written: string): { clause: string; aggregate: MetricAggregate } => {
  const trimmed = written.trim();
  const first = lex(trimmed)[0];
  if (first?.kind !== 'identifier' || !trimmed.startsWith(first.text)) return { clause: written, aggregate: 'last' };
  const { identifier, aggregate } = splitMetricAggregate(first.text);
  return { clause: identifier + trimmed.slice(first.text.length), aggregate };
};

/** A comparator for Array.prototype.sort giving the reference server's order. */
export const compareRuns = (order: RunOrder): RunComparator => {
  const comparators = order.keys.map(compileKey);
  if (!order.keys.some((k) => k.type === 'attribute' && k.key === 'start_time')) {
    comparators.push(startTimeDescending);
  }
  comparators.push(runIdAscending);
  const count = comparators.length;
  return (a, b) => {
    for (let i = 0; i < count; i++) {
      const result = (comparators[i] as RunComparator)(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};

const startTimeDescending: RunComparator = (a, b) => compareNumbers(b.info.startTime, a.info.startTime);
const runIdAscending: RunComparator = (a, b) => compareStrings(a.info.runId, b.info.runId);

const compileKey = ({ type, key, ascending, aggregate }: RunOrderKey): RunComparator => {
  switch (type) {
    case 'metric':
      return aggregate ? rangeComparator(key, aggregate, ascending) : metricComparator(key, ascending);
    case 'parameter': {
      const read = ownValueReader<string>(key);
      return (a, b) => compareOptional(read(a.params), read(b.params), ascending, compareStrings);
    }
    case 'tag': {
      const read = ownValueReader<string>(key);
      return (a, b) => compareOptional(read(a.tags), read(b.tags), ascending, compareStrings);
    }
    case 'attribute':
      return attributeComparator(key, ascending);
  }
};

/** Rank of a metric for ordering: 0 number, 1 NaN, 2 missing (always ascending). */
const metricRank = (point: MetricPoint | undefined): number =>
  point === undefined ? 2 : point.value !== point.value ? 1 : 0;

const metricComparator = (key: string, ascending: boolean): RunComparator => {
  const read = ownValueReader<MetricPoint>(key);
  return (a, b) => {
    const pa = read(a.metrics);
    const pb = read(b.metrics);
    const rank = metricRank(pa) - metricRank(pb);
    if (rank !== 0) return rank;
    if (pa === undefined || pb === undefined || pa.value !== pa.value) return 0;
    const order = compareNumbers(pa.value, pb.value);
    return ascending ? order : -order;
  };
};

/** Rank of a range end for ordering, as metricRank: 0 number, 1 NaN, 2 missing. */
const rangeRank = (value: number | undefined): number => (value === undefined ? 2 : value !== value ? 1 : 0);

const rangeComparator = (key: string, aggregate: 'min' | 'max', ascending: boolean): RunComparator => {
  const read = ownValueReader<MetricRange>(key);
  const valueOf = (run: Run) => (run.metricRanges ? read(run.metricRanges)?.[aggregate] : undefined);
  return (a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    const rank = rangeRank(va) - rangeRank(vb);
    if (rank !== 0) return rank;
    if (va === undefined || vb === undefined || va !== va) return 0;
    const order = compareNumbers(va, vb);
    return ascending ? order : -order;
  };
};

const attributeComparator = (key: string, ascending: boolean): RunComparator => {
  const direction = ascending ? 1 : -1;
  switch (key) {
    case 'start_time':
      return (a, b) => direction * compareNumbers(a.info.startTime, b.info.startTime);
    case 'end_time':
      return (a, b) => compareOptional(a.info.endTime, b.info.endTime, ascending, compareNumbers);
    case 'run_id':
      return (a, b) => direction * compareStrings(a.info.runId, b.info.runId);
    case 'run_name':
      return (a, b) => direction * compareStrings(a.info.runName, b.info.runName);
    case 'user_id':
      return (a, b) => direction * compareStrings(a.info.userId, b.info.userId);
    case 'status':
      return (a, b) => direction * compareStrings(a.info.status, b.info.status);
    default:
      return (a, b) => direction * compareStrings(a.info.artifactUri, b.info.artifactUri);
  }
};
