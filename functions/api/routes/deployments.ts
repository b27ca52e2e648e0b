import { Hono } from 'hono';
import { z } from 'zod';
import type { DeploymentPorts } from '../../../shared/domain/deployments/ports.js';
import { scoreDeployedModel } from '../../../shared/domain/deployments/scoring.js';
import * as deployments from '../../../shared/domain/deployments/use-cases.js';
import { badRequest } from '../../../shared/errors/index.js';
import * as S from '../../../shared/schemas/deployments.js';
import { RequiredString } from '../../../shared/schemas/common.js';
import { rpc } from '../rpc.js';

/**
 * Cairn's deployment API under /api/2.0/cairn, in MLflow's RPC style (GET reads from the query, POST/DELETE
 * from the JSON body): a model's deployment policy, its deployments with their step history, approvals,
 * and scoring a deployed alias.
 */
export const deploymentRoutes = (deps: DeploymentPorts) =>
  new Hono()
    .post(
      '/registered-models/deployment-policy',
      rpc(S.SetDeploymentPolicyRequest, (input) =>
        deployments.setDeploymentPolicy(deps, input.name, {
          aliases: input.aliases,
          stages: input.stages,
          endpointName: input.endpoint_name,
          instanceType: input.instance_type,
          initialInstanceCount: input.initial_instance_count,
          imageUri: input.image_uri,
          executionRoleArn: input.execution_role_arn,
          approvalRequired: input.approval_required,
          rollbackAlarms: input.rollback_alarms,
          terminationWaitSeconds: input.termination_wait_seconds,
        }),
      ),
    )
    .get('/registered-models/deployment-policy', rpc(S.ModelNameRequest, (input) => deployments.getDeploymentPolicy(deps, input.name)))
    .delete('/registered-models/deployment-policy', rpc(S.ModelNameRequest, (input) => deployments.deleteDeploymentPolicy(deps, input.name)))
    .get(
      '/deployments/list',
      rpc(S.ListDeploymentsRequest, (input) => deployments.listDeployments(deps, input.name, input.max_results, input.page_token)),
    )
    .get('/deployments/get', rpc(S.DeploymentIdRequest, (input) => deployments.getDeployment(deps, input.deployment_id)))
    .post('/deployments/approve', rpc(S.DecideDeploymentRequest, (input) => deployments.decideDeployment(deps, input.deployment_id, true, input.comment)))
    .post('/deployments/reject', rpc(S.DecideDeploymentRequest, (input) => deployments.decideDeployment(deps, input.deployment_id, false, input.comment)))
    .post('/serving/invocations', async (c) => {
      const model = z.object({ model: RequiredString }).safeParse({ model: c.req.query('model') });
      if (!model.success) throw badRequest("Missing query parameter 'model': the model URI to score, models:/<name>@<alias>.");
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
        throw badRequest('Scoring takes JSON: send Content-Type: application/json with a dataframe_split, dataframe_records, instances or inputs payload.');
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw badRequest('The scoring payload is not valid JSON.');
      }
      const answer = await scoreDeployedModel(deps, model.data.model, body);
      return c.body(answer.body, answer.status as 200, { 'content-type': answer.contentType });
    });
