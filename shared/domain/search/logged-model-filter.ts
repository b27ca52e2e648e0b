/**
 * search_logged_models filter strings (MLflow's `mlflow/utils/search_logged_model_utils.py` and the
 * SQL store's `_apply_filter_string_datasets_search_logged_models`):
 *
 * - identifiers are `attributes.<k>` or a bare `<k>` (name, model_id, model_type, status,
 *   source_run_id, creation_timestamp | creation_time, last_updated_timestamp, ...), and the
 *   plural-only `metrics.<k>`, `params.<k>`, `tags.<k>`;
 * - metrics and timestamps take `< <= > >= = !=` with a number; everything else
 *   `= != LIKE ILIKE IN NOT IN` with a string (quotes optional, as in the reference);
 * - a metric clause matches when ANY recorded point of that metric satisfies it (restricted to the
 *   requested datasets, if any); params and tags must exist;
 * - with datasets and no metric clause, the model needs at least one metric on those datasets.
 *
 * Soft-deleted models are the caller's business (the store never returns them).
 */
import { invalidParameter } from '../../errors/index.js';
import type { LoggedModel } from '../tracking/entities.js';
import { numberTest, ownValueReader, stringTest, type NumericComparator, type StringComparator } from './compare.js';
import { parseStringList } from './literal-list.js';
import {
  findLoggedModelAttribute,
  LOGGED_MODEL_ATTRIBUTE_NAMES,
  normalizeStatusLiteral,
} from './logged-model-fields.js';
import { invalidAttributeKey, listNeedsInComparator, pyRepr, pyTuple } from './messages.js';
import { scanFilter, type RawComparison, type Token } from './tokenizer.js';

export type LoggedModelEntity = 'attributes' | 'metrics' | 'params' | 'tags';

export interface LoggedModelFilterClause {
  readonly type: LoggedModelEntity;
  /** For attributes, MLflow's column name (aliases resolved). */
  readonly key: string;
  readonly comparator: string;
  readonly value: number | string | readonly string[];
}

/** A dataset restriction of search_logged_models (`datasets[]` of the request). */
export interface LoggedModelDatasetFilter {
  readonly datasetName: string;
  readonly datasetDigest?: string;
}

type ModelPredicate = (model: LoggedModel, datasets: readonly LoggedModelDatasetFilter[] | undefined) => boolean;

/** A compiled filter: treat as opaque and pass to `loggedModelMatches`. */
export interface LoggedModelFilter {
  readonly clauses: readonly LoggedModelFilterClause[];
  /** @internal */
  readonly predicates: readonly ModelPredicate[];
  /** @internal */
  readonly hasMetricClauses: boolean;
}

const ENTITY_TYPES: readonly LoggedModelEntity[] = ['attributes', 'metrics', 'params', 'tags'];
const NUMERIC_OPS = ['<', '<=', '>', '>=', '=', '!='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const IDENTIFIER = /^([a-z]+)\.(.+)$/su;
const MATCH_ALL: LoggedModelFilter = Object.freeze({ clauses: [], predicates: [], hasMetricClauses: false });

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 */
export const parseLoggedModelFilter = (filter?: string): LoggedModelFilter => {
  if (filter === undefined || filter.trim() === '') return MATCH_ALL;
  const scanned = scanFilter(filter);
  if (scanned.statements > 1) {
    throw invalidParameter(`Invalid filter string: ${pyRepr(filter)}. Expected a single SQL expression.`);
  }
  if (scanned.invalid.length > 0) {
    throw invalidParameter(
      `Invalid filter string: ${pyRepr(filter)}. Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').`,
    );
  }
  const clauses = scanned.comparisons.map(parseClause);
  return {
    clauses,
    predicates: clauses.map(compileClause),
    hasMetricClauses: clauses.some((c) => c.type === 'metrics'),
  };
};

/**
 * Whether a logged model satisfies the filter and the dataset restrictions.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE when a dataset restriction has no name.
 */
export const loggedModelMatches = (
  model: LoggedModel,
  filter: LoggedModelFilter,
  datasets?: readonly LoggedModelDatasetFilter[],
): boolean => {
  const restriction = datasets !== undefined && datasets.length > 0 ? datasets : undefined;
  if (restriction?.some((d) => !d.datasetName)) {
    throw invalidParameter('`dataset_name` in the `datasets` clause must be specified.');
  }
  for (const predicate of filter.predicates) {
    if (!predicate(model, restriction)) return false;
  }
  if (restriction && !filter.hasMetricClauses) {
    return model.metrics.some((point) => isOnAnyDataset(point, restriction));
  }
  return true;
};

const isOnAnyDataset = (
  point: { datasetName?: string; datasetDigest?: string },
  datasets: readonly LoggedModelDatasetFilter[],
): boolean =>
  datasets.some(
    (d) =>
      point.datasetName === d.datasetName &&
      (d.datasetDigest === undefined || point.datasetDigest === d.datasetDigest),
  );

/** `Entity.from_str`: `<lowercase entity>.<key>`, otherwise an attribute name (aliases allowed). */
const resolveEntity = (raw: string): { type: LoggedModelEntity; key: string } => {
  const match = IDENTIFIER.exec(raw);
  if (!match) return { type: 'attributes', key: resolveAttribute(unquoteKey(raw)) };
  const [, entity = '', key = ''] = match;
  const type = ENTITY_TYPES.find((t) => t === entity);
  if (type === undefined) {
    throw invalidParameter(
      `Invalid entity type: ${pyRepr(entity)}. Expected one of [${ENTITY_TYPES.map(pyRepr).join(', ')}].`,
    );
  }
  const unquoted = unquoteKey(key);
  return { type, key: type === 'attributes' ? resolveAttribute(unquoted) : unquoted };
};

/** MLflow strips backticks; Cairn also unquotes "double-quoted" keys (MLflow keeps the quotes). */
const unquoteKey = (key: string): string => {
  const trimmed = key.replace(/^`+|`+$/gu, '');
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
};

const resolveAttribute = (name: string): string => {
  const attribute = findLoggedModelAttribute(name);
  if (attribute === undefined) throw invalidAttributeKey(name, LOGGED_MODEL_ATTRIBUTE_NAMES);
  return attribute.column;
};

const isNumeric = (type: LoggedModelEntity, key: string): boolean =>
  type === 'metrics' || (type === 'attributes' && findLoggedModelAttribute(key)?.numeric === true);

const parseClause = ({ left, comparator, right }: RawComparison): LoggedModelFilterClause => {
  const { type, key } = resolveEntity(left.text);
  const numeric = isNumeric(type, key);
  const ops = numeric ? NUMERIC_OPS : STRING_OPS;
  if (!ops.includes(comparator)) {
    throw invalidParameter(
      `Invalid comparison operator for ${type}.${key}: ${pyRepr(comparator)}. Expected one of ${pyTuple(ops)}.`,
    );
  }
  if (numeric) {
    if (right.kind !== 'number') {
      throw invalidParameter(`Expected numeric value type for ${type}.${key}. Found ${right.text}`);
    }
    return { type, key, comparator, value: Number(right.text) };
  }
  const value = parseStringValue(right, comparator);
  const normalized =
    type === 'attributes' && key === 'status'
      ? typeof value === 'string'
        ? normalizeStatusLiteral(value)
        : value.map(normalizeStatusLiteral)
      : value;
  return { type, key, comparator, value: normalized };
};

const parseStringValue = (token: Token, comparator: string): string | string[] => {
  const isList = comparator === 'IN' || comparator === 'NOT IN';
  if (token.kind === 'parenthesis') {
    if (!isList) throw listNeedsInComparator(comparator);
    return parseStringList(token.text);
  }
  const text = token.text;
  const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]);
  return quoted ? text.slice(1, -1) : text;
};

const compileClause = ({ type, key, comparator, value }: LoggedModelFilterClause): ModelPredicate => {
  if (type === 'metrics') {
    const test = numberTest(comparator as NumericComparator, value as number);
    return (model, datasets) => {
      for (const point of model.metrics) {
        if (point.key !== key) continue;
        // NaN is stored as NULL by the reference, which matches no comparison.
        if (point.value !== point.value || !test(point.value)) continue;
        if (datasets === undefined || isOnAnyDataset(point, datasets)) return true;
      }
      return false;
    };
  }
  if (type === 'attributes') {
    const read = findLoggedModelAttribute(key)?.read ?? (() => undefined);
    if (typeof value === 'number') {
      const test = numberTest(comparator as NumericComparator, value);
      return (model) => {
        const v = read(model);
        return typeof v === 'number' && test(v);
      };
    }
    const test = stringTest(comparator as StringComparator, value);
    return (model) => {
      const v = read(model);
      return typeof v === 'string' && test(v);
    };
  }
  const read = ownValueReader<string>(key);
  const test = stringTest(comparator as StringComparator, value as string | readonly string[]);
  return type === 'params'
    ? (model) => {
        const v = read(model.params);
        return v !== undefined && test(v);
      }
    : (model) => {
        const v = read(model.tags);
        return v !== undefined && test(v);
      };
};
