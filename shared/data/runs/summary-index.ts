import type { RunSearchIndex } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { createSnapshotIndex, type SnapshotIndexOptions } from '../snapshots/snapshot-index.js';
import { RUN_SNAPSHOT_KIND } from './search-kind.js';

export interface RunSummaryIndexOptions extends Omit<SnapshotIndexOptions, 'maxEntities'> {
  /**
   * Runs kept in memory over all experiments (about 2 KB each with 3 params, 3 metrics and a few tags; see
   * `npm run bench:scale`): past it the least recently searched experiments are dropped, never the one being
   * searched. @default 300,000 (about 600 MB)
   */
  readonly maxRuns?: number;
}

/**
 * The runs of an experiment for search-runs: its snapshot plus every run marked dirty since, re-read strongly
 * consistent (shared/data/snapshots/snapshot-index.ts), so a search sees every write acknowledged before it
 * began, whatever the writer's clock or latency.
 */
export const createRunSummaryIndex = (db: DbContext, options: RunSummaryIndexOptions = {}) => {
  const { maxRuns, ...rest } = options;
  const index = createSnapshotIndex(db, RUN_SNAPSHOT_KIND, { ...rest, maxEntities: maxRuns ?? 300_000 });
  return {
    /** Every run of the experiment (active and deleted), including every write acknowledged before the call. */
    runsOf: (experimentId: string) => index.entitiesOf(experimentId),
    /** Runs held in memory, per experiment: what the bound counts. */
    heldRuns: () => index.held(),
  } satisfies RunSearchIndex & Record<string, unknown>;
};
