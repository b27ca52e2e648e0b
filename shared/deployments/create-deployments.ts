import type { DbContext } from '../data/db-context.js';
import { createDeploymentRepository } from '../data/deployments/repository.js';
import type { ArtifactDeps } from '../domain/artifacts/artifacts.js';
import type { TrackingDeps } from '../domain/dependencies.js';
import type { DeploymentDeps, DeploymentSettings, EndpointInvoker, TaskResponder } from '../domain/deployments/ports.js';
import { createEndpointInvoker, createSfnTaskResponder } from './aws-adapters.js';
import { createModelFiles } from './model-files.js';

export interface DeploymentOptions {
  readonly db: DbContext;
  readonly tracking: TrackingDeps;
  readonly settings: DeploymentSettings;
  readonly artifacts?: ArtifactDeps;
  /** Defaults: Step Functions and SageMaker Runtime clients when a state machine is configured, none otherwise. */
  readonly tasks?: TaskResponder;
  readonly endpoints?: EndpointInvoker;
}

/** Wires the deployment use cases: AWS adapters where a target is configured, nothing to call where not. */
export const createDeploymentDeps = (options: DeploymentOptions): DeploymentDeps => {
  const deploys = Boolean(options.settings.stateMachineArn);
  const tasks = options.tasks ?? (deploys ? createSfnTaskResponder() : undefined);
  const endpoints = options.endpoints ?? (deploys ? createEndpointInvoker() : undefined);
  return {
    tracking: options.tracking,
    deployments: createDeploymentRepository(options.db),
    settings: options.settings,
    ...(options.artifacts ? { files: createModelFiles(options.artifacts) } : {}),
    ...(tasks ? { tasks } : {}),
    ...(endpoints ? { endpoints } : {}),
  };
};
