import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MetricPoint } from '../../domain/tracking/entities.js';
import { paramValueChanged, runNotActive, runNotFound } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { batchGet, expression, getItem, toAttributes, transactWrite } from '../dynamo-ops.js';
import { MAX_POINTS_PER_CHUNK, toChunkItem, type ChunkExtras } from '../metrics/chunk-codec.js';
import { sortAndDeduplicate } from '../../domain/tracking/metric-points.js';
import { toLatestMetricItem, toParamItem, toTagItem, type RunScope } from './codec.js';
import { runKey, runParamKey } from './keys.js';
import { compareMetricRank } from './metric-encoding.js';

export interface RunWrites {
  params?: { key: string; value: string }[];
  tags?: { key: string; value: string }[];
  metrics?: MetricPoint[];
}

export interface ParamConflict {
  key: string;
  oldValue: string;
  newValue: string;
}

/** Turns changed params into the error the caller's endpoint answers with (log-parameter and log-batch word it differently). */
export type ParamConflictError = (runId: string, conflicts: ParamConflict[]) => Error;

const singleParamConflict: ParamConflictError = (runId, [conflict]) =>
  paramValueChanged(runId, conflict?.key ?? '', conflict?.oldValue ?? '', conflict?.newValue ?? '');

/** DynamoDB allows 100 items per transaction; one is the run's lifecycle check. */
const MAX_WRITES_PER_TRANSACTION = 99;

interface WriteUnit {
  items: TransactWriteItem[];
  /** For a latest-metric update: the metric key, so a failed condition can be told apart. */
  latestKey?: string;
  paramKey?: string;
}

/**
 * Writes params, tags and metric points of one run, in as few round trips as possible (one for a
 * log-metric call), and safely under concurrency and retries:
 * - every transaction first checks that the run is active, so nothing lands on a deleted run;
 * - a param is put only if absent or equal (immutable params without reading first);
 * - metric points go into content-addressed chunks, so a retried request rewrites the same chunk;
 * - the latest value of a key is replaced only by a point of higher rank, checked by DynamoDB; when that
 *   condition fails (an older point), the transaction is retried without that update.
 */
export const writeRunData = async (
  db: DbContext,
  scope: RunScope,
  writes: RunWrites,
  now: number,
  paramConflictError: ParamConflictError = singleParamConflict,
): Promise<void> => {
  const params = writes.params ?? [];
  const units = [
    ...params.map((p) => paramUnit(db, scope, p.key, p.value, now)),
    ...dedupeTags(writes.tags ?? []).map((t) => ({ items: [put(db, toTagItem(scope, t.key, t.value, now))] })),
    ...metricUnits(db, scope, writes.metrics ?? [], now),
  ];
  const batches = pack(units);
  // Params split over several transactions are checked up front, so a changed param rejects the whole request.
  if (batches.length > 1 && params.length > 0) {
    const conflicts = await findParamConflicts(db, scope, params);
    if (conflicts.length > 0) throw paramConflictError(scope.runId, conflicts);
  }
  for (const batch of batches) {
    const conflictKey = await writeBatch(db, scope, batch);
    if (conflictKey !== undefined) {
      const conflicts = await findParamConflicts(db, scope, params);
      throw paramConflictError(scope.runId, conflicts);
    }
  }
};

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
  paramKey: key,
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
      latestKey: point.key,
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

/** Writes one transaction's worth; returns the key of a changed param instead of writing anything. */
const writeBatch = async (db: DbContext, scope: RunScope, units: WriteUnit[]): Promise<string | undefined> => {
  let pending = units;
  for (let attempt = 0; ; attempt++) {
    const items = pending.flatMap((unit) => unit.items);
    try {
      await transactWrite(db, [activeRunCheck(db, scope.runId), ...items]);
      return undefined;
    } catch (error) {
      if (!isTransactionCanceled(error) || attempt >= 20) throw error;
      const failed = failedUnits(pending, cancellationCodes(error));
      if (failed.runCheck) throw await inactiveRunError(db, scope.runId);
      if (failed.param !== undefined) return failed.param;
      // A latest-metric update lost its condition: a point of higher rank is stored already, so the update
      // is dropped and the rest is written again. Other cancellations (conflicts) are simply retried.
      pending = pending.filter((unit) => !failed.latest.has(unit));
    }
  }
};

const failedUnits = (units: WriteUnit[], codes: (string | undefined)[]) => {
  const latest = new Set<WriteUnit>();
  let param: string | undefined;
  let index = 1;
  for (const unit of units) {
    const failed = unit.items.some((_, offset) => codes[index + offset] === 'ConditionalCheckFailed');
    if (failed && unit.latestKey !== undefined) latest.add(unit);
    if (failed && unit.paramKey !== undefined) param ??= unit.paramKey;
    index += unit.items.length;
  }
  return { runCheck: codes[0] === 'ConditionalCheckFailed', param, latest };
};

/** The transaction item every write to a run starts with: the run must exist and be active. */
export const activeRunCheck = (db: DbContext, runId: string): TransactWriteItem => ({
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
