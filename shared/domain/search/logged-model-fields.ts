/**
 * The logged-model attributes that search_logged_models filters and orders on: the columns of
 * MLflow's `SqlLoggedModel` with its aliases (`creation_time`, `creation_timestamp`,
 * `last_updated_timestamp`), mapped onto Cairn's LoggedModel.
 */
import { LOGGED_MODEL_STATUSES, type LoggedModel } from '../tracking/entities.js';
import { compareDecimalIds, compareNumbers, compareOptional, compareStrings } from './compare.js';

type ModelComparator = (a: LoggedModel, b: LoggedModel) => number;

export interface LoggedModelAttribute {
  /** MLflow's column name, e.g. `creation_timestamp_ms`. */
  readonly column: string;
  readonly numeric: boolean;
  /** The value filters compare (undefined = SQL NULL, which no comparison matches). */
  readonly read: (model: LoggedModel) => string | number | undefined;
  /** Orders models by this attribute, missing values last in both directions. */
  readonly order: (ascending: boolean) => ModelComparator;
  /** How two values `read` answered compare (ascending; missing values are the caller's). */
  readonly compare: (a: string | number, b: string | number) => number;
}

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['creation_time', 'creation_timestamp_ms'],
  ['creation_timestamp', 'creation_timestamp_ms'],
  ['last_updated_timestamp', 'last_updated_timestamp_ms'],
]);

/** MLflow stores the status as its proto number; order follows that number. */
const compareStatuses = (a: string, b: string): number =>
  compareNumbers(
    (LOGGED_MODEL_STATUSES as readonly string[]).indexOf(a),
    (LOGGED_MODEL_STATUSES as readonly string[]).indexOf(b),
  );

const text = (
  column: string,
  read: (m: LoggedModel) => string | undefined,
  compare: (a: string, b: string) => number = compareStrings,
): LoggedModelAttribute => ({
  column,
  numeric: false,
  read,
  order: (ascending) => (a, b) => compareOptional(read(a), read(b), ascending, compare),
  compare: (a, b) => compare(String(a), String(b)),
});

const numeric = (column: string, read: (m: LoggedModel) => number): LoggedModelAttribute => ({
  column,
  numeric: true,
  read,
  order: (ascending) => (a, b) => (ascending ? 1 : -1) * compareNumbers(read(a), read(b)),
  compare: (a, b) => compareNumbers(Number(a), Number(b)),
});

const ATTRIBUTES: readonly LoggedModelAttribute[] = [
  text('model_id', (m) => m.modelId),
  text('experiment_id', (m) => m.experimentId, compareDecimalIds),
  text('name', (m) => m.name),
  text('artifact_location', (m) => m.artifactUri),
  numeric('creation_timestamp_ms', (m) => m.creationTimestampMs),
  numeric('last_updated_timestamp_ms', (m) => m.lastUpdatedTimestampMs),
  text('status', (m) => m.status, compareStatuses),
  text('lifecycle_stage', (m) => m.lifecycleStage),
  text('model_type', (m) => m.modelType),
  text('source_run_id', (m) => m.sourceRunId),
  text('status_message', (m) => m.statusMessage),
];

const BY_COLUMN: ReadonlyMap<string, LoggedModelAttribute> = new Map(ATTRIBUTES.map((a) => [a.column, a]));

/** Attribute names accepted in filters and order_by, for error messages. */
export const LOGGED_MODEL_ATTRIBUTE_NAMES: readonly string[] = [
  ...ATTRIBUTES.map((a) => a.column),
  ...ALIASES.keys(),
];

/** Looks an attribute up by column name or alias. */
export const findLoggedModelAttribute = (name: string): LoggedModelAttribute | undefined =>
  BY_COLUMN.get(ALIASES.get(name) ?? name);

/**
 * The filter value MLflow compares a status with is the proto number (`status = 2`); Cairn also
 * accepts the status name (`status = 'LOGGED_MODEL_READY'`), so numbers are turned into names.
 */
export const normalizeStatusLiteral = (value: string): string => {
  if (!/^\d+$/u.test(value)) return value;
  return LOGGED_MODEL_STATUSES[Number(value)] ?? value;
};
