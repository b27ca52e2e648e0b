/**
 * search_runs filter strings (§4.7 of the API notes; MLflow's `SearchUtils.parse_search_filter` and
 * the SQL store's `_get_sqlalchemy_filter_clauses`). A filter is parsed and validated once into
 * predicates; `runMatches` then only runs those predicates.
 */
import { invalidParameter } from '../../errors/index.js';
import type { MetricPoint, MetricRange, Run } from '../tracking/entities.js';
import type { MetricAggregate } from '../tracking/metric-ranges.js';
import { numberTest, ownValueReader, stringTest, type NumericComparator, type StringComparator } from './compare.js';
import { parseStringList } from './literal-list.js';
import {
  DATASET_COMPARATORS,
  METRIC_COMPARATORS,
  NUMERIC_ATTRIBUTE_COMPARATORS,
  PARAM_COMPARATORS,
  STRING_ATTRIBUTE_COMPARATORS,
  TAG_COMPARATORS,
  expectedIdentifier,
  expectedQuotedFor,
  invalidClauses,
  invalidComparator,
  listNeedsInComparator,
  listOnlyForRunId,
  multipleExpressions,
  notQuoted,
} from './messages.js';
import {
  FILTER_ATTRIBUTE_KEYS,
  NUMERIC_ATTRIBUTE_KEYS,
  resolveRunIdentifier,
  splitMetricAggregate,
  translateAttributeAlias,
  type RunEntity,
  type RunIdentifier,
} from './run-identifier.js';
import { scanFilter, type RawComparison, type Token } from './tokenizer.js';

export const RUN_NAME_TAG = 'mlflow.runName';
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

/** One parsed clause, for callers that want to inspect a filter (e.g. to narrow a query). */
export interface RunFilterClause {
  readonly type: RunEntity;
  /** The key; for attributes with aliases translated (`created` → `start_time`, `run name` → `run_name`). */
  readonly key: string;
  /** Upper-cased comparator: `=`, `!=`, `>`, `>=`, `<`, `<=`, `LIKE`, `ILIKE`, `IN` or `NOT IN`. */
  readonly comparator: string;
  /** A number for metrics and numeric attributes, a list for IN / NOT IN, a string otherwise. */
  readonly value: number | string | readonly string[];
  /** Metrics under Cairn's extension: `min` or `max` of the run's whole history; absent for the latest value. */
  readonly aggregate?: Exclude<MetricAggregate, 'last'>;
}

/** Grammar extensions of Cairn's own search endpoint; MLflow's endpoints parse without them. */
export interface RunSearchExtensions {
  /** `metrics.<key>.min|max|last` (splitMetricAggregate). */
  readonly metricAggregates?: boolean;
}

type RunPredicate = (run: Run) => boolean;

/** A compiled filter: treat as opaque and pass to `runMatches`. */
export interface RunFilter {
  readonly clauses: readonly RunFilterClause[];
  /** @internal compiled form of `clauses`, in the same order. */
  readonly predicates: readonly RunPredicate[];
}

const MATCH_ALL: RunFilter = Object.freeze({ clauses: [], predicates: [] });

/**
 * Parses a search_runs filter. An undefined, empty or blank filter matches every run.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 * @example runMatches(run, parseRunFilter("metrics.acc > 0.9 AND params.model = 'rf'"))
 */
export const parseRunFilter = (filter: string | undefined, extensions: RunSearchExtensions = {}): RunFilter => {
  if (filter === undefined || filter.trim() === '') return MATCH_ALL;
  const scanned = scanFilter(filter);
  if (scanned.statements > 1) throw multipleExpressions(filter);
  if (scanned.invalid.length > 0) {
    throw invalidClauses(scanned.invalid.map((token) => `'${token.text}'`).join(', '));
  }
  // MLflow reads every clause's value before it checks any comparator; errors come in that order.
  const clauses = scanned.comparisons.map((comparison) => parseClause(comparison, extensions));
  clauses.forEach(validateComparator);
  return { clauses, predicates: clauses.map(compileClause) };
};

/** Whether a run satisfies every clause of the filter. */
export const runMatches = (run: Run, filter: RunFilter): boolean => {
  const predicates = filter.predicates;
  for (let i = 0; i < predicates.length; i++) {
    if (!(predicates[i] as RunPredicate)(run)) return false;
  }
  return true;
};

const parseClause = (comparison: RawComparison, extensions: RunSearchExtensions): RunFilterClause => {
  if (comparison.left.kind !== 'identifier') throw expectedIdentifier(comparison.left.text);
  const { identifier: text, aggregate } = extensions.metricAggregates
    ? splitMetricAggregate(comparison.left.text)
    : { identifier: comparison.left.text, aggregate: 'last' as const };
  const identifier = resolveRunIdentifier(text, FILTER_ATTRIBUTE_KEYS);
  return {
    type: identifier.type,
    key: identifier.type === 'attribute' ? translateAttributeAlias(identifier.key) : identifier.key,
    comparator: comparison.comparator,
    value: parseValue(identifier, comparison.right),
    ...(aggregate === 'last' ? {} : { aggregate }),
  };
};

const parseValue = ({ type, key }: RunIdentifier, token: Token): RunFilterClause['value'] => {
  const isText = token.kind === 'string' || token.kind === 'identifier';
  switch (type) {
    case 'metric':
      if (token.kind !== 'number') {
        throw invalidParameter(`Expected numeric value type for metric. Found ${token.text}`);
      }
      return Number(token.text);
    case 'parameter':
    case 'tag':
      if (isText) return stripRequiredQuotes(token.text);
      throw expectedQuotedFor(type, token.text);
    case 'attribute':
      if (NUMERIC_ATTRIBUTE_KEYS.has(key)) {
        if (token.kind === 'number') return Number(token.text);
        throw invalidParameter(
          `Expected numeric value type for numeric attribute: ${key}. Found ${token.text}`,
        );
      }
      if (isText) return stripRequiredQuotes(token.text);
      if (token.kind === 'parenthesis') {
        if (key !== 'run_id') throw listOnlyForRunId();
        // Run ids are lower-case hex; MLflow drops list entries that are not lower case.
        return parseStringList(token.text).filter(isPythonLower);
      }
      throw invalidParameter(`Expected a quoted string value for attributes. Got value ${token.text}`);
    case 'dataset':
      if (isText) return stripRequiredQuotes(token.text);
      if (token.kind === 'parenthesis') return parseStringList(token.text);
      throw invalidParameter(
        `Expected a quoted string value for dataset attributes. Got value ${token.text}`,
      );
  }
};

const stripRequiredQuotes = (text: string): string => {
  const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]);
  if (!quoted) throw notQuoted(text);
  return text.slice(1, -1);
};

/** Python's `str.islower()`: at least one cased character and no upper-case one. */
const isPythonLower = (text: string): boolean => text === text.toLowerCase() && text !== text.toUpperCase();

const validateComparator = ({ type, key, comparator, value }: RunFilterClause): void => {
  const [valid, closingQuote] = comparatorsFor(type, key);
  if (!valid.includes(comparator)) throw invalidComparator(comparator, valid, closingQuote);
  const isList = typeof value === 'object';
  if (isList && comparator !== 'IN' && comparator !== 'NOT IN') throw listNeedsInComparator(comparator);
};

const comparatorsFor = (type: RunEntity, key: string): [readonly string[], boolean] => {
  switch (type) {
    case 'metric':
      return [METRIC_COMPARATORS, false];
    case 'parameter':
      return [PARAM_COMPARATORS, true];
    case 'tag':
      return [TAG_COMPARATORS, false];
    case 'dataset':
      return [DATASET_COMPARATORS, false];
    case 'attribute':
      // MLflow's message for numeric attributes lists the string comparators; Cairn lists the right ones.
      return NUMERIC_ATTRIBUTE_KEYS.has(key)
        ? [NUMERIC_ATTRIBUTE_COMPARATORS, false]
        : [STRING_ATTRIBUTE_COMPARATORS, true];
  }
};

const compileClause = (clause: RunFilterClause): RunPredicate => {
  switch (clause.type) {
    case 'metric': {
      if (clause.aggregate) return compileRangeClause(clause, clause.aggregate);
      const read = ownValueReader<MetricPoint>(clause.key);
      const test = numberTest(clause.comparator as NumericComparator, clause.value as number);
      // The reference stores NaN as 0 (with an is_nan flag) and filters on that 0.
      return (run) => {
        const point = read(run.metrics);
        if (point === undefined) return false;
        const value = point.value;
        return test(value !== value ? 0 : value);
      };
    }
    case 'parameter': {
      const read = ownValueReader<string>(clause.key);
      const test = textTest(clause);
      return (run) => {
        const value = read(run.params);
        return value !== undefined && test(value);
      };
    }
    case 'tag': {
      const read = ownValueReader<string>(clause.key);
      const test = textTest(clause);
      return (run) => {
        const value = read(run.tags);
        return value !== undefined && test(value);
      };
    }
    case 'attribute':
      return compileAttribute(clause);
    case 'dataset':
      return compileDataset(clause);
  }
};

/**
 * A min or max clause. A run without a range for the key does not match, nor does a NaN one (every point
 * NaN): Cairn compares ranges as numbers, where MLflow's latest value compares a NaN as 0.
 */
const compileRangeClause = (clause: RunFilterClause, aggregate: 'min' | 'max'): RunPredicate => {
  const read = ownValueReader<MetricRange>(clause.key);
  const test = numberTest(clause.comparator as NumericComparator, clause.value as number);
  return (run) => {
    const range = run.metricRanges && read(run.metricRanges);
    if (range === undefined) return false;
    const value = range[aggregate];
    return value === value && test(value);
  };
};

const textTest = (clause: RunFilterClause) =>
  stringTest(clause.comparator as StringComparator, clause.value as string | readonly string[]);

const compileAttribute = (clause: RunFilterClause): RunPredicate => {
  if (clause.key === 'start_time' || clause.key === 'end_time') {
    const test = numberTest(clause.comparator as NumericComparator, clause.value as number);
    return clause.key === 'start_time'
      ? (run) => test(run.info.startTime)
      : (run) => run.info.endTime !== undefined && test(run.info.endTime);
  }
  const test = textTest(clause);
  switch (clause.key) {
    case 'run_id':
      return (run) => test(run.info.runId);
    case 'user_id':
      return (run) => test(run.info.userId);
    case 'status':
      return (run) => test(run.info.status);
    case 'artifact_uri':
      return (run) => test(run.info.artifactUri);
    default:
      // run_name: the reference filters on the mlflow.runName tag, which Cairn keeps equal to the name.
      return (run) => test(run.tags[RUN_NAME_TAG] ?? run.info.runName);
  }
};

/** A run matches a dataset clause when ANY of its dataset inputs does. */
const compileDataset = (clause: RunFilterClause): RunPredicate => {
  const test = textTest(clause);
  if (clause.key === 'context') {
    return (run) => {
      for (const input of run.datasetInputs) {
        for (const tag of input.tags) {
          if (tag.key === DATASET_CONTEXT_TAG && test(tag.value)) return true;
        }
      }
      return false;
    };
  }
  const field = clause.key === 'name' ? 'name' : 'digest';
  return (run) => {
    for (const input of run.datasetInputs) {
      if (test(input.dataset[field])) return true;
    }
    return false;
  };
};
