import { z } from 'zod';
import type { DatasetRecord, DatasetSchema, EvaluationDataset, JsonEntries } from '../../domain/genai/datasets-entities.js';
import { entityHeader, NumberMapSchema, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { associationKey, associationListingKey, datasetKey, datasetListingKey, recordGuardKey, recordKey } from './keys.js';

const DATASET = 'eval-dataset';
const RECORD = 'eval-dataset-record';
const GUARD = 'eval-dataset-record-guard';
const ASSOCIATION = 'eval-dataset-experiment';

const FieldTypes = z.array(z.tuple([z.string(), z.string()]));

const DatasetItemSchema = z.object({
  ...entityHeader(DATASET),
  datasetId: z.string(),
  name: z.string(),
  digest: z.string(),
  createdTime: z.number(),
  lastUpdateTime: z.number(),
  createdBy: z.string().optional(),
  lastUpdatedBy: z.string().optional(),
  tags: StringMapSchema,
  schema: z.object({ inputs: FieldTypes, outputs: z.union([FieldTypes, z.string()]), expectations: FieldTypes }).optional(),
  recordCount: z.number().int().min(0),
  /** Bumped by every upsert's dataset change: the condition that keeps concurrent schema merges from losing fields. */
  revision: z.number().int().min(0),
});

export type StoredDataset = EvaluationDataset & { readonly revision: number };

export const schemaItem = (schema: DatasetSchema) => ({
  inputs: schema.inputs.map(([key, type]) => [key, type]),
  outputs: typeof schema.outputs === 'string' ? schema.outputs : schema.outputs.map(([key, type]) => [key, type]),
  expectations: schema.expectations.map(([key, type]) => [key, type]),
});

export const toDatasetItem = (dataset: EvaluationDataset): Item => ({
  ...datasetKey(dataset.datasetId),
  ...datasetListingKey(dataset.createdTime, dataset.datasetId),
  ...stamp(DATASET),
  datasetId: dataset.datasetId,
  name: dataset.name,
  digest: dataset.digest,
  createdTime: dataset.createdTime,
  lastUpdateTime: dataset.lastUpdateTime,
  ...(dataset.createdBy !== undefined ? { createdBy: dataset.createdBy } : {}),
  ...(dataset.lastUpdatedBy !== undefined ? { lastUpdatedBy: dataset.lastUpdatedBy } : {}),
  tags: dataset.tags,
  ...(dataset.schema ? { schema: schemaItem(dataset.schema) } : {}),
  recordCount: dataset.recordCount,
  revision: 0,
});

export const fromDatasetItem = (item: Item): StoredDataset => {
  const { _et, _v, schema, ...dataset } = parseItem(DatasetItemSchema, item);
  return { ...dataset, ...(schema ? { schema } : {}) };
};

const RecordItemSchema = z.object({
  ...entityHeader(RECORD),
  datasetId: z.string(),
  recordId: z.string(),
  inputHash: z.string(),
  inputs: z.string(),
  outputs: z.string().optional(),
  /** Expectations and tags as maps of JSON texts, with the position of each key (MLflow's dict order). */
  hasExpectations: z.boolean(),
  expectations: StringMapSchema,
  expectationOrder: NumberMapSchema,
  tags: StringMapSchema,
  tagOrder: NumberMapSchema,
  source: z.string().optional(),
  sourceType: z.string().optional(),
  sourceId: z.string().optional(),
  createdTime: z.number(),
  lastUpdateTime: z.number(),
  createdBy: z.string().optional(),
  lastUpdatedBy: z.string().optional(),
});

const mapOf = (entries: JsonEntries) => Object.fromEntries(entries);
const orderOf = (entries: JsonEntries) => Object.fromEntries(entries.map(([key], index) => [key, index]));

/** Entries in their recorded order (position, then key for entries set in one update). */
const entriesOf = (values: Record<string, string>, order: Record<string, number>): JsonEntries =>
  Object.entries(values)
    .map(([key, text]) => ({ key, text, position: order[key] ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.position - b.position || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, text }) => [key, text] as const);

export const toRecordItem = (record: DatasetRecord): Item => ({
  ...recordKey(record.datasetId, record.createdTime, record.recordId),
  ...stamp(RECORD),
  datasetId: record.datasetId,
  recordId: record.recordId,
  inputHash: record.inputHash,
  inputs: record.inputs,
  ...(record.outputs !== undefined ? { outputs: record.outputs } : {}),
  hasExpectations: record.expectations !== undefined,
  expectations: mapOf(record.expectations ?? []),
  expectationOrder: orderOf(record.expectations ?? []),
  tags: mapOf(record.tags),
  tagOrder: orderOf(record.tags),
  ...(record.source !== undefined ? { source: record.source } : {}),
  ...(record.sourceType !== undefined ? { sourceType: record.sourceType } : {}),
  ...(record.sourceId !== undefined ? { sourceId: record.sourceId } : {}),
  createdTime: record.createdTime,
  lastUpdateTime: record.lastUpdateTime,
  ...(record.createdBy !== undefined ? { createdBy: record.createdBy } : {}),
  ...(record.lastUpdatedBy !== undefined ? { lastUpdatedBy: record.lastUpdatedBy } : {}),
});

export const fromRecordItem = (item: Item): DatasetRecord => {
  const { _et, _v, hasExpectations, expectations, expectationOrder, tags, tagOrder, ...record } = parseItem(RecordItemSchema, item);
  return {
    ...record,
    ...(hasExpectations ? { expectations: entriesOf(expectations, expectationOrder) } : {}),
    tags: entriesOf(tags, tagOrder),
  };
};

/** Bytes a record adds to a page, about: its JSON texts. */
export const recordSize = (record: DatasetRecord): number =>
  200 +
  record.inputs.length +
  (record.outputs?.length ?? 0) +
  (record.source?.length ?? 0) +
  [...(record.expectations ?? []), ...record.tags].reduce((sum, [key, text]) => sum + key.length + text.length + 4, 0);

const GuardItemSchema = z.object({ ...entityHeader(GUARD), inputHash: z.string(), recordSk: z.string() });

export const toGuardItem = (record: DatasetRecord, recordSk: string): Item => ({
  ...recordGuardKey(record.datasetId, record.inputHash),
  ...stamp(GUARD),
  inputHash: record.inputHash,
  recordSk,
});

export const fromGuardItem = (item: Item) => {
  const { inputHash, recordSk } = parseItem(GuardItemSchema, item);
  return { inputHash, recordSk };
};

const AssociationItemSchema = z.object({ ...entityHeader(ASSOCIATION), datasetId: z.string(), experimentId: z.string(), createdTime: z.number() });

export const toAssociationItem = (datasetId: string, experimentId: string, createdTime: number): Item => ({
  ...associationKey(datasetId, experimentId),
  ...associationListingKey(experimentId, datasetId),
  ...stamp(ASSOCIATION),
  datasetId,
  experimentId,
  createdTime,
});

export const fromAssociationItem = (item: Item) => {
  const { datasetId, experimentId, createdTime } = parseItem(AssociationItemSchema, item);
  return { datasetId, experimentId, createdTime };
};
