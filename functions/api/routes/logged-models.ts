import { Hono } from 'hono';
import type { TrackingPorts } from '../../../shared/domain/tracking/ports.js';
import * as models from '../../../shared/domain/tracking/logged-models.js';
import { loggedModelToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/tracking.js';
import { accessOf } from '../auth-context.js';
import { withRecordedUserTag, withUserTagOfCaller } from '../recorded-user.js';
import { keyValues, rpc } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';

/** MLflow 3 logged models. `/logged-models/search` is registered before `/logged-models/:model_id`. */
export const loggedModelRoutes = (deps: TrackingPorts) =>
  new Hono()
    .post(
      '/logged-models',
      rpc(S.CreateLoggedModelRequest, async (input, c) => ({
        model: loggedModelToJson(
          await models.createLoggedModel(deps, {
            experimentId: input.experiment_id,
            name: input.name,
            modelType: input.model_type,
            sourceRunId: input.source_run_id,
            params: keyValues(input.params),
            // MLflow's client tags the model with the local user (context_registry); the authenticated one wins.
            tags: withRecordedUserTag(accessOf(c), keyValues(input.tags)),
          }),
        ),
      })),
    )
    .post(
      '/logged-models/search',
      rpc(S.SearchLoggedModelsRequest, async (input, c) => {
        const { page, nextPageToken } = await models.searchLoggedModels(deps, {
          experimentIds: input.experiment_ids,
          filter: input.filter,
          datasets: input.datasets?.map((d) => ({ datasetName: d.dataset_name, datasetDigest: d.dataset_digest })),
          maxResults: input.max_results,
          orderBy: input.order_by?.map((o) => ({
            fieldName: o.field_name,
            ascending: o.ascending,
            datasetName: o.dataset_name,
            datasetDigest: o.dataset_digest,
          })),
          pageToken: input.page_token,
        }, experimentsVisibleTo(accessOf(c)));
        return { models: page.length > 0 ? page.map(loggedModelToJson) : undefined, next_page_token: nextPageToken };
      }),
    )
    .get(
      '/logged-models/:model_id',
      rpc(S.LoggedModelIdRequest, async (input) => ({ model: loggedModelToJson(await models.getLoggedModel(deps, input.model_id)) })),
    )
    .patch(
      '/logged-models/:model_id',
      rpc(S.FinalizeLoggedModelRequest, async (input) => ({
        model: loggedModelToJson(await models.finalizeLoggedModel(deps, input.model_id, input.status)),
      })),
    )
    .delete(
      '/logged-models/:model_id',
      rpc(S.LoggedModelIdRequest, async (input) => (await models.deleteLoggedModel(deps, input.model_id), {})),
    )
    .patch(
      '/logged-models/:model_id/tags',
      rpc(S.SetLoggedModelTagsRequest, async (input, c) => {
        await models.setLoggedModelTags(deps, input.model_id, withUserTagOfCaller(accessOf(c), keyValues(input.tags)));
        return {};
      }),
    )
    .delete(
      '/logged-models/:model_id/tags/:tag_key',
      rpc(S.DeleteLoggedModelTagRequest, async (input) => {
        await models.deleteLoggedModelTag(deps, input.model_id, input.tag_key);
        return {};
      }),
    )
    .post(
      '/logged-models/:model_id/params',
      rpc(S.LogLoggedModelParamsRequest, async (input) => {
        await models.logLoggedModelParams(deps, input.model_id, keyValues(input.params));
        return {};
      }),
    );
