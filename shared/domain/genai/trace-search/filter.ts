/**
 * search_traces filter strings, as MLflow's SearchTraceUtils parses them and its SQL store applies them
 * (sqlalchemy_store.py `_get_filter_clauses_for_search_traces`): comparisons joined by AND on trace attributes,
 * tags, metadata, spans and assessments. A filter is parsed and checked once into predicates (clauses.ts); the
 * search then runs them over each candidate trace.
 *
 * - attributes: `request_id`, `timestamp_ms` (`timestamp`), `execution_time_ms` (`execution_time`),
 *   `end_time_ms`, `status`, `client_request_id`; `name` reads the `mlflow.traceName` tag, `run_id` the
 *   `mlflow.sourceRun` metadata (and the runs the trace was linked to); `text` searches every span (LIKE/ILIKE);
 * - `tag.<key>` / `metadata.<key>`: `=`, `!=`, LIKE, ILIKE; a trace without the key matches nothing;
 * - `span.name|type|status|attributes.<key>|content`: a trace matches when one of its spans satisfies every
 *   `span.` clause of the filter;
 * - `feedback.<name>` / `expectation.<name>`: the trace's valid (not overridden) assessments of that name, as text
 *   (`= 'true'`, LIKE), as numbers (`> 3`), or IS [NOT] NULL.
 */
import { parseStringList } from '../../search/literal-list.js';
import type { Token } from '../../search/tokenizer.js';
import { compileClause, type TracePredicate } from './clauses.js';
import type { TraceClauseValue, TraceFilterClause } from './clause-types.js';
import { NUMERIC_ATTRIBUTES, resolveTraceIdentifier, SEARCH_ATTRIBUTE_KEYS, type TraceEntity } from './identifiers.js';
import {
  invalidParameter,
  expectedNumericAssessment,
  expectedNumericAttribute,
  expectedQuotedAssessment,
  expectedQuotedFor,
  invalidComparator,
  invalidSpanAttribute,
  invalidSpanComparator,
  listNeedsInComparator,
  listOnlyFor,
  notQuoted,
  numericOnlyAttributes,
} from './messages.js';
import { scanTraceFilter, type TraceComparison } from './scan.js';
import { listConditionsOf } from './pushdown.js';
import type { TraceListCondition } from '../ports.js';

export type { TraceClauseValue, TraceFilterClause } from './clause-types.js';

/** When in a search a predicate can run: on the info alone, or once spans or assessments are loaded. */
export type TraceStage = 'info' | 'spans' | 'assessments';

/** A compiled filter: pass it to traceMatches. */
export interface TraceFilter {
  readonly clauses: readonly TraceFilterClause[];
  /** @internal */
  readonly predicates: readonly { readonly stage: TraceStage; readonly test: TracePredicate }[];
  /** Whether a clause reads spans (`span.*`, `trace.text`). */
  readonly needsSpans: boolean;
  /** Names of the assessments clauses ask about, by kind. */
  readonly assessmentNames: { readonly feedback: readonly string[]; readonly expectation: readonly string[] };
  /** The states `status` clauses allow, when they narrow them (a list the index can filter on). */
  readonly states?: readonly string[];
  /** Conditions the listing can check in DynamoDB (pushdown.ts). */
  readonly where: readonly TraceListCondition[];
  /** Request times (ms, inclusive) outside which no trace matches, from `timestamp_ms` clauses. */
  readonly timeRange: { readonly fromMs?: number; readonly toMs?: number };
}

const NUMERIC_COMPARATORS = ['>', '>=', '!=', '=', '<', '<='];
const STRING_ATTRIBUTE_COMPARATORS = ['!=', '=', 'IN', 'NOT IN', 'LIKE', 'ILIKE'];
const TAG_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE'];
const TEXT_COMPARATORS = ['LIKE', 'ILIKE'];
const SPAN_COMPARATORS: Readonly<Record<string, readonly string[]>> = {
  name: STRING_ATTRIBUTE_COMPARATORS,
  type: STRING_ATTRIBUTE_COMPARATORS,
  status: STRING_ATTRIBUTE_COMPARATORS,
  content: TEXT_COMPARATORS,
  attributes: TAG_COMPARATORS,
};
const ASSESSMENT_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE', '>', '>=', '<', '<=', 'IS NULL', 'IS NOT NULL'];
const ASSESSMENT_NUMERIC = new Set(['>', '>=', '<', '<=']);
const LIST_ATTRIBUTES = ['request_id', 'status'];
const MAX_CLAUSES = 100;

const MATCH_ALL: TraceFilter = Object.freeze({
  clauses: [],
  predicates: [],
  needsSpans: false,
  assessmentNames: { feedback: [], expectation: [] },
  timeRange: {},
  where: [],
});

/**
 * Parses a search_traces filter; an absent or blank one matches every trace.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 */
export const parseTraceFilter = (filter: string | undefined): TraceFilter => {
  if (filter === undefined || filter.trim() === '') return MATCH_ALL;
  const comparisons = scanTraceFilter(filter);
  // Every clause runs on every trace read: a bound keeps one request's work in proportion (MLflow sets none).
  if (comparisons.length > MAX_CLAUSES) {
    throw invalidParameter(`Invalid filter: it has ${comparisons.length} clauses, the most allowed is ${MAX_CLAUSES}.`);
  }
  const clauses = comparisons.map(parseClause);
  const names = (kind: TraceEntity) => [...new Set(clauses.filter((c) => c.type === kind).map((c) => c.key))];
  return {
    clauses,
    predicates: compileAll(clauses),
    needsSpans: clauses.some((c) => c.type === 'span' || (c.type === 'attribute' && c.key === 'text')),
    assessmentNames: { feedback: names('feedback'), expectation: names('expectation') },
    timeRange: timeRangeOf(clauses),
    where: listConditionsOf(clauses),
    ...statesOf(clauses),
  };
};

/** Every `span.` clause tests the same span, so they are compiled together. */
const compileAll = (clauses: readonly TraceFilterClause[]): TraceFilter['predicates'] => {
  const spanClauses = clauses.filter((c) => c.type === 'span');
  const others = clauses.filter((c) => c.type !== 'span');
  const stageOf = (c: TraceFilterClause): TraceStage =>
    c.type === 'feedback' || c.type === 'expectation' ? 'assessments' : c.type === 'attribute' && c.key === 'text' ? 'spans' : 'info';
  const predicates = others.map((c) => ({ stage: stageOf(c), test: compileClause([c]) }));
  if (spanClauses.length > 0) predicates.push({ stage: 'spans', test: compileClause(spanClauses) });
  // Cheap stages first: a trace that fails on its info costs no further read.
  const order: Record<TraceStage, number> = { info: 0, assessments: 1, spans: 2 };
  return predicates.sort((a, b) => order[a.stage] - order[b.stage]);
};

const parseClause = ({ left, comparator, right }: TraceComparison): TraceFilterClause => {
  const identifier = resolveTraceIdentifier(left.text, SEARCH_ATTRIBUTE_KEYS);
  const { type, key } = identifier;
  const base = { type, key, comparator, ...(identifier.runId ? { runId: true } : {}) };
  switch (type) {
    case 'attribute':
      return { ...base, value: attributeValueOf(key, comparator, right) };
    case 'tag':
    case 'request_metadata':
      check(comparator, TAG_COMPARATORS);
      return { ...base, value: quotedValue(right, type, comparator) };
    case 'span':
      return { ...base, value: spanValueOf(key, comparator, right) };
    case 'feedback':
    case 'expectation':
      return { ...base, value: assessmentValueOf(type, comparator, right) };
  }
};

const check = (comparator: string, valid: readonly string[]): void => {
  if (!valid.includes(comparator)) throw invalidComparator(comparator, valid, true);
};

const attributeValueOf = (key: string, comparator: string, right: Token | undefined): TraceClauseValue => {
  if (NUMERIC_ATTRIBUTES.has(key)) {
    check(comparator, NUMERIC_COMPARATORS);
    if (right?.kind !== 'number') throw expectedNumericAttribute(key, right?.text ?? '');
    return Number(right.text);
  }
  check(comparator, key === 'text' ? TEXT_COMPARATORS : STRING_ATTRIBUTE_COMPARATORS);
  if (right?.kind === 'number') throw numericOnlyAttributes([...NUMERIC_ATTRIBUTES]);
  if (right?.kind === 'parenthesis' && !LIST_ATTRIBUTES.includes(key)) throw listOnlyFor(LIST_ATTRIBUTES);
  const value = quotedValue(right, 'attributes', comparator);
  return key === 'status' ? normalizeStatus(value) : value;
};

/** A v2 client's `TRACE_STATUS_UNSPECIFIED` is v3's `STATE_UNSPECIFIED`. */
const normalizeStatus = (value: string | readonly string[]): string | readonly string[] => {
  const one = (s: string) => (s === 'TRACE_STATUS_UNSPECIFIED' ? 'STATE_UNSPECIFIED' : s);
  return typeof value === 'string' ? one(value) : value.map(one);
};

const spanValueOf = (key: string, comparator: string, right: Token | undefined): TraceClauseValue => {
  const field = key.startsWith('attributes.') && key.length > 'attributes.'.length ? 'attributes' : key;
  const valid = SPAN_COMPARATORS[field];
  if (valid === undefined) throw invalidSpanAttribute(key);
  if (!valid.includes(comparator)) throw invalidSpanComparator(field, comparator, valid);
  return quotedValue(right, 'span', comparator);
};

const assessmentValueOf = (type: string, comparator: string, right: Token | undefined): TraceClauseValue => {
  check(comparator, ASSESSMENT_COMPARATORS);
  if (right === undefined) return null;
  if (ASSESSMENT_NUMERIC.has(comparator)) {
    if (right.kind !== 'number') throw expectedNumericAssessment(type, right.text);
    return Number(right.text);
  }
  if (right.kind === 'number') throw expectedQuotedAssessment(type, right.text);
  return quotedValue(right, type, comparator);
};

/** A quoted string, or for IN / NOT IN a parenthesized list of them; MLflow's errors otherwise. */
const quotedValue = (token: Token | undefined, what: string, comparator: string): string | readonly string[] => {
  const isList = comparator === 'IN' || comparator === 'NOT IN';
  if (token?.kind === 'parenthesis') {
    if (!isList) throw listNeedsInComparator(comparator);
    return parseStringList(token.text);
  }
  if (token?.kind === 'string' || token?.kind === 'identifier') {
    const text = token.text;
    const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]);
    if (!quoted) throw notQuoted(text);
    if (isList) throw listNeedsInComparator(comparator);
    return text.slice(1, -1);
  }
  throw expectedQuotedFor(what, token?.text ?? '');
};

/** The request-time bounds `timestamp_ms` clauses imply, so a search reads only that slice of time. */
const timeRangeOf = (clauses: readonly TraceFilterClause[]): TraceFilter['timeRange'] => {
  let fromMs = -Infinity;
  let toMs = Infinity;
  for (const { type, key, comparator, value } of clauses) {
    if (type !== 'attribute' || key !== 'timestamp_ms' || typeof value !== 'number') continue;
    if (comparator === '>') fromMs = Math.max(fromMs, Math.floor(value) + 1);
    else if (comparator === '>=') fromMs = Math.max(fromMs, Math.ceil(value));
    else if (comparator === '<') toMs = Math.min(toMs, Math.ceil(value) - 1);
    else if (comparator === '<=') toMs = Math.min(toMs, Math.floor(value));
    else if (comparator === '=') {
      fromMs = Math.max(fromMs, Math.ceil(value));
      toMs = Math.min(toMs, Math.floor(value));
    }
  }
  return {
    ...(Number.isFinite(fromMs) ? { fromMs } : {}),
    ...(Number.isFinite(toMs) ? { toMs } : {}),
  };
};

/** The states `status =` and `status IN` clauses allow (their intersection), so the index can skip the others. */
const statesOf = (clauses: readonly TraceFilterClause[]): { states?: readonly string[] } => {
  let states: Set<string> | undefined;
  for (const { type, key, comparator, value } of clauses) {
    if (type !== 'attribute' || key !== 'status' || value === null || typeof value === 'number') continue;
    if (comparator !== '=' && comparator !== 'IN') continue;
    const allowed = new Set(typeof value === 'string' ? [value] : value);
    states = states ? new Set([...states].filter((s) => allowed.has(s))) : allowed;
  }
  return states ? { states: [...states] } : {};
};
