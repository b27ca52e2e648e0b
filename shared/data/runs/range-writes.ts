import { UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MetricPoint, MetricRange } from '../../domain/tracking/entities.js';
import { rangeOfValues } from '../../domain/tracking/metric-ranges.js';
import type { RunScope } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, send, toAttributes, type Item } from '../dynamo-ops.js';
import { transactWithMark } from './dirty-marks.js';
import { toMetricBoundItem, type RangeSide } from './codec.js';
import type { WriteUnit } from './run-writes.js';

/**
 * Cairn's min and max per run and metric key, kept on write as the latest value is: for each key of a
 * request, in the request's transaction, an update of `MN#<key>` that holds only if the stored rank is
 * higher (a lower min) and one of `MX#<key>` that holds only if it is lower (a higher max). A failed
 * condition drops only that update, as it does for the latest value; a retried request changes nothing.
 * Two items, not attributes of `L#<key>`: one transaction may touch an item once, and each end has its
 * own condition.
 */

const MAX_KNOWN = 20_000;

/**
 * Bounds this process knows to hold in the table, per run and key: the stored min is at most `min`, the
 * stored max at least `max` (ranges are monotone, so this stays true whatever other writers do). An update
 * that cannot win is then not sent: without this, nearly every point of a training loop would fail the max
 * (or min) condition and cost a second transaction.
 */
export const createKnownRanges = () => {
  const known = new Map<string, { min: string; max: string }>();
  const id = (runId: string, key: string) => `${runId}\u0000${key}`;
  return {
    get: (runId: string, key: string) => known.get(id(runId, key)),
    /** Records that the table holds at most `min` / at least `max` (as ranks). */
    settle(runId: string, key: string, side: RangeSide, rank: string) {
      const at = id(runId, key);
      const current = known.get(at) ?? { min: rank, max: rank };
      if (side === 'min' && rank < current.min) current.min = rank;
      if (side === 'max' && rank > current.max) current.max = rank;
      known.delete(at);
      known.set(at, current);
      if (known.size > MAX_KNOWN) known.delete(known.keys().next().value as string);
    },
  };
};
export type KnownRanges = ReturnType<typeof createKnownRanges>;

/** The min and max updates of a request's points, leaving out those `known` says cannot win. */
export const rangeUnits = (db: DbContext, scope: RunScope, metrics: MetricPoint[], now: number, known?: KnownRanges): WriteUnit[] => {
  const valuesByKey = new Map<string, number[]>();
  for (const point of metrics) {
    const values = valuesByKey.get(point.key);
    if (values) values.push(point.value);
    else valuesByKey.set(point.key, [point.value]);
  }
  const units: WriteUnit[] = [];
  for (const [key, values] of valuesByKey) {
    const range = rangeOfValues(values) as MetricRange;
    const stored = known?.get(scope.runId, key);
    for (const side of ['min', 'max'] as const) {
      const item = toMetricBoundItem(scope, side, key, range[side], now);
      const rank = String(item.rank);
      if (stored && (side === 'min' ? stored.min <= rank : stored.max >= rank)) continue;
      units.push({
        items: [boundUpdate(db, item, side)],
        onConditionFailed: 'drop',
        // Written or dropped, the stored bound is now at least as good as this one.
        settled: () => known?.settle(scope.runId, key, side, rank),
      });
    }
  }
  return units;
};

/** An update setting every attribute of `item` but its key (so a `complete` mark on the stored item stays). */
const updateOf = (db: DbContext, item: Item, condition: string, conditionValues: Item = {}) => {
  const { pk, sk, ...attributes } = item;
  const fields = Object.keys(attributes);
  return {
    TableName: db.tableName,
    Key: toAttributes({ pk, sk }),
    UpdateExpression: `SET ${fields.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
    ConditionExpression: condition,
    ...expression(
      Object.fromEntries(fields.map((field, i) => [`#a${i}`, field])),
      { ...Object.fromEntries(fields.map((field, i) => [`:a${i}`, attributes[field]])), ...conditionValues },
    ),
  };
};

/** `rank` is always the first attribute after the key in a bound item's update (#a… names follow the item's fields). */
const boundUpdateInput = (db: DbContext, item: Item, side: RangeSide) => {
  const { pk, sk, rank, ...rest } = item;
  return updateOf(db, { pk, sk, rank, ...rest }, `attribute_not_exists(pk) OR #a0 ${side === 'min' ? '>' : '<'} :bound`, { ':bound': rank });
};

const boundUpdate = (db: DbContext, item: Item, side: RangeSide): TransactWriteItem => ({ Update: boundUpdateInput(db, item, side) });

/**
 * Stores ranges read from whole histories (runs whose min and max items predate them, or miss them): each
 * end is replaced when the history's is better, and marked `complete` either way, since the stored one
 * then holds every point too (points written after the history was read went through the conditional
 * updates above). Runs concurrently with writers; no write is lost in any order.
 */
export const fillMetricRanges = async (db: DbContext, scope: RunScope, ranges: Record<string, MetricRange>, now: number) => {
  await Promise.all(
    Object.entries(ranges).flatMap(([key, range]) =>
      (['min', 'max'] as const).map((side) => fillBound(db, toMetricBoundItem(scope, side, key, range[side], now), side)),
    ),
  );
  // After the fill, not with it: a mark lost to a crash only means a later search reads the history again.
  if (Object.keys(ranges).length > 0) await transactWithMark(db, [], scope, now);
};

const fillBound = async (db: DbContext, item: Item, side: RangeSide) => {
  try {
    await send(() => db.client.send(new UpdateItemCommand(boundUpdateInput(db, { ...item, complete: true }, side))));
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { pk, sk, updatedAt, gsi2sk } = item;
    const mark = updateOf(db, { pk, sk, updatedAt, gsi2sk, complete: true }, 'attribute_exists(pk)');
    await send(() => db.client.send(new UpdateItemCommand(mark)));
  }
};
