import { eventLogPosition, type RegistryEvent, type RegistryEventType } from '../../shared/domain/registry/events.js';

let position = 0;

/** A registry event as the registry writes it; `data` is the event's snake_case data. */
export const aRegistryEvent = (type: RegistryEventType, data: Record<string, unknown>, overrides: Partial<RegistryEvent> = {}): RegistryEvent => {
  position += 1;
  const timestamp = overrides.timestamp ?? 1_767_225_600_000;
  const modelId = overrides.modelId ?? 'rm-1';
  return {
    eventId: `ev-${position}`,
    type,
    modelId,
    modelName: typeof data.name === 'string' ? data.name : 'model',
    position,
    logPosition: eventLogPosition(timestamp, modelId, position),
    timestamp,
    data,
    ...overrides,
  };
};
