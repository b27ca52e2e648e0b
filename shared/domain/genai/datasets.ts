import { createHash, randomUUID } from 'node:crypto';
import { invalidParameter, notFound } from '../../errors/index.js';
import { decodeOffsetPageToken, decodePageToken, encodePageToken, offsetPage } from '../kernel/page-token.js';
import type { ExperimentStore } from '../tracking/ports.js';
import type { DatasetRecord, EvalDatasetStore, EvaluationDataset, RecordCursor } from './datasets-entities.js';
import { MLFLOW_USER_TAG, applyMerge, assertRecordFits, inputHashOf, mergeOf, newRecord, parseRecords, updateSchema, type RecordInput } from './datasets-records.js';
import { parseDatasetFilter, parseDatasetOrderBy } from './datasets-search.js';

/**
 * Evaluation datasets as MLflow 3.6's server keeps them (SqlAlchemyStore: create_dataset, get_dataset,
 * delete_dataset, search_datasets, set_dataset_tags, delete_dataset_tag, upsert_dataset_records,
 * _load_dataset_records, get_dataset_experiment_ids, add/remove_dataset_to/from_experiments), messages included.
 * MLflow lets a delete of a missing dataset or tag pass, and answers a missing dataset's records and experiments
 * with empty lists; so does Cairn.
 */
export interface DatasetDeps {
  readonly experiments: ExperimentStore;
  readonly evalDatasets: EvalDatasetStore;
  readonly now: () => number;
}

/** `_compute_dataset_digest`: the first 8 hex digits of SHA-256 of `<name>:<last update ms>`. */
export const datasetDigest = (name: string, lastUpdateTime: number) =>
  createHash('sha256').update(`${name}:${lastUpdateTime}`).digest('hex').slice(0, 8);

const datasetNotFound = (datasetId: string) => notFound(`Evaluation dataset with id '${datasetId}' not found`);

/** SEARCH_MAX_RESULTS_THRESHOLD of `_validate_max_results_param`. */
const SEARCH_MAX_RESULTS = 50_000;
export const SEARCH_DATASETS_DEFAULT_MAX_RESULTS = 1000;
/** Records per page: MLflow's default page (LOAD_DATASET_RECORDS_MAX_RESULTS); a larger ask is cut to RECORDS_PAGE_MAX. */
export const RECORDS_PAGE_DEFAULT = 1000;
export const RECORDS_PAGE_MAX = 5000;
/** Record JSON per page: a page stops short of this so the answer fits a Lambda response (6 MB). */
export const RECORDS_PAGE_BYTES = 4 * 1024 * 1024;

export interface CreateDatasetRequest {
  readonly name: string;
  readonly experimentIds: readonly string[];
  readonly tags: Record<string, string>;
}

export const createDataset = async (deps: DatasetDeps, request: CreateDatasetRequest): Promise<{ dataset: EvaluationDataset; experimentIds: string[] }> => {
  const now = deps.now();
  const user = request.tags[MLFLOW_USER_TAG];
  const dataset: EvaluationDataset = {
    datasetId: `d-${randomUUID().replaceAll('-', '')}`,
    name: request.name,
    digest: datasetDigest(request.name, now),
    createdTime: now,
    lastUpdateTime: now,
    ...(user !== undefined ? { createdBy: user, lastUpdatedBy: user } : {}),
    tags: request.tags,
    recordCount: 0,
  };
  const experimentIds = [...new Set(request.experimentIds)];
  await deps.evalDatasets.create(dataset, experimentIds);
  return { dataset, experimentIds };
};

export const getDataset = async (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string): Promise<EvaluationDataset> => {
  const dataset = await deps.evalDatasets.get(datasetId);
  if (!dataset) throw datasetNotFound(datasetId);
  return dataset;
};

export const deleteDataset = async (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string): Promise<void> => {
  await deps.evalDatasets.delete(datasetId);
};

export interface SearchDatasetsRequest {
  readonly experimentIds?: readonly string[];
  readonly filter?: string;
  readonly maxResults?: number;
  readonly orderBy?: readonly string[];
  readonly pageToken?: string;
}

const searchPageSize = (requested: number | undefined): number => {
  if (requested === undefined) return SEARCH_DATASETS_DEFAULT_MAX_RESULTS;
  // The handler passes `max_results or None`: 0 reaches the store's check as None.
  if (requested < 1) throw invalidParameter(`Invalid value ${requested === 0 ? 'None' : requested} for parameter 'max_results' supplied. It must be a positive integer`);
  if (requested > SEARCH_MAX_RESULTS) throw invalidParameter(`Invalid value ${requested} for parameter 'max_results' supplied. It must be at most ${SEARCH_MAX_RESULTS}`);
  return requested;
};

export const searchDatasets = async (deps: Pick<DatasetDeps, 'evalDatasets'>, request: SearchDatasetsRequest) => {
  const maxResults = searchPageSize(request.maxResults);
  const experimentIds = request.experimentIds ?? [];
  const scope = { kind: 'datasets/search', request: [experimentIds, request.filter ?? '', request.orderBy ?? []] };
  const offset = decodeOffsetPageToken(request.pageToken, scope);
  const matches = parseDatasetFilter(request.filter);
  const order = parseDatasetOrderBy(request.orderBy);
  const [datasets, inExperiments] = await Promise.all([
    deps.evalDatasets.list(),
    experimentIds.length > 0 ? deps.evalDatasets.idsInExperiments(experimentIds) : undefined,
  ]);
  const found = datasets.filter((d) => (inExperiments === undefined || inExperiments.has(d.datasetId)) && matches(d)).sort(order);
  return offsetPage(found, scope, offset, maxResults);
};

/** set_dataset_tags: an upsert per key; a null value is skipped, others become their `str()`. */
export const setDatasetTags = async (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string, tags: Record<string, string>): Promise<void> => {
  if (!(await deps.evalDatasets.setTags(datasetId, tags))) throw notFound(`Could not find evaluation dataset with ID ${datasetId}`);
};

export const deleteDatasetTag = (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string, key: string): Promise<void> =>
  deps.evalDatasets.deleteTag(datasetId, key);

export const datasetExperimentIds = (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string): Promise<string[]> =>
  deps.evalDatasets.experimentIds(datasetId);

export const addDatasetToExperiments = async (deps: DatasetDeps, datasetId: string, experimentIds: readonly string[]): Promise<EvaluationDataset> => {
  if (!(await deps.evalDatasets.get(datasetId))) throw notFound(`Dataset '${datasetId}' not found`);
  for (const experimentId of experimentIds) {
    if (!(await deps.experiments.get(experimentId))) throw notFound(`Experiment '${experimentId}' not found`);
  }
  if (!(await deps.evalDatasets.addExperiments(datasetId, [...new Set(experimentIds)], deps.now()))) throw notFound(`Dataset '${datasetId}' not found`);
  return getDataset(deps, datasetId);
};

export const removeDatasetFromExperiments = async (deps: DatasetDeps, datasetId: string, experimentIds: readonly string[]): Promise<EvaluationDataset> => {
  const removed = await deps.evalDatasets.removeExperiments(datasetId, [...new Set(experimentIds)], deps.now());
  if (removed === undefined) throw notFound(`Dataset '${datasetId}' not found`);
  return getDataset(deps, datasetId);
};

/** With authorization on, a record's `mlflow.user` tag (its created_by / last_updated_by) names the caller. */
const withCaller = (records: RecordInput[], caller: string | undefined): RecordInput[] =>
  caller === undefined
    ? records
    : records.map((record) => (record.tags && Object.hasOwn(record.tags, MLFLOW_USER_TAG) ? { ...record, tags: { ...record.tags, [MLFLOW_USER_TAG]: caller } } : record));

/**
 * upsert_dataset_records: records are one per distinct inputs. A record whose inputs the dataset holds is merged
 * (outputs replaced, expectations and tags updated key by key), else inserted; within one request the first of
 * equal inputs is inserted and the others merge into it. Then the dataset's schema, digest, last update and
 * record count move on. Answers MLflow's counts.
 */
export const upsertDatasetRecords = async (
  deps: DatasetDeps,
  datasetId: string,
  recordsJson: string,
  caller?: string,
): Promise<{ inserted: number; updated: number }> => {
  const records = withCaller(parseRecords(recordsJson), caller);
  if (!(await deps.evalDatasets.get(datasetId))) throw datasetNotFound(datasetId);
  const now = deps.now();
  const groups = new Map<string, [RecordInput, ...RecordInput[]]>();
  for (const record of records) {
    const hash = inputHashOf(record.inputs);
    const group = groups.get(hash);
    if (group) group.push(record);
    else groups.set(hash, [record]);
  }
  const existing = await deps.evalDatasets.recordsByHash(datasetId, [...groups.keys()]);
  const fresh = [...groups.entries()].filter(([hash]) => !existing.has(hash)).map(([, group]) => newRecord(datasetId, group, now));
  fresh.forEach(assertRecordFits);
  for (const [hash, group] of groups) {
    const target = existing.get(hash);
    if (target) assertRecordFits(applyMerge(target, mergeOf(group), now));
  }
  const lost = await deps.evalDatasets.insertRecords(fresh);
  // Records another request inserted first are merged into, like any that existed before.
  const raced = lost.size > 0 ? await deps.evalDatasets.recordsByHash(datasetId, [...lost]) : new Map<string, DatasetRecord>();
  let inserted = 0;
  let updated = 0;
  const merges: Promise<void>[] = [];
  for (const [hash, group] of groups) {
    const target = existing.get(hash) ?? raced.get(hash);
    if (target) {
      merges.push(deps.evalDatasets.mergeRecord(target, mergeOf(group), now));
      updated += group.length;
    } else {
      inserted += 1;
      updated += group.length - 1;
    }
  }
  await Promise.all(merges);
  const lastUpdatedBy = records.reduce<string | undefined>((user, record) => {
    const tagged = record.tags?.[MLFLOW_USER_TAG];
    return typeof tagged === 'string' ? tagged : user;
  }, undefined);
  const changed = await deps.evalDatasets.recordsChanged(datasetId, {
    inserted,
    now,
    ...(lastUpdatedBy !== undefined ? { lastUpdatedBy } : {}),
    schema: (current) => updateSchema(current, records),
  });
  if (!changed) throw datasetNotFound(datasetId);
  return { inserted, updated };
};

const recordsScope = (datasetId: string) => ({ kind: 'datasets/records', request: datasetId });

const readCursor = (position: unknown): RecordCursor | undefined => {
  const { t, id } = (position ?? {}) as { t?: unknown; id?: unknown };
  return typeof t === 'number' && Number.isSafeInteger(t) && typeof id === 'string' && id.length <= 100 ? { createdTime: t, recordId: id } : undefined;
};

/** A page of records in (created_time, record id) order, and the token of the next page when more follow. */
export const datasetRecordsPage = async (deps: Pick<DatasetDeps, 'evalDatasets'>, datasetId: string, maxResults: number | undefined, pageToken: string | undefined) => {
  if (maxResults !== undefined && maxResults < 0) throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  const limit = Math.min(maxResults || RECORDS_PAGE_DEFAULT, RECORDS_PAGE_MAX);
  const after = decodePageToken(pageToken, recordsScope(datasetId), readCursor);
  const { records, more } = await deps.evalDatasets.recordsPage(datasetId, after, limit, RECORDS_PAGE_BYTES);
  const last = records.at(-1);
  const nextPageToken = more && last ? encodePageToken(recordsScope(datasetId), { t: last.createdTime, id: last.recordId }) : undefined;
  return { records, nextPageToken };
};
