import { appendToUri } from '../artifacts/artifact-locations.js';
import { LOGGED_MODEL_STATUSES, type Experiment, type LoggedModel, type LoggedModelStatus, type MetricPoint } from '../tracking/entities.js';
import { copyArtifacts } from './artifact-copy.js';
import type { ImportContext } from './context.js';
import type { SourceLoggedModel, SourceMetricPoint } from './source.js';

/**
 * A logged model (MLflow 3) keeps its id, experiment, name, times, status, source run, params, tags and metrics
 * (each with the run that logged it), written whole in one item; its files go to
 * `<experiment root>/models/<id>/artifacts` in Cairn's store. A deleted model is created, its files copied, then
 * deleted. A model id that exists in another experiment, or that Cairn deleted while the source keeps it, is a
 * conflict. One that exists in the same experiment was created by an earlier attempt: its files are completed.
 */
export const importLoggedModel = async (context: ImportContext, model: SourceLoggedModel, experiment: Experiment): Promise<void> => {
  if (await context.checkpoint.isDone('logged-model', model.modelId)) {
    context.counts.skipped++;
    return;
  }
  const store = context.target.tracking.loggedModels;
  let artifactUri = appendToUri(experiment.artifactLocation, 'models', model.modelId, 'artifacts');
  const exists = await store.exists(model.modelId);
  if (exists) {
    const current = await store.get(model.modelId);
    if (!current) {
      if (model.lifecycleStage !== 'deleted') return conflict(context, model, 'it is deleted in Cairn and active in the source');
      // Deleted by an earlier attempt, which deletes only after the files are copied.
      return finish(context, model);
    }
    if (current.experimentId !== experiment.experimentId) return conflict(context, model, `it is in experiment ${current.experimentId} in Cairn`);
    artifactUri = current.artifactUri;
  } else {
    await context.writes.run(() => store.create(toLoggedModel(context, model, experiment, artifactUri)));
  }
  context.roots.add(model.artifactLocation, artifactUri);
  await copyArtifacts(context, `logged model ${model.modelId}`, model.artifactLocation, artifactUri, exists);
  if (model.lifecycleStage === 'deleted') await store.softDelete(model.modelId, context.target.tracking.now());
  await finish(context, model);
};

const finish = async (context: ImportContext, model: SourceLoggedModel) => {
  await context.checkpoint.markDone('logged-model', model.modelId);
  context.counts.loggedModels++;
  context.emit('logged-models', `logged model ${model.modelId}`);
};

const toLoggedModel = (context: ImportContext, model: SourceLoggedModel, experiment: Experiment, artifactUri: string): LoggedModel => ({
  modelId: model.modelId,
  experimentId: experiment.experimentId,
  name: model.name,
  artifactUri,
  status: statusOf(context, model),
  ...(model.statusMessage === undefined ? {} : { statusMessage: model.statusMessage }),
  creationTimestampMs: model.creationTimestamp,
  lastUpdatedTimestampMs: model.lastUpdatedTimestamp,
  ...(model.modelType === undefined ? {} : { modelType: model.modelType }),
  ...(model.sourceRunId === undefined ? {} : { sourceRunId: model.sourceRunId }),
  tags: Object.fromEntries(model.tags.map((tag) => [tag.key, tag.value])),
  params: Object.fromEntries(model.params.map((param) => [param.key, param.value])),
  metrics: model.metrics.map(toModelMetric),
  lifecycleStage: 'active',
});

/**
 * MLflow's status name, with or without its `LOGGED_MODEL_` prefix; Python's `FAILED` (the file store's spelling)
 * is the wire's `LOGGED_MODEL_UPLOAD_FAILED` (LoggedModelStatus.to_proto). Undefined for another value.
 */
export const loggedModelStatusOf = (status: string): LoggedModelStatus | undefined => {
  const name = status.toUpperCase();
  if (name === 'FAILED') return 'LOGGED_MODEL_UPLOAD_FAILED';
  return LOGGED_MODEL_STATUSES.find((known) => known === name || known === `LOGGED_MODEL_${name}`);
};

/** Another value than MLflow's is kept as unspecified, and said. */
const statusOf = (context: ImportContext, model: SourceLoggedModel): LoggedModelStatus => {
  const status = loggedModelStatusOf(model.status);
  if (status) return status;
  context.warn(`logged model ${model.modelId}`, `status '${model.status}' is not one of MLflow's; imported as LOGGED_MODEL_STATUS_UNSPECIFIED`);
  return 'LOGGED_MODEL_STATUS_UNSPECIFIED';
};

const toModelMetric = (point: SourceMetricPoint): MetricPoint => {
  const metric: MetricPoint = { key: point.key, value: point.value, timestamp: point.timestamp, step: point.step };
  if (point.modelId !== undefined) metric.modelId = point.modelId;
  if (point.runId !== undefined) metric.runId = point.runId;
  if (point.datasetName !== undefined) metric.datasetName = point.datasetName;
  if (point.datasetDigest !== undefined) metric.datasetDigest = point.datasetDigest;
  return metric;
};

const conflict = (context: ImportContext, model: SourceLoggedModel, reason: string) => {
  context.conflict('logged-model', model.modelId, `logged model ${model.modelId} not imported: ${reason}`);
};
