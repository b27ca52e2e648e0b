import { MlflowError } from '../../errors/index.js';
import { createArtifactRootMap, type ArtifactRootMap } from './artifact-roots.js';
import { createLimiter, type Limiter } from './concurrency.js';
import type {
  CheckpointKind,
  ImportCheckpoint,
  ImportConcurrency,
  ImportConflict,
  ImportCounts,
  ImportOptions,
  ImportPhase,
  ImportTarget,
  ImportWarning,
} from './ports.js';
import type { ImportSource } from './source.js';

/** What every part of one import shares: both ends, the running totals, what was reported, the write limiter. */
export interface ImportContext {
  readonly source: ImportSource;
  readonly target: ImportTarget;
  readonly checkpoint: ImportCheckpoint;
  readonly options: ImportOptions;
  readonly concurrency: ImportConcurrency;
  readonly writes: Limiter;
  readonly counts: ImportCounts;
  readonly conflicts: ImportConflict[];
  readonly warnings: ImportWarning[];
  readonly roots: ArtifactRootMap;
  emit(phase: ImportPhase, item?: string): void;
  conflict(kind: CheckpointKind, id: string, reason: string): void;
  warn(item: string, message: string): void;
}

/** A checkpoint that remembers only this process's work: a first import, or a resume in the same process. */
export const createMemoryCheckpoint = (): ImportCheckpoint => {
  const done = new Set<string>();
  const id = (kind: CheckpointKind, itemId: string) => `${kind}\u0000${itemId}`;
  return {
    isDone: async (kind, itemId) => done.has(id(kind, itemId)),
    markDone: async (kind, itemId) => void done.add(id(kind, itemId)),
  };
};

export const createImportContext = (source: ImportSource, target: ImportTarget, options: ImportOptions): ImportContext => {
  const concurrency: ImportConcurrency = { items: 4, keysPerRun: 4, writes: 8, ...options.concurrency };
  const counts: ImportCounts = {
    experimentsTotal: 0,
    experiments: 0,
    runs: 0,
    loggedModels: 0,
    registeredModels: 0,
    modelVersions: 0,
    metricPoints: 0,
    artifactFiles: 0,
    artifactBytes: 0,
    skipped: 0,
    conflicts: 0,
  };
  const context: ImportContext = {
    source,
    target,
    checkpoint: options.checkpoint ?? createMemoryCheckpoint(),
    options,
    concurrency,
    writes: createLimiter(concurrency.writes),
    counts,
    conflicts: [],
    warnings: [],
    roots: createArtifactRootMap(),
    emit(phase, item) {
      options.onProgress?.({ phase, ...(item === undefined ? {} : { item }), counts: { ...counts } });
    },
    conflict(kind, id, reason) {
      context.conflicts.push({ kind, id, reason });
      counts.conflicts++;
      context.emit(phaseOf(kind), `${kind} ${id}`);
    },
    warn(item, message) {
      context.warnings.push({ item, message });
    },
  };
  return context;
};

const phaseOf = (kind: CheckpointKind): ImportPhase =>
  kind === 'experiment' ? 'experiments' : kind === 'run' ? 'runs' : kind === 'logged-model' ? 'logged-models' : 'registered-models';

/** An error of Cairn's rules (a refused value), as opposed to an outage: the item is reported, the import goes on. */
export const isRefusal = (error: unknown): error is MlflowError => error instanceof MlflowError && error.httpStatus < 500;

/** The source's `since` rule: true when `times` has one at or after `since` (or no `since`). */
export const changedSince = (context: ImportContext, ...times: (number | undefined)[]): boolean => {
  const { since } = context.options;
  return since === undefined || times.some((time) => time !== undefined && time >= since);
};
