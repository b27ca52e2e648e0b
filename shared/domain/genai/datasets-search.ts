/**
 * search_datasets filter and order_by (MLflow's `SearchEvaluationDatasetsUtils` with the SQL store's
 * `_get_search_datasets_filter_clauses` / `_get_search_datasets_order_by_clauses`), the experiment search's
 * grammar over a dataset's fields:
 *
 * - filter attributes `name`, `created_by`, `last_updated_by` (`= != LIKE ILIKE`), `created_time`,
 *   `last_update_time` (numeric comparators), and `tags.<key>` (`= != LIKE ILIKE`, the tag must exist);
 * - order_by keys `name`, `created_time`, `last_update_time`, `dataset_id`; default `created_time DESC`, with
 *   `dataset_id DESC` appended as tie-break when the caller does not order by it.
 */
import { invalidParameter } from '../../errors/index.js';
import { compareNumbers, compareStrings, numberTest, ownValueReader, stringTest, type NumericComparator, type StringComparator } from '../search/compare.js';
import {
  NUMERIC_ATTRIBUTE_COMPARATORS,
  STRING_ATTRIBUTE_COMPARATORS,
  expectedIdentifier,
  expectedQuotedFor,
  invalidAttributeKey,
  invalidClauses,
  invalidComparator,
  multipleExpressions,
  notQuoted,
} from '../search/messages.js';
import { stripQuotes, trimBackticks } from '../search/run-identifier.js';
import { parseOrderByClause, scanFilter, type RawComparison, type Token } from '../search/tokenizer.js';
import type { EvaluationDataset } from './datasets-entities.js';

type DatasetPredicate = (dataset: EvaluationDataset) => boolean;
type DatasetComparator = (a: EvaluationDataset, b: EvaluationDataset) => number;

const FILTER_ATTRIBUTES = ['name', 'created_time', 'last_update_time', 'created_by', 'last_updated_by'];
const NUMERIC_ATTRIBUTES = ['created_time', 'last_update_time'];
const ORDER_ATTRIBUTES = ['name', 'created_time', 'last_update_time', 'dataset_id'] as const;
type OrderField = (typeof ORDER_ATTRIBUTES)[number];
const ENTITY_TYPES = ['attribute', 'tag', 'tags'];
const STRING_ONLY_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];

interface Clause {
  readonly type: 'attribute' | 'tag';
  readonly key: string;
  readonly comparator: string;
  readonly value: string | number;
}

const resolveIdentifier = (raw: string, validAttributes: readonly string[]) => {
  const dot = raw.indexOf('.');
  let type: 'attribute' | 'tag' = 'attribute';
  if (dot >= 0) {
    const entity = raw.slice(0, dot);
    if (entity === 'tag' || entity === 'tags') type = 'tag';
    else if (entity !== 'attribute' && entity !== 'attributes') {
      throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are (${ENTITY_TYPES.map((e) => `'${e}'`).join(', ')})`);
    }
  }
  const key = trimBackticks(stripQuotes(dot < 0 ? raw : raw.slice(dot + 1)));
  if (type === 'attribute' && !validAttributes.includes(key)) throw invalidAttributeKey(key, validAttributes);
  return { type, key };
};

const isNumeric = (type: string, key: string) => type === 'attribute' && NUMERIC_ATTRIBUTES.includes(key);

const parseValue = (type: 'attribute' | 'tag', key: string, token: Token): string | number => {
  if (isNumeric(type, key)) {
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
  throw invalidParameter(`Expected a quoted string value for attributes. Got value ${token.text}`);
};

const parseClause = ({ left, comparator, right }: RawComparison): Clause => {
  if (left.kind !== 'identifier') throw expectedIdentifier(left.text);
  const { type, key } = resolveIdentifier(left.text, FILTER_ATTRIBUTES);
  return { type, key, comparator, value: parseValue(type, key, right) };
};

const validateComparator = ({ type, key, comparator }: Clause): void => {
  if (type === 'tag') {
    if (!STRING_ONLY_COMPARATORS.includes(comparator)) throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
    return;
  }
  if (isNumeric(type, key)) {
    if (!(NUMERIC_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) throw invalidComparator(comparator, NUMERIC_ATTRIBUTE_COMPARATORS, false);
    return;
  }
  if (!(STRING_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, true);
  if (!STRING_ONLY_COMPARATORS.includes(comparator)) throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
};

const stringAttribute = (key: string) => (d: EvaluationDataset): string | undefined =>
  key === 'name' ? d.name : key === 'created_by' ? d.createdBy : d.lastUpdatedBy;

const compileClause = ({ type, key, comparator, value }: Clause): DatasetPredicate => {
  if (typeof value === 'number') {
    const test = numberTest(comparator as NumericComparator, value);
    return key === 'created_time' ? (d) => test(d.createdTime) : (d) => test(d.lastUpdateTime);
  }
  const test = stringTest(comparator as StringComparator, value);
  if (type === 'attribute') {
    const read = stringAttribute(key);
    // SQL: a NULL column matches no comparison.
    return (d) => {
      const text = read(d);
      return text !== undefined && test(text);
    };
  }
  const read = ownValueReader<string>(key);
  return (d) => {
    const tag = read(d.tags);
    return tag !== undefined && test(tag);
  };
};

/** A compiled filter. @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for a malformed filter. */
export const parseDatasetFilter = (filter?: string): DatasetPredicate => {
  if (filter === undefined || filter.trim() === '') return () => true;
  const scanned = scanFilter(filter);
  if (scanned.statements > 1) throw multipleExpressions(filter);
  if (scanned.invalid.length > 0) throw invalidClauses(scanned.invalid.map((t) => t.text).join(', '));
  const clauses = scanned.comparisons.map(parseClause);
  clauses.forEach(validateComparator);
  const predicates = clauses.map(compileClause);
  return (dataset) => predicates.every((predicate) => predicate(dataset));
};

const FIELD_COMPARATORS: Record<OrderField, DatasetComparator> = {
  name: (a, b) => compareStrings(a.name, b.name),
  created_time: (a, b) => compareNumbers(a.createdTime, b.createdTime),
  last_update_time: (a, b) => compareNumbers(a.lastUpdateTime, b.lastUpdateTime),
  dataset_id: (a, b) => compareStrings(a.datasetId, b.datasetId),
};

/** A comparator giving the reference server's order. @throws MlflowError INVALID_PARAMETER_VALUE for a bad clause. */
export const parseDatasetOrderBy = (orderBy?: readonly string[]): DatasetComparator => {
  const keys = (orderBy && orderBy.length > 0 ? orderBy : ['created_time DESC']).map((clause) => {
    const { identifier, ascending } = parseOrderByClause(clause);
    const { type, key } = resolveIdentifier(identifier, ORDER_ATTRIBUTES);
    if (type !== 'attribute') throw invalidParameter(`Invalid order_by entity: ${type}`);
    return { key: key as OrderField, ascending };
  });
  if (!keys.some((k) => k.key === 'dataset_id')) keys.push({ key: 'dataset_id', ascending: false });
  const comparators = keys.map(({ key, ascending }) => {
    const compare = FIELD_COMPARATORS[key];
    return ascending ? compare : (a: EvaluationDataset, b: EvaluationDataset) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};
