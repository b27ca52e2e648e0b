/**
 * Promotion of registered models to SageMaker endpoints: the policy a model carries, and the deployments its
 * alias and stage changes start. Statuses, in the order a deployment usually passes through them:
 *
 *   PENDING            recorded with the registry change; the state machine has not picked it up yet
 *   PENDING_APPROVAL   the policy asks for approval: waiting for an approve or reject call
 *   DEPLOYING          holds the endpoint; SageMaker is creating or updating it
 *   IN_SERVICE         the endpoint serves this version                                 (end)
 *   FAILED             with the reason: validation, SageMaker, a timeout                 (end)
 *   ROLLED_BACK        SageMaker's blue/green update failed and went back to the old fleet (end)
 *   REJECTED           an approver said no                                             (end)
 *   SUPERSEDED         a later promotion of the same endpoint came first, or replaced it (end)
 *   NOT_DEPLOYED       recorded where no deployment target is configured (local mode)   (end)
 */
export const DEPLOYMENT_STATUSES = [
  'PENDING',
  'PENDING_APPROVAL',
  'DEPLOYING',
  'IN_SERVICE',
  'FAILED',
  'ROLLED_BACK',
  'REJECTED',
  'SUPERSEDED',
  'NOT_DEPLOYED',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** What started a deployment: an alias moved onto the version, or the version entered a stage. */
export type DeploymentTrigger = { kind: 'alias'; alias: string } | { kind: 'stage'; stage: string };

export interface DeploymentPolicy {
  modelId: string;
  /** Aliases whose assignment deploys (default `champion`). */
  aliases: string[];
  /** Stages whose transition deploys (default `Production`). */
  stages: string[];
  endpointName: string;
  instanceType: string;
  initialInstanceCount: number;
  /** The serving image; unset: the stack's default (MLflow's pyfunc image in the user's ECR). */
  imageUri?: string;
  /** The SageMaker execution role; unset: the stack's. Must be one the state machine may pass. */
  executionRoleArn?: string;
  /** The deployment waits for an approve call before touching the endpoint. */
  approvalRequired: boolean;
  /** CloudWatch alarms that roll a blue/green update back when they fire during the bake time. */
  rollbackAlarms: string[];
  /** Seconds SageMaker keeps the old fleet after shifting traffic, watching the alarms. */
  terminationWaitSeconds: number;
  updatedAt: number;
}

export interface DeploymentStep {
  /** What happened: `requested`, `validated`, `approval-requested`, `approved`, `endpoint-claimed`... */
  name: string;
  status: DeploymentStatus;
  at: number;
  message?: string;
}

export interface Deployment {
  deploymentId: string;
  modelId: string;
  modelName: string;
  version: number;
  trigger: DeploymentTrigger;
  endpointName: string;
  status: DeploymentStatus;
  statusMessage?: string;
  createdAt: number;
  updatedAt: number;
  /** The policy as it was when the deployment was requested: later policy changes do not alter it. */
  policy: Omit<DeploymentPolicy, 'modelId' | 'updatedAt'>;
  steps: DeploymentStep[];
  /** The waiting approval task's token (never returned by the API). */
  taskToken?: string;
  executionArn?: string;
  /** SageMaker names this deployment creates. */
  sagemakerModelName: string;
  endpointConfigName: string;
}

/** The model-version tags that mirror a version's latest deployment, for the MLflow client and UI. */
export const DEPLOYMENT_TAGS = {
  status: 'cairn.deployment.status',
  endpoint: 'cairn.deployment.endpoint',
  id: 'cairn.deployment.id',
  message: 'cairn.deployment.message',
  updatedAt: 'cairn.deployment.updated_at',
} as const;

/** Model tags written with a policy, so `get_registered_model` shows what promotes the model and where to. */
export const POLICY_TAGS = {
  endpoint: 'cairn.deployment.endpoint',
  triggers: 'cairn.deployment.triggers',
} as const;

export const NO_TARGET_MESSAGE = 'not deployed: no deployment target configured';

export const describeTrigger = (trigger: DeploymentTrigger) =>
  trigger.kind === 'alias' ? `alias '${trigger.alias}'` : `stage '${trigger.stage}'`;
