import type { ArtifactDeps } from '../artifacts/artifacts.js';
import type { TrackingDeps } from '../dependencies.js';
import type { ArtifactRootMap } from './artifact-roots.js';
import type { ImportSource } from './source.js';
import type { ImportDifference } from './verify-compare.js';

/**
 * What `--verify` reads Cairn through: the same stores the importer writes with (ports.ts's ImportTarget), plus
 * the run listing that counts an experiment's runs.
 */
export interface VerifyTarget {
  readonly tracking: Pick<TrackingDeps, 'experiments' | 'runs' | 'metrics' | 'loggedModels' | 'registry' | 'runIndex'>;
  readonly artifacts: Pick<ArtifactDeps, 'store' | 's3'>;
}

export interface VerifyOptions {
  /** The selection the import was made with (ports.ts's ImportOptions say how each part selects). */
  readonly experimentIds?: readonly string[];
  readonly modelNames?: readonly string[];
  readonly since?: number;
  /** Told each item's differences as soon as the item is compared. */
  readonly onDifferences?: (differences: readonly ImportDifference[]) => void;
  readonly onProgress?: (counts: Readonly<VerifyCounts>) => void;
  /** Runs (and logged models, registered models) compared at once. @default 4 */
  readonly concurrency?: number;
}

/** What was compared so far, on the source's side. */
export interface VerifyCounts {
  experimentsTotal: number;
  experiments: number;
  runs: number;
  metricPoints: number;
  artifactFiles: number;
  artifactBytes: number;
  loggedModels: number;
  registeredModels: number;
  modelVersions: number;
  differences: number;
}

export interface VerifyReport {
  readonly counts: Readonly<VerifyCounts>;
  readonly differences: readonly ImportDifference[];
}

export interface VerifyContext {
  readonly source: ImportSource;
  readonly target: VerifyTarget;
  readonly options: VerifyOptions;
  readonly counts: VerifyCounts;
  readonly roots: ArtifactRootMap;
  readonly concurrency: number;
  report(differences: readonly ImportDifference[]): void;
  emit(): void;
}

/** The importer's `since` rule (context.ts): one of `times` at or after `since`, or no `since`. */
export const selectedSince = (context: VerifyContext, ...times: (number | undefined)[]): boolean => {
  const { since } = context.options;
  return since === undefined || times.some((time) => time !== undefined && time >= since);
};
