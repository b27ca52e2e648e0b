/**
 * Cairn's domain entities: camelCase, plain data. The wire shapes (snake_case, MLflow's JSON) are made
 * from them in shared/http/serializers.ts, and the stored shapes in shared/data/<aggregate>/codec.ts.
 * Metric values are JS numbers, NaN and ±Infinity included.
 */

export type LifecycleStage = 'active' | 'deleted';
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The tag that holds a run's name: setting it renames the run, and renaming the run sets it. */
export const RUN_NAME_TAG = 'mlflow.runName';
export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];
export const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

export type Tags = Record<string, string>;

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tags;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** One point of a metric's history. Its identity is (key, timestamp, step, value), as in MLflow's SQL key. */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
  runId?: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  dataset: Dataset;
  tags: { key: string; value: string }[];
}

export interface ModelOutput {
  modelId: string;
  step: number;
}

/**
 * Cairn: the lowest and highest value of a run's metric key over its whole history. NaN points count only
 * when every point is NaN (then both are NaN); ±Infinity are values like any other (metric-ranges.ts).
 */
export interface MetricRange {
  min: number;
  max: number;
}

export interface Run {
  info: RunInfo;
  params: Tags;
  tags: Tags;
  /** The latest point of every metric key, by MLflow's rule (§4.4): highest (step, timestamp, value). */
  metrics: Record<string, MetricPoint>;
  /**
   * Cairn: min and max of metric keys, where known to cover the whole history (a run logged before Cairn
   * kept them has none until its history is read once; searchRunsWithRanges fills them in).
   */
  metricRanges?: Record<string, MetricRange>;
  datasetInputs: DatasetInput[];
  modelInputs: { modelId: string }[];
  modelOutputs: ModelOutput[];
}

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  status: LoggedModelStatus;
  statusMessage?: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  modelType?: string;
  sourceRunId?: string;
  tags: Tags;
  params: Tags;
  metrics: MetricPoint[];
  lifecycleStage: LifecycleStage;
}
