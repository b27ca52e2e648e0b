import { z } from 'zod';
import { LOGGED_MODEL_STATUSES, type LoggedModel, type MetricPoint } from '../../domain/tracking/entities.js';
import { entityHeader, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { decodeMetricValue, encodeMetricValue } from '../runs/metric-encoding.js';
import { loggedModelKey, loggedModelListingKey } from './keys.js';

const ENTITY = 'logged-model';

const StoredMetricSchema = z.object({
  key: z.string(),
  value: z.string(),
  timestamp: z.number(),
  step: z.number(),
  modelId: z.string().optional(),
  datasetName: z.string().optional(),
  datasetDigest: z.string().optional(),
  runId: z.string().optional(),
});

const LoggedModelItemSchema = z.object({
  ...entityHeader(ENTITY),
  modelId: z.string(),
  experimentId: z.string(),
  name: z.string(),
  artifactUri: z.string(),
  status: z.enum(LOGGED_MODEL_STATUSES),
  statusMessage: z.string().optional(),
  creationTimestampMs: z.number(),
  lastUpdatedTimestampMs: z.number(),
  modelType: z.string().optional(),
  sourceRunId: z.string().optional(),
  tags: StringMapSchema,
  params: StringMapSchema,
  metrics: z.array(StoredMetricSchema),
  lifecycleStage: z.enum(['active', 'deleted']),
});

export const toStoredMetric = (point: MetricPoint) => ({ ...point, value: encodeMetricValue(point.value) });

export const toLoggedModelItem = (model: LoggedModel): Item => ({
  ...loggedModelKey(model.modelId),
  ...loggedModelListingKey(model.experimentId, model.creationTimestampMs, model.modelId),
  ...stamp(ENTITY),
  ...model,
  metrics: model.metrics.map(toStoredMetric),
});

export const fromLoggedModelItem = (item: Item): LoggedModel => {
  const { _et, _v, metrics, ...model } = parseItem(LoggedModelItemSchema, item);
  return { ...model, metrics: metrics.map((m) => ({ ...m, value: decodeMetricValue(m.value) })) };
};
