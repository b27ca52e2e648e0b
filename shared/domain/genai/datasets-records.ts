import { createHash, randomUUID } from 'node:crypto';
import { echoValue, invalidParameter } from '../../errors/index.js';
import type { DatasetRecord, DatasetSchema, JsonEntries, RecordMerge } from './datasets-entities.js';
import { RECORD_SOURCE_TYPES } from './datasets-entities.js';
import { inferFieldType, isJsonObject, pyJson, pyJsonEntries, pyJsonSorted, type JsonObject } from './datasets-json.js';

/**
 * The records of an UpsertDatasetRecords request, read as MLflow's SQL store reads each dict
 * (`upsert_dataset_records`, `SqlEvaluationDatasetRecord.merge`). Where MLflow fails with a 500 on a value of the
 * wrong shape (inputs that are no dict, unreadable JSON), Cairn answers INVALID_PARAMETER_VALUE and writes nothing.
 */

export const MLFLOW_USER_TAG = 'mlflow.user';

export interface RecordInput {
  readonly inputs: JsonObject;
  /** Whether the dict had an `outputs` key (MLflow stores `{}` for a record without one). */
  readonly hasOutputs: boolean;
  readonly outputs: unknown;
  readonly expectations?: JsonObject | null;
  readonly tags?: JsonObject | null;
  readonly source?: { readonly sourceType: string; readonly sourceData: JsonObject };
}

const VALID_SOURCE_TYPES = ['UNSPECIFIED', 'TRACE', 'HUMAN', 'DOCUMENT', 'CODE'];

const invalidRecord = (index: number, why: string) => invalidParameter(`Invalid record at index ${index} in 'records': ${why}`);

const optionalDict = (record: JsonObject, field: string, index: number): JsonObject | null | undefined => {
  const value = record[field];
  if (value === undefined || value === null) return value;
  if (!isJsonObject(value)) throw invalidRecord(index, `'${field}' must be a dictionary, got ${echoValue(value)}.`);
  return value;
};

const readSource = (value: unknown, index: number): RecordInput['source'] => {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidRecord(index, `'source' must be a dictionary, got ${echoValue(value)}.`);
  const unknown = Object.keys(value).filter((key) => key !== 'source_type' && key !== 'source_data');
  if (unknown.length > 0) throw invalidRecord(index, `'source' has unexpected keys ${echoValue(unknown)}.`);
  const type = value.source_type;
  if (typeof type !== 'string') throw invalidRecord(index, "'source' needs a 'source_type' string.");
  const sourceType = type.toUpperCase();
  if (!VALID_SOURCE_TYPES.includes(sourceType)) {
    throw invalidParameter(`Invalid dataset record source type: ${sourceType}. Valid source types: ['${VALID_SOURCE_TYPES.join("', '")}']`);
  }
  const data = value.source_data;
  if (data !== undefined && data !== null && !isJsonObject(data)) throw invalidRecord(index, "'source_data' must be a dictionary.");
  return { sourceType, sourceData: data ?? {} };
};

/** The `records` field: JSON text of a list of dicts. */
export const parseRecords = (text: string): RecordInput[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter("Invalid value for parameter 'records': it must be a JSON list of record dictionaries.");
  }
  if (!Array.isArray(parsed)) throw invalidParameter("Invalid value for parameter 'records': it must be a JSON list of record dictionaries.");
  return parsed.map((record, index) => {
    if (!isJsonObject(record)) throw invalidRecord(index, 'each record must be a dictionary.');
    const inputs = optionalDict(record, 'inputs', index);
    return {
      inputs: inputs ?? {},
      hasOutputs: Object.hasOwn(record, 'outputs'),
      outputs: record.outputs,
      expectations: optionalDict(record, 'expectations', index),
      tags: optionalDict(record, 'tags', index),
      source: readSource(record.source, index),
    };
  });
};

/** SHA-256 of `json.dumps(inputs, sort_keys=True)`: records with equal inputs are one record. */
export const inputHashOf = (inputs: JsonObject): string => createHash('sha256').update(pyJsonSorted(inputs)).digest('hex');

const entriesOf = (dict: JsonObject | null | undefined): JsonEntries => Object.entries(dict ?? {}).map(([key, value]) => [key, pyJson(value)]);

const userOf = (tags: JsonObject | null | undefined): string | undefined => {
  const user = tags?.[MLFLOW_USER_TAG];
  return typeof user === 'string' ? user : undefined;
};

/** Sets entries as Python's `dict.update` does: a key already there keeps its place and takes the new value. */
export const updateEntries = (current: JsonEntries, changes: JsonEntries): JsonEntries => {
  const merged = new Map(current.map(([key, text]) => [key, text]));
  for (const [key, text] of changes) merged.set(key, text);
  return [...merged.entries()];
};

/** What a group of records with equal inputs asks of the record they share, in request order. */
export const mergeOf = (group: readonly RecordInput[]): RecordMerge => {
  let outputs: string | null | undefined;
  let expectations: JsonEntries = [];
  let tags: JsonEntries = [];
  let lastUpdatedBy: string | undefined;
  for (const record of group) {
    if (record.hasOutputs) outputs = record.outputs === null || record.outputs === undefined ? null : pyJson(record.outputs);
    if (record.expectations && Object.keys(record.expectations).length > 0) expectations = updateEntries(expectations, entriesOf(record.expectations));
    if (record.tags && Object.keys(record.tags).length > 0) {
      tags = updateEntries(tags, entriesOf(record.tags));
      lastUpdatedBy = userOf(record.tags) ?? lastUpdatedBy;
    }
  }
  return { ...(outputs !== undefined ? { outputs } : {}), expectations, tags, ...(lastUpdatedBy !== undefined ? { lastUpdatedBy } : {}) };
};

/** A record with the merge applied, as the store applies it to a stored one. */
export const applyMerge = (record: DatasetRecord, merge: RecordMerge, now: number): DatasetRecord => {
  const { outputs: _outputs, ...rest } = record;
  const outputs = merge.outputs === undefined ? record.outputs : merge.outputs ?? undefined;
  return {
    ...rest,
    ...(outputs !== undefined ? { outputs } : {}),
    ...(merge.expectations.length > 0 ? { expectations: updateEntries(record.expectations ?? [], merge.expectations) } : {}),
    tags: updateEntries(record.tags, merge.tags),
    lastUpdateTime: now,
    ...(merge.lastUpdatedBy !== undefined ? { lastUpdatedBy: merge.lastUpdatedBy } : {}),
  };
};

/** A new record from the first of its group; the others of the group merge into it. */
export const newRecord = (datasetId: string, group: readonly [RecordInput, ...RecordInput[]], now: number): DatasetRecord => {
  const [first, ...rest] = group;
  const source = first.source;
  const sourceIdKey = source?.sourceType === 'TRACE' ? 'trace_id' : 'source_id';
  const sourceId = source?.sourceData[sourceIdKey];
  const createdBy = userOf(first.tags);
  const outputs = !first.hasOutputs ? '{}' : first.outputs === null || first.outputs === undefined ? undefined : pyJson(first.outputs);
  const record: DatasetRecord = {
    datasetId,
    recordId: `dr-${randomUUID().replaceAll('-', '')}`,
    inputHash: inputHashOf(first.inputs),
    inputs: pyJson(first.inputs),
    ...(outputs !== undefined ? { outputs } : {}),
    ...(first.expectations ? { expectations: entriesOf(first.expectations) } : {}),
    tags: entriesOf(first.tags),
    ...(source
      ? {
          source: pyJson({ source_type: source.sourceType, source_data: source.sourceData }),
          sourceType: source.sourceType,
          ...(typeof sourceId === 'string' && sourceId !== '' ? { sourceId } : {}),
        }
      : {}),
    createdTime: now,
    lastUpdateTime: now,
    ...(createdBy !== undefined ? { createdBy, lastUpdatedBy: createdBy } : {}),
  };
  return rest.length > 0 ? applyMerge(record, mergeOf(rest), now) : record;
};

const addFields = (fields: (readonly [string, string])[], dict: JsonObject) => {
  for (const [key, value] of Object.entries(dict)) if (!fields.some(([known]) => known === key)) fields.push([key, inferFieldType(value)]);
};

/** What DynamoDB holds in one item (400 KB), less room for names, positions and keys. */
const RECORD_MAX_BYTES = 350 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Refuses a record too large to store, before anything of the request is written: a caller's mistake changes
 * nothing (a later chunk failing would leave the earlier ones written).
 */
export const assertRecordFits = (record: DatasetRecord): void => {
  const entries = [...(record.expectations ?? []), ...record.tags];
  const bytes =
    utf8(record.inputs) +
    utf8(record.outputs ?? '') +
    utf8(record.source ?? '') +
    entries.reduce((sum, [key, text]) => sum + 2 * utf8(key) + utf8(text) + 16, 0);
  if (bytes > RECORD_MAX_BYTES) {
    throw invalidParameter(`A dataset record would hold ${bytes} bytes; the store holds at most ${RECORD_MAX_BYTES} bytes per record (inputs ${echoValue(record.inputs.slice(0, 100))}).`);
  }
};

/** `_update_dataset_schema`: field types first seen win; undefined while the dataset never had a record. */
export const updateSchema = (current: DatasetSchema | undefined, records: readonly RecordInput[]): DatasetSchema | undefined => {
  if (records.length === 0) return current;
  const inputs = [...(current?.inputs ?? [])];
  const expectations = [...(current?.expectations ?? [])];
  let outputs: (readonly [string, string])[] | string = typeof current?.outputs === 'string' ? current.outputs : [...(current?.outputs ?? [])];
  for (const record of records) {
    addFields(inputs, record.inputs);
    if (record.outputs !== undefined && record.outputs !== null) {
      if (isJsonObject(record.outputs)) {
        if (Array.isArray(outputs)) addFields(outputs, record.outputs);
      } else if (Array.isArray(outputs) && outputs.length === 0) {
        outputs = inferFieldType(record.outputs);
      }
    }
    if (record.expectations) addFields(expectations, record.expectations);
  }
  return { inputs, outputs, expectations };
};

const typesJson = (fields: readonly (readonly [string, string])[]) => pyJsonEntries(fields.map(([key, type]) => [key, pyJson(type)]));

/** The schema as MLflow stores it: `{"inputs": {...}, "outputs": {...}, "expectations": {...}, "version": "1.0"}`. */
export const schemaJson = (schema: DatasetSchema): string =>
  `{"inputs": ${typesJson(schema.inputs)}, "outputs": ${typeof schema.outputs === 'string' ? pyJson(schema.outputs) : typesJson(schema.outputs)}, "expectations": ${typesJson(schema.expectations)}, "version": "1.0"}`;

/** A record as `DatasetRecord.to_dict()` writes it (proto field order, JSON fields decoded). */
export const recordJson = (record: DatasetRecord): string => {
  const fields: [string, string][] = [
    ['dataset_record_id', pyJson(record.recordId)],
    ['dataset_id', pyJson(record.datasetId)],
    ['inputs', record.inputs],
  ];
  if (record.expectations) fields.push(['expectations', pyJsonEntries(record.expectations)]);
  fields.push(['tags', pyJsonEntries(record.tags)]);
  if (record.source) fields.push(['source', record.source]);
  if (record.sourceId !== undefined) fields.push(['source_id', pyJson(record.sourceId)]);
  if (record.sourceType !== undefined) fields.push(['source_type', pyJson(RECORD_SOURCE_TYPES.includes(record.sourceType as never) ? record.sourceType : 'SOURCE_TYPE_UNSPECIFIED')]);
  fields.push(['created_time', pyJson(record.createdTime)], ['last_update_time', pyJson(record.lastUpdateTime)]);
  if (record.createdBy !== undefined) fields.push(['created_by', pyJson(record.createdBy)]);
  if (record.lastUpdatedBy !== undefined) fields.push(['last_updated_by', pyJson(record.lastUpdatedBy)]);
  if (record.outputs !== undefined) fields.push(['outputs', record.outputs]);
  return pyJsonEntries(fields);
};
