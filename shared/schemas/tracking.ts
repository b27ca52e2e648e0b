import { z } from 'zod';
import { LOGGED_MODEL_STATUSES, RUN_STATUSES, VIEW_TYPES } from '../domain/entities.js';
import {
  Bool,
  Double,
  ExperimentId,
  Int32,
  Int64,
  KeyValue,
  PageToken,
  protoEnum,
  repeated,
  RequiredString,
} from './common.js';

/** Request schemas, one per MLflow RPC (mlflow/protos/service.proto; required fields per handlers.py). */

const Tags = repeated(KeyValue).optional();
const ViewType = protoEnum(VIEW_TYPES);

export const CreateExperimentRequest = z.object({
  name: RequiredString,
  artifact_location: z.string().optional(),
  tags: Tags,
});
export const GetExperimentRequest = z.object({ experiment_id: ExperimentId.pipe(RequiredString) });
export const GetExperimentByNameRequest = z.object({ experiment_name: RequiredString });
export const SearchExperimentsRequest = z.object({
  max_results: Int64.optional(),
  page_token: PageToken,
  filter: z.string().optional(),
  order_by: repeated(z.string()).optional(),
  view_type: ViewType.optional(),
});
export const UpdateExperimentRequest = z.object({
  experiment_id: ExperimentId.pipe(RequiredString),
  new_name: RequiredString,
});
export const ExperimentIdRequest = GetExperimentRequest;
export const SetExperimentTagRequest = z.object({
  experiment_id: ExperimentId.pipe(RequiredString),
  key: RequiredString,
  value: z.string().optional(),
});
export const DeleteExperimentTagRequest = z.object({
  experiment_id: ExperimentId.pipe(RequiredString),
  key: RequiredString,
});

/** `run_uuid` is the old name of `run_id`; MLflow accepts either (§1.2). */
const RunIdFields = { run_id: z.string().optional(), run_uuid: z.string().optional() };

export const CreateRunRequest = z.object({
  experiment_id: ExperimentId.optional(),
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: Int64.optional(),
  tags: Tags,
});
export const RunIdRequest = z.object(RunIdFields);
export const UpdateRunRequest = z.object({
  ...RunIdFields,
  status: protoEnum(RUN_STATUSES).optional(),
  end_time: Int64.optional(),
  run_name: z.string().optional(),
});
export const LogParamRequest = z.object({ ...RunIdFields, key: RequiredString, value: z.string().optional() });
export const SetTagRequest = LogParamRequest;
export const DeleteTagRequest = z.object({ ...RunIdFields, key: RequiredString });

const MetricFields = {
  key: RequiredString,
  value: Double,
  timestamp: Int64,
  step: Int64.optional(),
  model_id: z.string().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
};
/** A metric as it travels in log-metric and in log-batch's list. */
export const WireMetric = z.object(MetricFields);
export const LogMetricRequest = z.object({ ...RunIdFields, ...MetricFields });
export const LogBatchRequest = z.object({
  run_id: RequiredString,
  metrics: repeated(z.object({ ...MetricFields, run_id: z.string().optional() })).optional(),
  params: repeated(KeyValue).optional(),
  tags: Tags,
});

const Dataset = z.object({
  name: RequiredString,
  digest: RequiredString,
  source_type: RequiredString,
  source: RequiredString,
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export const LogInputsRequest = z.object({
  run_id: RequiredString,
  datasets: repeated(z.object({ tags: Tags, dataset: Dataset })).optional(),
  models: repeated(z.object({ model_id: RequiredString })).optional(),
});
export const LogOutputsRequest = z.object({
  run_id: RequiredString,
  models: repeated(z.object({ model_id: RequiredString, step: Int64.optional() })),
});
export const SearchRunsRequest = z.object({
  experiment_ids: repeated(ExperimentId).optional(),
  filter: z.string().optional(),
  run_view_type: ViewType.optional(),
  max_results: Int32.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});

export const GetMetricHistoryRequest = z.object({
  ...RunIdFields,
  metric_key: RequiredString,
  page_token: PageToken,
  max_results: Int32.optional(),
});
export const GetMetricHistoryBulkIntervalRequest = z.object({
  run_ids: repeated(RequiredString),
  metric_key: RequiredString,
  start_step: Int32.optional(),
  end_step: Int32.optional(),
  max_results: Int32.optional(),
});

export const CreateLoggedModelRequest = z.object({
  experiment_id: ExperimentId.pipe(RequiredString),
  name: z.string().optional(),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  params: repeated(KeyValue).optional(),
  tags: Tags,
});
export const FinalizeLoggedModelRequest = z.object({ status: protoEnum(LOGGED_MODEL_STATUSES, 0) });
export const SetLoggedModelTagsRequest = z.object({ tags: Tags });
export const LogLoggedModelParamsRequest = z.object({ params: repeated(KeyValue).optional() });
export const SearchLoggedModelsRequest = z.object({
  experiment_ids: repeated(ExperimentId),
  filter: z.string().optional(),
  datasets: repeated(z.object({ dataset_name: RequiredString, dataset_digest: z.string().optional() })).optional(),
  max_results: Int32.optional(),
  order_by: repeated(
    z.object({
      field_name: RequiredString,
      ascending: Bool.optional(),
      dataset_name: z.string().optional(),
      dataset_digest: z.string().optional(),
    }),
  ).optional(),
  page_token: PageToken,
});
