/**
 * search_logged_models order_by (MLflow's `_apply_order_by_search_logged_models`): a list of
 * `{field_name, ascending, dataset_name?, dataset_digest?}` objects. A field is an attribute name
 * (aliases allowed) or `metrics.<key>`, ordered by the metric's latest value (greatest timestamp,
 * then step), optionally only over points of one dataset. Missing values sort last in both
 * directions. `creation_timestamp DESC` follows unless already ordered; Cairn adds `model_id ASC`
 * so that ties have a stable order (the reference leaves them to the database).
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

type ModelComparator = (a: LoggedModel, b: LoggedModel) => number;

const CREATION_TIMESTAMP = 'creation_timestamp_ms';

const creationTimestampDescending: ModelComparator = (a, b) =>
  compareNumbers(b.creationTimestampMs, a.creationTimestampMs);
const modelIdAscending: ModelComparator = (a, b) => compareStrings(a.modelId, b.modelId);

/**
 * A comparator for Array.prototype.sort; default order is `creation_timestamp DESC`.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for unknown field names or non-metric entities.
 */
export const compareLoggedModels = (orderBy?: readonly LoggedModelOrderBy[]): ModelComparator => {
  const comparators: ModelComparator[] = [];
  let hasCreationTimestamp = false;
  for (const clause of orderBy ?? []) {
    const ascending = clause.ascending ?? true;
    const fieldName = clause.fieldName;
    const dot = fieldName.indexOf('.');
    if (dot < 0) {
      const attribute = findLoggedModelAttribute(fieldName);
      if (attribute === undefined) throw invalidParameter(`Invalid order by field name: ${fieldName}`);
      if (attribute.column === CREATION_TIMESTAMP) hasCreationTimestamp = true;
      comparators.push(attribute.order(ascending));
      continue;
    }
    if (fieldName.slice(0, dot) !== 'metrics') {
      throw invalidParameter(`Invalid order by field name: ${fieldName}. Only metrics are supported.`);
    }
    comparators.push(metricComparator(fieldName.slice(dot + 1), ascending, clause));
  }
  if (!hasCreationTimestamp) comparators.push(creationTimestampDescending);
  comparators.push(modelIdAscending);
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
};

const metricComparator = (
  key: string,
  ascending: boolean,
  { datasetName, datasetDigest }: LoggedModelOrderBy,
): ModelComparator => {
  // Latest values are computed once per model and comparator, not once per comparison.
  const cache = new WeakMap<LoggedModel, number | null>();
  const valueOf = (model: LoggedModel): number | undefined => {
    let value = cache.get(model);
    if (value === undefined) {
      value = latestValue(model.metrics, key, datasetName, datasetDigest);
      cache.set(model, value);
    }
    return value ?? undefined;
  };
  return (a, b) => compareOptional(valueOf(a), valueOf(b), ascending, compareNumbers);
};

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
