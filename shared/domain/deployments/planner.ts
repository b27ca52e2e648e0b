import type { PromotionPlanner } from '../registry/ports.js';
import { describeTrigger, NO_TARGET_MESSAGE, type Deployment } from './entities.js';
import { endpointConfigName, newDeploymentId, sagemakerModelName } from './names.js';
import { policyMatches } from './policy.js';
import type { DeploymentSettings, DeploymentStore } from './ports.js';
import { deploymentTags } from './version-tags.js';

/**
 * A deployment is recorded in the same transaction as the alias or stage change that asks for it, so the
 * two never disagree: with a target configured it is PENDING and the table stream starts the state machine;
 * without one it is NOT_DEPLOYED at once, with the reason.
 */
export const createPromotionPlanner = (deployments: Pick<DeploymentStore, 'getPolicy'>, settings: DeploymentSettings): PromotionPlanner => ({
  async plan(model, version, trigger, now) {
    const policy = await deployments.getPolicy(model.modelId);
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
      ...(deploys ? { requestEndpoint: policy.endpointName } : {}),
      versionTags: deploymentTags(deployment),
    };
  },
});
