import { z } from 'zod';
import { loggedModelNotFound, runNotFound } from '../errors/index.js';
import { ExperimentId, Int32, lookupKey, repeated } from './common.js';

/**
 * Request schemas of the endpoints MLflow serves under `/ajax-api` for its UI and newer clients
 * (mlflow/server/handlers.py, mlflow/server/__init__.py). Their handlers read the query or body themselves and
 * answer their own messages for what is missing (ui-endpoints.ts in the domain); these schemas check types.
 */

const ModelRef = lookupKey(loggedModelNotFound);

/** `GET .../metrics/get-history-bulk?run_id=a&run_id=b&metric_key=m&max_results=n`. */
export const GetMetricHistoryBulkRequest = z.object({
  run_id: repeated(lookupKey()).optional(),
  metric_key: lookupKey().optional(),
  max_results: Int32.optional(),
});

/** `POST .../experiments/search-datasets` with `{"experiment_ids": [...]}`. */
export const SearchDatasetsRequest = z.object({ experiment_ids: repeated(ExperimentId.pipe(lookupKey())).optional() });

/** `POST .../upload-artifact?run_uuid=&path=`: the fields travel in the query, the file is the body. */
export const UploadArtifactRequest = z.object({ run_uuid: lookupKey(runNotFound).optional(), path: z.string().optional() });

/** `GET .../logged-models/<model_id>/artifacts/directories?artifact_directory_path=`. */
export const ListLoggedModelArtifactsRequest = z.object({ model_id: ModelRef, artifact_directory_path: z.string().optional() });

/** `GET .../logged-models/<model_id>/artifacts/files?artifact_file_path=`. */
export const GetLoggedModelArtifactRequest = z.object({ model_id: ModelRef, artifact_file_path: z.string().optional() });
