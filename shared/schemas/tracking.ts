import { z } from 'zod';
import { LOGGED_MODEL_STATUSES, RUN_STATUSES, VIEW_TYPES } from '../domain/tracking/entities.js';
import { LIMITS } from '../domain/tracking/validation.js';
import { echoText, experimentNameNotFound, experimentNotFound, invalidParameter, loggedModelNotFound, runNotFound } from '../errors/index.js';
import {
  Bool,
  Double,
  ExperimentId,
  Int32,
  Int64,
  KeyValue,
  limitedText,
  lookupKey,
  NAME_MAX_BYTES,
  PageToken,
  protoEnum,
  repeated,
  requiredKey,
  RequiredString,
} from './common.js';

/** Request schemas, one per MLflow RPC (mlflow/protos/service.proto; required fields per handlers.py). */

const Tags = repeated(KeyValue).optional();
const ViewType = protoEnum(VIEW_TYPES);

/** An experiment to look up: an id too long for a key is an experiment that does not exist. */
const ExperimentRef = ExperimentId.pipe(requiredKey(experimentNotFound));
/** Experiment ids that filter a search: one too long for a key is refused, as no experiment can have it. */
const ExperimentFilterId = ExperimentId.pipe(lookupKey());
/** A run to look up, by `run_id` or `run_uuid`. */
const RunRef = lookupKey(runNotFound);
/** Ids of other entities a request mentions (logged models, metric keys, model ids). */
const Key = lookupKey();
const RequiredKey = requiredKey();

export const CreateExperimentRequest = z.object({
  name: RequiredString,
  artifact_location: z.string().optional(),
  tags: Tags,
});
export const GetExperimentRequest = z.object({ experiment_id: ExperimentRef });
export const GetExperimentByNameRequest = z.object({ experiment_name: requiredKey(experimentNameNotFound, NAME_MAX_BYTES) });
export const SearchExperimentsRequest = z.object({
  max_results: Int64.optional(),
  page_token: PageToken,
  filter: z.string().optional(),
  order_by: repeated(z.string()).optional(),
  view_type: ViewType.optional(),
});
export const UpdateExperimentRequest = z.object({
  experiment_id: ExperimentRef,
  new_name: RequiredString,
});
export const ExperimentIdRequest = GetExperimentRequest;
export const SetExperimentTagRequest = z.object({
  experiment_id: ExperimentRef,
  key: RequiredString,
  value: z.string().optional(),
});
export const DeleteExperimentTagRequest = z.object({
  experiment_id: ExperimentRef,
  key: RequiredString,
});

/** `run_uuid` is the old name of `run_id`; MLflow accepts either (§1.2). */
const RunIdFields = { run_id: RunRef.optional(), run_uuid: RunRef.optional() };

export const CreateRunRequest = z.object({
  experiment_id: ExperimentId.pipe(lookupKey(experimentNotFound)).optional(),
  user_id: limitedText('User id', LIMITS.userIdLength).optional(),
  run_name: limitedText('Run name', LIMITS.runNameLength).optional(),
  start_time: Int64.optional(),
  tags: Tags,
});
export const RunIdRequest = z.object(RunIdFields);
export const UpdateRunRequest = z.object({
  ...RunIdFields,
  status: protoEnum(RUN_STATUSES).optional(),
  end_time: Int64.optional(),
  run_name: limitedText('Run name', LIMITS.runNameLength).optional(),
});
export const LogParamRequest = z.object({ ...RunIdFields, key: RequiredString, value: z.string().optional() });
export const SetTagRequest = LogParamRequest;
/** The key of a tag to delete follows the length rule of set-tag's, so no key too long for the table reaches it. */
export const DeleteTagRequest = z.object({
  ...RunIdFields,
  key: limitedText('Tag key', LIMITS.entityKeyLength).pipe(RequiredString),
});

const MetricFields = {
  key: RequiredString,
  value: Double,
  timestamp: Int64,
  step: Int64.optional(),
  model_id: Key.optional(),
  dataset_name: Key.optional(),
  dataset_digest: Key.optional(),
};
/** A metric as it travels in log-metric and in log-batch's list. */
export const WireMetric = z.object(MetricFields);
export const LogMetricRequest = z.object({ ...RunIdFields, ...MetricFields });
export const LogBatchRequest = z.object({
  run_id: RequiredString,
  metrics: repeated(z.object({ ...MetricFields, run_id: Key.optional() })).optional(),
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
/**
 * One logged dataset is one item, which DynamoDB keeps under 400 KB: MLflow accepts a profile of 16 MB and a
 * schema of 1 MB, Cairn a dataset of LIMITS.datasetItemBytes in all.
 */
const DatasetInput = z.object({ tags: Tags, dataset: Dataset }).superRefine((input, ctx) => {
  const { dataset, tags } = input;
  const texts = [dataset.name, dataset.digest, dataset.source_type, dataset.source, dataset.schema ?? '', dataset.profile ?? ''];
  for (const tag of tags ?? []) texts.push(tag.key, tag.value ?? '');
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  if (bytes <= LIMITS.datasetItemBytes) return;
  ctx.addIssue({
    code: 'custom',
    message: 'too large',
    params: {
      error: invalidParameter(
        `Dataset '${echoText(dataset.name)}' is too large: its fields and tags take ${bytes} bytes, and Cairn stores at most ${LIMITS.datasetItemBytes} bytes per dataset (schema and profile included).`,
      ),
    },
  });
});

export const LogInputsRequest = z.object({
  run_id: RequiredString,
  datasets: repeated(DatasetInput).optional(),
  models: repeated(z.object({ model_id: RequiredKey })).optional(),
});
export const LogOutputsRequest = z.object({
  run_id: RequiredString.pipe(RunRef),
  models: repeated(z.object({ model_id: RequiredKey, step: Int64.optional() })),
});
export const SearchRunsRequest = z.object({
  experiment_ids: repeated(ExperimentFilterId).optional(),
  filter: z.string().optional(),
  run_view_type: ViewType.optional(),
  max_results: Int32.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});

export const GetMetricHistoryRequest = z.object({
  ...RunIdFields,
  metric_key: RequiredKey,
  page_token: PageToken,
  max_results: Int32.optional(),
});
export const GetMetricHistoryBulkIntervalRequest = z.object({
  run_ids: repeated(RequiredKey),
  metric_key: RequiredKey,
  start_step: Int32.optional(),
  end_step: Int32.optional(),
  max_results: Int32.optional(),
});

export const CreateLoggedModelRequest = z.object({
  experiment_id: ExperimentRef,
  name: limitedText('Logged model name', LIMITS.loggedModelNameLength).optional(),
  model_type: limitedText('Logged model type', LIMITS.loggedModelTypeLength).optional(),
  source_run_id: Key.optional(),
  params: repeated(KeyValue).optional(),
  tags: Tags,
});
/** A logged model named by the path (`/logged-models/:model_id`). */
const LoggedModelPath = { model_id: requiredKey(loggedModelNotFound) };
export const LoggedModelIdRequest = z.object(LoggedModelPath);
export const DeleteLoggedModelTagRequest = z.object({ ...LoggedModelPath, tag_key: RequiredKey });
export const FinalizeLoggedModelRequest = z.object({ ...LoggedModelPath, status: protoEnum(LOGGED_MODEL_STATUSES, 0) });
export const SetLoggedModelTagsRequest = z.object({ ...LoggedModelPath, tags: Tags });
export const LogLoggedModelParamsRequest = z.object({ ...LoggedModelPath, params: repeated(KeyValue).optional() });
export const SearchLoggedModelsRequest = z.object({
  experiment_ids: repeated(ExperimentFilterId),
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
