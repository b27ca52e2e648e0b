import { z } from 'zod';
import { ExperimentId, Int32, RequiredString, limitedText, lookupKey, repeated } from './common.js';

/**
 * MLflow 3's evaluation dataset RPCs (service.proto CreateDataset ... RemoveDatasetFromExperiments). Tags and
 * records travel as JSON text inside the JSON body, as MLflow's client sends them (`tags`: a JSON object,
 * `records`: a JSON list of record dicts); the use cases read that text.
 */

/** A dataset id to look up (path parameter): one too long for a key names no dataset. */
const DatasetId = RequiredString.pipe(lookupKey());
const ExperimentIds = repeated(ExperimentId.pipe(lookupKey()));

/** MLflow's column holds 255 characters. */
export const DatasetName = RequiredString.pipe(limitedText('Dataset name', 255));

export const CreateDatasetRequest = z.object({
  name: DatasetName,
  experiment_ids: ExperimentIds.optional(),
  tags: z.string().optional(),
});

export const DatasetIdRequest = z.object({ dataset_id: DatasetId });

export const SearchDatasetsRequest = z.object({
  experiment_ids: ExperimentIds.optional(),
  filter_string: z.string().optional(),
  max_results: Int32.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: z.string().optional(),
});

export const SetDatasetTagsRequest = z.object({ dataset_id: DatasetId, tags: RequiredString });

export const DeleteDatasetTagRequest = z.object({ dataset_id: DatasetId, key: z.string() });

export const UpsertDatasetRecordsRequest = z.object({ dataset_id: DatasetId, records: RequiredString });

export const GetDatasetRecordsRequest = z.object({
  dataset_id: DatasetId,
  max_results: Int32.optional(),
  page_token: z.string().optional(),
});

export const DatasetExperimentsRequest = z.object({ dataset_id: DatasetId, experiment_ids: ExperimentIds.optional() });
