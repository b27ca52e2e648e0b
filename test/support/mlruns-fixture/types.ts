/** The compact description of an mlruns folder that `writeMlruns` (../mlruns-fixture.ts) lays out. */

export type FixtureRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type FixtureFiles = Record<string, string | Uint8Array>;

export interface FixturePoint {
  readonly timestamp: number;
  readonly value: number;
  readonly step: number;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
  /** The value exactly as written, when not Python's `str(float)` of `value` (an int logged as `5`). */
  readonly text?: string;
}

export interface FixtureModelPoint extends FixturePoint {
  readonly runId: string;
}

export interface FixtureDataset {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
  readonly tags?: Record<string, string>;
}

export interface FixtureRun {
  readonly id: string;
  readonly name?: string;
  readonly userId?: string;
  readonly status?: FixtureRunStatus;
  readonly startTime: number;
  readonly endTime?: number;
  readonly deleted?: boolean;
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
  readonly metrics?: Record<string, readonly FixturePoint[]>;
  readonly datasets?: readonly FixtureDataset[];
  readonly modelInputs?: readonly string[];
  readonly modelOutputs?: readonly { modelId: string; step: number }[];
  readonly artifacts?: FixtureFiles;
  /** meta.yaml as MLflow 1.x wrote it: an int experiment_id, no run_name, no lifecycle_stage. */
  readonly legacyMeta?: boolean;
}

export interface FixtureLoggedModel {
  readonly id: string;
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp?: number;
  readonly sourceRunId?: string;
  readonly status?: 'PENDING' | 'READY' | 'FAILED';
  readonly statusMessage?: string;
  readonly modelType?: string;
  readonly deleted?: boolean;
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
  readonly metrics?: Record<string, readonly FixtureModelPoint[]>;
  readonly artifacts?: FixtureFiles;
}

export interface FixtureExperiment {
  readonly id: string;
  readonly name: string;
  readonly creationTime: number;
  readonly lastUpdateTime?: number;
  /** Recorded artifact location; by default the folder's own file URI plus the id, as MLflow records it. */
  readonly artifactLocation?: string;
  readonly deleted?: boolean;
  readonly tags?: Record<string, string>;
  readonly runs?: readonly FixtureRun[];
  readonly loggedModels?: readonly FixtureLoggedModel[];
}

export interface FixtureModelVersion {
  readonly version: number;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp?: number;
  readonly userId?: string;
  /** None, Staging, Production, Archived; a deleted version gets MLflow's `Deleted_Internal`. */
  readonly stage?: string;
  readonly description?: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly modelId?: string;
  readonly tags?: Record<string, string>;
  readonly deleted?: boolean;
}

export interface FixtureRegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp?: number;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  readonly aliases?: Record<string, number>;
  readonly versions: readonly FixtureModelVersion[];
}

export interface MlrunsFixture {
  readonly experiments: readonly FixtureExperiment[];
  readonly registeredModels?: readonly FixtureRegisteredModel[];
}
