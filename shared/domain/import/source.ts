/**
 * What `npm run import` reads from (issue 15): an MLflow server over its REST API, or an `mlruns` folder of
 * MLflow's file store, seen through one interface so the importer does not care which. Everything a source
 * yields is in MLflow's own terms (ids, timestamps in ms, stages, lifecycle stages), not Cairn's items, and
 * every listing streams (a source may hold millions of metric points).
 */

export type LifecycleStage = 'active' | 'deleted';

export interface SourceTag {
  readonly key: string;
  readonly value: string;
}

export interface SourceExperiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime?: number;
  readonly lastUpdateTime?: number;
  readonly tags: readonly SourceTag[];
}

export interface SourceDatasetInput {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
  readonly tags: readonly SourceTag[];
}

export interface SourceRun {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName?: string;
  readonly userId?: string;
  readonly status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  readonly startTime?: number;
  readonly endTime?: number;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
  readonly params: readonly SourceTag[];
  readonly tags: readonly SourceTag[];
  /** The keys of every metric the run logged (each key's full history comes from metricHistory). */
  readonly metricKeys: readonly string[];
  readonly datasets: readonly SourceDatasetInput[];
  /** Logged models the run took as inputs / produced as outputs (MLflow 3). */
  readonly modelInputs: readonly string[];
  readonly modelOutputs: readonly { modelId: string; step: number }[];
}

/** One metric point; `value` may be NaN or ±Infinity. */
export interface SourceMetricPoint {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
  readonly modelId?: string;
  /** The run that logged the point; set on a logged model's metrics (MLflow records it there). */
  readonly runId?: string;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

export interface SourceLoggedModel {
  readonly modelId: string;
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly sourceRunId?: string;
  readonly status: string;
  readonly statusMessage?: string;
  readonly modelType?: string;
  readonly lifecycleStage: LifecycleStage;
  readonly params: readonly SourceTag[];
  readonly tags: readonly SourceTag[];
  readonly metrics: readonly SourceMetricPoint[];
}

export interface SourceModelVersion {
  readonly version: number;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly userId?: string;
  readonly currentStage: string;
  readonly description?: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly status?: string;
  readonly statusMessage?: string;
  readonly modelId?: string;
  readonly tags: readonly SourceTag[];
  /** A deleted version: both MLflow stores keep it with stage `Deleted_Internal` (REST never shows one). */
  readonly deleted: boolean;
}

export interface SourceRegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly description?: string;
  readonly tags: readonly SourceTag[];
  readonly aliases: readonly { alias: string; version: number }[];
  readonly versions: readonly SourceModelVersion[];
}

export interface SourceArtifact {
  /** Relative to the owner's artifact root, `/`-separated. */
  readonly path: string;
  readonly size: number;
}

export interface ImportSource {
  /** Says what it is, for the progress display: `mlruns folder /x/mlruns`, `MLflow server https://…`. */
  readonly description: string;
  /** Every experiment, deleted ones included. */
  experiments(): AsyncIterable<SourceExperiment>;
  /** Every run of an experiment, deleted ones included. */
  runs(experimentId: string): AsyncIterable<SourceRun>;
  /** Every point of one metric of one run, in pages, in any order. */
  metricHistory(runId: string, key: string): AsyncIterable<readonly SourceMetricPoint[]>;
  /** Every logged model of an experiment, deleted ones included where the source keeps them. */
  loggedModels(experimentId: string): AsyncIterable<SourceLoggedModel>;
  /** Every registered model with its versions. */
  registeredModels(): AsyncIterable<SourceRegisteredModel>;
  /** The files under an artifact root (a run's `artifactUri`, a logged model's `artifactLocation`), recursively. */
  artifacts(rootUri: string): AsyncIterable<SourceArtifact>;
  /** One file's bytes, streamed. */
  readArtifact(rootUri: string, path: string): Promise<NodeJS.ReadableStream>;
  close?(): Promise<void>;
}
