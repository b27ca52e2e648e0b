/**
 * Registry events: every change to the model registry is recorded as one of these, in the same DynamoDB
 * transaction as the change itself (shared/data/registry), so webhooks now and deployments next can never
 * miss one. In AWS the table's stream carries them on; locally a dispatcher reads them from the log.
 */
export const REGISTRY_EVENT_TYPES = [
  'REGISTERED_MODEL_CREATED',
  'REGISTERED_MODEL_RENAMED',
  'REGISTERED_MODEL_UPDATED',
  'REGISTERED_MODEL_DELETED',
  'REGISTERED_MODEL_TAG_SET',
  'REGISTERED_MODEL_TAG_DELETED',
  'MODEL_VERSION_CREATED',
  'MODEL_VERSION_UPDATED',
  'MODEL_VERSION_STAGE_TRANSITIONED',
  'MODEL_VERSION_DELETED',
  'MODEL_VERSION_TAG_SET',
  'MODEL_VERSION_TAG_DELETED',
  'MODEL_VERSION_ALIAS_SET',
  'MODEL_VERSION_ALIAS_DELETED',
] as const;
export type RegistryEventType = (typeof REGISTRY_EVENT_TYPES)[number];

export interface RegistryEvent {
  /** Unique id of the event (UUID). */
  eventId: string;
  type: RegistryEventType;
  /** Immutable id of the registered model (names change on rename). */
  modelId: string;
  /** The model's name when the event happened (the new name for a rename). */
  modelName: string;
  /** Position in the model's own event sequence: 1, 2, 3…, no gaps, allocated in the change's transaction. */
  position: number;
  /**
   * Position in the registry-wide log: `<timestamp ms, 15 digits>#<modelId>#<position, 10 digits>`. Sorts
   * by time, then per model by position; the dispatcher's cursor is one of these.
   */
  logPosition: string;
  timestamp: number;
  /** The version concerned, for version, alias and version-tag events. */
  version?: string;
  /** What changed, in MLflow's snake_case terms (e.g. `{ key, value }` for a tag, `{ alias }`, `{ from_stage, to_stage }`). */
  data: Record<string, unknown>;
}

export const eventLogPosition = (timestamp: number, modelId: string, position: number) =>
  `${String(timestamp).padStart(15, '0')}#${modelId}#${String(position).padStart(10, '0')}`;
