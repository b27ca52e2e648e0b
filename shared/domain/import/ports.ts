import type { ArtifactDeps } from '../artifacts/artifacts.js';
import type { TrackingDeps } from '../dependencies.js';

/**
 * What the importer (issue 15) writes into and remembers. Metadata goes only through the domain's own stores
 * (the same repositories the API uses, so every rule of the data layer holds for imported items); files go to
 * the artifact store under the keys the API reads them from.
 */

/** Cairn as the importer sees it: the tracking and registry stores, and the artifact store. */
export interface ImportTarget {
  readonly tracking: Pick<TrackingDeps, 'experiments' | 'runs' | 'loggedModels' | 'registry' | 'now' | 'defaultArtifactRoot'>;
  readonly artifacts: Pick<ArtifactDeps, 'store' | 's3'>;
}

export type CheckpointKind = 'experiment' | 'run' | 'logged-model' | 'registered-model';

/**
 * Which items earlier attempts of the same import finished, so a resumed import skips them without reading
 * their data again. Marked only once an item is wholly written (its lifecycle included); an item written
 * halfway is simply written again, which the stores make safe (content-addressed metric chunks, params put
 * only if equal, versions compared). Implementations: functions/import/checkpoints.ts (in memory, JSON lines).
 */
export interface ImportCheckpoint {
  isDone(kind: CheckpointKind, id: string): Promise<boolean>;
  /** Durable once it resolves. */
  markDone(kind: CheckpointKind, id: string): Promise<void>;
}

export interface ImportOptions {
  /** Where finished items are remembered; default: in memory (nothing is skipped on a first import). */
  readonly checkpoint?: ImportCheckpoint;
  /**
   * Only these experiments (their runs and logged models). With `modelNames` alone, no experiment is imported;
   * with `experimentIds` alone, no registered model: a selection names every part it wants.
   */
  readonly experimentIds?: readonly string[];
  /** Only these registered models (with every version). */
  readonly modelNames?: readonly string[];
  /**
   * Only what changed at or after this time (ms): runs started or ended, logged models and registered models
   * updated, experiments created or updated (an older experiment is still created when one of its runs or
   * models is selected).
   */
  readonly since?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly concurrency?: Partial<ImportConcurrency>;
}

export interface ImportConcurrency {
  /** Runs (and logged models, registered models) written at once. @default 4 */
  readonly items: number;
  /** Metric keys of one run read from the source at once. @default 4 */
  readonly keysPerRun: number;
  /** Store writes in flight at once, over the whole import (metric batches, artifact files). @default 8 */
  readonly writes: number;
}

export type ImportPhase = 'experiments' | 'runs' | 'metrics' | 'artifacts' | 'logged-models' | 'registered-models' | 'done';

export interface ImportCounts {
  /** Source experiments selected (known once the source listed them). */
  experimentsTotal: number;
  experiments: number;
  runs: number;
  loggedModels: number;
  registeredModels: number;
  modelVersions: number;
  metricPoints: number;
  artifactFiles: number;
  artifactBytes: number;
  /** Items an earlier attempt finished (checkpoint), not read again. */
  skipped: number;
  conflicts: number;
}

/** One event per written piece (an item, a batch of metric points, a file); `counts` are running totals. */
export interface ImportProgress {
  readonly phase: ImportPhase;
  /** What the event is about: `run <id>`, `experiment <id>`, `model <name>`. */
  readonly item?: string;
  readonly counts: Readonly<ImportCounts>;
}

/** Something already in Cairn that the source would overwrite: reported, and the item skipped. */
export interface ImportConflict {
  readonly kind: CheckpointKind;
  /** The source's id (experiment id, run id, logged model id, registered model name). */
  readonly id: string;
  readonly reason: string;
}

/** Something the importer could not carry over exactly and left as it says (a file with a path Cairn refuses). */
export interface ImportWarning {
  readonly item: string;
  readonly message: string;
}

export interface ImportSummary {
  readonly counts: Readonly<ImportCounts>;
  readonly conflicts: readonly ImportConflict[];
  readonly warnings: readonly ImportWarning[];
}
