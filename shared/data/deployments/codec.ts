import { z } from 'zod';
import { DEPLOYMENT_STATUSES, type Deployment, type DeploymentPolicy } from '../../domain/deployments/entities.js';
import type { EndpointRecord } from '../../domain/deployments/ports.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import {
  DEPLOYMENT_ENTITY,
  DEPLOYMENT_POLICY_ENTITY,
  ENDPOINT_ENTITY,
  deploymentKey,
  deploymentListingKey,
  deploymentPolicyKey,
} from './keys.js';

const PolicyFields = {
  aliases: z.array(z.string()),
  stages: z.array(z.string()),
  endpointName: z.string(),
  instanceType: z.string(),
  initialInstanceCount: z.number().int(),
  imageUri: z.string().optional(),
  executionRoleArn: z.string().optional(),
  approvalRequired: z.boolean(),
  rollbackAlarms: z.array(z.string()),
  terminationWaitSeconds: z.number().int(),
};

const PolicyItemSchema = z.object({
  ...entityHeader(DEPLOYMENT_POLICY_ENTITY),
  modelId: z.string(),
  updatedAt: z.number(),
  ...PolicyFields,
});

const Status = z.enum(DEPLOYMENT_STATUSES);

const DeploymentItemSchema = z.object({
  ...entityHeader(DEPLOYMENT_ENTITY),
  deploymentId: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  version: z.number().int(),
  trigger: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('alias'), alias: z.string() }),
    z.object({ kind: z.literal('stage'), stage: z.string() }),
  ]),
  endpointName: z.string(),
  status: Status,
  statusMessage: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  policy: z.object(PolicyFields),
  steps: z.array(z.object({ name: z.string(), status: Status, at: z.number(), message: z.string().optional() })),
  taskToken: z.string().optional(),
  executionArn: z.string().optional(),
  sagemakerModelName: z.string(),
  endpointConfigName: z.string(),
});

const EndpointItemSchema = z.object({
  ...entityHeader(ENDPOINT_ENTITY),
  endpointName: z.string(),
  latestDeploymentId: z.string(),
  lockHolder: z.string().optional(),
  lockExpiresAt: z.number().optional(),
  inServiceDeploymentId: z.string().optional(),
});

export const toPolicyItem = (policy: DeploymentPolicy): Item => ({
  ...deploymentPolicyKey(policy.modelId),
  ...stamp(DEPLOYMENT_POLICY_ENTITY),
  ...policy,
});

export const fromPolicyItem = (item: Item): DeploymentPolicy => {
  const { _et, _v, ...policy } = parseItem(PolicyItemSchema, item);
  return policy;
};

export const toDeploymentItem = (deployment: Deployment): Item => ({
  ...deploymentKey(deployment.deploymentId),
  ...deploymentListingKey(deployment.modelId, deployment.createdAt, deployment.deploymentId),
  ...stamp(DEPLOYMENT_ENTITY),
  ...deployment,
});

export const fromDeploymentItem = (item: Item): Deployment => {
  const { _et, _v, ...deployment } = parseItem(DeploymentItemSchema, item);
  return deployment;
};

export const endpointStamp = () => stamp(ENDPOINT_ENTITY);

export const fromEndpointItem = (item: Item): EndpointRecord => {
  const { _et, _v, ...endpoint } = parseItem(EndpointItemSchema, item);
  return endpoint;
};
