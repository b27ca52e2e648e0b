import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { RUN_NAME_TAG, type MetricPoint } from '../../domain/tracking/entities.js';
import { compareMetricRank, sortAndDeduplicate } from '../../domain/tracking/metric-points.js';
import { ParamValuesChanged, type ParamConflict, type RunScope, type RunWrites } from '../../domain/tracking/ports.js';
import { runNotActive, runNotFound } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { batchGet, expression, getItem, toAttributes } from '../dynamo-ops.js';
import { loggedModelMark, type ModelExperiments } from '../logged-models/marks.js';
import { appendModelMetrics } from '../logged-models/writes.js';
import { MAX_POINTS_PER_CHUNK, toChunkItem, type ChunkExtras } from '../metrics/chunk-codec.js';
import { toLatestMetricItem, toParamItem, toTagItem } from './codec.js';
import { transactWithMark, type MarkingDb } from './dirty-marks.js';
import { runChangeIndexKey, runKey, runParamKey } from './keys.js';
import { rangeUnits, type KnownRanges } from './range-writes.js';

/**
 * DynamoDB allows 100 items per transaction; one is the run's lifecycle check, one its dirty mark. A logged
 * model's points are a unit of two items (the append and the model's own mark), counted as such by `pack`.
 */
const MAX_WRITES_PER_TRANSACTION = 98;

export interface WriteUnit {
  items: TransactWriteItem[];
  /**
   * What a failed condition of this unit means. `param`: the param is stored with another value, so the
   * request is refused. `drop`: the unit is not needed (a latest value of higher rank is stored already, a
   * logged model is missing or deleted), so it is left out and the rest is written again.
   */
  onConditionFailed?: { param: string } | 'drop';
  /** Called once the transaction holding the unit went through, the unit written or dropped. */
  settled?: () => void;
}

/**
 * The write engine of a run: params, tags, metric points, a new name and the points of logged models of
 * one request, in one transaction with one check that the run is active (and so in one round trip for a
 * log-metric or a log-batch of up to 99 items), safely under concurrency and retries:
 * - the first item checks that the run is active, so nothing lands on a deleted run; a new name is that
 *   item itself (an update of the run item under the same condition: one item cannot be touched twice);
 * - a param is put only if absent or equal (immutable params without reading first);
 * - metric points go into content-addressed chunks, so a retried request rewrites the same chunk;
 * - the latest value of a key is replaced only by a point of higher rank, checked by DynamoDB, and its min and
 *   max only by a lower and a higher value (range-writes.ts; `known` skips updates that cannot win);
 * - a logged model's points are appended only while the model is active, with the model's dirty mark (its
 *   search snapshot, shared/data/logged-models/search-kind.ts); a model never created is left out.
 * A write of more than 99 items is split over several transactions, each with its own check; its params are
 * then checked before the first, so a changed param still refuses the whole request.
 */
export const writeRunData = async (
  db: MarkingDb,
  scope: RunScope,
  writes: RunWrites,
  now: number,
  modelExperiments: ModelExperiments,
  known?: KnownRanges,
): Promise<void> => {
  const params = writes.params ?? [];
  const tags = dedupeTags(writes.runName === undefined ? writes.tags ?? [] : [...(writes.tags ?? []), { key: RUN_NAME_TAG, value: writes.runName }]);
  // A new name's tag goes first, so it lands in the first transaction with the rename (renameRun): split over
  // several, the name and its tag could otherwise be set apart, and another writer's rename come in between.
  const nameFirst = [...tags.filter((t) => t.key === RUN_NAME_TAG && writes.runName !== undefined), ...tags.filter((t) => t.key !== RUN_NAME_TAG || writes.runName === undefined)];
  const units = [
    ...nameFirst.map((t) => ({ items: [put(db, toTagItem(scope, t.key, t.value, now))] })),
    ...params.map((p) => paramUnit(db, scope, p.key, p.value, now)),
    ...metricUnits(db, scope, writes.metrics ?? [], now),
    ...rangeUnits(db, scope, writes.metrics ?? [], now, known),
    ...(await modelMetricUnits(db, writes.modelMetrics ?? [], now, modelExperiments)),
  ];
  const batches = pack(units);
  if (batches.length > 1 && params.length > 0) {
    const conflicts = await findParamConflicts(db, scope, params);
    if (conflicts.length > 0) throw new ParamValuesChanged(scope.runId, conflicts);
  }
  for (const [index, batch] of batches.entries()) {
    const first = index === 0 && writes.runName !== undefined ? renameRun(db, scope, writes.runName, now) : activeRunCheck(db, scope.runId);
    const conflictKey = await writeBatch(db, scope, first, batch, now);
    if (conflictKey !== undefined) throw new ParamValuesChanged(scope.runId, await findParamConflicts(db, scope, params));
    for (const unit of batch) unit.settled?.();
  }
};

/**
 * Each model's points with its dirty mark, one unit (both dropped if the model is deleted). A model never
 * created is left out, as its append would be dropped; the feed is told once the transaction went through.
 */
const modelMetricUnits = async (
  db: MarkingDb,
  modelMetrics: NonNullable<RunWrites['modelMetrics']>,
  now: number,
  modelExperiments: ModelExperiments,
): Promise<WriteUnit[]> => {
  const units = await Promise.all(
    modelMetrics.map(async (m): Promise<WriteUnit | undefined> => {
      const experimentId = await modelExperiments(m.modelId);
      if (experimentId === undefined) return undefined;
      return {
        items: [appendModelMetrics(db, m.modelId, m.points, now), loggedModelMark(db, experimentId, m.modelId, now)],
        onConditionFailed: 'drop',
        settled: () => db.onLoggedModelMarked?.(experimentId),
      };
    }),
  );
  return units.filter((unit) => unit !== undefined);
};

/** The active check that also renames: the run item's name and change-feed stamp, as an update-run writes them. */
const renameRun = (db: DbContext, scope: RunScope, name: string, now: number): TransactWriteItem => ({
  Update: {
    TableName: db.tableName,
    Key: toAttributes(runKey(scope.runId)),
    UpdateExpression: 'SET runName = :name, updatedAt = :now, gsi2sk = :gsi2sk',
    ConditionExpression: 'lifecycleStage = :active',
    ...expression(
      {},
      {
        ':name': name,
        ':now': now,
        ':gsi2sk': runChangeIndexKey(scope.experimentId, scope.runId, now).gsi2sk,
        ':active': 'active',
      },
    ),
  },
});

const put = (
  db: DbContext,
  item: Record<string, unknown>,
  condition?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
) => ({
  Put: {
    TableName: db.tableName,
    Item: toAttributes(item),
    ...(condition ? { ConditionExpression: condition.expression, ...expression(condition.names, condition.values) } : {}),
  },
});

const paramUnit = (db: DbContext, scope: RunScope, key: string, value: string, now: number): WriteUnit => ({
  onConditionFailed: { param: key },
  items: [
    put(db, toParamItem(scope, key, value, now), {
      expression: 'attribute_not_exists(pk) OR #value = :value',
      names: { '#value': 'value' },
      values: { ':value': value },
    }),
  ],
});

const dedupeTags = (tags: { key: string; value: string }[]) => [...new Map(tags.map((t) => [t.key, t])).values()];

const metricUnits = (db: DbContext, scope: RunScope, metrics: MetricPoint[], now: number): WriteUnit[] => {
  const groups = new Map<string, { key: string; extras: ChunkExtras; points: MetricPoint[] }>();
  for (const point of metrics) {
    const extras: ChunkExtras = { modelId: point.modelId, datasetName: point.datasetName, datasetDigest: point.datasetDigest };
    const id = JSON.stringify([point.key, extras.modelId, extras.datasetName, extras.datasetDigest]);
    const group = groups.get(id) ?? { key: point.key, extras: withoutUndefined(extras), points: [] };
    group.points.push(point);
    groups.set(id, group);
  }
  const units: WriteUnit[] = [];
  const best = new Map<string, MetricPoint>();
  for (const group of groups.values()) {
    const points = sortAndDeduplicate(group.points);
    for (let offset = 0; offset < points.length; offset += MAX_POINTS_PER_CHUNK) {
      const chunk = points.slice(offset, offset + MAX_POINTS_PER_CHUNK);
      units.push({ items: [put(db, toChunkItem(scope.runId, group.key, group.extras, chunk, now))] });
    }
    for (const point of points) {
      const current = best.get(point.key);
      if (!current || compareMetricRank(point, current) > 0) best.set(point.key, point);
    }
  }
  for (const point of best.values()) {
    const item = toLatestMetricItem(scope, point, now);
    units.push({
      onConditionFailed: 'drop',
      items: [
        put(db, item, { expression: 'attribute_not_exists(pk) OR #rank < :rank', names: { '#rank': 'rank' }, values: { ':rank': item.rank } }),
      ],
    });
  }
  return units;
};

const withoutUndefined = (extras: ChunkExtras): ChunkExtras =>
  Object.fromEntries(Object.entries(extras).filter(([, v]) => v !== undefined)) as ChunkExtras;

const pack = (units: WriteUnit[]): WriteUnit[][] => {
  const batches: WriteUnit[][] = [];
  let current: WriteUnit[] = [];
  let size = 0;
  for (const unit of units) {
    if (size + unit.items.length > MAX_WRITES_PER_TRANSACTION) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(unit);
    size += unit.items.length;
  }
  if (current.length > 0 || batches.length === 0) batches.push(current);
  return batches;
};

/** Writes one transaction's worth after `first` (the active check); returns the key of a changed param instead of writing anything. */
const writeBatch = async (
  db: DbContext,
  scope: RunScope,
  first: TransactWriteItem,
  units: WriteUnit[],
  now: number,
): Promise<string | undefined> => {
  let pending = units;
  for (let attempt = 0; ; attempt++) {
    const items = pending.flatMap((unit) => unit.items);
    try {
      await transactWithMark(db, [first, ...items], scope, now);
      return undefined;
    } catch (error) {
      if (!isTransactionCanceled(error) || attempt >= 20) throw error;
      const failed = failedUnits(pending, cancellationCodes(error));
      if (failed.runCheck) throw await inactiveRunError(db, scope.runId);
      if (failed.param !== undefined) return failed.param;
      // Units whose condition says they are not needed are dropped and the rest is written again. Other
      // cancellations (conflicts with concurrent transactions) are simply retried.
      pending = pending.filter((unit) => !failed.dropped.has(unit));
    }
  }
};

const failedUnits = (units: WriteUnit[], codes: (string | undefined)[]) => {
  const dropped = new Set<WriteUnit>();
  let param: string | undefined;
  let index = 1;
  for (const unit of units) {
    const failed = unit.items.some((_, offset) => codes[index + offset] === 'ConditionalCheckFailed');
    if (failed && unit.onConditionFailed === 'drop') dropped.add(unit);
    if (failed && typeof unit.onConditionFailed === 'object') param ??= unit.onConditionFailed.param;
    index += unit.items.length;
  }
  return { runCheck: codes[0] === 'ConditionalCheckFailed', param, dropped };
};

/**
 * Writes `items` (inputs, outputs, a tag tombstone) after the active check and with the run's dirty mark, in
 * as many transactions as they need; a failed check becomes RESOURCE_DOES_NOT_EXIST or INVALID_PARAMETER_VALUE,
 * another failed condition the caller's `onOtherFailure`.
 */
export const writeToActiveRun = async (
  db: DbContext,
  scope: RunScope,
  items: TransactWriteItem[],
  now: number,
  onOtherFailure?: (codes: (string | undefined)[]) => Error,
): Promise<void> => {
  const runId = scope.runId;
  try {
    for (let offset = 0; offset < Math.max(items.length, 1); offset += MAX_WRITES_PER_TRANSACTION) {
      await transactWithMark(db, [activeRunCheck(db, runId), ...items.slice(offset, offset + MAX_WRITES_PER_TRANSACTION)], scope, now);
    }
  } catch (error) {
    if (!isTransactionCanceled(error)) throw error;
    const codes = cancellationCodes(error);
    if (codes[0] === 'ConditionalCheckFailed') throw await inactiveRunError(db, runId);
    if (onOtherFailure && codes.some((code) => code === 'ConditionalCheckFailed')) throw onOtherFailure(codes);
    throw error;
  }
};

/** The transaction item every write to a run starts with: the run must exist and be active. */
const activeRunCheck = (db: DbContext, runId: string): TransactWriteItem => ({
  ConditionCheck: {
    TableName: db.tableName,
    Key: toAttributes(runKey(runId)),
    ConditionExpression: 'lifecycleStage = :active',
    ...expression({}, { ':active': 'active' }),
  },
});

/** Why the active check failed: the run is deleted (INVALID_PARAMETER_VALUE) or missing (RESOURCE_DOES_NOT_EXIST). */
export const inactiveRunError = async (db: DbContext, runId: string) => {
  const item = await getItem(db, runKey(runId));
  return item ? runNotActive(runId) : runNotFound(runId);
};

const findParamConflicts = async (
  db: DbContext,
  scope: RunScope,
  params: { key: string; value: string }[],
): Promise<ParamConflict[]> => {
  const stored = await batchGet(db, params.map((p) => runParamKey(scope.runId, p.key)));
  const storedValues = new Map(stored.map((item) => [String(item.key), String(item.value)]));
  return params
    .filter((p) => storedValues.has(p.key) && storedValues.get(p.key) !== p.value)
    .map((p) => ({ key: p.key, oldValue: storedValues.get(p.key) ?? '', newValue: p.value }));
};
