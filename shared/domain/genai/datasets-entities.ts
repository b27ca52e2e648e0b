/**
 * MLflow 3's evaluation datasets (mlflow/entities/evaluation_dataset.py, dataset_record.py; the SQL store's
 * evaluation_datasets, evaluation_dataset_tags, evaluation_dataset_records and entity_associations tables).
 * JSON values of records are kept as JSON text, so what a client stored comes back as it sent it.
 */

/** The schema MLflow infers from the records upserted (`_update_dataset_schema`), in the order fields first came. */
export interface DatasetSchema {
  readonly inputs: readonly (readonly [string, string])[];
  /** Field types of dict outputs, or the type of the first non-dict outputs. */
  readonly outputs: readonly (readonly [string, string])[] | string;
  readonly expectations: readonly (readonly [string, string])[];
}

export interface EvaluationDataset {
  readonly datasetId: string;
  readonly name: string;
  /** 8 hex digits of SHA-256 of `<name>:<last change ms>`: a new digest with every record change. */
  readonly digest: string;
  readonly createdTime: number;
  readonly lastUpdateTime: number;
  readonly createdBy?: string;
  readonly lastUpdatedBy?: string;
  readonly tags: Record<string, string>;
  /** Absent until records arrive. */
  readonly schema?: DatasetSchema;
  /** Records in the dataset: MLflow's profile `{"num_records": n}` once there are any. */
  readonly recordCount: number;
}

export const RECORD_SOURCE_TYPES = ['SOURCE_TYPE_UNSPECIFIED', 'TRACE', 'HUMAN', 'DOCUMENT', 'CODE'] as const;

/** A key and its JSON text, in the order MLflow's dict keeps them (first set first; an update keeps the place). */
export type JsonEntries = readonly (readonly [string, string])[];

export interface DatasetRecord {
  readonly datasetId: string;
  readonly recordId: string;
  /** SHA-256 of the inputs as Python's `json.dumps(inputs, sort_keys=True)`: a record's identity in its dataset. */
  readonly inputHash: string;
  readonly inputs: string;
  /** JSON text; absent when the client sent `"outputs": null`. */
  readonly outputs?: string;
  /** Absent until a record brings expectations. */
  readonly expectations?: JsonEntries;
  readonly tags: JsonEntries;
  /** `{"source_type": ..., "source_data": {...}}` as JSON text. */
  readonly source?: string;
  readonly sourceType?: string;
  readonly sourceId?: string;
  readonly createdTime: number;
  readonly lastUpdateTime: number;
  readonly createdBy?: string;
  readonly lastUpdatedBy?: string;
}

/** What one upserted record asks of an existing record with the same inputs (`SqlEvaluationDatasetRecord.merge`). */
export interface RecordMerge {
  /** Replaces the outputs when the record named them (`undefined` to keep them, `null` to clear them). */
  readonly outputs?: string | null;
  /** Entries set (added or replaced) in the expectations and tags. */
  readonly expectations: JsonEntries;
  readonly tags: JsonEntries;
  readonly lastUpdatedBy?: string;
}

/** Where a records page continues: after this record, in (created_time, record id) order. */
export interface RecordCursor {
  readonly createdTime: number;
  readonly recordId: string;
}

/** The dataset-level change an upsert makes once its records are written. */
export interface DatasetRecordsChange {
  readonly inserted: number;
  readonly now: number;
  readonly lastUpdatedBy?: string;
  /** The new schema from the dataset's current one (called again if another upsert changed it meanwhile). */
  readonly schema: (current: DatasetSchema | undefined) => DatasetSchema | undefined;
}

/** shared/data/eval-datasets implements it on DynamoDB. */
export interface EvalDatasetStore {
  create(dataset: EvaluationDataset, experimentIds: readonly string[]): Promise<void>;
  get(datasetId: string): Promise<EvaluationDataset | undefined>;
  /** Every dataset (search filters and orders in memory). */
  list(): Promise<EvaluationDataset[]>;
  /** Ids of the datasets associated with any of the experiments. */
  idsInExperiments(experimentIds: readonly string[]): Promise<Set<string>>;
  /** Removes the dataset, its records, tags and associations; false when it did not exist. */
  delete(datasetId: string): Promise<boolean>;
  /** Sets tags (an upsert per key); false when the dataset does not exist. */
  setTags(datasetId: string, tags: Record<string, string>): Promise<boolean>;
  deleteTag(datasetId: string, key: string): Promise<void>;
  /** Associated experiment ids, oldest association first. */
  experimentIds(datasetId: string): Promise<string[]>;
  /** Adds the associations that are missing and touches the dataset; false when it does not exist. */
  addExperiments(datasetId: string, experimentIds: readonly string[], now: number): Promise<boolean>;
  /** Removes those that exist (touching the dataset if any did); undefined when the dataset does not exist. */
  removeExperiments(datasetId: string, experimentIds: readonly string[], now: number): Promise<string[] | undefined>;
  /** The records with these input hashes that exist, by hash. */
  recordsByHash(datasetId: string, hashes: readonly string[]): Promise<Map<string, DatasetRecord>>;
  /**
   * Inserts records whose inputs the dataset does not hold yet. Answers the hashes another writer inserted first:
   * those records were not written, and the caller merges into the existing ones instead.
   */
  insertRecords(records: readonly DatasetRecord[]): Promise<Set<string>>;
  mergeRecord(record: DatasetRecord, merge: RecordMerge, now: number): Promise<void>;
  recordsPage(datasetId: string, after: RecordCursor | undefined, limit: number, maxBytes: number): Promise<{ records: DatasetRecord[]; more: boolean }>;
  /** Applies an upsert's dataset-level change; false when the dataset no longer exists. */
  recordsChanged(datasetId: string, change: DatasetRecordsChange): Promise<boolean>;
}
