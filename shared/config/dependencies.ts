import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../data/db-context.js';
import { createExperimentRepository } from '../data/experiments/repository.js';
import { createLoggedModelRepository } from '../data/logged-models/repository.js';
import { createMetricHistoryRepository } from '../data/metrics/repository.js';
import { createRunRepository } from '../data/runs/repository.js';
import { createRunSummaryIndex } from '../data/runs/summary-index.js';
import { createRegistryRepository } from '../data/registry/repository.js';
import { createRegistryEventLog } from '../data/registry-events/repository.js';
import type { TrackingDeps } from '../domain/dependencies.js';
import { createHistorySnapshotCache } from '../domain/tracking/history-snapshots.js';
import { createDeploymentRepository } from '../data/deployments/repository.js';
import { createPromotionPlanner } from '../domain/deployments/planner.js';
import type { DeploymentSettings } from '../domain/deployments/ports.js';

export interface DependencyOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly defaultArtifactRoot?: string;
  readonly searchIndexLagMs?: number;
  readonly now?: () => number;
  /** Where promotions deploy; default: nowhere (recorded as NOT_DEPLOYED). */
  readonly deploymentSettings?: DeploymentSettings;
}

/** Wires repositories to one table. Called once per process; everything it builds is stateless but caches. */
export const createTrackingDeps = (options: DependencyOptions): TrackingDeps => {
  const db: DbContext = { client: options.client, tableName: options.tableName };
  const now = options.now ?? Date.now;
  return {
    registry: createRegistryRepository(db, now),
    registryEvents: createRegistryEventLog(db),
    experiments: createExperimentRepository(db),
    runs: createRunRepository(db),
    metrics: createMetricHistoryRepository(db),
    loggedModels: createLoggedModelRepository(db),
    runIndex: createRunSummaryIndex(db, { lagMs: options.searchIndexLagMs }),
    now,
    defaultArtifactRoot: options.defaultArtifactRoot ?? 'mlflow-artifacts:/',
    runExperimentCache: new Map(),
    historySnapshots: createHistorySnapshotCache(),
    promotions: createPromotionPlanner(createDeploymentRepository(db), options.deploymentSettings ?? { allowedRoleArns: [] }),
  };
};
