import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { send } from '../dynamo-ops.js';
import { dirtyMark } from './dirty-marks.js';
import type { SnapshotKind } from './kind.js';

/**
 * The id of the mark that asks for a rebuild: no entity has it (run, trace and model ids never hold `~`), so a
 * re-read finds nothing, and a rebuild folds it in as "gone" and clears it.
 */
export const REBUILD_REQUEST_ID = '~rebuild';

/** A process asks again for the same experiment only after this long (a rebuild of 100,000 runs takes seconds). */
const ASK_AGAIN_AFTER_MS = 60_000;

/**
 * How a search asks the table's stream for a rebuild in AWS, where it cannot run one after answering (a Lambda
 * is frozen between requests): it writes a dirty mark of its own, whose INSERT reaches the stream consumer like
 * any mark. What this is for: an experiment with no snapshot and no new writes (written before snapshots
 * existed, or whose stream trigger was lost) would otherwise be read whole by every cold search, forever.
 */
export const streamRebuildRequests = <T>(db: DbContext, kind: SnapshotKind<T>, now: () => number = Date.now) => {
  const asked = new Map<string, number>();
  return async (experimentId: string): Promise<void> => {
    const at = now();
    if ((asked.get(experimentId) ?? Number.NEGATIVE_INFINITY) > at - ASK_AGAIN_AFTER_MS) return;
    asked.set(experimentId, at);
    if (asked.size > 10_000) asked.delete(asked.keys().next().value as string);
    const { Put } = dirtyMark(db, kind, experimentId, REBUILD_REQUEST_ID, at);
    await send(() => db.client.send(new PutItemCommand({ TableName: db.tableName, Item: Put?.Item })));
  };
};
