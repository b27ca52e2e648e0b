import type { Access } from '../../../shared/domain/auth/access.js';
import type { EvaluationDataset } from '../../../shared/domain/genai/datasets-entities.js';
import { isJsonObject, pyJson, pyJsonEntries, pyStr } from '../../../shared/domain/genai/datasets-json.js';
import { MLFLOW_USER_TAG, recordJson, schemaJson } from '../../../shared/domain/genai/datasets-records.js';
import type { DatasetRecord } from '../../../shared/domain/genai/datasets-entities.js';
import { invalidParameter } from '../../../shared/errors/index.js';

/**
 * Evaluation datasets on the wire, as MLflow's `Dataset` message and message_to_json write them: JSON fields
 * (tags, schema, profile) as JSON text, int64 times as numbers, unset fields and empty lists left out.
 */
export const datasetToJson = (dataset: EvaluationDataset, experimentIds?: readonly string[]) => {
  const tags = Object.entries(dataset.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    dataset_id: dataset.datasetId,
    name: dataset.name,
    tags: pyJsonEntries(tags.map(([key, value]) => [key, pyJson(value)])),
    ...(dataset.schema ? { schema: schemaJson(dataset.schema) } : {}),
    ...(dataset.recordCount > 0 ? { profile: pyJson({ num_records: dataset.recordCount }) } : {}),
    digest: dataset.digest,
    created_time: dataset.createdTime,
    last_update_time: dataset.lastUpdateTime,
    ...(dataset.createdBy !== undefined ? { created_by: dataset.createdBy } : {}),
    ...(dataset.lastUpdatedBy !== undefined ? { last_updated_by: dataset.lastUpdatedBy } : {}),
    ...(experimentIds && experimentIds.length > 0 ? { experiment_ids: [...experimentIds] } : {}),
  };
};

/** GetDatasetRecords' `records`: `json.dumps` of the records' dicts. */
export const recordsToJson = (records: readonly DatasetRecord[]): string => `[${records.map(recordJson).join(', ')}]`;

/**
 * A `tags` field: JSON text of an object. Values become their `str()` as set_dataset_tags stores them; a null value
 * is skipped. With authorization on, an `mlflow.user` tag names the caller, whatever the client sent (as runs do).
 */
export const tagsFromJson = (text: string | undefined, access: Access | undefined): Record<string, string> => {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter("Invalid value for parameter 'tags': it must be a JSON object of tag keys and values.");
  }
  if (!isJsonObject(parsed)) throw invalidParameter("Invalid value for parameter 'tags': it must be a JSON object of tag keys and values.");
  const tags: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(parsed)) if (value !== null) tags[key] = pyStr(value);
  const username = access?.username;
  if (username !== undefined && Object.hasOwn(tags, MLFLOW_USER_TAG)) tags[MLFLOW_USER_TAG] = username;
  return tags;
};
