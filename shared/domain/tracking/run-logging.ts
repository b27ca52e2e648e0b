import { invalidParameter, paramValueChanged } from '../../errors/index.js';
import { RUN_NAME_TAG, type DatasetInput, type MetricPoint } from './entities.js';
import { ParamValuesChanged, type RunWrites, type TrackingPorts } from './ports.js';
import { resolveRunScope, type RunLookup } from './runs.js';
import {
  LIMITS,
  limitLength,
  normalizeParam,
  normalizeRunTag,
  validateBatchLimit,
  validateMetric,
  validateMetrics,
  validateRunId,
} from './validation.js';

/** What logging to a run takes: finding the run, and the clock. */
type LoggingDeps = RunLookup & Pick<TrackingPorts, 'now'>;

export interface LogBatchRequest {
  metrics: MetricPoint[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/** LogParam words a changed param as MLflow's single-param message. */
const singleParamConflict = ({ runId, conflicts: [conflict] }: ParamValuesChanged) =>
  paramValueChanged(runId, conflict?.key ?? '', conflict?.oldValue ?? '', conflict?.newValue ?? '');

/** LogBatch words a changed param as a list of conflicts (sqlalchemy_store `_log_params`). */
const batchParamConflict = ({ runId, conflicts }: ParamValuesChanged) =>
  invalidParameter(
    `Changing param values is not allowed. Params were already logged='[${conflicts
      .map((c) => `{'key': '${c.key}', 'old_value': '${c.oldValue}', 'new_value': '${c.newValue}'}`)
      .join(', ')}]' for run ID='${runId}'.`,
  );

/** Writes to the run, answering changed params in the words of the calling endpoint. */
const writeToRun = async (deps: LoggingDeps, runId: string, writes: RunWrites, word = singleParamConflict) => {
  const scope = await resolveRunScope(deps, runId);
  try {
    await deps.runs.logData(scope, writes, deps.now());
  } catch (error) {
    throw error instanceof ParamValuesChanged ? word(error) : error;
  }
};

/** Points logged with a model id also belong to that logged model (MLflow's `_log_model_metrics`). */
const modelMetricsOf = (runId: string, points: MetricPoint[]): RunWrites['modelMetrics'] => {
  const byModel = new Map<string, MetricPoint[]>();
  for (const point of points) {
    if (!point.modelId) continue;
    byModel.set(point.modelId, [...(byModel.get(point.modelId) ?? []), { ...point, runId }]);
  }
  return [...byModel].map(([modelId, modelPoints]) => ({ modelId, points: modelPoints }));
};

export const logParam = async (deps: LoggingDeps, runId: string, key: string, value: string): Promise<void> => {
  const param = normalizeParam(key, value);
  await writeToRun(deps, runId, { params: [param] });
};

export const logMetric = async (deps: LoggingDeps, runId: string, point: MetricPoint): Promise<void> => {
  validateMetric(point.key, point.value, point.timestamp, point.step);
  await writeToRun(deps, runId, { metrics: [point], modelMetrics: modelMetricsOf(runId, [point]) });
};

/**
 * MLflow's LogBatch: limits first, then names and values, then one write: params, tags, metric points,
 * the run name of an `mlflow.runName` tag and the points of logged models together.
 */
export const logBatch = async (deps: LoggingDeps, runId: string, request: LogBatchRequest): Promise<void> => {
  validateRunId(runId);
  validateBatchLimit('metrics', LIMITS.metricsPerBatch, request.metrics.length);
  validateBatchLimit('params', LIMITS.paramsTagsPerBatch, request.params.length);
  validateBatchLimit('tags', LIMITS.paramsTagsPerBatch, request.tags.length);
  validateBatchLimit(
    'metrics, params, and tags',
    LIMITS.entitiesPerBatch,
    request.metrics.length + request.params.length + request.tags.length,
  );
  const duplicates = request.params.map((p) => p.key).filter((key, index, keys) => keys.indexOf(key) !== index);
  if (duplicates.length > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${duplicates.map((k) => `'${k}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
  validateMetrics(request.metrics);
  const params = request.params.map((p) => normalizeParam(p.key, p.value));
  const tags = request.tags.map((t) => normalizeRunTag(t.key, t.value));
  // The name tag renames the run (as UpdateRun does); an empty one changes nothing.
  const runName = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value || undefined;
  const writes: RunWrites = {
    params,
    tags: tags.filter((t) => t.key !== RUN_NAME_TAG),
    metrics: request.metrics,
    runName,
    modelMetrics: modelMetricsOf(runId, request.metrics),
  };
  await writeToRun(deps, runId, writes, batchParamConflict);
};

export const logInputs = async (
  deps: LoggingDeps,
  runId: string,
  datasets: DatasetInput[],
  modelIds: string[],
): Promise<void> => {
  validateRunId(runId);
  for (const input of datasets) validateDatasetInput(input);
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logInputs(scope, datasets, modelIds, deps.now());
};

const validateDatasetInput = ({ dataset, tags }: DatasetInput) => {
  limitLength('Dataset name', LIMITS.datasetNameLength, dataset.name);
  limitLength('Dataset digest', LIMITS.datasetDigestLength, dataset.digest);
  limitLength('Dataset source', LIMITS.datasetSourceLength, dataset.source);
  if (dataset.schema !== undefined) limitLength('Dataset schema', LIMITS.datasetSchemaLength, dataset.schema);
  if (dataset.profile !== undefined) limitLength('Dataset profile', LIMITS.datasetProfileLength, dataset.profile);
  for (const tag of tags) {
    limitLength('Input tag key', LIMITS.inputTagKeyLength, tag.key);
    limitLength('Input tag value', LIMITS.inputTagValueLength, tag.value);
  }
};

export const logOutputs = async (deps: LoggingDeps, runId: string, models: { modelId: string; step: number }[]) => {
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logOutputs(scope, models, deps.now());
};
