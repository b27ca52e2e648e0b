import { randomBytes } from 'node:crypto';
import { PutItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuditLog } from '../../domain/auth/ports.js';
import { invalidParameter } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { expression, fromAttributes, send, toAttributes, type Item } from '../dynamo-ops.js';
import { fromAuditItem, toAuditItem } from './codec.js';
import { auditDayBefore, auditDayOf, auditDayPartition, auditKeyOfSortKey, auditSortFloor } from './keys.js';

export interface AuditLogOptions {
  /** How long entries are listed and kept (DynamoDB's TTL deletes them some time after). */
  readonly retentionDays: number;
  /** Where a failed write goes: recording never fails the request it describes. */
  readonly logError?: (error: unknown) => void;
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;
/** Writers stamp entries with their own clocks: a listing starts this far past its own now. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** A listing reads at most this many day partitions at once (after runs of empty days). */
const MAX_DAYS_AT_ONCE = 32;

/**
 * The audit log on the table: one item per entry, in a partition per UTC day. `list` walks the days from the
 * newest (or from the cursor's day) back to `since` or the retention, whichever is later, with the bound in the
 * key condition so entries past retention that TTL has not deleted yet are never read. Empty days are read
 * several at a time, doubling after each empty batch, so a sparse log's last page costs a few round trips,
 * not one per day of retention. The cursor is the sort key of the last entry answered.
 */
export const createAuditLog = (db: DbContext, options: AuditLogOptions): AuditLog => {
  const { retentionDays } = options;
  if (!Number.isSafeInteger(retentionDays) || retentionDays < 1) throw new Error(`audit retention must be a whole number of days, got ${retentionDays}`);
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: audit entry not recorded', error));

  /** Up to `need` entries of one day, newest first, below `startKey` and at or above `floor`. */
  const readDay = async (day: string, floor: string, need: number, startKey?: Record<string, AttributeValue>): Promise<Item[]> => {
    const items: Item[] = [];
    let exclusiveStartKey = startKey;
    do {
      const page = await send(() =>
        db.client.send(
          new QueryCommand({
            TableName: db.tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :floor',
            ScanIndexForward: false,
            Limit: need - items.length,
            ConsistentRead: true,
            ExclusiveStartKey: exclusiveStartKey,
            ...expression({}, { ':pk': auditDayPartition(day), ':floor': floor }),
          }),
        ),
      );
      items.push(...(page.Items ?? []).map(fromAttributes));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey && items.length < need);
    return items;
  };

  return {
    async record(entry) {
      try {
        const item = toAuditItem(entry, randomBytes(4).toString('hex'), retentionDays);
        await send(() => db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(item) })));
      } catch (error) {
        logError(error);
      }
    },

    async list({ since, limit, cursor }) {
      const at = now();
      const floorMs = Math.max(since ?? 0, at - retentionDays * DAY_MS);
      const after = cursor === undefined ? undefined : auditKeyOfSortKey(cursor);
      // A cursor past the listing's own start was never answered: refused, not walked day by day.
      if (cursor !== undefined && (!after || after.atMs > at + CLOCK_SKEW_MS)) throw invalidParameter('Invalid page token: its position is not valid.');
      if (after && after.atMs < floorMs) return { entries: [] };

      const floor = auditSortFloor(floorMs);
      const lastDay = auditDayOf(floorMs);
      let day = auditDayOf(after ? after.atMs : at + CLOCK_SKEW_MS);
      let startKey = after ? toAttributes({ pk: after.pk, sk: after.sk }) : undefined;
      let batch = 1;
      // One more than asked, to know whether a next page exists.
      const found: Item[] = [];
      while (found.length <= limit && day >= lastDay) {
        const days: string[] = [];
        for (; days.length < batch && day >= lastDay; day = auditDayBefore(day)) days.push(day);
        const need = limit + 1 - found.length;
        const read = await Promise.all(days.map((d, i) => readDay(d, floor, need, i === 0 ? startKey : undefined)));
        startKey = undefined;
        for (const items of read) found.push(...items);
        batch = read.every((items) => items.length === 0) ? Math.min(batch * 2, MAX_DAYS_AT_ONCE) : 1;
      }
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return {
        entries: page.map(fromAuditItem),
        ...(found.length > limit && last ? { cursor: String(last.sk) } : {}),
      };
    },
  };
};
