import { invalidParameter } from '../../errors/index.js';

/** MLflow's limits (mlflow/utils/validation.py, MLflow 3.6). */
export const LIMITS = {
  entityKeyLength: 250,
  paramValueLength: 6000,
  runTagValueLength: 8000,
  experimentNameLength: 500,
  experimentTagKeyLength: 250,
  experimentTagValueLength: 5000,
  metricsPerBatch: 1000,
  paramsTagsPerBatch: 100,
  entitiesPerBatch: 1000,
  datasetNameLength: 500,
  datasetDigestLength: 36,
  datasetSourceLength: 65535,
  datasetSchemaLength: 1048575,
  datasetProfileLength: 16777215,
  inputTagKeyLength: 255,
  inputTagValueLength: 500,
  searchRunsMaxResults: 50000,
  searchExperimentsMaxResults: 50000,
  // MLflow's SQL columns (mlflow/store/*/dbmodels/models.py), which MySQL and PostgreSQL enforce.
  userIdLength: 256,
  registryDescriptionLength: 5000,
  loggedModelNameLength: 500,
  loggedModelTypeLength: 500,
  // Cairn's own, where MLflow has none: each keeps its item far below DynamoDB's 400 KB.
  /** A run's name is also its `mlflow.runName` tag, whose value MLflow keeps to 8000 characters. */
  runNameLength: 8000,
  /** A model version's source and run link: URIs, which MLflow's SQL columns keep to 500 characters. */
  modelVersionUriLength: 8000,
  webhookDescriptionLength: 5000,
  webhookUrlLength: 2048,
  webhookSecretLength: 1000,
  deploymentCommentLength: 5000,
  /** UTF-8 bytes of one logged dataset (name, digest, source, schema, profile, tags): one item holds it. */
  datasetItemBytes: 350_000,
} as const;

const VALID_NAME = /^[/\p{L}\p{N}_.\- :]*$/u;
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** posixpath.normpath, enough to tell whether a name would resolve to another one as a file path. */
const normpath = (path: string): string => {
  if (path === '') return '.';
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
};

/** Metric, param and tag names: MLflow's character set, and no name that a file path would rewrite. */
export const validateEntityName = (kind: 'metric' | 'parameter' | 'tag', name: string): void => {
  if (!VALID_NAME.test(name)) throw invalidParameter(`Invalid ${kind} name: '${name}'. ${BAD_CHARACTERS}`);
  const normalized = normpath(name);
  if (normalized !== name || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/')) {
    throw invalidParameter(
      `Invalid ${kind} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`,
    );
  }
};

/** Returns the value, truncated to `limit` when `truncate`, else INVALID_PARAMETER_VALUE when too long. */
export const limitLength = (entity: string, limit: number, value: string, truncate = false): string => {
  if (value.length <= limit) return value;
  if (truncate) return value.slice(0, limit);
  throw invalidParameter(
    `${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`,
  );
};

export const validateBatchLimit = (entity: string, limit: number, length: number): void => {
  if (length > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
};

/** Param: valid name, key within 250, value truncated to 6000 (MLflow's default MLFLOW_TRUNCATE_LONG_VALUES). */
export const normalizeParam = (key: string, value: string) => {
  validateEntityName('parameter', key);
  return {
    key: limitLength('Param key', LIMITS.entityKeyLength, key),
    value: limitLength('Param value', LIMITS.paramValueLength, value, true),
  };
};

/** Run tag: valid name, key within 250, value truncated to 8000. */
export const normalizeRunTag = (key: string, value: string) => {
  validateEntityName('tag', key);
  return {
    key: limitLength('Tag key', LIMITS.entityKeyLength, key),
    value: limitLength('Tag value', LIMITS.runTagValueLength, value, true),
  };
};

export const validateMetric = (key: string, value: number, timestamp: number, step: number): void => {
  validateEntityName('metric', key);
  validateMetricPoint(key, value, timestamp, step);
  limitLength('Metric name', LIMITS.entityKeyLength, key);
};

const validateMetricPoint = (key: string, value: number, timestamp: number, step: number): void => {
  if (!Number.isInteger(timestamp) || timestamp < 0) {
    throw invalidParameter(
      `Got invalid timestamp ${timestamp} for metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer) `,
    );
  }
  if (!Number.isInteger(step)) {
    throw invalidParameter(`Got invalid step ${step} for metric '${key}' (value=${value}). Step must be a valid long (64-bit integer).`);
  }
};

/** validateMetric for a batch: a key's name is checked once, however many points share it. */
export const validateMetrics = (metrics: { key: string; value: number; timestamp: number; step: number }[]): void => {
  const checkedKeys = new Set<string>();
  for (const m of metrics) {
    if (!checkedKeys.has(m.key)) {
      validateMetric(m.key, m.value, m.timestamp, m.step);
      checkedKeys.add(m.key);
    } else {
      validateMetricPoint(m.key, m.value, m.timestamp, m.step);
    }
  }
};

export const validateExperimentName = (name: string): void => {
  if (name === '') throw invalidParameter(`Invalid experiment name: '${name}'`);
  if (name.length > LIMITS.experimentNameLength) {
    throw invalidParameter(`Experiment name exceeds the maximum length of ${LIMITS.experimentNameLength} characters`);
  }
};

export const validateExperimentTag = (key: string, value: string): void => {
  validateEntityName('tag', key);
  limitLength('Tag key', LIMITS.experimentTagKeyLength, key);
  limitLength('Tag value', LIMITS.experimentTagValueLength, value);
};

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
export const validateRunId = (runId: string): void => {
  if (!RUN_ID.test(runId)) throw invalidParameter(`Invalid run ID: '${runId}'`);
};
