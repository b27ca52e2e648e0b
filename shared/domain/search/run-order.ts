/**
 * search_runs order_by (MLflow's `parse_order_by_for_search_runs` and the SQL store's
 * `_get_orderby_clauses`):
 *
 * - each clause is `<identifier> [ASC|DESC]` over metrics, params, tags or the attributes
 *   run_id, run_name, user_id, status, start_time (alias created), end_time, artifact_uri;
 * - runs lacking the value sort last in both directions; for metrics, NaN sorts after every
 *   number and before missing values, in both directions;
 * - `start_time DESC` is appended unless start_time is already ordered, then `run_id ASC`.
 */
import { invalidParameter } from '../../errors/index.js';
import type { MetricPoint, Run } from '../tracking/entities.js';
import { compareNumbers, compareOptional, compareStrings, ownValueReader } from './compare.js';
import { pyList } from './messages.js';
import { ORDER_BY_ATTRIBUTE_KEYS, resolveRunIdentifier, translateAttributeAlias } from './run-identifier.js';
import { parseOrderByClause } from './tokenizer.js';

export interface RunOrderKey {
  readonly type: 'metric' | 'parameter' | 'tag' | 'attribute';
  /** For attributes, with `created` translated to `start_time`. */
  readonly key: string;
  readonly ascending: boolean;
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
export const parseRunOrderBy = (orderBy: string[] | undefined): RunOrder => {
  const keys: RunOrderKey[] = [];
  const seen = new Set<string>();
  for (const clause of orderBy ?? []) {
    const { identifier, ascending } = parseOrderByClause(clause);
    const resolved = resolveRunIdentifier(identifier, ORDER_BY_ATTRIBUTE_KEYS);
    if (resolved.type === 'dataset') {
      throw invalidParameter(`Invalid identifier type '${resolved.type}'`);
    }
    const key = resolved.type === 'attribute' ? translateAttributeAlias(resolved.key) : resolved.key;
    const field = `${resolved.type}\u0000${key}`;
    if (seen.has(field)) {
      throw invalidParameter(`\`order_by\` contains duplicate fields: ${pyList(orderBy ?? [])}`);
    }
    seen.add(field);
    keys.push({ type: resolved.type, key, ascending });
  }
  return { keys };
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

const compileKey = ({ type, key, ascending }: RunOrderKey): RunComparator => {
  switch (type) {
    case 'metric':
      return metricComparator(key, ascending);
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
