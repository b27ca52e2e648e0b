import { Hono } from 'hono';
import * as datasets from '../../../shared/domain/genai/datasets.js';
import { MLFLOW_USER_TAG } from '../../../shared/domain/genai/datasets-records.js';
import { BODY_LIMITS } from '../../../shared/http/request-params.js';
import * as S from '../../../shared/schemas/eval-datasets.js';
import { accessOf } from '../auth-context.js';
import { rpc } from '../rpc.js';
import { datasetToJson, recordsToJson, tagsFromJson } from './eval-datasets-wire.js';

/**
 * MLflow 3's evaluation datasets, under /api/3.0/mlflow (and its /ajax-api twin) as MLflow registers them.
 * `/datasets/search` and `/datasets/create` are registered before `/datasets/:dataset_id`.
 */
export const evalDatasetRoutes = (deps: datasets.DatasetDeps) =>
  new Hono()
    .post(
      '/datasets/create',
      rpc(S.CreateDatasetRequest, async (input, c) => {
        const access = accessOf(c);
        const tags = tagsFromJson(input.tags, access);
        // The creator is the authenticated user when there is one (the dataset's created_by comes from this tag).
        if (access.username !== undefined) tags[MLFLOW_USER_TAG] = access.username;
        const { dataset, experimentIds } = await datasets.createDataset(deps, { name: input.name, experimentIds: input.experiment_ids ?? [], tags });
        return { dataset: datasetToJson(dataset, experimentIds) };
      }),
    )
    .on(
      ['GET', 'POST'],
      '/datasets/search',
      rpc(S.SearchDatasetsRequest, async (input) => {
        const { page, nextPageToken } = await datasets.searchDatasets(deps, {
          experimentIds: input.experiment_ids,
          filter: input.filter_string,
          maxResults: input.max_results,
          orderBy: input.order_by,
          pageToken: input.page_token,
        });
        return { ...(page.length > 0 ? { datasets: page.map((dataset) => datasetToJson(dataset)) } : {}), next_page_token: nextPageToken };
      }),
    )
    .get(
      '/datasets/:dataset_id',
      rpc(S.DatasetIdRequest, async (input) => ({ dataset: datasetToJson(await datasets.getDataset(deps, input.dataset_id)) })),
    )
    .delete(
      '/datasets/:dataset_id',
      rpc(S.DatasetIdRequest, async (input) => (await datasets.deleteDataset(deps, input.dataset_id), {})),
    )
    .patch(
      '/datasets/:dataset_id/tags',
      rpc(S.SetDatasetTagsRequest, async (input, c) => {
        await datasets.setDatasetTags(deps, input.dataset_id, tagsFromJson(input.tags, accessOf(c)));
        return {};
      }),
    )
    .delete(
      '/datasets/:dataset_id/tags/:key',
      rpc(S.DeleteDatasetTagRequest, async (input) => (await datasets.deleteDatasetTag(deps, input.dataset_id, input.key), {})),
    )
    .post(
      '/datasets/:dataset_id/records',
      rpc(
        S.UpsertDatasetRecordsRequest,
        async (input, c) => {
          const { inserted, updated } = await datasets.upsertDatasetRecords(deps, input.dataset_id, input.records, accessOf(c).username);
          return { inserted_count: inserted, updated_count: updated };
        },
        { maxBodyBytes: BODY_LIMITS.batch },
      ),
    )
    .get(
      '/datasets/:dataset_id/records',
      rpc(S.GetDatasetRecordsRequest, async (input) => {
        const { records, nextPageToken } = await datasets.datasetRecordsPage(deps, input.dataset_id, input.max_results, input.page_token);
        return { records: recordsToJson(records), next_page_token: nextPageToken };
      }),
    )
    .get(
      '/datasets/:dataset_id/experiment-ids',
      rpc(S.DatasetIdRequest, async (input) => {
        const experimentIds = await datasets.datasetExperimentIds(deps, input.dataset_id);
        return experimentIds.length > 0 ? { experiment_ids: experimentIds } : {};
      }),
    )
    .post(
      '/datasets/:dataset_id/add-experiments',
      rpc(S.DatasetExperimentsRequest, async (input) => ({
        dataset: datasetToJson(await datasets.addDatasetToExperiments(deps, input.dataset_id, input.experiment_ids ?? [])),
      })),
    )
    .post(
      '/datasets/:dataset_id/remove-experiments',
      rpc(S.DatasetExperimentsRequest, async (input) => ({
        dataset: datasetToJson(await datasets.removeDatasetFromExperiments(deps, input.dataset_id, input.experiment_ids ?? [])),
      })),
    );
