/**
 * Pieces shared by the registered-model and model-version searches: MLflow's `SearchModelUtils` /
 * `SearchModelVersionUtils` parsers and the registry SQL store's filter and order_by handling
 * (`_get_search_registered_model_filter_query`, `_get_search_model_versions_filter_clauses`,
 * `_is_querying_prompt`, `_update_query_to_exclude_prompts`).
 *
 * - identifiers are `<attribute>`, `attribute.<attribute>`, `tag.<key>` or `tags.<key>`; the text is
 *   split at the first dot and the key unquoted (double quotes, then backticks);
 * - values are quoted strings, `(...)` lists (run_id only) or, for version_number, numbers;
 * - a tag clause needs the tag to exist;
 * - prompts (tag `mlflow.prompt.is_prompt` = 'true') are left out unless the filter queries them,
 *   and then the clauses on that tag are ignored (MLflow's clients add
 *   ``tag.`mlflow.prompt.is_prompt` != 'true'`` to every search).
 */
import { invalidParameter, type MlflowError } from '../../errors/index.js';
import { ownValueReader, stringTest, type StringComparator } from './compare.js';
import { parseStringList } from './literal-list.js';
import {
  expectedIdentifier,
  expectedQuotedFor,
  invalidAttributeKey,
  invalidClauses,
  listOnlyForRunId,
  multipleExpressions,
  notQuoted,
  pySet,
  pyTuple,
} from './messages.js';
import { stripQuotes, trimBackticks } from './run-identifier.js';
import { scanFilter, type Token } from './tokenizer.js';

/** The tag telling prompts (and their versions) from models. */
export const IS_PROMPT_TAG_KEY = 'mlflow.prompt.is_prompt';

/** search_registered_models: default and largest `max_results`. */
export const SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT = 100;
export const SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD = 1000;
/** search_model_versions: default and largest `max_results`. */
export const SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT = 1000;
export const SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD = 200_000;

export type RegistryEntity = 'attribute' | 'tag';

/** One parsed clause of a registered-model or model-version filter. */
export interface RegistryFilterClause {
  readonly type: RegistryEntity;
  /** Attribute name (`name`, `run_id`, `source_path`, `version_number`) or tag key, unquoted. */
  readonly key: string;
  /** Upper-cased comparator. */
  readonly comparator: string;
  /** A string, a number (version_number) or a list (run_id IN / NOT IN). */
  readonly value: string | number | readonly string[];
}

export interface RegistryIdentifier {
  readonly type: RegistryEntity;
  readonly key: string;
}

const ENTITY_TYPES = ['attribute', 'tag', 'tags'];
export const TAG_COMPARATORS: readonly string[] = ['=', '!=', 'LIKE', 'ILIKE'];

const invalidEntityType = (entity: string): MlflowError =>
  invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ${pyTuple(ENTITY_TYPES)}`);

/**
 * Resolves `[entity.]key`. Filters check the attribute key as written (``attribute.`name` `` is
 * rejected, as `_get_model_search_identifier` does); order_by checks it unquoted (as
 * `SearchExperimentsUtils._get_identifier` does).
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for unknown entity types or attribute keys.
 */
export const resolveRegistryIdentifier = (
  raw: string,
  validAttributes: readonly string[],
  checkUnquoted: boolean,
): RegistryIdentifier => {
  const dot = raw.indexOf('.');
  const entity = dot < 0 ? 'attribute' : raw.slice(0, dot);
  if (!ENTITY_TYPES.includes(entity)) throw invalidEntityType(entity);
  const type: RegistryEntity = entity === 'attribute' ? 'attribute' : 'tag';
  const written = dot < 0 ? raw : raw.slice(dot + 1);
  const key = trimBackticks(stripQuotes(written));
  if (type === 'attribute' && !validAttributes.includes(checkUnquoted ? key : written)) {
    throw invalidAttributeKey(checkUnquoted ? key : written, validAttributes);
  }
  return { type, key };
};

/** The value of a clause; `numericAttributes` is set for model versions only. */
export const parseRegistryValue = (
  { type, key }: RegistryIdentifier,
  token: Token,
  numericAttributes?: readonly string[],
): RegistryFilterClause['value'] => {
  const isText = token.kind === 'string' || token.kind === 'identifier';
  if (type === 'tag') {
    if (isText) return stripRequiredQuotes(token.text);
    throw expectedQuotedFor('tag', token.text);
  }
  if (isText) return stripRequiredQuotes(token.text);
  if (token.kind === 'parenthesis') {
    if (key !== 'run_id') throw listOnlyForRunId();
    // Run ids are lower-case hex; MLflow drops list entries that are not lower case.
    return parseStringList(token.text).filter(isPythonLower);
  }
  if (token.kind === 'number' && numericAttributes !== undefined) {
    if (!numericAttributes.includes(key)) {
      throw invalidParameter(
        `Only the '${pySet(numericAttributes)}' attributes support comparison with numeric values.`,
      );
    }
    return Number(token.text);
  }
  throw invalidParameter(
    `Expected a quoted string value or a list of quoted string values for attributes. Got value ${token.text}`,
  );
};

const stripRequiredQuotes = (text: string): string => {
  const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]);
  if (!quoted) throw notQuoted(text);
  return text.slice(1, -1);
};

/** Python's `str.islower()`: at least one cased character and no upper-case one. */
const isPythonLower = (text: string): boolean => text === text.toLowerCase() && text !== text.toUpperCase();

/**
 * Scans a filter into clauses (`parse_search_filter` of the model utils): one statement, only
 * comparisons joined by AND, an identifier on the left. An empty or blank filter has no clauses.
 */
export const parseRegistryClauses = (
  filter: string | undefined,
  parseClause: (left: Token, comparator: string, right: Token) => RegistryFilterClause,
): RegistryFilterClause[] => {
  if (filter === undefined || filter.trim() === '') return [];
  const scanned = scanFilter(filter);
  if (scanned.statements > 1) throw multipleExpressions(filter);
  if (scanned.invalid.length > 0) throw invalidClauses(scanned.invalid.map((t) => t.text).join(', '));
  return scanned.comparisons.map(({ left, comparator, right }) => {
    if (left.kind !== 'identifier') throw expectedIdentifier(left.text);
    return parseClause(left, comparator, right);
  });
};

/** The SQL store's check of a tag clause's comparator. */
export const validateTagComparator = (comparator: string): void => {
  if (!TAG_COMPARATORS.includes(comparator)) {
    throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
  }
};

/**
 * `_is_querying_prompt`: the first clause on the prompt tag decides; `= 'true'` and `!= 'false'`
 * (any case) ask for prompts, anything else (or no such clause) for models.
 */
export const isQueryingPrompts = (clauses: readonly RegistryFilterClause[]): boolean => {
  for (const { type, key, comparator, value } of clauses) {
    if (type !== 'tag' || key !== IS_PROMPT_TAG_KEY) continue;
    const text = typeof value === 'string' ? value.toLowerCase() : '';
    return (comparator === '=' && text === 'true') || (comparator === '!=' && text === 'false');
  }
  return false;
};

type TagsPredicate = (tags: Readonly<Record<string, string>>) => boolean;

/** A tag clause: the tag must exist and its value satisfy the comparison. */
export const tagPredicate = (clause: RegistryFilterClause): TagsPredicate => {
  const read = ownValueReader<string>(clause.key);
  const test = stringTest(clause.comparator as StringComparator, clause.value as string);
  return (tags) => {
    const value = read(tags);
    return value !== undefined && test(value);
  };
};

const readPromptTag = ownValueReader<string>(IS_PROMPT_TAG_KEY);

/** Excludes prompts, as `_update_query_to_exclude_prompts` does. */
export const isNotPrompt: TagsPredicate = (tags) => readPromptTag(tags) !== 'true';

/**
 * The clauses to evaluate: unless the filter queries prompts, the prompt-tag clauses are dropped
 * (the store replaces them with the prompt exclusion).
 */
export const effectiveClauses = (
  clauses: readonly RegistryFilterClause[],
  queryingPrompts: boolean,
): readonly RegistryFilterClause[] =>
  queryingPrompts ? clauses : clauses.filter((c) => c.type !== 'tag' || c.key !== IS_PROMPT_TAG_KEY);

/** Runs predicates in order; true when all hold. */
export const allHold = <T>(predicates: readonly ((entity: T) => boolean)[], entity: T): boolean => {
  for (let i = 0; i < predicates.length; i++) {
    if (!(predicates[i] as (entity: T) => boolean)(entity)) return false;
  }
  return true;
};
