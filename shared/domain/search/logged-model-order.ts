/**
 * search_logged_models order_by (MLflow's `_apply_order_by_search_logged_models`): a list of
 * `{field_name, ascending, dataset_name?, dataset_digest?}` objects. A field is an attribute name
 * (aliases allowed) or `metrics.<key>`, ordered by the metric's latest value (greatest timestamp,
 * then step), optionally only over points of one dataset. Missing values sort last in both
 * directions. `creation_timestamp DESC` follows unless already ordered; Cairn adds `model_id ASC`
 * so that ties have a stable order (the reference leaves them to the database).
 *
 * The order is a sort key per model (the values it orders by, in order: JSON, so a page token can hold the
 * last one answered) and a comparison of keys.
 */
import { invalidParameter } from '../../errors/index.js';
import type { LoggedModel, MetricPoint } from '../tracking/entities.js';
import { compareNumbers, compareOptional, compareStrings } from './compare.js';
import { findLoggedModelAttribute } from './logged-model-fields.js';

export interface LoggedModelOrderBy {
  readonly fieldName: string;
  /** Default true. */
  readonly ascending?: boolean;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

/** One value per ordering field; null is a missing value (SQL NULL). */
export type LoggedModelSortKey = readonly (string | number | null)[];

export interface LoggedModelOrder {
  readonly keyOf: (model: LoggedModel) => LoggedModelSortKey;
  readonly compare: (a: LoggedModelSortKey, b: LoggedModelSortKey) => number;
  /** A key read back from a page token; undefined when it is not one of this order. */
  readonly readKey: (raw: unknown) => LoggedModelSortKey | undefined;
  /** True for the default order (creation time, newest first, then model id). */
  readonly isDefault: boolean;
}

interface Field {
  readonly read: (model: LoggedModel) => string | number | undefined;
  readonly compare: (a: string | number, b: string | number) => number;
  readonly ascending: boolean;
  readonly numeric: boolean;
}

const CREATION_TIMESTAMP = 'creation_timestamp_ms';
const INFINITIES: ReadonlySet<unknown> = new Set(['Infinity', '-Infinity']);

const creationDescending: Field = { read: (m) => m.creationTimestampMs, compare: (a, b) => compareNumbers(Number(a), Number(b)), ascending: false, numeric: true };
const modelIdAscending: Field = { read: (m) => m.modelId, compare: (a, b) => compareStrings(String(a), String(b)), ascending: true, numeric: false };

/**
 * The order of `orderBy`; the default order is `creation_timestamp DESC`.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for unknown field names or non-metric entities.
 */
export const loggedModelOrder = (orderBy?: readonly LoggedModelOrderBy[]): LoggedModelOrder => {
  const fields: Field[] = [];
  let hasCreationTimestamp = false;
  for (const clause of orderBy ?? []) {
    const ascending = clause.ascending ?? true;
    const fieldName = clause.fieldName;
    const dot = fieldName.indexOf('.');
    if (dot < 0) {
      const attribute = findLoggedModelAttribute(fieldName);
      if (attribute === undefined) throw invalidParameter(`Invalid order by field name: ${fieldName}`);
      if (attribute.column === CREATION_TIMESTAMP) hasCreationTimestamp = true;
      fields.push({ read: attribute.read, compare: attribute.compare, ascending, numeric: attribute.numeric });
      continue;
    }
    if (fieldName.slice(0, dot) !== 'metrics') {
      throw invalidParameter(`Invalid order by field name: ${fieldName}. Only metrics are supported.`);
    }
    fields.push(metricField(fieldName.slice(dot + 1), ascending, clause));
  }
  const isDefault = fields.length === 0;
  if (!hasCreationTimestamp) fields.push(creationDescending);
  fields.push(modelIdAscending);
  const compare = (a: LoggedModelSortKey, b: LoggedModelSortKey): number => {
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as Field;
      const result = compareOptional(a[i] ?? undefined, b[i] ?? undefined, field.ascending, field.compare);
      if (result !== 0) return result;
    }
    return 0;
  };
  const readKey = (raw: unknown): LoggedModelSortKey | undefined => {
    if (!Array.isArray(raw) || raw.length !== fields.length) return undefined;
    const fits = raw.every((value, i) =>
      (fields[i] as Field).numeric ? value === null || typeof value === 'number' || INFINITIES.has(value) : value === null || typeof value === 'string',
    );
    return fits ? (raw as LoggedModelSortKey) : undefined;
  };
  const keyOf = (model: LoggedModel): LoggedModelSortKey =>
    fields.map((field) => {
      const value = field.read(model);
      // JSON has no infinities: a metric at ±Infinity is kept as text, which compares as the number.
      return value === undefined ? null : typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    });
  return { keyOf, compare, readKey, isDefault };
};

/** A comparator for Array.prototype.sort giving the order of `orderBy` (see loggedModelOrder). */
export const compareLoggedModels = (orderBy?: readonly LoggedModelOrderBy[]): ((a: LoggedModel, b: LoggedModel) => number) => {
  const order = loggedModelOrder(orderBy);
  return (a, b) => order.compare(order.keyOf(a), order.keyOf(b));
};

const metricField = (key: string, ascending: boolean, { datasetName, datasetDigest }: LoggedModelOrderBy): Field => ({
  read: (model) => latestValue(model.metrics, key, datasetName, datasetDigest) ?? undefined,
  compare: (a, b) => compareNumbers(Number(a), Number(b)),
  ascending,
  numeric: true,
});

/** Value of the point with the greatest (timestamp, step); null when none or NaN (SQL NULL). */
const latestValue = (
  points: readonly MetricPoint[],
  key: string,
  datasetName: string | undefined,
  datasetDigest: string | undefined,
): number | null => {
  let latest: MetricPoint | undefined;
  for (const point of points) {
    if (point.key !== key) continue;
    if (datasetName && point.datasetName !== datasetName) continue;
    if (datasetDigest && point.datasetDigest !== datasetDigest) continue;
    if (latest === undefined || isLater(point, latest)) latest = point;
  }
  if (latest === undefined || latest.value !== latest.value) return null;
  return latest.value;
};

const isLater = (point: MetricPoint, than: MetricPoint): boolean =>
  point.timestamp !== than.timestamp
    ? point.timestamp > than.timestamp
    : point.step !== than.step
      ? point.step > than.step
      : point.value > than.value;
