import type { DatasetInput, Experiment, LoggedModel, MetricPoint, Run, RunInfo, Tags } from '../domain/tracking/entities.js';
import type { ModelVersion, RegisteredModel } from '../domain/registry/entities.js';

/**
 * Domain entities → MLflow's JSON (proto field names, unset fields and empty lists omitted, int64 as
 * numbers, non-finite doubles as "NaN"/"Infinity"/"-Infinity"): mlflow/utils/proto_json_utils.py.
 */

type Json = Record<string, unknown>;

export const doubleToJson = (value: number): number | string =>
  Number.isFinite(value) ? value : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';

/** Drops undefined fields and empty lists, as proto JSON does. */
const compact = (object: Json): Json => {
  const result: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value;
  }
  return result;
};

export const tagsToJson = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));

export const experimentToJson = (e: Experiment): Json =>
  compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: tagsToJson(e.tags),
  });

export const runInfoToJson = (info: RunInfo): Json =>
  compact({
    run_uuid: info.runId,
    experiment_id: info.experimentId,
    run_name: info.runName,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime || undefined,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
  });

/** A run's latest metric: key, value, timestamp and step only, as RunData carries it. */
export const latestMetricToJson = (m: MetricPoint): Json => ({
  key: m.key,
  value: doubleToJson(m.value),
  timestamp: m.timestamp,
  step: m.step,
});

/**
 * A history point: with the model and dataset it was logged with, when there are any. Written out field by
 * field because a history page holds 25,000 of them.
 */
export const metricToJson = (m: MetricPoint): Json => {
  const json: Json = { key: m.key, value: doubleToJson(m.value), timestamp: m.timestamp, step: m.step };
  if (m.datasetName !== undefined) json.dataset_name = m.datasetName;
  if (m.datasetDigest !== undefined) json.dataset_digest = m.datasetDigest;
  if (m.modelId !== undefined) json.model_id = m.modelId;
  if (m.runId !== undefined) json.run_id = m.runId;
  return json;
};

const datasetInputToJson = (input: DatasetInput): Json =>
  compact({
    tags: input.tags,
    dataset: compact({
      name: input.dataset.name,
      digest: input.dataset.digest,
      source_type: input.dataset.sourceType,
      source: input.dataset.source,
      schema: input.dataset.schema,
      profile: input.dataset.profile,
    }),
  });

export const runDataToJson = (run: Run): Json =>
  compact({
    metrics: Object.values(run.metrics).map(latestMetricToJson),
    params: tagsToJson(run.params),
    tags: tagsToJson(run.tags),
  });

export const runInputsToJson = (run: Run): Json =>
  compact({
    dataset_inputs: run.datasetInputs.map(datasetInputToJson),
    model_inputs: run.modelInputs.map((m) => ({ model_id: m.modelId })),
  });

/** A run as runs/get and runs/search return it: `inputs` and `outputs` always present, maybe empty. */
export const runToJson = (run: Run): Json => ({
  info: runInfoToJson(run.info),
  data: runDataToJson(run),
  inputs: runInputsToJson(run),
  outputs: compact({ model_outputs: run.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) }),
});

/**
 * A run as Cairn's search (`/api/2.0/cairn/runs/search`) returns it: MLflow's shape, each latest metric with
 * `min` and `max` of the key's whole history when known (NaN and ±Infinity in proto JSON's string forms).
 */
export const runWithRangesToJson = (run: Run): Json => {
  const json = runToJson(run);
  const ranges = run.metricRanges ?? {};
  const metrics = Object.values(run.metrics).map((m) => {
    const range = Object.hasOwn(ranges, m.key) ? ranges[m.key] : undefined;
    return range ? { ...latestMetricToJson(m), min: doubleToJson(range.min), max: doubleToJson(range.max) } : latestMetricToJson(m);
  });
  return { ...json, data: compact({ ...(json.data as Json), metrics }) };
};

export const loggedModelToJson = (m: LoggedModel): Json => ({
  info: compact({
    model_id: m.modelId,
    experiment_id: m.experimentId,
    name: m.name,
    creation_timestamp_ms: m.creationTimestampMs,
    last_updated_timestamp_ms: m.lastUpdatedTimestampMs,
    artifact_uri: m.artifactUri,
    status: m.status,
    model_type: m.modelType,
    source_run_id: m.sourceRunId,
    status_message: m.statusMessage,
    tags: tagsToJson(m.tags),
  }),
  data: compact({
    params: tagsToJson(m.params),
    metrics: m.metrics.map(metricToJson),
  }),
});

/** A FileInfo: `file_size` only for files, as MLflow lists them. */
export const fileInfoToJson = (path: string, entry: { isDir: boolean; size?: number }): Json =>
  entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.size ?? 0 };

/**
 * A model version as MLflow's SQL store emits it: `description` and `run_link` always present (maybe
 * empty), status READY, aliases only where the reference fills them (get, get-by-alias).
 */
export const modelVersionToJson = (v: ModelVersion, aliases?: string[]): Json =>
  compact({
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId,
    current_stage: v.currentStage,
    description: v.description ?? '',
    source: v.source,
    run_id: v.runId,
    status: 'READY',
    status_message: v.statusMessage,
    tags: tagsToJson(v.tags),
    run_link: v.runLink ?? '',
    aliases,
  });

export const registeredModelToJson = (m: RegisteredModel, latest: ModelVersion[]): Json =>
  compact({
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    user_id: m.userId,
    description: m.description || undefined,
    latest_versions: latest.map((v) => modelVersionToJson(v)),
    tags: tagsToJson(m.tags),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  });
