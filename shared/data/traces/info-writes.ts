import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { TraceInfo } from '../../domain/genai/entities.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, toAttributes, type Item } from '../dynamo-ops.js';
import { writeWithMark } from '../snapshots/dirty-marks.js';
import { toTraceInfoItem } from './codec.js';
import { traceInfoKey } from './keys.js';
import { traceWriteLimit } from './limiter.js';
import { TRACE_SNAPSHOT_KIND } from './search-kind.js';

/**
 * Every write of a trace info goes with the trace's dirty mark in one transaction (shared/data/snapshots), so a
 * search that starts after the write was acknowledged sees the mark and re-reads the info strongly consistent,
 * whatever the snapshot holds; a deleted info's mark removes it from the index.
 */
export interface MarkingDb extends DbContext {
  /** Told after each committed write with its mark (npm start's local snapshot feed). */
  readonly onTraceMarked?: ((experimentId: string) => void) | undefined;
}

/** Rounds of a write that collided with another transaction on the same items (TransactionConflict). */
const CONFLICT_ATTEMPTS = 8;

type Outcome = 'written' | 'condition-failed' | 'conflict';

/** `items` and the mark of `traceId` in `experimentId`, in one transaction (writeWithMark: codes keep the offsets of `items`). */
const transactMarked = async (db: MarkingDb, experimentId: string, traceId: string, items: TransactWriteItem[]): Promise<Outcome> => {
  try {
    await traceWriteLimit(db)(() => writeWithMark(db, TRACE_SNAPSHOT_KIND, experimentId, traceId, items, Date.now()));
  } catch (error) {
    if (!isTransactionCanceled(error)) throw error;
    const codes = cancellationCodes(error);
    if (codes.slice(0, items.length).includes('ConditionalCheckFailed')) return 'condition-failed';
    if (codes.includes('TransactionConflict')) return 'conflict';
    throw error;
  }
  db.onTraceMarked?.(experimentId);
  return 'written';
};

/**
 * Writes `info` if the stored revision is still `rev` (or, for a new trace, if none is stored); false otherwise,
 * and when another transaction held the trace at that moment (the caller reads and merges again).
 */
export const writeInfo = async (db: MarkingDb, info: TraceInfo, rev: number | undefined, attempt: number): Promise<boolean> => {
  const put: TransactWriteItem = {
    Put: {
      TableName: db.tableName,
      Item: toAttributes(toTraceInfoItem(info, (rev ?? 0) + 1)),
      ...(rev === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#rev = :rev', ...expression({ '#rev': 'rev' }, { ':rev': rev }) }),
    },
  };
  const outcome = await transactMarked(db, info.experimentId, info.traceId, [put]);
  if (outcome === 'conflict') await backoff(attempt);
  return outcome === 'written';
};

/** The experiment of a stored trace (it never changes while the trace exists); undefined when missing. */
const experimentOf = async (db: DbContext, traceId: string): Promise<string | undefined> => {
  const item = await traceWriteLimit(db)(() => getItem(db, traceInfoKey(traceId)));
  return typeof item?.experimentId === 'string' ? item.experimentId : undefined;
};

/**
 * An update of a stored info with its mark; the mark needs the trace's experiment, read first, and the update
 * checks it is still that one (a trace id deleted and used again elsewhere meanwhile is read again). False when
 * the trace is missing or `condition` fails.
 */
export const updateInfoItem = async (
  db: MarkingDb,
  traceId: string,
  update: string,
  names: Record<string, string>,
  values: Item,
  condition: string,
): Promise<boolean> => {
  let experimentId = await experimentOf(db, traceId);
  for (let attempt = 0; experimentId !== undefined && attempt < CONFLICT_ATTEMPTS; attempt++) {
    const outcome = await transactMarked(db, experimentId, traceId, [
      {
        Update: {
          TableName: db.tableName,
          Key: toAttributes(traceInfoKey(traceId)),
          UpdateExpression: update,
          ConditionExpression: `(${condition}) AND #experimentId = :experimentId`,
          ...expression({ ...names, '#experimentId': 'experimentId' }, { ...values, ':experimentId': experimentId }),
        },
      },
    ]);
    if (outcome === 'written') return true;
    if (outcome === 'conflict') {
      await backoff(attempt);
      continue;
    }
    const now = await experimentOf(db, traceId);
    if (now === experimentId) return false;
    experimentId = now;
  }
  return false;
};

/**
 * Deletes the info item with its mark: the last step of deleting a trace, so a delete cut short leaves the info
 * (and the trace findable, to delete again), and a finished one leaves a mark that takes it out of searches.
 */
export const deleteInfo = async (db: MarkingDb, experimentId: string, traceId: string): Promise<void> => {
  const remove: TransactWriteItem = { Delete: { TableName: db.tableName, Key: toAttributes(traceInfoKey(traceId)) } };
  for (let attempt = 0; attempt < CONFLICT_ATTEMPTS; attempt++) {
    if ((await transactMarked(db, experimentId, traceId, [remove])) === 'written') return;
    await backoff(attempt);
  }
  throw temporarilyUnavailable(`Trace ${traceId} is being changed by other requests; retry later.`);
};
