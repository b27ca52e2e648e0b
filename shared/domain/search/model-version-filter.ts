/**
 * search_model_versions filter strings (§4.8 of the API notes; MLflow's `SearchModelVersionUtils`
 * and the registry SQL store's `_get_search_model_versions_filter_clauses`):
 *
 * - attributes `name`, `source_path` (the version's `source`) with `= != LIKE ILIKE`; `run_id` with
 *   the same plus `IN (...)` and `NOT IN (...)`; `version_number` with `= != < <= > >=` and a number
 *   (or a quoted number: the reference's SQLite converts it);
 * - tags `tag.<k>` / `tags.<k>` with `= != LIKE ILIKE` (the tag must exist);
 * - a version without a run id matches no run_id clause (SQL NULL);
 * - deleted versions never match; prompt versions only when the filter queries prompts.
 *
 * Deliberately lenient: the reference rejects `run_id NOT IN (...)` (its comparator list for
 * versions lacks NOT IN); Cairn evaluates it.
 */
import { invalidParameter } from '../../errors/index.js';
import { DELETED_STAGE } from '../registry/entities.js';
import { numberTest, stringTest, type NumericComparator, type NumberTest, type StringComparator } from './compare.js';
import { NUMERIC_ATTRIBUTE_COMPARATORS, listNeedsInComparator } from './messages.js';
import type { RegisteredModelFilter } from './registered-model-search.js';
import {
  allHold,
  effectiveClauses,
  isNotPrompt,
  isQueryingPrompts,
  parseRegistryClauses,
  parseRegistryValue,
  resolveRegistryIdentifier,
  tagPredicate,
  validateTagComparator,
  type RegistryFilterClause,
} from './registry-common.js';

/** What a model-version search reads of a version (Cairn's ModelVersion satisfies it). */
export interface ModelVersionSearchView {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  runId?: string;
  source: string;
  tags: Record<string, string>;
  currentStage: string;
}

type VersionPredicate = (version: ModelVersionSearchView) => boolean;

/** A compiled filter: treat as opaque and pass to `modelVersionMatches`. */
export interface ModelVersionFilter {
  readonly clauses: readonly RegistryFilterClause[];
  /** True when the filter asks for prompt versions (see `isPromptFilter`). */
  readonly queryingPrompts: boolean;
  /** @internal deleted and prompt exclusion, then the compiled clauses. */
  readonly predicates: readonly VersionPredicate[];
}

const FILTER_ATTRIBUTES = ['name', 'version_number', 'run_id', 'source_path'];
/** `SearchModelVersionUtils.NUMERIC_ATTRIBUTES`, as its error message prints them. */
const NUMERIC_ATTRIBUTES = ['version_number', 'creation_timestamp', 'last_updated_timestamp'];
const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];

/**
 * Whether the filter asks for prompts (its first clause on tag `mlflow.prompt.is_prompt` is
 * `= 'true'` or `!= 'false'`). When false the reference leaves prompts out and ignores the clauses
 * on that tag; `registeredModelMatches` and `modelVersionMatches` already do both.
 */
export const isPromptFilter = (filter: RegisteredModelFilter | ModelVersionFilter): boolean =>
  filter.queryingPrompts;

/**
 * Parses a search_model_versions filter; undefined, empty or blank matches every live version
 * that is not a prompt version.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 * @example modelVersionMatches(v, parseModelVersionFilter("name = 'fraud' AND version_number >= 3"))
 */
export const parseModelVersionFilter = (filter?: string): ModelVersionFilter => {
  // MLflow reads every clause before the store checks any comparator; errors come in that order.
  const clauses = parseRegistryClauses(filter, (left, comparator, right) => {
    const identifier = resolveRegistryIdentifier(left.text, FILTER_ATTRIBUTES, false);
    return { ...identifier, comparator, value: parseRegistryValue(identifier, right, NUMERIC_ATTRIBUTES) };
  });
  clauses.forEach(validateComparator);
  const queryingPrompts = isQueryingPrompts(clauses);
  const predicates = effectiveClauses(clauses, queryingPrompts).map(compileClause);
  if (!queryingPrompts) predicates.unshift((v) => isNotPrompt(v.tags));
  predicates.unshift((v) => v.currentStage !== DELETED_STAGE);
  return { clauses, queryingPrompts, predicates };
};

/** Whether a version satisfies every clause (deleted versions never; prompts only when asked for). */
export const modelVersionMatches = (version: ModelVersionSearchView, filter: ModelVersionFilter): boolean =>
  allHold(filter.predicates, version);

const validateComparator = ({ type, key, comparator, value }: RegistryFilterClause): void => {
  if (type === 'tag') {
    validateTagComparator(comparator);
    return;
  }
  if (key === 'version_number') {
    if (!(NUMERIC_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) {
      throw invalidParameter(`Invalid comparator for attribute ${key}: ${comparator}`);
    }
    return;
  }
  const isListComparator = comparator === 'IN' || comparator === 'NOT IN';
  if (!STRING_COMPARATORS.includes(comparator) || (isListComparator && key !== 'run_id')) {
    throw invalidParameter(`Invalid comparator for attribute: ${comparator}`);
  }
  // The reference passes a list to `=` and fails with 500; Cairn names the problem.
  if (typeof value === 'object' && !isListComparator) throw listNeedsInComparator(comparator);
};

const compileClause = (clause: RegistryFilterClause): VersionPredicate => {
  if (clause.type === 'tag') {
    const test = tagPredicate(clause);
    return (v) => test(v.tags);
  }
  if (clause.key === 'version_number') {
    const test = versionNumberTest(clause.comparator as NumericComparator, clause.value as number | string);
    return (v) => test(v.version);
  }
  const test = stringTest(clause.comparator as StringComparator, clause.value as string | readonly string[]);
  switch (clause.key) {
    case 'run_id':
      return (v) => v.runId !== undefined && test(v.runId);
    case 'source_path':
      return (v) => test(v.source);
    default:
      return (v) => test(v.name);
  }
};

/** SQLite's reading of a text compared with an INTEGER column: a well-formed number converts. */
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/u;

/**
 * A number literal compares numerically. A quoted literal compares as the reference's SQLite does:
 * numerically when it reads as a number, otherwise every number sorts before it.
 */
const versionNumberTest = (comparator: NumericComparator, literal: number | string): NumberTest => {
  if (typeof literal === 'number') return numberTest(comparator, literal);
  if (NUMERIC_TEXT.test(literal)) return numberTest(comparator, Number(literal));
  const result = comparator === '!=' || comparator === '<' || comparator === '<=';
  return () => result;
};
