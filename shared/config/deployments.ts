import type { DbContext } from '../data/db-context.js';
import { createDeploymentRepository } from '../data/deployments/repository.js';
import type { ArtifactDeps } from '../domain/artifacts/artifacts.js';
import type { TrackingDeps } from '../domain/dependencies.js';
import type { DeploymentDeps, DeploymentSettings, EndpointInvoker, TaskResponder } from '../domain/deployments/ports.js';
import { createModelFiles } from '../storage/model-files.js';

export interface DeploymentOptions {
  readonly db: DbContext;
  readonly tracking: TrackingDeps;
  readonly settings: DeploymentSettings;
  readonly artifacts?: ArtifactDeps;
  /** Step Functions' task responses and SageMaker Runtime, given by the API's root when a state machine is configured. */
  readonly tasks?: TaskResponder;
  readonly endpoints?: EndpointInvoker;
}

/** Wires the deployment use cases to one table; without `tasks` and `endpoints` there is nothing to approve or score. */
export const createDeploymentDeps = (options: DeploymentOptions): DeploymentDeps => {
  const { tasks, endpoints } = options;
  return {
    registry: options.tracking.registry,
    now: options.tracking.now,
    deployments: createDeploymentRepository(options.db),
    settings: options.settings,
    ...(options.artifacts ? { files: createModelFiles(options.artifacts) } : {}),
    ...(tasks ? { tasks } : {}),
    ...(endpoints ? { endpoints } : {}),
  };
};
