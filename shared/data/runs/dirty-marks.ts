import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { RunScope } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { writeWithMark } from '../snapshots/dirty-marks.js';
import { RUN_SNAPSHOT_KIND } from './search-kind.js';

/**
 * The table a run write goes to, and who is told once the write and its mark are committed: under `npm start`
 * that is the local snapshot feed (shared/data/snapshots/local-feed.ts), what the table's stream is in AWS.
 */
export interface MarkingDb extends DbContext {
  readonly onRunMarked?: (experimentId: string) => void;
  /** Told, with the model's experiment, once a run write appended a logged model's points and its mark. */
  readonly onLoggedModelMarked?: (experimentId: string) => void;
}

/**
 * Writes `items` and the run's dirty mark ("this run changed since the snapshot") in one transaction, then
 * tells the feed. Every change of what search-runs sees of a run goes through here.
 */
export const transactWithMark = async (db: MarkingDb, items: TransactWriteItem[], scope: RunScope, now: number): Promise<void> => {
  await writeWithMark(db, RUN_SNAPSHOT_KIND, scope.experimentId, scope.runId, items, now);
  db.onRunMarked?.(scope.experimentId);
};
