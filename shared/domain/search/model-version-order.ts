/**
 * search_model_versions order_by (MLflow's `SearchModelVersionUtils.parse_order_by_for_search_model_versions`
 * and the registry SQL store's `_parse_search_model_versions_order_by`):
 *
 * - each clause is `<key> [ASC|DESC]` over `name`, `version_number` (numeric),
 *   `creation_timestamp`, `last_updated_timestamp`, optionally written `attribute.<key>`;
 * - no clauses means `last_updated_timestamp DESC, name ASC, version_number DESC`;
 * - `name ASC` and then `version_number DESC` are appended unless already ordered.
 *
 * As in the reference, `tag.<key>` / `tags.<key>` parse; a tag named like an order key orders by
 * that attribute, any other is rejected as an invalid order by key.
 */
import { invalidParameter } from '../../errors/index.js';
import { compareNumbers, compareStrings } from './compare.js';
import type { ModelVersionSearchView } from './model-version-filter.js';
import { pyList, pySet } from './messages.js';
import { resolveRegistryIdentifier } from './registry-common.js';
import { parseOrderByClause } from './tokenizer.js';

export type ModelVersionOrderField = 'name' | 'version_number' | 'creation_timestamp' | 'last_updated_timestamp';

export interface ModelVersionOrderKey {
  readonly key: ModelVersionOrderField;
  readonly ascending: boolean;
}

/** The caller's order_by, parsed; `compareModelVersions` adds MLflow's defaults and tie-breaks. */
export interface ModelVersionOrder {
  readonly keys: readonly ModelVersionOrderKey[];
}

const ORDER_KEYS: readonly ModelVersionOrderField[] = [
  'name',
  'version_number',
  'creation_timestamp',
  'last_updated_timestamp',
];

const isOrderKey = (key: string): key is ModelVersionOrderField => (ORDER_KEYS as readonly string[]).includes(key);

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for malformed clauses, unknown keys or entities and
 *   duplicate fields (the reference answers 500 for the last).
 */
export const parseModelVersionOrderBy = (orderBy?: string[]): ModelVersionOrder => {
  const keys: ModelVersionOrderKey[] = [];
  for (const clause of orderBy ?? []) {
    const { identifier, ascending } = parseOrderByClause(clause);
    const { key } = resolveRegistryIdentifier(identifier.trim(), ORDER_KEYS, true);
    if (!isOrderKey(key)) {
      throw invalidParameter(`Invalid order by key '${key}' specified. Valid keys are ${pySet(ORDER_KEYS)}`);
    }
    if (keys.some((k) => k.key === key)) {
      throw invalidParameter(`\`order_by\` contains duplicate fields: ${pyList(orderBy ?? [])}`);
    }
    keys.push({ key, ascending });
  }
  return { keys };
};

/** What ordering reads of a version: its sort fields (its model's name), and its model's id that makes the order total. */
export interface ModelVersionSortKey {
  readonly modelId: string;
  readonly name: string;
  readonly version: number;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
}

/** A sort key read back from a page token; undefined when it is not one. */
export const readModelVersionSortKey = (raw: unknown): ModelVersionSortKey | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { modelId, name, version, creationTimestamp, lastUpdatedTimestamp } = raw as Record<string, unknown>;
  const ok =
    typeof modelId === 'string' &&
    typeof name === 'string' &&
    typeof version === 'number' &&
    typeof creationTimestamp === 'number' &&
    typeof lastUpdatedTimestamp === 'number';
  return ok ? { modelId, name, version, creationTimestamp, lastUpdatedTimestamp } : undefined;
};

type VersionView = Pick<ModelVersionSearchView, 'name' | 'version' | 'creationTimestamp' | 'lastUpdatedTimestamp'>;
type VersionComparator = (a: VersionView, b: VersionView) => number;

const FIELD_COMPARATORS: Record<ModelVersionOrderField, VersionComparator> = {
  name: (a, b) => compareStrings(a.name, b.name),
  version_number: (a, b) => compareNumbers(a.version, b.version),
  creation_timestamp: (a, b) => compareNumbers(a.creationTimestamp, b.creationTimestamp),
  last_updated_timestamp: (a, b) => compareNumbers(a.lastUpdatedTimestamp, b.lastUpdatedTimestamp),
};

const DEFAULT_ORDER: readonly ModelVersionOrderKey[] = [
  { key: 'last_updated_timestamp', ascending: false },
  { key: 'name', ascending: true },
  { key: 'version_number', ascending: false },
];

/** A comparator for Array.prototype.sort giving the reference server's order, defaults included. */
export const compareModelVersions = (order: ModelVersionOrder): VersionComparator => {
  const keys = order.keys.length > 0 ? [...order.keys] : [...DEFAULT_ORDER];
  if (!keys.some((k) => k.key === 'name')) keys.push({ key: 'name', ascending: true });
  if (!keys.some((k) => k.key === 'version_number')) keys.push({ key: 'version_number', ascending: false });
  const comparators = keys.map(({ key, ascending }) => {
    const compare = FIELD_COMPARATORS[key];
    return ascending ? compare : (a: VersionView, b: VersionView) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};

/** compareModelVersions over sort keys, the model id last (see compareRegisteredModelKeys). */
export const compareModelVersionKeys = (order: ModelVersionOrder) => {
  const compare = compareModelVersions(order);
  return (a: ModelVersionSortKey, b: ModelVersionSortKey): number => compare(a, b) || compareStrings(a.modelId, b.modelId);
};
