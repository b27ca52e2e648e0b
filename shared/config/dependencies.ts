import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../data/db-context.js';
import { createExperimentRepository } from '../data/experiments/repository.js';
import { createLoggedModelRepository } from '../data/logged-models/repository.js';
import { createLoggedModelSearchIndex } from '../data/logged-models/search-index.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from '../data/logged-models/search-kind.js';
import { createMetricHistoryRepository } from '../data/metrics/repository.js';
import { createRunRepository } from '../data/runs/repository.js';
import { createRunSummaryIndex } from '../data/runs/summary-index.js';
import { RUN_SNAPSHOT_KIND } from '../data/runs/search-kind.js';
import { createRegistryRepository } from '../data/registry/repository.js';
import { createTraceRepository } from '../data/traces/repository.js';
import { createTraceSearchIndex } from '../data/traces/search-index.js';
import { TRACE_SNAPSHOT_KIND } from '../data/traces/search-kind.js';
import { localSnapshotFeed } from '../data/snapshots/local-feed.js';
import { createSnapshotMemory, defaultSnapshotMemoryBytes } from '../data/snapshots/memory-budget.js';
import { streamRebuildRequests } from '../data/snapshots/rebuild-requests.js';
import { createAssessmentRepository } from '../data/assessments/repository.js';
import { createEvalDatasetRepository } from '../data/eval-datasets/repository.js';
import { createScorerRepository } from '../data/scorers/repository.js';
import type { SpanPayloadSlot } from '../domain/genai/ports.js';
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
  /**
   * Who rebuilds an experiment's search snapshot once it is due: this process, in the background (`npm start`,
   * tests), or the table's stream (AWS: functions/search/lambda-snapshots.ts). @default 'background'
   */
  readonly searchSnapshots?: 'background' | 'stream';
  /**
   * Bytes every search index of the process may hold together (runs, trace infos, ...), least recently
   * searched experiments dropped first. @default half a Lambda's memory, else 1 GiB (defaultSnapshotMemoryBytes)
   */
  readonly searchMemoryBytes?: number;
  readonly now?: () => number;
  /** Where promotions deploy; default: nowhere (recorded as NOT_DEPLOYED). */
  readonly deploymentSettings?: DeploymentSettings;
}

/** Wires repositories to one table. Called once per process; everything it builds is stateless but caches. */
export const createTrackingDeps = (options: DependencyOptions): TrackingDeps => {
  const db: DbContext = { client: options.client, tableName: options.tableName };
  const now = options.now ?? Date.now;
  const spanPayloads: SpanPayloadSlot = {};
  // Trace search snapshots, kept current by this process unless the table's stream does it.
  // Without the table's stream, this process is the feed that keeps search snapshots current.
  const local = options.searchSnapshots !== 'stream';
  const memory = createSnapshotMemory(options.searchMemoryBytes ?? defaultSnapshotMemoryBytes());
  const runFeed = local ? localSnapshotFeed(db, RUN_SNAPSHOT_KIND) : undefined;
  const traceFeed = local ? localSnapshotFeed(db, TRACE_SNAPSHOT_KIND) : undefined;
  const modelFeed = local ? localSnapshotFeed(db, LOGGED_MODEL_SNAPSHOT_KIND) : undefined;
  return {
    registry: createRegistryRepository(db, now),
    registryEvents: createRegistryEventLog(db),
    experiments: createExperimentRepository(db),
    runs: createRunRepository(db, { onRunMarked: runFeed?.written, onLoggedModelMarked: modelFeed?.written }),
    metrics: createMetricHistoryRepository(db),
    loggedModels: createLoggedModelRepository(db, { onModelMarked: modelFeed?.written }),
    runIndex: createRunSummaryIndex(db, { onSnapshotDue: runFeed?.due ?? streamRebuildRequests(db, RUN_SNAPSHOT_KIND), memory }),
    loggedModelIndex: createLoggedModelSearchIndex(db, { onSnapshotDue: modelFeed?.due ?? streamRebuildRequests(db, LOGGED_MODEL_SNAPSHOT_KIND), memory }),
    now,
    defaultArtifactRoot: options.defaultArtifactRoot ?? 'mlflow-artifacts:/',
    runExperimentCache: new Map(),
    historySnapshots: createHistorySnapshotCache(),
    traces: createTraceRepository(db, spanPayloads, { onTraceMarked: traceFeed?.written }),
    traceIndex: createTraceSearchIndex(db, { onSnapshotDue: traceFeed?.due ?? streamRebuildRequests(db, TRACE_SNAPSHOT_KIND), memory }),
    spanPayloads,
    assessments: createAssessmentRepository(db),
    evalDatasets: createEvalDatasetRepository(db),
    scorers: createScorerRepository(db),
    promotions: createPromotionPlanner(createDeploymentRepository(db), options.deploymentSettings ?? { allowedRoleArns: [] }),
  };
};
