import { Hono } from 'hono';
import * as scorers from '../../../shared/domain/genai/scorers.js';
import type { ScorerVersion } from '../../../shared/domain/genai/scorers-entities.js';
import * as S from '../../../shared/schemas/scorers.js';
import { rpc } from '../rpc.js';

/**
 * A version as MLflow's `Scorer` message: `experiment_id` is an int32 there (the SQL column is an integer), and
 * message_to_json writes the int64 `creation_time` as a number.
 */
export const scorerToJson = (scorer: ScorerVersion) => ({
  experiment_id: /^\d+$/.test(scorer.experimentId) ? Number(scorer.experimentId) : scorer.experimentId,
  scorer_name: scorer.name,
  scorer_version: scorer.version,
  serialized_scorer: scorer.serializedScorer,
  creation_time: scorer.creationTime,
  scorer_id: scorer.scorerId,
});

/** An empty repeated field is left out of MLflow's JSON. */
const scorerList = (versions: ScorerVersion[]) => (versions.length > 0 ? { scorers: versions.map(scorerToJson) } : {});

/** MLflow 3's scorer registry, served under /api/3.0/mlflow (and its /ajax-api twin) as MLflow registers it. */
export const scorerRoutes = (deps: scorers.ScorerDeps) =>
  new Hono()
    .post(
      '/scorers/register',
      rpc(S.RegisterScorerRequest, async (input) => {
        const version = await scorers.registerScorer(deps, input.experiment_id, input.name, input.serialized_scorer);
        return {
          version: version.version,
          scorer_id: version.scorerId,
          experiment_id: version.experimentId,
          name: version.name,
          serialized_scorer: version.serializedScorer,
          creation_time: version.creationTime,
        };
      }),
    )
    .get(
      '/scorers/list',
      rpc(S.ListScorersRequest, async (input) => scorerList(await scorers.listScorers(deps, input.experiment_id))),
    )
    .get(
      '/scorers/versions',
      rpc(S.ScorerNameRequest, async (input) => scorerList(await scorers.listScorerVersions(deps, input.experiment_id, input.name))),
    )
    .get(
      '/scorers/get',
      rpc(S.ScorerVersionRequest, async (input) => ({
        scorer: scorerToJson(await scorers.getScorer(deps, input.experiment_id, input.name, input.version)),
      })),
    )
    .delete(
      '/scorers/delete',
      rpc(S.ScorerVersionRequest, async (input) => (await scorers.deleteScorer(deps, input.experiment_id, input.name, input.version), {})),
    );
