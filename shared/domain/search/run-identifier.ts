/**
 * Resolution of `[entity.]key` identifiers of search_runs filters and order_by clauses, following
 * `SearchUtils._get_identifier` and `_valid_entity_type`: the entity is the text before the first
 * dot (no dot = attribute), the key everything after it, unquoted.
 */
import { invalidParameter } from '../../errors/index.js';
import type { MetricAggregate } from '../tracking/metric-ranges.js';
import { invalidAttributeKey, pyList, pySet } from './messages.js';

export type RunEntity = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset';

export interface RunIdentifier {
  readonly type: RunEntity;
  readonly key: string;
}

const ENTITIES: ReadonlyMap<string, RunEntity> = new Map([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['parameter', 'parameter'],
  ['parameters', 'parameter'],
  ['param', 'parameter'],
  ['params', 'parameter'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);
const CANONICAL_ENTITIES = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];

/** RunInfo's searchable attributes (sorted, as `get_searchable_attributes` returns them). */
const SEARCHABLE_ATTRIBUTES = ['artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id'];
const NUMERIC_ALIASES = ['created', 'Created'];
const RUN_NAME_ALIASES = ['run name', 'Run name', 'Run Name'];

/** Attribute keys accepted in filters. */
export const FILTER_ATTRIBUTE_KEYS: readonly string[] = [...SEARCHABLE_ATTRIBUTES, ...NUMERIC_ALIASES, ...RUN_NAME_ALIASES];
/** Attribute keys accepted in order_by (the run name aliases are not). */
export const ORDER_BY_ATTRIBUTE_KEYS: readonly string[] = [...SEARCHABLE_ATTRIBUTES, ...NUMERIC_ALIASES];
/** Attributes compared as numbers (before alias translation). */
export const NUMERIC_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(['start_time', 'end_time', ...NUMERIC_ALIASES]);
export const DATASET_KEYS: readonly string[] = ['name', 'digest', 'context'];

/** MLflow's `translate_key_alias`: created → start_time, run name → run_name. */
export const translateAttributeAlias = (key: string): string => {
  if (NUMERIC_ALIASES.includes(key)) return 'start_time';
  if (RUN_NAME_ALIASES.includes(key)) return 'run_name';
  return key;
};

const isQuotedWith = (text: string, quote: string): boolean =>
  text.length >= 2 && text.startsWith(quote) && text.endsWith(quote);

/** `_strip_quotes` without the "expected quoted" error: trims one pair of ' or " quotes. */
export const stripQuotes = (text: string): string =>
  isQuotedWith(text, "'") || isQuotedWith(text, '"') ? text.slice(1, -1) : text;

/** `_trim_backticks`: trims one pair of backticks. */
export const trimBackticks = (text: string): string => (isQuotedWith(text, '`') ? text.slice(1, -1) : text);

/**
 * @param raw identifier text as written (e.g. ``metrics.`my key` ``)
 * @param validAttributes attribute keys accepted in this context
 * @throws MlflowError INVALID_PARAMETER_VALUE for unknown entity types, attribute or dataset keys
 */
export const resolveRunIdentifier = (raw: string, validAttributes: readonly string[]): RunIdentifier => {
  const dot = raw.indexOf('.');
  const entityText = dot < 0 ? 'attribute' : raw.slice(0, dot);
  const entity = ENTITIES.get(trimBackticks(entityText));
  if (entity === undefined) {
    throw invalidParameter(
      `Invalid entity type '${trimBackticks(entityText)}'. Valid values are ${pyList(CANONICAL_ENTITIES)}`,
    );
  }
  const key = trimBackticks(stripQuotes(dot < 0 ? raw : raw.slice(dot + 1)));
  if (entity === 'attribute' && !validAttributes.includes(key)) {
    throw invalidAttributeKey(key, validAttributes);
  }
  if (entity === 'dataset' && !DATASET_KEYS.includes(key)) {
    throw invalidParameter(`Invalid dataset key '${key}' specified. Valid keys are '${pySet(DATASET_KEYS)}'`);
  }
  return { type: entity, key };
};

const AGGREGATE_SUFFIX = /\.(min|max|last)$/u;

/**
 * Cairn's search extension (`/api/2.0/cairn/runs/search`): a metric identifier may end in `.min`, `.max`
 * or `.last` (MLflow's latest value, as without a suffix). The suffix is read off the raw text before any
 * unquoting, so a key that itself ends in `.min` is written quoted: ``metrics.`loss.min` ``. Only metric
 * identifiers with a key take a suffix (`metrics.min` is the metric named `min`).
 */
export const splitMetricAggregate = (raw: string): { identifier: string; aggregate: MetricAggregate } => {
  const match = AGGREGATE_SUFFIX.exec(raw);
  const identifier = match ? raw.slice(0, match.index) : raw;
  const dot = identifier.indexOf('.');
  if (!match || dot < 0 || ENTITIES.get(trimBackticks(identifier.slice(0, dot))) !== 'metric') {
    return { identifier: raw, aggregate: 'last' };
  }
  return { identifier, aggregate: match[1] as MetricAggregate };
};
