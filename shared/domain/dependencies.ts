import type { PromotionPlanner, RegistryEvents, RegistryStore } from './registry/ports.js';
import type { TrackingPorts } from './tracking/ports.js';

/** What the use cases need: repositories, a clock and settings. Built once per process. */
export interface TrackingDeps extends TrackingPorts {
  readonly registry: RegistryStore;
  /** The registry's event log: registry-wide, and one model's events in order. */
  readonly registryEvents: RegistryEvents;
  /** Decides whether an alias or stage change deploys the version (shared/domain/deployments). */
  readonly promotions?: PromotionPlanner;
}
