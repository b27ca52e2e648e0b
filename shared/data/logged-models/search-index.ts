import type { LoggedModelSearchIndex } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { createSnapshotIndex, type SnapshotIndexOptions } from '../snapshots/snapshot-index.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from './search-kind.js';

export interface LoggedModelSearchIndexOptions extends Omit<SnapshotIndexOptions, 'maxEntities'> {
  /**
   * Logged models kept in memory over all experiments (search-kind.ts states what one costs, by its metric
   * points): past it the least recently searched experiments are dropped, never the one being searched.
   * 100,000 models are about 160 MB with 3 metric points each, 300 MB with 10; the process's memory budget
   * (shared/data/snapshots/memory-budget.ts) counts 2 KB a model over every index.
   * @default 100,000
   */
  readonly maxModels?: number;
}

/**
 * The active logged models of an experiment for search_logged_models: its snapshot plus every model marked
 * dirty since, re-read strongly consistent (shared/data/snapshots/snapshot-index.ts), so a search sees every
 * write acknowledged before it began.
 */
export const createLoggedModelSearchIndex = (db: DbContext, options: LoggedModelSearchIndexOptions = {}) => {
  const { maxModels, ...rest } = options;
  const index = createSnapshotIndex(db, LOGGED_MODEL_SNAPSHOT_KIND, { ...rest, maxEntities: maxModels ?? 100_000 });
  return {
    modelsOf: (experimentId: string) => index.entitiesOf(experimentId),
    /** Models held in memory, per experiment: what the bound counts. */
    heldModels: () => index.held(),
  } satisfies LoggedModelSearchIndex & Record<string, unknown>;
};
