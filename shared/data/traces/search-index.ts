import type { TraceSearchIndex } from '../../domain/genai/ports.js';
import type { DbContext } from '../db-context.js';
import { createSnapshotIndex, type SnapshotIndexOptions } from '../snapshots/snapshot-index.js';
import { TRACE_SNAPSHOT_KIND } from './search-kind.js';

export interface TraceSearchIndexOptions extends Omit<SnapshotIndexOptions, 'maxEntities'> {
  /**
   * Trace infos kept in memory over all experiments (see search-kind.ts for what one costs): past it the least
   * recently searched experiments are dropped, never the one being searched. 200,000 infos are about 140 MB,
   * on top of the run index's own bound: the process must have room for both. @default 200,000
   */
  readonly maxInfos?: number;
}

/**
 * The trace infos of an experiment for search-traces: its snapshot plus every info marked dirty since, re-read
 * strongly consistent (shared/data/snapshots/snapshot-index.ts), so a search sees every write acknowledged
 * before it began.
 */
export const createTraceSearchIndex = (db: DbContext, options: TraceSearchIndexOptions = {}) => {
  const { maxInfos, ...rest } = options;
  const index = createSnapshotIndex(db, TRACE_SNAPSHOT_KIND, { ...rest, maxEntities: maxInfos ?? 200_000 });
  return {
    infosOf: (experimentId: string) => index.entitiesOf(experimentId),
    /** Infos held in memory, per experiment: what the bound counts. */
    heldInfos: () => index.held(),
  } satisfies TraceSearchIndex & Record<string, unknown>;
};
