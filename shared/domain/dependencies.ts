import type { ExperimentRepository } from '../data/experiments/repository.js';
import type { LoggedModelRepository } from '../data/logged-models/repository.js';
import type { MetricHistoryRepository } from '../data/metrics/repository.js';
import type { RunRepository } from '../data/runs/repository.js';
import type { RunSummaryIndex } from '../data/runs/summary-index.js';
import type { RegistryRepository } from '../data/registry/repository.js';
import type { RegistryEvent, RegistryEventLog } from './registry/events.js';
import type { HistorySnapshotCache } from './tracking/history-snapshots.js';
import type { PromotionPlanner } from './deployments/planner.js';

/** What the use cases need: repositories, a clock and settings. Built once per process. */
export interface TrackingDeps {
  readonly experiments: ExperimentRepository;
  readonly runs: RunRepository;
  readonly metrics: MetricHistoryRepository;
  readonly loggedModels: LoggedModelRepository;
  readonly runIndex: RunSummaryIndex;
  readonly registry: RegistryRepository;
  /** The registry's event log: registry-wide, and one model's events in order. */
  readonly registryEvents: RegistryEventLog & { forModel(modelId: string): Promise<RegistryEvent[]> };
  readonly now: () => number;
  /** Root of default experiment artifact locations, MLflow's `--default-artifact-root`. */
  readonly defaultArtifactRoot: string;
  /** Run id → experiment id: it never changes, so it is safe to remember across requests. */
  readonly runExperimentCache: Map<string, string>;
  /** Sorted histories between the pages of a paged get-history read. */
  readonly historySnapshots: HistorySnapshotCache;
  /** Decides whether an alias or stage change deploys the version (shared/domain/deployments). */
  readonly promotions?: PromotionPlanner;
}

/** MLflow's `append_to_uri_path`: joins with exactly one slash. */
export const appendToUri = (root: string, ...parts: string[]): string =>
  parts.reduce((uri, part) => (uri.endsWith('/') ? `${uri}${part}` : `${uri}/${part}`), root);
