/**
 * Registry event keys.
 *   RMEV#<modelId> / <position, 10 digits>     one event (gsi1: REGISTRY_EVENTS / <logPosition>)
 * The per-model partition holds a model's events in order; gsi1 holds the registry-wide log.
 */
export const registryEventKey = (modelId: string, position: number) =>
  ({ pk: `RMEV#${modelId}`, sk: String(position).padStart(10, '0') }) as const;
export const REGISTRY_EVENT_LOG = 'REGISTRY_EVENTS';
export const registryEventLogKey = (logPosition: string) => ({ gsi1pk: REGISTRY_EVENT_LOG, gsi1sk: logPosition }) as const;
