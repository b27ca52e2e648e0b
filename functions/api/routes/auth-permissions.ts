import { Hono } from 'hono';
import type { AuthApiDeps } from '../../../shared/domain/auth/api-deps.js';
import * as grants from '../../../shared/domain/auth/grants.js';
import * as S from '../../../shared/schemas/auth.js';
import { rpc } from '../rpc.js';

/**
 * MLflow 3.6's per-resource permission RPCs: `experiments/permissions/*` by experiment id and
 * `registered-models/permissions/*` by model name, each for one user. Mounted under `/api/2.0/mlflow` and
 * `/ajax-api/2.0/mlflow`; the authorization policy requires MANAGE on the resource before these run.
 */
export const authPermissionRoutes = (deps: AuthApiDeps) =>
  new Hono()
    .post(
      '/experiments/permissions/create',
      rpc(S.ExperimentPermissionChange, async (input) => ({
        experiment_permission: await grants.createExperimentPermission(deps, { ...input, experimentId: input.experiment_id }),
      })),
    )
    .get(
      '/experiments/permissions/get',
      rpc(S.ExperimentPermissionRequest, async (input) => ({
        experiment_permission: await grants.getExperimentPermission(deps, { ...input, experimentId: input.experiment_id }),
      })),
    )
    .patch(
      '/experiments/permissions/update',
      rpc(S.ExperimentPermissionChange, async (input) => {
        await grants.updateExperimentPermission(deps, { ...input, experimentId: input.experiment_id });
        return {};
      }),
    )
    .delete(
      '/experiments/permissions/delete',
      rpc(S.ExperimentPermissionRequest, async (input) => {
        await grants.deleteExperimentPermission(deps, { ...input, experimentId: input.experiment_id });
        return {};
      }),
    )
    .post(
      '/registered-models/permissions/create',
      rpc(S.RegisteredModelPermissionChange, async (input) => ({
        registered_model_permission: await grants.createRegisteredModelPermission(deps, input),
      })),
    )
    .get(
      '/registered-models/permissions/get',
      rpc(S.RegisteredModelPermissionRequest, async (input) => ({
        registered_model_permission: await grants.getRegisteredModelPermission(deps, input),
      })),
    )
    .patch(
      '/registered-models/permissions/update',
      rpc(S.RegisteredModelPermissionChange, async (input) => (await grants.updateRegisteredModelPermission(deps, input), {})),
    )
    .delete(
      '/registered-models/permissions/delete',
      rpc(S.RegisteredModelPermissionRequest, async (input) => (await grants.deleteRegisteredModelPermission(deps, input), {})),
    );
