import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DeploymentRepository } from '../../data/deployments/repository.js';
import type { ModelVersion, RegisteredModel } from '../registry/entities.js';
import { describeTrigger, NO_TARGET_MESSAGE, type Deployment, type DeploymentTrigger } from './entities.js';
import { endpointConfigName, newDeploymentId, sagemakerModelName } from './names.js';
import { policyMatches } from './policy.js';
import type { DeploymentSettings } from './ports.js';
import { deploymentTags } from './version-tags.js';

export interface PlannedPromotion {
  deployment: Deployment;
  /** Writes that join the registry change's transaction: the deployment, and the endpoint's latest request. */
  writes: TransactWriteItem[];
  /** Tags the version gets in the same transaction. */
  versionTags: Record<string, string>;
}

/** Asked by alias and stage changes: does this change deploy, and what does it record? */
export interface PromotionPlanner {
  plan(model: RegisteredModel, version: ModelVersion, trigger: DeploymentTrigger, now: number): Promise<PlannedPromotion | undefined>;
}

/**
 * A deployment is recorded in the same transaction as the alias or stage change that asks for it, so the
 * two never disagree: with a target configured it is PENDING and the table stream starts the state machine;
 * without one it is NOT_DEPLOYED at once, with the reason.
 */
export const createPromotionPlanner = (repository: DeploymentRepository, settings: DeploymentSettings): PromotionPlanner => ({
  async plan(model, version, trigger, now) {
    const policy = await repository.getPolicy(model.modelId);
    if (!policy || !policyMatches(policy, trigger)) return undefined;
    const deploymentId = newDeploymentId();
    const deploys = Boolean(settings.stateMachineArn);
    const status = deploys ? 'PENDING' : 'NOT_DEPLOYED';
    const message = deploys ? `${describeTrigger(trigger)} set on version ${version.version}` : NO_TARGET_MESSAGE;
    const { modelId: _, updatedAt: __, ...frozen } = policy;
    const deployment: Deployment = {
      deploymentId,
      modelId: model.modelId,
      modelName: model.name,
      version: version.version,
      trigger,
      endpointName: policy.endpointName,
      status,
      statusMessage: message,
      createdAt: now,
      updatedAt: now,
      policy: frozen,
      steps: [{ name: 'requested', status, at: now, message: `${describeTrigger(trigger)} set on version ${version.version}` }],
      sagemakerModelName: sagemakerModelName(deploymentId),
      endpointConfigName: endpointConfigName(deploymentId),
    };
    return {
      deployment,
      writes: [
        repository.writes.putDeployment(deployment),
        ...(deploys ? [repository.writes.requestEndpoint(policy.endpointName, deploymentId)] : []),
      ],
      versionTags: deploymentTags(deployment),
    };
  },
});
