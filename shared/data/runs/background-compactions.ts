import type { DbContext } from '../db-context.js';
import { compactRunSnapshot } from './snapshot-compactor.js';

/**
 * Rebuilds due snapshots in this process, one experiment at a time each, never blocking the search that
 * found it due: how `npm start` keeps snapshots current without the table's stream. A failure is logged and
 * retried by the next search that finds the snapshot due.
 */
export const backgroundCompactions = (db: DbContext, logError: (error: unknown) => void = console.error) => {
  const running = new Set<string>();
  return (experimentId: string) => {
    if (running.has(experimentId)) return;
    running.add(experimentId);
    void compactRunSnapshot(db, experimentId)
      .catch(logError)
      .finally(() => running.delete(experimentId));
  };
};
