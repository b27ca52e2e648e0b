import type { CatalogSnapshot } from '../kernel/catalog.js';
import type { DatasetInput, Experiment, LifecycleStage, LoggedModel, LoggedModelStatus, MetricPoint, MetricRange, Run, RunInfo } from './entities.js';
import type { HistorySnapshotCache } from './history-snapshots.js';
import type { Grant } from '../auth/entities.js';

/**
 * What the tracking rules need from the outside, in tracking's words. shared/data/{experiments,runs,metrics,
 * logged-models} implement the stores on DynamoDB; test/support/fakes/tracking.ts in memory.
 */

/** A run and the experiment it belongs to (which never changes): what every write to a run is addressed by. */
export interface RunScope {
  runId: string;
  experimentId: string;
}

export interface ParamConflict {
  key: string;
  oldValue: string;
  newValue: string;
}

/**
 * A write tried to change params already logged (params are immutable): nothing of the write was stored.
 * The use case words it for its endpoint (log-parameter and log-batch answer differently).
 */
export class ParamValuesChanged extends Error {
  constructor(
    readonly runId: string,
    readonly conflicts: readonly ParamConflict[],
  ) {
    super(`Changing param values is not allowed (run ${runId}).`);
    this.name = 'ParamValuesChanged';
  }
}

/**
 * Everything one request writes to a run. A store writes it as one unit with one check that the run is
 * active; only a write too large for one transaction is split (params are then checked before any part).
 */
export interface RunWrites {
  params?: { key: string; value: string }[];
  tags?: { key: string; value: string }[];
  metrics?: MetricPoint[];
  /** A new run name: the run's name and its `mlflow.runName` tag both change. */
  runName?: string;
  /** Points that also belong to a logged model; a model that does not exist or is deleted is skipped. */
  modelMetrics?: { modelId: string; points: MetricPoint[] }[];
}

export interface ExperimentStore {
  get(experimentId: string): Promise<Experiment | undefined>;
  /** Like `get`, but RESOURCE_DOES_NOT_EXIST when missing. */
  require(experimentId: string): Promise<Experiment>;
  getByName(name: string): Promise<Experiment | undefined>;
  /** Every experiment, active and deleted. */
  list(): Promise<Experiment[]>;
  /**
   * Every experiment, active and deleted, as searches read them: exact (every write acknowledged before the call
   * is in it) and with the moves of their sort fields (kernel/catalog.ts).
   */
  catalog(): Promise<CatalogSnapshot<Experiment>>;
  /** A new experiment id; ids are never reused. */
  allocateId(): Promise<string>;
  /** allocateId answers only ids above `id` from now on (an experiment was imported with its own id). */
  reserveIdsThrough(id: number): Promise<void>;
  /**
   * Stores a new experiment and claims its name: RESOURCE_ALREADY_EXISTS when the name is taken. The creator's
   * grant, when given, is written in the same transaction: never the experiment without it, nor it alone.
   */
  create(experiment: Experiment, creatorGrant?: Grant): Promise<void>;
  /** Creates the experiment unless one with its id exists; true when it was created. */
  createIfMissing(experiment: Experiment): Promise<boolean>;
  /** Moves the name to `newName`: BAD_REQUEST when another experiment holds it. */
  rename(experiment: Experiment, newName: string, now: number): Promise<void>;
  /** Moves the experiment from `from` to `to`; false when it is missing or not in `from`. */
  setLifecycle(experimentId: string, from: LifecycleStage, to: LifecycleStage, now: number): Promise<boolean>;
  /** False when the experiment is missing. */
  setTag(experimentId: string, key: string, value: string): Promise<boolean>;
  /** False when the experiment or the tag is missing. */
  deleteTag(experimentId: string, key: string): Promise<boolean>;
}

/**
 * Runs. Every write but `create` and `setLifecycle` checks, together with the write, that the run is active:
 * RESOURCE_DOES_NOT_EXIST for a missing run, INVALID_PARAMETER_VALUE for a deleted one.
 */
export interface RunStore {
  /** Stores a new run with its initial tags. */
  create(info: RunInfo, tags: { key: string; value: string }[], now: number): Promise<void>;
  /** The whole run: info, params, tags, latest metrics, inputs and outputs. */
  get(runId: string): Promise<Run | undefined>;
  getInfo(runId: string): Promise<RunInfo | undefined>;
  /** Sets status, end time and name; a new `runNameTag` also goes to the `mlflow.runName` tag, in the same write. */
  updateInfo(info: RunInfo, now: number, runNameTag?: string): Promise<void>;
  /** Deletes or restores; idempotent. */
  setLifecycle(scope: RunScope, stage: LifecycleStage, now: number): Promise<void>;
  /** Writes params, tags, metric points, a new name and model metrics; ParamValuesChanged when a param differs. */
  logData(scope: RunScope, writes: RunWrites, now: number): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST when the run has no such tag. */
  deleteTag(scope: RunScope, key: string, now: number): Promise<void>;
  logInputs(scope: RunScope, datasets: DatasetInput[], modelIds: string[], now: number): Promise<void>;
  logOutputs(scope: RunScope, outputs: { modelId: string; step: number }[], now: number): Promise<void>;
  /**
   * Cairn: stores min and max of keys read from their whole histories (for runs whose stored ranges predate
   * them), merged with what writers stored meanwhile; no run-state check (it adds nothing a reader could not see).
   */
  fillMetricRanges(scope: RunScope, ranges: Record<string, MetricRange>, now: number): Promise<void>;
}

/** One stored piece of a history, left packed: interleaved (timestamp, step, value) triples, `count` of them. */
export interface PackedHistoryChunk {
  readonly writtenAt: number;
  readonly count: number;
  readonly triples: Float64Array;
}

/** Metric histories, read only: points are written with the run (RunStore.logData). */
export interface MetricHistoryStore {
  /** Every point of one metric of one run, in MLflow's order (metric-points.ts), each point once. */
  history(runId: string, key: string): Promise<MetricPoint[]>;
  /** The same history as stored, packed: for scans of big histories. */
  packedHistory(runId: string, key: string): Promise<readonly PackedHistoryChunk[]>;
}

/**
 * Logged models. Updates of a missing or deleted model are RESOURCE_DOES_NOT_EXIST. Metric points come with
 * run writes (RunWrites.modelMetrics).
 */
/** A place in the default order of logged models: the model after which a page continues. */
export interface LoggedModelPlace {
  readonly creationTimestampMs: number;
  readonly modelId: string;
}

export interface LoggedModelStore {
  create(model: LoggedModel): Promise<void>;
  /** The model, unless missing or deleted. */
  get(modelId: string): Promise<LoggedModel | undefined>;
  /** True when the model was ever created, deleted or not. */
  exists(modelId: string): Promise<boolean>;
  /** The experiment's active models. */
  listByExperiment(experimentId: string): Promise<LoggedModel[]>;
  /**
   * The experiment's active models in search_logged_models' default order (creation time, newest first, then
   * model id), strictly after `after` when given, a page at a time (about `pageSize` models each): a search
   * reads only as far as its page needs. Read from an index: a model created a moment ago may be missing.
   */
  newestFirst(experimentId: string, after?: LoggedModelPlace, pageSize?: number): AsyncIterable<LoggedModel[]>;
  /** Active models by id, as they are now (strongly consistent); missing and deleted ones are left out. */
  getMany(modelIds: readonly string[]): Promise<LoggedModel[]>;
  setStatus(modelId: string, status: LoggedModelStatus, now: number, statusMessage?: string): Promise<void>;
  setTags(modelId: string, tags: { key: string; value: string }[], now: number): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST when the model or the tag is missing. */
  deleteTag(modelId: string, key: string, now: number): Promise<void>;
  logParams(modelId: string, params: { key: string; value: string }[], now: number): Promise<void>;
  softDelete(modelId: string, now: number): Promise<void>;
}

/** The runs search-runs looks at: every run of an experiment, active and deleted, as of now (give or take index lag). */
export interface RunSearchIndex {
  runsOf(experimentId: string): Promise<Run[]>;
}

/**
 * The logged models search_logged_models looks at in any order but the default one, or with a filter: every
 * active model of an experiment, including every write acknowledged before the call.
 */
export interface LoggedModelSearchIndex {
  modelsOf(experimentId: string): Promise<LoggedModel[]>;
}

/** Every port and setting of tracking; each use case takes only the ones it uses (a `Pick`). */
export interface TrackingPorts {
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly metrics: MetricHistoryStore;
  readonly loggedModels: LoggedModelStore;
  readonly runIndex: RunSearchIndex;
  readonly loggedModelIndex: LoggedModelSearchIndex;
  readonly now: () => number;
  /** Root of default experiment artifact locations, MLflow's `--default-artifact-root`. */
  readonly defaultArtifactRoot: string;
  /** Run id → experiment id: it never changes, so it is safe to remember across requests. */
  readonly runExperimentCache: Map<string, string>;
  /** Sorted histories between the pages of a paged get-history read. */
  readonly historySnapshots: HistorySnapshotCache;
}
