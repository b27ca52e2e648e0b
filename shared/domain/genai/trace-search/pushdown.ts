/**
 * The part of a trace filter DynamoDB can check while it lists an experiment's infos (TraceListQuery.where), so
 * that traces the filter leaves out are not sent, parsed and tested here. Each condition is implied by its
 * clause (a superset of what the clause keeps); the clause itself still runs on whatever is listed.
 *
 * Passed down: tags and metadata compared with `=` or a case-sensitive LIKE of the forms `abc`, `abc%`, `%abc%`
 * (and `%abc`, as a substring); `client_request_id` and `request_id` the same way; `execution_time_ms` with a
 * numeric comparator; `run_id =` as the source run or a linked run. Not passed down: `!=`, ILIKE, lists, `_` in a
 * pattern, spans and assessments.
 */
import type { TraceListCondition } from '../ports.js';
import type { TraceFilterClause } from './clause-types.js';

const TOP_LEVEL: Readonly<Record<string, 'clientRequestId' | 'traceId'>> = { client_request_id: 'clientRequestId', request_id: 'traceId' };

/** `=` or a LIKE pattern as a string condition, when its form allows one. */
const stringCondition = (comparator: string, value: string): { op: '=' | 'begins_with' | 'contains'; value: string } | undefined => {
  if (comparator === '=') return { op: '=', value };
  if (comparator !== 'LIKE' || value.includes('_')) return undefined;
  const inner = value.replace(/^%+/u, '').replace(/%+$/u, '');
  if (inner.includes('%')) return undefined;
  if (inner === '') return undefined;
  if (!value.startsWith('%') && !value.endsWith('%')) return { op: '=', value };
  if (!value.startsWith('%')) return { op: 'begins_with', value: inner };
  return { op: 'contains', value: inner };
};

const NUMERIC = new Set(['=', '<', '<=', '>', '>=']);

const conditionOf = ({ type, key, comparator, value, runId }: TraceFilterClause): TraceListCondition | undefined => {
  if (runId) {
    // The source run, or one of the runs the trace was linked to.
    if (comparator !== '=' || typeof value !== 'string') return undefined;
    return { anyOf: [{ path: ['metadata', key], op: '=', value }, { path: ['linkedRunIds'], op: 'contains', value }] };
  }
  if ((type === 'tag' || type === 'request_metadata') && typeof value === 'string') {
    const condition = stringCondition(comparator, value);
    return condition && { path: [type === 'tag' ? 'tags' : 'metadata', key], ...condition };
  }
  if (type !== 'attribute') return undefined;
  if (key === 'execution_time_ms' && typeof value === 'number' && NUMERIC.has(comparator)) {
    return { path: ['executionDuration'], op: comparator as '=' | '<' | '<=' | '>' | '>=', value };
  }
  const field = TOP_LEVEL[key];
  if (field === undefined || typeof value !== 'string') return undefined;
  const condition = stringCondition(comparator, value);
  return condition && { path: [field], ...condition };
};

/**
 * DynamoDB's bounds on an expression: names of at most 255 bytes, 4 KB of expression text. Conditions past these
 * (a long tag key, a long value, many clauses) are left to the clauses alone, never sent to fail there.
 */
const MAX_CONDITIONS = 8;
const MAX_NAME_BYTES = 255;
const MAX_VALUE_LENGTH = 1024;

const fits = (condition: TraceListCondition): boolean =>
  'anyOf' in condition
    ? condition.anyOf.every(fits)
    : condition.path.every((part) => Buffer.byteLength(part, 'utf8') <= MAX_NAME_BYTES) &&
      (typeof condition.value !== 'string' || condition.value.length <= MAX_VALUE_LENGTH);

export const listConditionsOf = (clauses: readonly TraceFilterClause[]): TraceListCondition[] =>
  clauses
    .flatMap((clause) => {
      const condition = conditionOf(clause);
      return condition && fits(condition) ? [condition] : [];
    })
    .slice(0, MAX_CONDITIONS);
