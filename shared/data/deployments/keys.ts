/**
 * Deployment keys.
 *   RM#<modelId>        / DEPLOYPOLICY        a model's deployment policy (goes with the model on delete)
 *   DEP#<deploymentId>  / DEP                 one promotion: status, step history, task token
 *                                             (gsi1: DEPLOYMENTS#<modelId> / <created, 15 digits>#<deploymentId>)
 *   ENDPOINT#<name>     / ENDPOINT            per SageMaker endpoint: the latest promotion requested, the one
 *                                             holding it (the concurrency guard) and the one in service
 * The table stream starts the state machine on each new DEP item (entity `deployment`, INSERT).
 */
export const DEPLOYMENT_ENTITY = 'deployment';
export const DEPLOYMENT_POLICY_ENTITY = 'deployment-policy';
export const ENDPOINT_ENTITY = 'sagemaker-endpoint';

export const deploymentPolicyKey = (modelId: string) => ({ pk: `RM#${modelId}`, sk: 'DEPLOYPOLICY' }) as const;
export const deploymentKey = (deploymentId: string) => ({ pk: `DEP#${deploymentId}`, sk: 'DEP' }) as const;
export const deploymentListingPartition = (modelId: string) => `DEPLOYMENTS#${modelId}`;
export const deploymentListingKey = (modelId: string, createdAt: number, deploymentId: string) =>
  ({ gsi1pk: deploymentListingPartition(modelId), gsi1sk: `${String(createdAt).padStart(15, '0')}#${deploymentId}` }) as const;
export const endpointKey = (endpointName: string) => ({ pk: `ENDPOINT#${endpointName}`, sk: 'ENDPOINT' }) as const;
