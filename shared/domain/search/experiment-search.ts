/**
 * search_experiments filter and order_by (MLflow's `SearchExperimentsUtils` and the SQL store's
 * `_get_search_experiments_filter_clauses` / `_get_search_experiments_order_by_clauses`):
 *
 * - filter attributes `name` (`= != LIKE ILIKE`), `creation_time`, `last_update_time` (numeric
 *   comparators) and `tags.<key>` (`= != LIKE ILIKE`, the tag must exist);
 * - order_by keys `name`, `experiment_id` (numeric), `creation_time`, `last_update_time`; default
 *   `creation_time DESC, experiment_id ASC`; `experiment_id DESC` is appended as tie-break when the
 *   caller does not order by experiment_id.
 *
 * Deliberately lenient where the reference fails with 500: comparators are case-insensitive and
 * `attributes.` is accepted next to `attribute.`.
 */
import { invalidParameter } from '../../errors/index.js';
import type { Experiment } from '../tracking/entities.js';
import {
  compareDecimalIds,
  compareNumbers,
  compareStrings,
  numberTest,
  ownValueReader,
  stringTest,
  type NumericComparator,
  type StringComparator,
} from './compare.js';
import {
  NUMERIC_ATTRIBUTE_COMPARATORS,
  STRING_ATTRIBUTE_COMPARATORS,
  expectedIdentifier,
  expectedQuotedFor,
  invalidAttributeKey,
  invalidClauses,
  invalidComparator,
  listOnlyForRunId,
  multipleExpressions,
  notQuoted,
} from './messages.js';
import { stripQuotes, trimBackticks } from './run-identifier.js';
import { parseOrderByClause, scanFilter, type RawComparison, type Token } from './tokenizer.js';

type ExperimentPredicate = (experiment: Experiment) => boolean;

export interface ExperimentFilterClause {
  readonly type: 'attribute' | 'tag';
  readonly key: string;
  readonly comparator: string;
  readonly value: string | number;
}

/** A compiled filter: treat as opaque and pass to `experimentMatches`. */
export interface ExperimentFilter {
  readonly clauses: readonly ExperimentFilterClause[];
  /** @internal */
  readonly predicates: readonly ExperimentPredicate[];
}

export type ExperimentOrderField = 'name' | 'experiment_id' | 'creation_time' | 'last_update_time';

export interface ExperimentOrder {
  readonly keys: readonly { readonly key: ExperimentOrderField; readonly ascending: boolean }[];
}

const FILTER_ATTRIBUTES = ['name', 'creation_time', 'last_update_time'];
const ORDER_ATTRIBUTES: readonly ExperimentOrderField[] = ['name', 'experiment_id', 'creation_time', 'last_update_time'];
const ENTITY_TYPES = ['attribute', 'tag', 'tags'];
const STRING_ONLY_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
const MATCH_ALL: ExperimentFilter = Object.freeze({ clauses: [], predicates: [] });

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 */
export const parseExperimentFilter = (filter?: string): ExperimentFilter => {
  if (filter === undefined || filter.trim() === '') return MATCH_ALL;
  const scanned = scanFilter(filter);
  if (scanned.statements > 1) throw multipleExpressions(filter);
  if (scanned.invalid.length > 0) throw invalidClauses(scanned.invalid.map((t) => t.text).join(', '));
  const clauses = scanned.comparisons.map(parseClause);
  clauses.forEach(validateComparator);
  return { clauses, predicates: clauses.map(compileClause) };
};

export const experimentMatches = (experiment: Experiment, filter: ExperimentFilter): boolean => {
  const predicates = filter.predicates;
  for (let i = 0; i < predicates.length; i++) {
    if (!(predicates[i] as ExperimentPredicate)(experiment)) return false;
  }
  return true;
};

/** `SearchExperimentsUtils._get_identifier`. */
const resolveIdentifier = (raw: string, validAttributes: readonly string[]) => {
  const dot = raw.indexOf('.');
  let type: 'attribute' | 'tag' = 'attribute';
  if (dot >= 0) {
    const entity = raw.slice(0, dot);
    if (entity === 'tag' || entity === 'tags') type = 'tag';
    else if (entity !== 'attribute' && entity !== 'attributes') {
      throw invalidParameter(
        `Invalid entity type '${entity}'. Valid entity types are (${ENTITY_TYPES.map((e) => `'${e}'`).join(', ')})`,
      );
    }
  }
  const key = trimBackticks(stripQuotes(dot < 0 ? raw : raw.slice(dot + 1)));
  if (type === 'attribute' && !validAttributes.includes(key)) throw invalidAttributeKey(key, validAttributes);
  return { type, key };
};

const isNumericAttribute = (type: string, key: string) =>
  type === 'attribute' && (key === 'creation_time' || key === 'last_update_time');

const parseClause = ({ left, comparator, right }: RawComparison): ExperimentFilterClause => {
  if (left.kind !== 'identifier') throw expectedIdentifier(left.text);
  const { type, key } = resolveIdentifier(left.text, FILTER_ATTRIBUTES);
  return { type, key, comparator, value: parseValue(type, key, right) };
};

const parseValue = (type: 'attribute' | 'tag', key: string, token: Token): string | number => {
  if (isNumericAttribute(type, key)) {
    if (token.kind === 'number') return Number(token.text);
    throw invalidParameter(`Expected numeric value type for numeric attribute: ${key}. Found ${token.text}`);
  }
  if (token.kind === 'string' || token.kind === 'identifier') {
    const text = token.text;
    const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]);
    if (!quoted) throw notQuoted(text);
    return text.slice(1, -1);
  }
  if (type === 'tag') throw expectedQuotedFor('tag', token.text);
  if (token.kind === 'parenthesis') throw listOnlyForRunId();
  throw invalidParameter(`Expected a quoted string value for attributes. Got value ${token.text}`);
};

const validateComparator = ({ type, key, comparator }: ExperimentFilterClause): void => {
  if (type === 'tag') {
    if (!STRING_ONLY_COMPARATORS.includes(comparator)) {
      throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
    }
    return;
  }
  if (isNumericAttribute(type, key)) {
    if (!(NUMERIC_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) {
      throw invalidComparator(comparator, NUMERIC_ATTRIBUTE_COMPARATORS, false);
    }
    return;
  }
  if (!(STRING_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) {
    throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, true);
  }
  if (!STRING_ONLY_COMPARATORS.includes(comparator)) {
    throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
  }
};

const compileClause = ({ type, key, comparator, value }: ExperimentFilterClause): ExperimentPredicate => {
  if (typeof value === 'number') {
    const test = numberTest(comparator as NumericComparator, value);
    return key === 'creation_time' ? (e) => test(e.creationTime) : (e) => test(e.lastUpdateTime);
  }
  const test = stringTest(comparator as StringComparator, value);
  if (type === 'attribute') return (e) => test(e.name);
  const read = ownValueReader<string>(key);
  return (e) => {
    const tag = read(e.tags);
    return tag !== undefined && test(tag);
  };
};

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for malformed clauses, unknown keys or tag keys.
 */
export const parseExperimentOrderBy = (orderBy?: string[]): ExperimentOrder => ({
  keys: (orderBy ?? []).map((clause) => {
    const { identifier, ascending } = parseOrderByClause(clause);
    const { type, key } = resolveIdentifier(identifier, ORDER_ATTRIBUTES);
    if (type !== 'attribute') throw invalidParameter(`Invalid order_by entity: ${type}`);
    return { key: key as ExperimentOrderField, ascending };
  }),
});

const DEFAULT_ORDER: ExperimentOrder['keys'] = [
  { key: 'creation_time', ascending: false },
  { key: 'experiment_id', ascending: true },
];

/** What ordering reads of an experiment: its sort fields, and its id that makes the order total. */
export interface ExperimentSortKey {
  readonly experimentId: string;
  readonly name: string;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
}

export const experimentSortKey = ({ experimentId, name, creationTime, lastUpdateTime }: ExperimentSortKey): ExperimentSortKey => ({
  experimentId,
  name,
  creationTime,
  lastUpdateTime,
});

/** A sort key read back from a page token; undefined when it is not one. */
export const readExperimentSortKey = (raw: unknown): ExperimentSortKey | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { experimentId, name, creationTime, lastUpdateTime } = raw as Record<string, unknown>;
  const ok =
    typeof experimentId === 'string' && typeof name === 'string' && typeof creationTime === 'number' && typeof lastUpdateTime === 'number';
  return ok ? { experimentId, name, creationTime, lastUpdateTime } : undefined;
};

type ExperimentComparator = (a: ExperimentSortKey, b: ExperimentSortKey) => number;

const FIELD_COMPARATORS: Record<ExperimentOrderField, ExperimentComparator> = {
  name: (a, b) => compareStrings(a.name, b.name),
  experiment_id: (a, b) => compareDecimalIds(a.experimentId, b.experimentId),
  creation_time: (a, b) => compareNumbers(a.creationTime, b.creationTime),
  last_update_time: (a, b) => compareNumbers(a.lastUpdateTime, b.lastUpdateTime),
};

/** A comparator for Array.prototype.sort giving the reference server's order, defaults included. */
export const compareExperiments = (order: ExperimentOrder): ExperimentComparator => {
  const keys = order.keys.length > 0 ? [...order.keys] : [...DEFAULT_ORDER];
  if (!keys.some((k) => k.key === 'experiment_id')) keys.push({ key: 'experiment_id', ascending: false });
  const comparators = keys.map(({ key, ascending }) => {
    const compare = FIELD_COMPARATORS[key];
    return ascending ? compare : (a: ExperimentSortKey, b: ExperimentSortKey) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};
