import { STEP_ERRORS, type ClaimResult, type OutcomeResult, type PromotionPlan } from '../../workflows/promotion.js';
import { parseMlModel } from '../scoring/mlmodel.js';
import { type Deployment, type DeploymentStatus } from './entities.js';
import { endpointBusy, notDeployable } from './errors.js';
import { endpointConfigName, sagemakerModelName } from './names.js';
import type { DeploymentPorts } from './ports.js';

/** What the steps that record a deployment's progress use. */
type StepPorts = Pick<DeploymentPorts, 'registry' | 'deployments' | 'now'>;
import { syncVersionTags } from './version-tags.js';

/**
 * The registry side of the promotion state machine (infra/constructs/promotion-workflow.ts): each function is
 * one Lambda step. SageMaker itself is called by the state machine; these decide, record and clean up.
 */

/** How long a promotion may hold its endpoint before another may take it (an execution that died holding it). */
export const ENDPOINT_LEASE_MS = 6 * 60 * 60 * 1000;

const requireDeployment = async (deps: Pick<DeploymentPorts, 'deployments'>, deploymentId: string): Promise<Deployment> => {
  const deployment = await deps.deployments.get(deploymentId);
  if (!deployment) throw notDeployable(`Deployment ${deploymentId} does not exist.`);
  return deployment;
};

/** Records a status with its step, and mirrors it onto the version's tags. */
export const record = async (
  deps: StepPorts,
  deploymentId: string,
  status: DeploymentStatus,
  step: string,
  message: string,
  options: { from?: readonly DeploymentStatus[]; taskToken?: string | null } = {},
): Promise<Deployment | undefined> => {
  const now = deps.now();
  const updated = await deps.deployments.changeStatus(deploymentId, now, {
    status,
    message,
    step: { name: step, status, at: now, ...(message ? { message } : {}) },
    ...options,
  });
  if (updated) await syncVersionTags(deps, updated, async (shown) => isNewer(deps, shown, updated));
  return updated;
};

const isNewer = async (deps: Pick<DeploymentPorts, 'deployments'>, otherId: string, than: Deployment) => {
  const other = await deps.deployments.get(otherId);
  return Boolean(other && other.createdAt > than.createdAt);
};

/** Checks the version can be served (not deleted, files present, a python_function flavor) and plans the SageMaker calls. */
export const validateStep = async (deps: Pick<DeploymentPorts, 'registry' | 'deployments' | 'settings' | 'files' | 'now'>, deploymentId: string): Promise<PromotionPlan> => {
  const deployment = await requireDeployment(deps, deploymentId);
  const model = await deps.registry.getModel(deployment.modelId);
  if (!model) throw notDeployable(`Registered model ${deployment.modelName} was deleted.`);
  const version = await deps.registry.getVersion(model, deployment.version);
  if (!version || version.deleted) throw notDeployable(`Version ${deployment.version} of ${model.name} was deleted.`);
  if (!deps.files) throw notDeployable('Cairn has no artifact store to read the model from.');
  const location = version.storageLocation ?? version.source;
  let modelData: string;
  try {
    modelData = deps.files.s3Prefix(location);
  } catch {
    throw notDeployable(`The model's files (${location}) are not in Cairn's S3 artifact store, where SageMaker can read them.`);
  }
  const mlmodel = await deps.files.readText(location, 'MLmodel');
  if (mlmodel === undefined) throw notDeployable(`Version ${version.version} of ${model.name} has no MLmodel file at ${location}.`);
  let flavors: string[];
  let hasPyfunc: boolean;
  try {
    const parsed = parseMlModel(mlmodel);
    flavors = Object.keys(parsed.flavors);
    hasPyfunc = parsed.hasPyfunc;
  } catch (error) {
    throw notDeployable(`The MLmodel file of version ${version.version} of ${model.name} is not readable: ${(error as Error).message}`);
  }
  if (!hasPyfunc) {
    throw notDeployable(
      `Version ${version.version} of ${model.name} has no python_function flavor (flavors: ${flavors.join(', ') || 'none'}); ` +
        "SageMaker's MLflow serving image serves pyfunc models only.",
    );
  }
  const image = deployment.policy.imageUri ?? deps.settings.servingImageUri;
  if (!image) throw notDeployable('No serving image: set image_uri in the deployment policy, or the stack setting servingImageUri.');
  const role = deployment.policy.executionRoleArn ?? deps.settings.executionRoleArn;
  if (!role) throw notDeployable('No SageMaker execution role: set execution_role_arn in the deployment policy.');

  await record(deps, deploymentId, 'PENDING', 'validated', `version ${version.version} serves as pyfunc from ${modelData}`, { from: ['PENDING'] });
  const { policy } = deployment;
  return {
    deploymentId,
    endpointName: deployment.endpointName,
    approvalRequired: policy.approvalRequired,
    createModel: {
      ModelName: sagemakerModelName(deploymentId),
      ExecutionRoleArn: role,
      PrimaryContainer: {
        Image: image,
        // Uncompressed model files straight from the artifact prefix: no model.tar.gz has to be built.
        ModelDataSource: { S3DataSource: { S3Uri: modelData, S3DataType: 'S3Prefix', CompressionType: 'None' } },
        Environment: { MLFLOW_DEPLOYMENT_FLAVOR_NAME: 'python_function', SERVING_ENVIRONMENT_MANAGER: 'local' },
      },
    },
    createEndpointConfig: {
      EndpointConfigName: endpointConfigName(deploymentId),
      ProductionVariants: [
        {
          VariantName: 'primary',
          ModelName: sagemakerModelName(deploymentId),
          InstanceType: policy.instanceType,
          InitialInstanceCount: policy.initialInstanceCount,
          InitialVariantWeight: 1,
        },
      ],
    },
    deploymentConfig: {
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
        TerminationWaitInSeconds: policy.terminationWaitSeconds,
      },
      ...(policy.rollbackAlarms.length ? { AutoRollbackConfiguration: { Alarms: policy.rollbackAlarms.map((AlarmName) => ({ AlarmName })) } } : {}),
    },
  };
};

export const awaitApprovalStep = async (deps: StepPorts, deploymentId: string, taskToken: string): Promise<void> => {
  const updated = await record(deps, deploymentId, 'PENDING_APPROVAL', 'approval-requested', 'waiting for an approve or reject call', {
    from: ['PENDING'],
    taskToken,
  });
  if (!updated) throw notDeployable(`Deployment ${deploymentId} is no longer pending.`);
};

/**
 * Takes the endpoint. The latest request wins: when a later promotion of the same endpoint has been requested,
 * this one steps aside (superseded) instead of deploying a version about to be replaced; while another holds
 * the endpoint, this one waits (EndpointBusy, retried by the state machine).
 */
export const claimStep = async (deps: StepPorts, deploymentId: string): Promise<ClaimResult> => {
  const deployment = await requireDeployment(deps, deploymentId);
  const endpoint = await deps.deployments.getEndpoint(deployment.endpointName);
  if (endpoint && endpoint.latestDeploymentId !== deploymentId) return { superseded: true };
  const claimed = await deps.deployments.claimEndpoint(deployment.endpointName, deploymentId, deps.now(), ENDPOINT_LEASE_MS);
  if (!claimed) throw endpointBusy(deployment.endpointName, endpoint?.lockHolder ?? 'unknown');
  await record(deps, deploymentId, 'DEPLOYING', 'endpoint-claimed', `deploying to ${deployment.endpointName}`, {
    from: ['PENDING', 'PENDING_APPROVAL'],
    taskToken: null,
  });
  return { superseded: false };
};

export const supersedeStep = async (deps: StepPorts, deploymentId: string): Promise<void> => {
  const deployment = await requireDeployment(deps, deploymentId);
  const endpoint = await deps.deployments.getEndpoint(deployment.endpointName);
  await record(
    deps,
    deploymentId,
    'SUPERSEDED',
    'superseded',
    `a later promotion of ${deployment.endpointName} was requested (deployment ${endpoint?.latestDeploymentId ?? 'unknown'})`,
    { from: ['PENDING', 'PENDING_APPROVAL'], taskToken: null },
  );
};

const noCleanup = (): OutcomeResult['cleanup'] => ({ endpointName: null, endpointConfigNames: [], modelNames: [] });
const ownResources = (deploymentId: string) => ({ endpointConfigNames: [endpointConfigName(deploymentId)], modelNames: [sagemakerModelName(deploymentId)] });

/** Reads the settled endpoint: in service on this config, rolled back to the old one, or failed. */
export const finishStep = async (
  deps: StepPorts,
  deploymentId: string,
  endpoint: { EndpointStatus: string; EndpointConfigName?: string | null; FailureReason?: string | null },
): Promise<OutcomeResult> => {
  const deployment = await requireDeployment(deps, deploymentId);
  const endpointRecord = await deps.deployments.getEndpoint(deployment.endpointName);
  const previous = endpointRecord?.inServiceDeploymentId !== deploymentId ? endpointRecord?.inServiceDeploymentId : undefined;
  const reason = endpoint.FailureReason ?? '';
  const serving = endpoint.EndpointStatus === 'InService' && endpoint.EndpointConfigName === deployment.endpointConfigName;
  await deps.deployments.releaseEndpoint(deployment.endpointName, deploymentId, serving);

  if (serving) {
    await record(deps, deploymentId, 'IN_SERVICE', 'in-service', `serving on ${deployment.endpointName}`);
    if (!previous) return { status: 'IN_SERVICE', cleanup: noCleanup() };
    await record(deps, previous, 'SUPERSEDED', 'replaced', `replaced on ${deployment.endpointName} by version ${deployment.version} of ${deployment.modelName}`, {
      from: ['IN_SERVICE'],
    });
    // The fleet of the replaced version is gone; its model and config are no longer used by anything.
    return { status: 'IN_SERVICE', cleanup: { endpointName: null, ...ownResources(previous) } };
  }
  if (endpoint.EndpointStatus === 'InService') {
    await record(deps, deploymentId, 'ROLLED_BACK', 'rolled-back', `SageMaker rolled ${deployment.endpointName} back to ${endpoint.EndpointConfigName}: ${reason}`);
    return { status: 'ROLLED_BACK', cleanup: { endpointName: null, ...ownResources(deploymentId) } };
  }
  await record(deps, deploymentId, 'FAILED', 'failed', `endpoint ${deployment.endpointName} is ${endpoint.EndpointStatus}: ${reason}`);
  // A creation that failed leaves an endpoint nothing can use; a failed update still points at this config.
  const created = !endpointRecord?.inServiceDeploymentId;
  return {
    status: 'FAILED',
    cleanup: created ? { endpointName: deployment.endpointName, ...ownResources(deploymentId) } : noCleanup(),
  };
};

/** Any failure the state machine caught: recorded with its reason; what this promotion created is removed. */
export const failStep = async (
  deps: StepPorts,
  deploymentId: string,
  error: { Error: string; Cause?: string | null },
  progress: { endpointRequested: boolean },
): Promise<OutcomeResult> => {
  const deployment = await deps.deployments.get(deploymentId);
  if (!deployment) return { status: 'FAILED', cleanup: noCleanup() };
  await record(deps, deploymentId, 'FAILED', 'failed', failureMessage(error), { from: ['PENDING', 'PENDING_APPROVAL', 'DEPLOYING'], taskToken: null });
  await deps.deployments.releaseEndpoint(deployment.endpointName, deploymentId, false);
  // SageMaker is called only once the endpoint is claimed (DEPLOYING); once the endpoint change was accepted,
  // the endpoint may point at this config, so it stays.
  const created = deployment.status === 'DEPLOYING' && !progress.endpointRequested;
  return { status: 'FAILED', cleanup: created ? { endpointName: null, ...ownResources(deploymentId) } : noCleanup() };
};

/** Usually already recorded by the reject call itself; this covers a rejection sent straight to Step Functions. */
export const rejectStep = async (deps: StepPorts, deploymentId: string, error: { Error: string; Cause?: string | null }) => {
  await record(deps, deploymentId, 'REJECTED', 'rejected', error.Cause || 'rejected', { from: ['PENDING', 'PENDING_APPROVAL'], taskToken: null });
};

/** A caught error's reason: a Lambda's Cause is its JSON error record; a service's is plain text. */
export const failureMessage = (error: { Error: string; Cause?: string | null }): string => {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: a service error's text
  }
  if (Object.values(STEP_ERRORS).includes(error.Error as never) && cause) return cause;
  if (error.Error === 'States.Timeout') return `timed out${cause ? `: ${cause}` : ''}`;
  return cause ? `${error.Error}: ${cause}` : error.Error;
};

