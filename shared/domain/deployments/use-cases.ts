import { invalidParameter, notFound } from '../../errors/index.js';
import { STEP_ERRORS } from '../../workflows/promotion.js';
import { requireModel } from '../registry/registered-models.js';
import { registeredModelNotFound } from '../registry/validation.js';
import { POLICY_TAGS, type Deployment } from './entities.js';
import { buildPolicy, describeTriggers, policyToJson, type DeploymentPolicyInput } from './policy.js';
import { decodePageToken, encodePageToken } from '../kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import type { DeploymentCursor, DeploymentPorts } from './ports.js';
import { record } from './steps.js';

/**
 * Sets a model's deployment policy, with two model tags (`cairn.deployment.endpoint`, `.triggers`) so the MLflow
 * client shows where the model deploys; both in one registry transaction.
 */
export const setDeploymentPolicy = async (
  deps: Pick<DeploymentPorts, 'registry' | 'settings' | 'now'>,
  name: string,
  input: DeploymentPolicyInput,
) => {
  const model = await requireModel(deps, name);
  const policy = buildPolicy(input, model, deps.settings, deps.now());
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      setTags: [
        { key: POLICY_TAGS.endpoint, value: policy.endpointName },
        { key: POLICY_TAGS.triggers, value: describeTriggers(policy) },
      ],
      deploymentPolicy: { put: policy },
      events: [],
      result: undefined,
    };
  });
  return { policy: policyToJson(policy, model.name) };
};

export const getDeploymentPolicy = async (deps: Pick<DeploymentPorts, 'registry' | 'deployments'>, name: string) => {
  const model = await requireModel(deps, name);
  const policy = await deps.deployments.getPolicy(model.modelId);
  if (!policy) throw notFound(`Registered model '${name}' has no deployment policy.`);
  return { policy: policyToJson(policy, model.name) };
};

/** No error when there is none, as MLflow's deletes of tags and aliases. */
export const deleteDeploymentPolicy = async (deps: Pick<DeploymentPorts, 'registry'>, name: string) => {
  const model = await requireModel(deps, name);
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      removeTags: [POLICY_TAGS.endpoint, POLICY_TAGS.triggers],
      deploymentPolicy: { remove: true },
      events: [],
      result: undefined,
    };
  });
  return {};
};

/** A deployment in the API's snake_case; `steps` only when asked (get, not list). */
export const deploymentToJson = (deployment: Deployment, withSteps: boolean, currentName = deployment.modelName) => ({
  deployment_id: deployment.deploymentId,
  // The model's name now: a rename since the deployment changes nothing else about it.
  name: currentName,
  version: String(deployment.version),
  trigger: deployment.trigger.kind === 'alias' ? { alias: deployment.trigger.alias } : { stage: deployment.trigger.stage },
  endpoint_name: deployment.endpointName,
  status: deployment.status,
  status_message: deployment.statusMessage ?? '',
  creation_timestamp: deployment.createdAt,
  last_updated_timestamp: deployment.updatedAt,
  approval_required: deployment.policy.approvalRequired,
  instance_type: deployment.policy.instanceType,
  initial_instance_count: deployment.policy.initialInstanceCount,
  sagemaker_model_name: deployment.sagemakerModelName,
  endpoint_config_name: deployment.endpointConfigName,
  ...(deployment.executionArn ? { execution_arn: deployment.executionArn } : {}),
  ...(withSteps
    ? { steps: deployment.steps.map((s) => ({ name: s.name, status: s.status, timestamp: s.at, ...(s.message ? { message: s.message } : {}) })) }
    : {}),
});

export const listDeployments = async (
  deps: Pick<DeploymentPorts, 'registry' | 'deployments'>,
  name: string,
  maxResults?: number,
  pageToken?: string,
) => {
  const limit = pageSizeOf(maxResults, PAGE_SIZES.deployments);
  const model = await requireModel(deps, name);
  const scope = { kind: 'deployments/list', request: [model.modelId] };
  const cursor = decodePageToken(pageToken, scope, readDeploymentCursor);
  const page = await deps.deployments.listForModel(model.modelId, limit, cursor);
  return {
    deployments: page.deployments.map((d) => deploymentToJson(d, false, model.name)),
    ...(page.next ? { next_page_token: encodePageToken(scope, { ...page.next }) } : {}),
  };
};

/** Deployment ids are 32 hex digits (names.ts); the bound only keeps a forged one a valid key part. */
const DEPLOYMENT_ID = /^[A-Za-z0-9_-]{1,64}$/u;

/** Only the sort part of a listing key travels in a token; the repository rebuilds the key within the model. */
const readDeploymentCursor = (position: unknown): DeploymentCursor | undefined => {
  const { createdAt, deploymentId } = (position ?? {}) as { createdAt?: unknown; deploymentId?: unknown };
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || createdAt < 0) return undefined;
  if (typeof deploymentId !== 'string' || !DEPLOYMENT_ID.test(deploymentId)) return undefined;
  return { createdAt, deploymentId };
};

const requireDeployment = async (deps: Pick<DeploymentPorts, 'deployments'>, deploymentId: string) => {
  const deployment = await deps.deployments.get(deploymentId);
  if (!deployment) throw notFound(`Deployment '${deploymentId}' does not exist.`);
  return deployment;
};

export const getDeployment = async (deps: Pick<DeploymentPorts, 'registry' | 'deployments'>, deploymentId: string) => {
  const deployment = await requireDeployment(deps, deploymentId);
  const model = await deps.registry.getModel(deployment.modelId);
  return { deployment: deploymentToJson(deployment, true, model?.name) };
};

/**
 * Approves or rejects a deployment waiting for approval. The status moves first, conditionally, so a second call
 * (or a race with a timeout) is a clear 400 and the waiting execution hears from exactly one caller.
 */
export const decideDeployment = async (
  deps: Pick<DeploymentPorts, 'registry' | 'deployments' | 'tasks' | 'now'>,
  deploymentId: string, approve: boolean, comment: string | undefined) => {
  const deployment = await requireDeployment(deps, deploymentId);
  const token = deployment.taskToken;
  if (deployment.status !== 'PENDING_APPROVAL' || !token) {
    throw invalidParameter(`Deployment '${deploymentId}' is not waiting for approval (status ${deployment.status}).`);
  }
  if (!deps.tasks) throw invalidParameter('No deployment target is configured, so there is nothing to approve.');
  const note = comment?.trim() || '';
  if (approve) {
    const moved = await record(deps, deploymentId, 'PENDING', 'approved', note || 'approved', { from: ['PENDING_APPROVAL'], taskToken: null });
    if (!moved) throw invalidParameter(`Deployment '${deploymentId}' is not waiting for approval.`);
    await deps.tasks.sendTaskSuccess(token, JSON.stringify({ approved: true, comment: note }));
  } else {
    const reason = note ? `rejected: ${note}` : 'rejected';
    const moved = await record(deps, deploymentId, 'REJECTED', 'rejected', reason, { from: ['PENDING_APPROVAL'], taskToken: null });
    if (!moved) throw invalidParameter(`Deployment '${deploymentId}' is not waiting for approval.`);
    await deps.tasks.sendTaskFailure(token, STEP_ERRORS.rejected, reason);
  }
  return getDeployment(deps, deploymentId);
};
