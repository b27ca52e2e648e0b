import { invalidParameter } from '../../errors/index.js';
import type { ParamConflictError } from '../../data/runs/log-batch.js';
import type { TrackingDeps } from '../dependencies.js';
import type { DatasetInput, MetricPoint } from './entities.js';
import { RUN_NAME_TAG, resolveRunScope, updateRun } from './runs.js';
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

export interface LogBatchRequest {
  metrics: MetricPoint[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/** LogBatch words a changed param as a list of conflicts (sqlalchemy_store `_log_params`). */
const batchParamConflict: ParamConflictError = (runId, conflicts) =>
  invalidParameter(
    `Changing param values is not allowed. Params were already logged='[${conflicts
      .map((c) => `{'key': '${c.key}', 'old_value': '${c.oldValue}', 'new_value': '${c.newValue}'}`)
      .join(', ')}]' for run ID='${runId}'.`,
  );

export const logParam = async (deps: TrackingDeps, runId: string, key: string, value: string): Promise<void> => {
  const param = normalizeParam(key, value);
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logData(scope, { params: [param] }, deps.now());
};

export const logMetric = async (deps: TrackingDeps, runId: string, point: MetricPoint): Promise<void> => {
  validateMetric(point.key, point.value, point.timestamp, point.step);
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logData(scope, { metrics: [point] }, deps.now());
  await recordModelMetrics(deps, runId, [point]);
};

/** MLflow's LogBatch: limits first, then names and values, then one atomic-as-possible write. */
export const logBatch = async (deps: TrackingDeps, runId: string, request: LogBatchRequest): Promise<void> => {
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
  const scope = await resolveRunScope(deps, runId);
  const runName = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
  await deps.runs.logData(
    scope,
    { params, tags: tags.filter((t) => t.key !== RUN_NAME_TAG), metrics: request.metrics },
    deps.now(),
    batchParamConflict,
  );
  if (runName !== undefined) await updateRun(deps, runId, { runName });
  await recordModelMetrics(deps, runId, request.metrics);
};

/** Points logged with a model id also belong to that logged model (MLflow's `_log_model_metrics`). */
const recordModelMetrics = async (deps: TrackingDeps, runId: string, points: MetricPoint[]) => {
  const byModel = new Map<string, MetricPoint[]>();
  for (const point of points) {
    if (!point.modelId) continue;
    byModel.set(point.modelId, [...(byModel.get(point.modelId) ?? []), { ...point, runId }]);
  }
  for (const [modelId, modelPoints] of byModel) {
    const model = await deps.loggedModels.get(modelId);
    if (model) await deps.loggedModels.appendMetrics(modelId, modelPoints, deps.now());
  }
};

export const logInputs = async (
  deps: TrackingDeps,
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

export const logOutputs = async (deps: TrackingDeps, runId: string, models: { modelId: string; step: number }[]) => {
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logOutputs(scope, models, deps.now());
};
