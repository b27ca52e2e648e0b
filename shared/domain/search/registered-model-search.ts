/**
 * search_registered_models filter and order_by (§4.8 of the API notes; MLflow's `SearchModelUtils`
 * and the registry SQL store's `_get_search_registered_model_filter_query` /
 * `_parse_search_registered_models_order_by`):
 *
 * - filter attributes: `name` only (`= != LIKE ILIKE`); tags `tag.<k>` / `tags.<k>`
 *   (`= != LIKE ILIKE`, the tag must exist); clauses joined by AND;
 * - prompts are left out unless the filter queries them (see registry-common.ts);
 * - order_by keys `name` and `last_updated_timestamp` (alias `timestamp`), ASC by default;
 *   `name ASC` is appended unless name is ordered; the default is therefore `name ASC`. The SQL
 *   reference rejects `creation_timestamp` (only its file store accepts it), and so does Cairn.
 */
import { invalidParameter } from '../../errors/index.js';
import { compareNumbers, compareStrings, stringTest, type StringComparator } from './compare.js';
import { pyList, pySet } from './messages.js';
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
import { parseOrderByClause } from './tokenizer.js';

/** What a registered-model search reads of a model (Cairn's RegisteredModel satisfies it). */
export interface RegisteredModelSearchView {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  tags: Record<string, string>;
  description?: string;
}

type ModelPredicate = (model: RegisteredModelSearchView) => boolean;

/** A compiled filter: treat as opaque and pass to `registeredModelMatches`. */
export interface RegisteredModelFilter {
  readonly clauses: readonly RegistryFilterClause[];
  /** True when the filter asks for prompts (see `isPromptFilter`). */
  readonly queryingPrompts: boolean;
  /** @internal prompt exclusion and compiled clauses. */
  readonly predicates: readonly ModelPredicate[];
}

export type RegisteredModelOrderField = 'name' | 'last_updated_timestamp';

/** The caller's order_by, parsed (`timestamp` already read as last_updated_timestamp). */
export interface RegisteredModelOrder {
  readonly keys: readonly { readonly key: RegisteredModelOrderField; readonly ascending: boolean }[];
}

const FILTER_ATTRIBUTES = ['name'];
const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
const RECOMMENDED_ORDER_KEYS = ['name', 'timestamp'];
const ORDER_KEYS: ReadonlyMap<string, RegisteredModelOrderField> = new Map([
  ['name', 'name'],
  ['timestamp', 'last_updated_timestamp'],
  ['last_updated_timestamp', 'last_updated_timestamp'],
]);

/**
 * Parses a search_registered_models filter; undefined, empty or blank matches every model that
 * is not a prompt.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's message for any malformed filter.
 * @example registeredModelMatches(model, parseRegisteredModelFilter("name LIKE 'fraud-%' AND tags.team = 'risk'"))
 */
export const parseRegisteredModelFilter = (filter?: string): RegisteredModelFilter => {
  // MLflow reads every clause before the store checks any comparator; errors come in that order.
  const clauses = parseRegistryClauses(filter, (left, comparator, right) => {
    const identifier = resolveRegistryIdentifier(left.text, FILTER_ATTRIBUTES, false);
    return { ...identifier, comparator, value: parseRegistryValue(identifier, right) };
  });
  clauses.forEach(validateComparator);
  const queryingPrompts = isQueryingPrompts(clauses);
  const predicates = effectiveClauses(clauses, queryingPrompts).map(compileClause);
  if (!queryingPrompts) predicates.unshift((model) => isNotPrompt(model.tags));
  return { clauses, queryingPrompts, predicates };
};

/** Whether a model satisfies every clause (prompts fail unless the filter queries them). */
export const registeredModelMatches = (model: RegisteredModelSearchView, filter: RegisteredModelFilter): boolean =>
  allHold(filter.predicates, model);

const validateComparator = ({ type, comparator }: RegistryFilterClause): void => {
  if (type === 'tag') {
    validateTagComparator(comparator);
  } else if (!STRING_COMPARATORS.includes(comparator)) {
    throw invalidParameter(`Invalid comparator for attribute: ${comparator}`);
  }
};

const compileClause = (clause: RegistryFilterClause): ModelPredicate => {
  if (clause.type === 'tag') {
    const test = tagPredicate(clause);
    return (model) => test(model.tags);
  }
  const test = stringTest(clause.comparator as StringComparator, clause.value as string);
  return (model) => test(model.name);
};

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for malformed clauses, unknown keys and duplicate
 *   fields (`timestamp` and `last_updated_timestamp` are the same field; the reference answers
 *   500 for duplicates).
 */
export const parseRegisteredModelOrderBy = (orderBy?: string[]): RegisteredModelOrder => {
  const keys: { key: RegisteredModelOrderField; ascending: boolean }[] = [];
  for (const clause of orderBy ?? []) {
    const { identifier, ascending } = parseOrderByClause(clause);
    const token = identifier.trim();
    const key = ORDER_KEYS.get(token);
    if (key === undefined) {
      throw invalidParameter(
        `Invalid order by key '${token}' specified. Valid keys are '${pySet(RECOMMENDED_ORDER_KEYS)}'`,
      );
    }
    if (keys.some((k) => k.key === key)) {
      throw invalidParameter(`\`order_by\` contains duplicate fields: ${pyList(orderBy ?? [])}`);
    }
    keys.push({ key, ascending });
  }
  return { keys };
};

/** What ordering reads of a registered model: its sort fields, and its id that makes the order total. */
export interface RegisteredModelSortKey {
  readonly modelId: string;
  readonly name: string;
  readonly lastUpdatedTimestamp: number;
}

export const registeredModelSortKey = ({ modelId, name, lastUpdatedTimestamp }: RegisteredModelSortKey): RegisteredModelSortKey => ({
  modelId,
  name,
  lastUpdatedTimestamp,
});

/** A sort key read back from a page token; undefined when it is not one. */
export const readRegisteredModelSortKey = (raw: unknown): RegisteredModelSortKey | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { modelId, name, lastUpdatedTimestamp } = raw as Record<string, unknown>;
  return typeof modelId === 'string' && typeof name === 'string' && typeof lastUpdatedTimestamp === 'number'
    ? { modelId, name, lastUpdatedTimestamp }
    : undefined;
};

type ModelComparator = (a: Omit<RegisteredModelSortKey, 'modelId'>, b: Omit<RegisteredModelSortKey, 'modelId'>) => number;

const FIELD_COMPARATORS: Record<RegisteredModelOrderField, ModelComparator> = {
  name: (a, b) => compareStrings(a.name, b.name),
  last_updated_timestamp: (a, b) => compareNumbers(a.lastUpdatedTimestamp, b.lastUpdatedTimestamp),
};

/** A comparator for Array.prototype.sort giving the reference server's order (`name ASC` appended). */
export const compareRegisteredModels = (order: RegisteredModelOrder): ModelComparator => {
  const keys = [...order.keys];
  if (!keys.some((k) => k.key === 'name')) keys.push({ key: 'name', ascending: true });
  const comparators = keys.map(({ key, ascending }) => {
    const compare = FIELD_COMPARATORS[key];
    return ascending ? compare : (a: Omit<RegisteredModelSortKey, 'modelId'>, b: Omit<RegisteredModelSortKey, 'modelId'>) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};

/**
 * compareRegisteredModels over sort keys, the model id last: names are unique at any one time, but a page token
 * places models as they were at its first page, when a name may have been another model's (snapshot-page.ts).
 */
export const compareRegisteredModelKeys = (order: RegisteredModelOrder) => {
  const compare = compareRegisteredModels(order);
  return (a: RegisteredModelSortKey, b: RegisteredModelSortKey): number => compare(a, b) || compareStrings(a.modelId, b.modelId);
};
