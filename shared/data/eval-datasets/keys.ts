/**
 * Evaluation datasets (MLflow 3). A dataset's partition holds the dataset, its records (ordered as MLflow pages
 * them, by creation time then id), one guard per distinct inputs (the record's identity: upserts with equal inputs
 * meet there) and its experiment associations.
 *   EVDS#<datasetId> / EVDS                           the dataset, tags inline (gsi1: EVAL_DATASETS / <created ms, 15 digits>#<id>)
 *   EVDS#<datasetId> / R#<created ms, 15 digits>#<recordId>   a record
 *   EVDS#<datasetId> / RH#<SHA-256 of the inputs>     guard: the sort key of the record with these inputs
 *   EVDS#<datasetId> / EXP#<experimentId>             association (gsi1: EVDSEXP#<experimentId> / <datasetId>)
 */
export const datasetPartition = (datasetId: string) => `EVDS#${datasetId}`;
export const datasetKey = (datasetId: string) => ({ pk: datasetPartition(datasetId), sk: 'EVDS' }) as const;
export const DATASET_LISTING_PARTITION = 'EVAL_DATASETS';
export const datasetListingKey = (createdTime: number, datasetId: string) =>
  ({ gsi1pk: DATASET_LISTING_PARTITION, gsi1sk: `${String(createdTime).padStart(15, '0')}#${datasetId}` }) as const;

export const RECORD_PREFIX = 'R#';
export const recordSortKey = (createdTime: number, recordId: string) => `${RECORD_PREFIX}${String(createdTime).padStart(15, '0')}#${recordId}`;
export const recordKey = (datasetId: string, createdTime: number, recordId: string) =>
  ({ pk: datasetPartition(datasetId), sk: recordSortKey(createdTime, recordId) }) as const;
export const recordGuardKey = (datasetId: string, inputHash: string) => ({ pk: datasetPartition(datasetId), sk: `RH#${inputHash}` }) as const;

export const ASSOCIATION_PREFIX = 'EXP#';
export const associationKey = (datasetId: string, experimentId: string) =>
  ({ pk: datasetPartition(datasetId), sk: `${ASSOCIATION_PREFIX}${experimentId}` }) as const;
export const experimentDatasetsPartition = (experimentId: string) => `EVDSEXP#${experimentId}`;
export const associationListingKey = (experimentId: string, datasetId: string) =>
  ({ gsi1pk: experimentDatasetsPartition(experimentId), gsi1sk: datasetId }) as const;
