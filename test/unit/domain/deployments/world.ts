import { createPromotionPlanner } from '../../../../shared/domain/deployments/planner.js';
import type { DeploymentPorts, DeploymentSettings, ModelFiles, TaskResponder } from '../../../../shared/domain/deployments/ports.js';
import type { RegistryPorts } from '../../../../shared/domain/registry/ports.js';
import { createDeploymentTables, createMemoryDeployments } from '../../../support/fakes/deployments.js';
import { createMemoryRegistry, memoryLoggedModels } from '../../../support/fakes/registry.js';

export const STATE_MACHINE: DeploymentSettings = {
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:promotion',
  executionRoleArn: 'arn:aws:iam::123456789012:role/cairn-exec',
  allowedRoleArns: [],
  servingImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.22.0',
};
export const LOCAL: DeploymentSettings = { allowedRoleArns: [] };

/**
 * The registry and the deployments in memory, sharing the deployment items as the table does, with the planner
 * wired in as the composition roots wire it: what the registry's alias and stage changes and the deployment use
 * cases see.
 */
export const deploymentWorld = (settings: DeploymentSettings = LOCAL, extra: { tasks?: TaskResponder; files?: ModelFiles } = {}) => {
  let time = 1_000;
  const now = () => ++time;
  const tables = createDeploymentTables();
  const memory = createMemoryRegistry({ now, deployments: tables });
  const deployments = createMemoryDeployments(tables);
  const promotions = createPromotionPlanner(deployments, settings);
  const registryPorts: RegistryPorts = {
    registry: memory.registry,
    registryEvents: memory.registryEvents,
    loggedModels: memoryLoggedModels(),
    promotions,
    now,
  };
  const deploymentPorts: DeploymentPorts = { registry: memory.registry, deployments, settings, now, ...extra };
  return { registryPorts, deploymentPorts, tables, memory, promotions };
};
