import { Hono } from 'hono';
import type { TrackingPorts } from '../../../shared/domain/tracking/ports.js';
import * as experiments from '../../../shared/domain/tracking/experiments.js';
import { experimentToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/tracking.js';
import { accessOf } from '../auth-context.js';
import { keyValues, rpc } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';

export const experimentRoutes = (deps: TrackingPorts) => {
  const search = rpc(S.SearchExperimentsRequest, async (input, c) => {
    const { page, nextPageToken } = await experiments.searchExperiments(
      deps,
      {
        filter: input.filter,
        orderBy: input.order_by,
        maxResults: input.max_results,
        pageToken: input.page_token,
        viewType: input.view_type,
      },
      experimentsVisibleTo(accessOf(c)),
    );
    return { experiments: page.length > 0 ? page.map(experimentToJson) : undefined, next_page_token: nextPageToken };
  });
  return new Hono()
    .post(
      '/experiments/create',
      rpc(S.CreateExperimentRequest, async (input, c) => ({
        experiment_id: await experiments.createExperiment(deps, {
          name: input.name,
          artifactLocation: input.artifact_location,
          tags: keyValues(input.tags),
          // The creator manages what they created (authorization on; no user otherwise).
          creatorUserId: accessOf(c).userId,
        }),
      })),
    )
    .get(
      '/experiments/get',
      rpc(S.GetExperimentRequest, async (input) => ({
        experiment: experimentToJson(await experiments.getExperiment(deps, input.experiment_id)),
      })),
    )
    .get(
      '/experiments/get-by-name',
      rpc(S.GetExperimentByNameRequest, async (input) => ({
        experiment: experimentToJson(await experiments.getExperimentByName(deps, input.experiment_name)),
      })),
    )
    .post('/experiments/search', search)
    .get('/experiments/search', search)
    .post(
      '/experiments/update',
      rpc(S.UpdateExperimentRequest, async (input) => {
        await experiments.renameExperiment(deps, input.experiment_id, input.new_name);
        return {};
      }),
    )
    .post(
      '/experiments/delete',
      rpc(S.ExperimentIdRequest, async (input) => {
        await experiments.deleteExperiment(deps, input.experiment_id);
        return {};
      }),
    )
    .post(
      '/experiments/restore',
      rpc(S.ExperimentIdRequest, async (input) => {
        await experiments.restoreExperiment(deps, input.experiment_id);
        return {};
      }),
    )
    .post(
      '/experiments/set-experiment-tag',
      rpc(S.SetExperimentTagRequest, async (input) => {
        await experiments.setExperimentTag(deps, input.experiment_id, input.key, input.value ?? '');
        return {};
      }),
    )
    .post(
      '/experiments/delete-experiment-tag',
      rpc(S.DeleteExperimentTagRequest, async (input) => {
        await experiments.deleteExperimentTag(deps, input.experiment_id, input.key);
        return {};
      }),
    );
};
