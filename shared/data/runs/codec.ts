import { z } from 'zod';
import type { DatasetInput, MetricPoint, MetricRange, Run, RunInfo } from '../../domain/tracking/entities.js';
import { RUN_STATUSES } from '../../domain/tracking/entities.js';
import type { RunScope } from '../../domain/tracking/ports.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import {
  runChangeIndexKey,
  runDatasetInputKey,
  runKey,
  runLatestMetricKey,
  runMetricMaxKey,
  runMetricMinKey,
  runModelInputKey,
  runModelOutputKey,
  runParamKey,
  runTagKey,
} from './keys.js';
import { decodeMetricValue, encodeMetricValue, metricMaxRank, metricMinRank, metricRank } from './metric-encoding.js';

/** Stored entity types of a run's summary items. */
export const RUN_ITEM = {
  run: 'run',
  param: 'run-param',
  tag: 'run-tag',
  latest: 'run-latest-metric',
  metricMin: 'run-metric-min',
  metricMax: 'run-metric-max',
  datasetInput: 'run-dataset-input',
  modelInput: 'run-model-input',
  modelOutput: 'run-model-output',
} as const;

const Common = { runId: z.string(), experimentId: z.string(), updatedAt: z.number() };

const RunItemSchema = z.object({
  ...entityHeader(RUN_ITEM.run),
  ...Common,
  runName: z.string(),
  userId: z.string(),
  status: z.enum(RUN_STATUSES),
  startTime: z.number(),
  endTime: z.number().optional(),
  artifactUri: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  deletedTime: z.number().optional(),
  /** Set on runs created since Cairn keeps metric ranges: their `MN#`/`MX#` items cover every point. */
  metricRangesKept: z.literal(true).optional(),
});
const ParamItemSchema = z.object({ ...entityHeader(RUN_ITEM.param), ...Common, key: z.string(), value: z.string() });
const TagItemSchema = z.object({
  ...entityHeader(RUN_ITEM.tag),
  ...Common,
  key: z.string(),
  value: z.string(),
  deleted: z.boolean().optional(),
});
const LatestItemSchema = z.object({
  ...entityHeader(RUN_ITEM.latest),
  ...Common,
  key: z.string(),
  value: z.string(),
  timestamp: z.number(),
  step: z.number(),
  rank: z.string(),
});
const boundItemSchema = <T extends string>(entityType: T) =>
  z.object({
    ...entityHeader(entityType),
    ...Common,
    key: z.string(),
    value: z.string(),
    rank: z.string(),
    /** Set once the item was merged with the run's whole history (runs older than metricRangesKept). */
    complete: z.literal(true).optional(),
  });
const MinItemSchema = boundItemSchema(RUN_ITEM.metricMin);
const MaxItemSchema = boundItemSchema(RUN_ITEM.metricMax);
const DatasetInputItemSchema = z.object({
  ...entityHeader(RUN_ITEM.datasetInput),
  ...Common,
  dataset: z.object({
    name: z.string(),
    digest: z.string(),
    sourceType: z.string(),
    source: z.string(),
    schema: z.string().optional(),
    profile: z.string().optional(),
  }),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
});
const ModelInputItemSchema = z.object({ ...entityHeader(RUN_ITEM.modelInput), ...Common, modelId: z.string() });
const ModelOutputItemSchema = z.object({
  ...entityHeader(RUN_ITEM.modelOutput),
  ...Common,
  modelId: z.string(),
  step: z.number(),
});

const header = (scope: RunScope, entityType: string, updatedAt: number): Item => ({
  ...stamp(entityType),
  ...runChangeIndexKey(scope.experimentId, scope.runId, updatedAt),
  runId: scope.runId,
  experimentId: scope.experimentId,
  updatedAt,
});

export const toRunItem = (info: RunInfo, updatedAt: number, deletedTime?: number): Item => ({
  ...runKey(info.runId),
  ...header(info, RUN_ITEM.run, updatedAt),
  ...info,
  deletedTime,
  metricRangesKept: true,
});

export const toParamItem = (scope: RunScope, key: string, value: string, updatedAt: number): Item => ({
  ...runParamKey(scope.runId, key),
  ...header(scope, RUN_ITEM.param, updatedAt),
  key,
  value,
});

export const toTagItem = (scope: RunScope, key: string, value: string, updatedAt: number): Item => ({
  ...runTagKey(scope.runId, key),
  ...header(scope, RUN_ITEM.tag, updatedAt),
  key,
  value,
});

export const toLatestMetricItem = (scope: RunScope, point: MetricPoint, updatedAt: number): Item => ({
  ...runLatestMetricKey(scope.runId, point.key),
  ...header(scope, RUN_ITEM.latest, updatedAt),
  key: point.key,
  value: encodeMetricValue(point.value),
  timestamp: point.timestamp,
  step: point.step,
  rank: metricRank(point),
});

/** Which end of a metric's range an `MN#`/`MX#` item holds. */
export type RangeSide = 'min' | 'max';

/** The attributes of a min or max item (written with UpdateItem, so a `complete` mark already there stays). */
export const toMetricBoundItem = (scope: RunScope, side: RangeSide, key: string, value: number, updatedAt: number): Item => ({
  ...(side === 'min' ? runMetricMinKey(scope.runId, key) : runMetricMaxKey(scope.runId, key)),
  ...header(scope, side === 'min' ? RUN_ITEM.metricMin : RUN_ITEM.metricMax, updatedAt),
  key,
  value: encodeMetricValue(value),
  rank: side === 'min' ? metricMinRank(value) : metricMaxRank(value),
});

export const toDatasetInputItem = (scope: RunScope, inputId: string, input: DatasetInput, updatedAt: number): Item => ({
  ...runDatasetInputKey(scope.runId, inputId),
  ...header(scope, RUN_ITEM.datasetInput, updatedAt),
  dataset: input.dataset,
  tags: input.tags,
});

export const toModelInputItem = (scope: RunScope, modelId: string, updatedAt: number): Item => ({
  ...runModelInputKey(scope.runId, modelId),
  ...header(scope, RUN_ITEM.modelInput, updatedAt),
  modelId,
});

export const toModelOutputItem = (scope: RunScope, modelId: string, step: number, updatedAt: number): Item => ({
  ...runModelOutputKey(scope.runId, modelId),
  ...header(scope, RUN_ITEM.modelOutput, updatedAt),
  modelId,
  step,
});

export const fromRunItem = (item: Item): RunInfo & { deletedTime?: number } => {
  const { _et, _v, updatedAt, deletedTime, metricRangesKept: _, ...info } = parseItem(RunItemSchema, item);
  return deletedTime === undefined ? info : { ...info, deletedTime };
};

/**
 * What is known of a run while its summary items are applied one by one (in any order: the search index
 * gets them from the change feed): dataset input positions, and the min and max items, which make a
 * range only when both are there and cover the whole history.
 */
export interface RunAssembly {
  readonly datasetInputIds: Map<string, number>;
  rangesKept: boolean;
  readonly bounds: Map<string, { min?: StoredBound; max?: StoredBound }>;
}

interface StoredBound {
  value: number;
  complete: boolean;
}

export const newRunAssembly = (): RunAssembly => ({ datasetInputIds: new Map(), rangesKept: false, bounds: new Map() });

const applyBound = (run: Run, assembly: RunAssembly, side: RangeSide, key: string, bound: StoredBound) => {
  const bounds = assembly.bounds.get(key) ?? {};
  bounds[side] = bound;
  assembly.bounds.set(key, bounds);
  showRange(run, assembly, key);
};

const showRange = (run: Run, assembly: RunAssembly, key: string) => {
  const { min, max } = assembly.bounds.get(key) ?? {};
  const covers = (bound: StoredBound | undefined): bound is StoredBound => !!bound && (bound.complete || assembly.rangesKept);
  run.metricRanges ??= recordOf<MetricRange>();
  if (covers(min) && covers(max)) run.metricRanges[key] = { min: min.value, max: max.value };
  else delete run.metricRanges[key];
};

export const emptyRun = (info: RunInfo): Run => ({
  info,
  // Null-prototype records: a param, tag or metric named `__proto__` is assigned as an own key like any other.
  params: recordOf(),
  tags: recordOf(),
  metrics: recordOf(),
  metricRanges: recordOf(),
  datasetInputs: [],
  modelInputs: [],
  modelOutputs: [],
});

/**
 * Applies one summary item to a run being assembled. Used by runs/get (one partition) and by the search
 * cache (the change feed), so both read items the same way. Returns false for items of other types.
 */
export const applySummaryItem = (run: Run, item: Item, assembly: RunAssembly): boolean => {
  switch (item._et) {
    case RUN_ITEM.run:
      run.info = stripDeletedTime(fromRunItem(item));
      if (item.metricRangesKept === true && !assembly.rangesKept) {
        assembly.rangesKept = true;
        for (const key of assembly.bounds.keys()) showRange(run, assembly, key);
      }
      return true;
    case RUN_ITEM.param: {
      const param = parseItem(ParamItemSchema, item);
      run.params[param.key] = param.value;
      return true;
    }
    case RUN_ITEM.tag: {
      const tag = parseItem(TagItemSchema, item);
      if (tag.deleted) delete run.tags[tag.key];
      else run.tags[tag.key] = tag.value;
      return true;
    }
    case RUN_ITEM.latest: {
      const latest = parseItem(LatestItemSchema, item);
      run.metrics[latest.key] = {
        key: latest.key,
        value: decodeMetricValue(latest.value),
        timestamp: latest.timestamp,
        step: latest.step,
      };
      return true;
    }
    case RUN_ITEM.metricMin:
    case RUN_ITEM.metricMax: {
      const side = item._et === RUN_ITEM.metricMin ? 'min' : 'max';
      const bound = parseItem(side === 'min' ? MinItemSchema : MaxItemSchema, item);
      applyBound(run, assembly, side, bound.key, { value: decodeMetricValue(bound.value), complete: bound.complete === true });
      return true;
    }
    case RUN_ITEM.datasetInput: {
      const input = parseItem(DatasetInputItemSchema, item);
      const value = { dataset: input.dataset, tags: input.tags };
      const id = String(item.sk);
      const index = assembly.datasetInputIds.get(id);
      if (index === undefined) {
        assembly.datasetInputIds.set(id, run.datasetInputs.length);
        run.datasetInputs.push(value);
      } else {
        run.datasetInputs[index] = value;
      }
      return true;
    }
    case RUN_ITEM.modelInput: {
      const { modelId } = parseItem(ModelInputItemSchema, item);
      if (!run.modelInputs.some((m) => m.modelId === modelId)) run.modelInputs.push({ modelId });
      return true;
    }
    case RUN_ITEM.modelOutput: {
      const { modelId, step } = parseItem(ModelOutputItemSchema, item);
      const existing = run.modelOutputs.find((m) => m.modelId === modelId);
      if (existing) existing.step = step;
      else run.modelOutputs.push({ modelId, step });
      return true;
    }
    default:
      return false;
  }
};

const stripDeletedTime = ({ deletedTime: _, ...info }: RunInfo & { deletedTime?: number }): RunInfo => info;

/** Assembles a run from the items of its partition; undefined when the run item itself is missing. */
export const runFromItems = (items: Item[]): Run | undefined => {
  const runItem = items.find((item) => item._et === RUN_ITEM.run);
  if (!runItem) return undefined;
  const run = emptyRun(stripDeletedTime(fromRunItem(runItem)));
  const assembly = newRunAssembly();
  assembly.rangesKept = runItem.metricRangesKept === true;
  for (const item of items) if (item !== runItem) applySummaryItem(run, item, assembly);
  return run;
};
