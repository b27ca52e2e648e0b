/**
 * MLflow's JSON (proto field names, `mlflow/utils/proto_json_utils.py`) → the import source's entities.
 * Read as MLflow's own client reads it: int64 fields as numbers or numeric strings, doubles as numbers or
 * "NaN"/"Infinity"/"-Infinity", enums by name or number, unset fields and empty lists omitted (proto2
 * defaults: a missing run status is RUNNING, a missing stage "None").
 */
import type {
  LifecycleStage,
  SourceDatasetInput,
  SourceExperiment,
  SourceLoggedModel,
  SourceMetricPoint,
  SourceModelVersion,
  SourceRegisteredModel,
  SourceRun,
  SourceTag,
} from '../source.js';
import type { Json } from './http.js';

export class WireError extends Error {
  override readonly name = 'WireError';
}

const object = (value: unknown, what: string): Json => {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  throw new WireError(`${what}: expected an object, got ${JSON.stringify(value)}`);
};

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** An optional text where MLflow's stores write "" for "none" (descriptions, run links, run ids of versions). */
const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const requiredString = (value: unknown, what: string): string => {
  if (typeof value === 'string') return value;
  // experiment ids are the one string field MLflow's server coerces from numbers; accept them anywhere.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new WireError(`${what}: expected a string, got ${JSON.stringify(value)}`);
};

/** int64 as a JSON number or a decimal string (canonical proto3 JSON). */
export const int64 = (value: unknown, what: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^-?\d+$/u.test(value.trim()) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  throw new WireError(`${what}: expected an integer, got ${JSON.stringify(value)}`);
};

const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A double as proto JSON writes it: a number, or "NaN" / "Infinity" / "-Infinity" (or a numeric string). */
export const double = (value: unknown, what: string): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value] as number;
    const number = Number(value);
    if (value.trim() !== '' && !Number.isNaN(number)) return number;
  }
  throw new WireError(`${what}: expected a number, got ${JSON.stringify(value)}`);
};

export const tags = (value: unknown): SourceTag[] =>
  list(value).map((entry, i) => {
    const tag = object(entry, `tag ${i}`);
    return { key: requiredString(tag.key, 'tag key'), value: optionalString(tag.value) ?? '' };
  });

const lifecycleOf = (value: unknown): LifecycleStage => (value === 'deleted' ? 'deleted' : 'active');

/** An enum by name, or by its proto number. */
const enumOf = <T extends string>(value: unknown, names: readonly T[], byNumber: readonly (T | undefined)[], fallback: T, what: string): T => {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as T;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/u.test(value) ? Number(value) : undefined;
  const named = number === undefined ? undefined : byNumber[number];
  if (named) return named;
  throw new WireError(`${what}: unknown value ${JSON.stringify(value)}`);
};

const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
const VERSION_STATUSES = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY'] as const;

export const parseExperiment = (value: unknown): SourceExperiment => {
  const e = object(value, 'experiment');
  const creationTime = int64(e.creation_time, 'experiment creation_time');
  const lastUpdateTime = int64(e.last_update_time, 'experiment last_update_time');
  return {
    experimentId: requiredString(e.experiment_id, 'experiment_id'),
    name: requiredString(e.name, 'experiment name'),
    artifactLocation: optionalString(e.artifact_location) ?? '',
    lifecycleStage: lifecycleOf(e.lifecycle_stage),
    ...(creationTime !== undefined ? { creationTime } : {}),
    ...(lastUpdateTime !== undefined ? { lastUpdateTime } : {}),
    tags: tags(e.tags),
  };
};

const parseDatasetInput = (value: unknown): SourceDatasetInput => {
  const input = object(value, 'dataset input');
  const dataset = object(input.dataset, 'dataset');
  const schema = optionalString(dataset.schema);
  const profile = optionalString(dataset.profile);
  return {
    name: requiredString(dataset.name, 'dataset name'),
    digest: requiredString(dataset.digest, 'dataset digest'),
    sourceType: optionalString(dataset.source_type) ?? '',
    source: optionalString(dataset.source) ?? '',
    ...(schema !== undefined ? { schema } : {}),
    ...(profile !== undefined ? { profile } : {}),
    tags: tags(input.tags),
  };
};

export const parseRun = (value: unknown): SourceRun => {
  const run = object(value, 'run');
  const info = object(run.info, 'run info');
  const data = run.data === undefined ? {} : object(run.data, 'run data');
  const inputs = run.inputs === undefined ? {} : object(run.inputs, 'run inputs');
  const outputs = run.outputs === undefined ? {} : object(run.outputs, 'run outputs');
  const runId = requiredString(info.run_id ?? info.run_uuid, 'run_id');
  const startTime = int64(info.start_time, 'run start_time');
  const endTime = int64(info.end_time, 'run end_time');
  const runName = optionalString(info.run_name);
  const userId = optionalString(info.user_id);
  const metricKeys = [...new Set(list(data.metrics).map((m) => requiredString(object(m, 'metric').key, 'metric key')))];
  return {
    runId,
    experimentId: requiredString(info.experiment_id, 'run experiment_id'),
    ...(runName !== undefined ? { runName } : {}),
    ...(userId !== undefined ? { userId } : {}),
    status: enumOf(info.status, RUN_STATUSES, [undefined, ...RUN_STATUSES], 'RUNNING', 'run status'),
    ...(startTime !== undefined ? { startTime } : {}),
    // proto2: 0 means "not ended" to MLflow's client.
    ...(endTime ? { endTime } : {}),
    artifactUri: optionalString(info.artifact_uri) ?? '',
    lifecycleStage: lifecycleOf(info.lifecycle_stage),
    params: tags(data.params),
    tags: tags(data.tags),
    metricKeys,
    datasets: list(inputs.dataset_inputs).map(parseDatasetInput),
    modelInputs: list(inputs.model_inputs).map((m) => requiredString(object(m, 'model input').model_id, 'model input model_id')),
    modelOutputs: list(outputs.model_outputs).map((m) => {
      const output = object(m, 'model output');
      return { modelId: requiredString(output.model_id, 'model output model_id'), step: int64(output.step, 'model output step') ?? 0 };
    }),
  };
};

export const parseMetric = (value: unknown): SourceMetricPoint => {
  const m = object(value, 'metric');
  const key = requiredString(m.key, 'metric key');
  const modelId = optionalString(m.model_id);
  const datasetName = optionalString(m.dataset_name);
  const datasetDigest = optionalString(m.dataset_digest);
  return {
    key,
    value: double(m.value, `metric ${key} value`),
    timestamp: int64(m.timestamp, `metric ${key} timestamp`) ?? 0,
    step: int64(m.step, `metric ${key} step`) ?? 0,
    ...(modelId ? { modelId } : {}),
    ...(datasetName !== undefined ? { datasetName } : {}),
    ...(datasetDigest !== undefined ? { datasetDigest } : {}),
  };
};

export const parseLoggedModel = (value: unknown): SourceLoggedModel => {
  const model = object(value, 'logged model');
  const info = object(model.info, 'logged model info');
  const data = model.data === undefined ? {} : object(model.data, 'logged model data');
  const sourceRunId = optionalText(info.source_run_id);
  const statusMessage = optionalString(info.status_message);
  const modelType = optionalString(info.model_type);
  return {
    modelId: requiredString(info.model_id, 'model_id'),
    experimentId: requiredString(info.experiment_id, 'logged model experiment_id'),
    name: optionalString(info.name) ?? '',
    artifactLocation: optionalString(info.artifact_uri) ?? '',
    creationTimestamp: int64(info.creation_timestamp_ms, 'logged model creation_timestamp_ms') ?? 0,
    lastUpdatedTimestamp: int64(info.last_updated_timestamp_ms, 'logged model last_updated_timestamp_ms') ?? 0,
    ...(sourceRunId !== undefined ? { sourceRunId } : {}),
    status: enumOf(info.status, LOGGED_MODEL_STATUSES, LOGGED_MODEL_STATUSES, 'LOGGED_MODEL_STATUS_UNSPECIFIED', 'logged model status'),
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    ...(modelType !== undefined ? { modelType } : {}),
    // Soft-deleted logged models are invisible over REST (get answers 404, search leaves them out).
    lifecycleStage: 'active',
    params: tags(data.params),
    tags: tags(info.tags),
    metrics: list(data.metrics).map(parseMetric),
  };
};

/** `models:/m-<32 hex>`: a version registered from a logged model (MLflow's OSS server leaves `model_id` unset). */
const LOGGED_MODEL_SOURCE = /^models:\/(m-[0-9a-f]{32})\/?$/u;

export const parseModelVersion = (value: unknown): SourceModelVersion => {
  const v = object(value, 'model version');
  const versionText = requiredString(v.version, 'model version');
  const version = Number(versionText);
  if (!Number.isSafeInteger(version)) throw new WireError(`model version: expected an integer, got ${JSON.stringify(versionText)}`);
  const source = optionalString(v.source) ?? '';
  const modelId = optionalText(v.model_id) ?? LOGGED_MODEL_SOURCE.exec(source)?.[1];
  const userId = optionalText(v.user_id);
  const description = optionalText(v.description);
  const runId = optionalText(v.run_id);
  const runLink = optionalText(v.run_link);
  const statusMessage = optionalText(v.status_message);
  return {
    version,
    creationTimestamp: int64(v.creation_timestamp, 'model version creation_timestamp') ?? 0,
    lastUpdatedTimestamp: int64(v.last_updated_timestamp, 'model version last_updated_timestamp') ?? 0,
    ...(userId !== undefined ? { userId } : {}),
    currentStage: optionalString(v.current_stage) ?? 'None',
    ...(description !== undefined ? { description } : {}),
    source,
    ...(runId !== undefined ? { runId } : {}),
    ...(runLink !== undefined ? { runLink } : {}),
    status: enumOf(v.status, VERSION_STATUSES, [undefined, ...VERSION_STATUSES], 'PENDING_REGISTRATION', 'model version status'),
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    ...(modelId !== undefined ? { modelId } : {}),
    tags: tags(v.tags),
    // MLflow's REST API never shows a deleted version (get answers 404, search leaves them out).
    deleted: false,
  };
};

/** A registered model without its versions (they come from model-versions/search). */
export const parseRegisteredModel = (value: unknown): Omit<SourceRegisteredModel, 'versions'> => {
  const m = object(value, 'registered model');
  const description = optionalText(m.description);
  return {
    name: requiredString(m.name, 'registered model name'),
    creationTimestamp: int64(m.creation_timestamp, 'registered model creation_timestamp') ?? 0,
    lastUpdatedTimestamp: int64(m.last_updated_timestamp, 'registered model last_updated_timestamp') ?? 0,
    ...(description !== undefined ? { description } : {}),
    tags: tags(m.tags),
    aliases: list(m.aliases).map((entry) => {
      const alias = object(entry, 'alias');
      const version = Number(requiredString(alias.version, 'alias version'));
      if (!Number.isSafeInteger(version)) throw new WireError(`alias ${String(alias.alias)}: version is not an integer`);
      return { alias: requiredString(alias.alias, 'alias name'), version };
    }),
  };
};
