import type { PromotionPlanner, RegistryEvents, RegistryStore } from './registry/ports.js';
import type { TrackingPorts } from './tracking/ports.js';
import type { SpanPayloadSlot, TraceRepository, TraceSearchIndex } from './genai/ports.js';
import type { AssessmentStore } from './genai/assessments-ports.js';
import type { EvalDatasetStore } from './genai/datasets-entities.js';
import type { ScorerStore } from './genai/scorers-entities.js';

/** What the use cases need: repositories, a clock and settings. Built once per process. */
export interface TrackingDeps extends TrackingPorts {
  readonly registry: RegistryStore;
  /** The registry's event log: registry-wide, and one model's events in order. */
  readonly registryEvents: RegistryEvents;
  /** Decides whether an alias or stage change deploys the version (shared/domain/deployments). */
  readonly promotions?: PromotionPlanner;
  /**
   * MLflow 3 traces: infos and spans (shared/data/traces). Always there in the wired app (shared/config/dependencies.ts);
   * optional so that unit tests over in-memory tracking ports need not build one (the trace routes are then absent).
   */
  readonly traces?: TraceRepository;
  /** Every trace info of an experiment in memory, exact, for searches that must look at all (shared/data/traces/search-index.ts). */
  readonly traceIndex?: TraceSearchIndex;
  /** Where spans too large for an item go; the API fills it with its artifact store (create-api.ts). */
  readonly spanPayloads?: SpanPayloadSlot;
  /** Assessments of traces (shared/data/assessments); present whenever `traces` is. */
  readonly assessments?: AssessmentStore;
  /** MLflow 3 evaluation datasets and registered scorers (shared/data/eval-datasets, shared/data/scorers); their routes exist when these do. */
  readonly evalDatasets?: EvalDatasetStore;
  readonly scorers?: ScorerStore;
}
