/**
 * What a trace filter or order_by names, as MLflow's SearchTraceUtils resolves it (mlflow/utils/search_utils.py):
 * `<entity>.<key>` split at the first dot, or a bare attribute; backticks and quotes around the key removed;
 * `name` read from the `mlflow.traceName` tag and `run_id` from the `mlflow.sourceRun` metadata.
 *
 * Entities: attributes (`attribute`, `attributes`, `trace`), tags (`tag`, `tags`), metadata (`request_metadata`,
 * `metadata`), spans (`span`: name, type, status, content, attributes.<key>), and assessments (`feedback`,
 * `expectation`: by assessment name). Cairn also reads the TraceInfoV3 names `state`, `request_time`,
 * `execution_duration` and `trace_id` as aliases of MLflow's v2 names.
 */
import { invalidParameter } from '../../../errors/index.js';
import { invalidAttributeKey, pySet } from '../../search/messages.js';
import { TRACE_METADATA, TRACE_TAGS } from '../entities.js';

export type TraceEntity = 'attribute' | 'tag' | 'request_metadata' | 'span' | 'feedback' | 'expectation';

export interface TraceIdentifier {
  readonly type: TraceEntity;
  /** For attributes MLflow's column name (`timestamp_ms`, `execution_time_ms`, `status`, ...); else the key. */
  readonly key: string;
  /** Written as `run_id`: matches the source-run metadata and also the runs the trace was linked to. */
  readonly runId?: boolean;
}

const ENTITY_ALIASES: ReadonlyMap<string, TraceEntity> = new Map([
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['trace', 'attribute'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['request_metadata', 'request_metadata'],
  ['metadata', 'request_metadata'],
  ['span', 'span'],
  ['feedback', 'feedback'],
  ['expectation', 'expectation'],
]);

/** Attribute names filters accept (MLflow's VALID_SEARCH_ATTRIBUTE_KEYS and Cairn's aliases). */
export const SEARCH_ATTRIBUTE_KEYS: readonly string[] = [
  'request_id',
  'trace_id',
  'timestamp',
  'timestamp_ms',
  'request_time',
  'execution_time',
  'execution_time_ms',
  'execution_duration',
  'end_time',
  'end_time_ms',
  'status',
  'state',
  'client_request_id',
  'name',
  'run_id',
  'text',
];

/** Attribute names order_by accepts (MLflow's VALID_ORDER_BY_ATTRIBUTE_KEYS and Cairn's aliases). */
export const ORDER_BY_ATTRIBUTE_KEYS: readonly string[] = [
  'experiment_id',
  'request_id',
  'trace_id',
  'timestamp',
  'timestamp_ms',
  'request_time',
  'execution_time',
  'execution_time_ms',
  'execution_duration',
  'end_time',
  'end_time_ms',
  'status',
  'state',
  'client_request_id',
  'name',
  'run_id',
];

/** Aliases to the one name each attribute is evaluated under. */
const ATTRIBUTE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['timestamp', 'timestamp_ms'],
  ['request_time', 'timestamp_ms'],
  ['execution_time', 'execution_time_ms'],
  ['execution_duration', 'execution_time_ms'],
  ['end_time', 'end_time_ms'],
  ['state', 'status'],
  ['trace_id', 'request_id'],
]);

export const NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(['timestamp_ms', 'execution_time_ms', 'end_time_ms']);

/** Attributes that are really a tag or a metadata entry (SEARCH_KEY_TO_TAG / SEARCH_KEY_TO_METADATA). */
const KEY_TO_TAG: ReadonlyMap<string, string> = new Map([['name', TRACE_TAGS.traceName]]);
const KEY_TO_METADATA: ReadonlyMap<string, string> = new Map([['run_id', TRACE_METADATA.sourceRun]]);

const isQuoted = (text: string, quote: string): boolean =>
  text.length >= 2 && text.startsWith(quote) && text.endsWith(quote);

/** `_strip_quotes` then `_trim_backticks`, as MLflow reads a key. */
export const unquoteKey = (key: string): string => {
  const unquoted = isQuoted(key, "'") || isQuoted(key, '"') ? key.slice(1, -1) : key;
  return isQuoted(unquoted, '`') ? unquoted.slice(1, -1) : unquoted;
};

const entityOf = (raw: string): TraceEntity => {
  const name = isQuoted(raw, '`') ? raw.slice(1, -1) : raw;
  const entity = ENTITY_ALIASES.get(name);
  if (entity === undefined) {
    throw invalidParameter(`Invalid entity type '${name}'. Valid values are ${pySet([...ENTITY_ALIASES.keys()])}`);
  }
  return entity;
};

/**
 * Resolves an identifier as written (`tags.fruit`, ``metadata.`mlflow.sourceRun` ``, `timestamp`) against the
 * attribute names `validAttributes` allows (filters and order_by allow different ones).
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for an unknown entity or attribute.
 */
export const resolveTraceIdentifier = (identifier: string, validAttributes: readonly string[]): TraceIdentifier => {
  const dot = identifier.indexOf('.');
  const type = dot < 0 ? 'attribute' : entityOf(identifier.slice(0, dot));
  const key = unquoteKey(dot < 0 ? identifier : identifier.slice(dot + 1));
  if (type !== 'attribute') return { type, key };
  if (!validAttributes.includes(key)) throw invalidAttributeKey(key, validAttributes);
  const lower = key.toLowerCase();
  const tag = KEY_TO_TAG.get(lower);
  if (tag !== undefined) return { type: 'tag', key: tag };
  const metadata = KEY_TO_METADATA.get(lower);
  if (metadata !== undefined) return { type: 'request_metadata', key: metadata, runId: true };
  return { type, key: ATTRIBUTE_ALIASES.get(key) ?? key };
};
