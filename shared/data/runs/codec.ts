import { z } from 'zod';
import type { DatasetInput, MetricPoint, Run, RunInfo } from '../../domain/tracking/entities.js';
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
  runModelInputKey,
  runModelOutputKey,
  runParamKey,
  runTagKey,
} from './keys.js';
import { decodeMetricValue, encodeMetricValue, metricRank } from './metric-encoding.js';

/** Stored entity types of a run's summary items. */
export const RUN_ITEM = {
  run: 'run',
  param: 'run-param',
  tag: 'run-tag',
  latest: 'run-latest-metric',
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
  const { _et, _v, updatedAt, deletedTime, ...info } = parseItem(RunItemSchema, item);
  return deletedTime === undefined ? info : { ...info, deletedTime };
};

export const emptyRun = (info: RunInfo): Run => ({
  info,
  // Null-prototype records: a param, tag or metric named `__proto__` is assigned as an own key like any other.
  params: recordOf(),
  tags: recordOf(),
  metrics: recordOf(),
  datasetInputs: [],
  modelInputs: [],
  modelOutputs: [],
});

/**
 * Applies one summary item to a run being assembled. Used by runs/get (one partition) and by the search
 * cache (the change feed), so both read items the same way. Returns false for items of other types.
 */
export const applySummaryItem = (run: Run, item: Item, datasetInputIds?: Map<string, number>): boolean => {
  switch (item._et) {
    case RUN_ITEM.run:
      run.info = stripDeletedTime(fromRunItem(item));
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
    case RUN_ITEM.datasetInput: {
      const input = parseItem(DatasetInputItemSchema, item);
      const value = { dataset: input.dataset, tags: input.tags };
      const id = String(item.sk);
      const index = datasetInputIds?.get(id);
      if (index === undefined) {
        datasetInputIds?.set(id, run.datasetInputs.length);
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
  const datasetInputIds = new Map<string, number>();
  for (const item of items) if (item !== runItem) applySummaryItem(run, item, datasetInputIds);
  return run;
};
