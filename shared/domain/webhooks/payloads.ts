import type { RegistryEvent } from '../registry/events.js';
import { payloadName, type WebhookEvent } from './entities.js';
import { pythonJsonDumps } from '../kernel/python-json.js';

/**
 * What a registry change delivers: the subscribed event and MLflow's payload `data` for it, field for field
 * as mlflow/webhooks/types.py defines it and mlflow/server/handlers.py fills it.
 */
export interface WebhookMessage {
  readonly event: WebhookEvent;
  readonly data: Record<string, unknown>;
}

const PROMPT_TAG = 'mlflow.prompt.is_prompt';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const stringMap = (value: unknown): Record<string, string> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** MLflow's `RegisteredModel._is_prompt()`: the model's `mlflow.prompt.is_prompt` tag is "true". */
const isPromptModel = (data: Record<string, unknown>): boolean =>
  stringMap(data.model_tags)[PROMPT_TAG]?.toLowerCase() === 'true';

/**
 * The webhook messages of one registry event: none, or one. MLflow (3.6) fires only these six events, and
 * skips the model-version ones for prompts (`if not _is_prompt(...)` in handlers.py; for a new version it
 * looks for the prompt tag on the version's own tags). It never fires the prompt_* events from the server,
 * and it does fire `registered_model.created` for a new prompt, so Cairn does the same.
 */
export const webhookMessagesFor = (event: RegistryEvent): WebhookMessage[] => {
  const d = event.data;
  const name = str(d.name) ?? event.modelName;
  const version = str(d.version) ?? event.version ?? '';
  const prompt = isPromptModel(d);
  switch (event.type) {
    case 'REGISTERED_MODEL_CREATED':
      // handlers.py passes `request_message.description`, which proto2 reads as "" when unset.
      return [message('REGISTERED_MODEL', 'CREATED', { name, tags: stringMap(d.tags), description: str(d.description) ?? '' })];
    case 'MODEL_VERSION_CREATED': {
      const tags = stringMap(d.tags);
      if (prompt || PROMPT_TAG in tags) return [];
      return [
        message('MODEL_VERSION', 'CREATED', {
          name,
          version,
          source: str(d.source) ?? '',
          run_id: str(d.run_id) || null,
          tags,
          description: str(d.description) || null,
        }),
      ];
    }
    case 'MODEL_VERSION_TAG_SET':
      return prompt ? [] : [message('MODEL_VERSION_TAG', 'SET', { name, version, key: str(d.key) ?? '', value: str(d.value) ?? '' })];
    case 'MODEL_VERSION_TAG_DELETED':
      return prompt ? [] : [message('MODEL_VERSION_TAG', 'DELETED', { name, version, key: str(d.key) ?? '' })];
    case 'MODEL_VERSION_ALIAS_SET':
      return prompt ? [] : [message('MODEL_VERSION_ALIAS', 'CREATED', { name, alias: str(d.alias) ?? '', version })];
    case 'MODEL_VERSION_ALIAS_DELETED':
      return prompt ? [] : [message('MODEL_VERSION_ALIAS', 'DELETED', { name, alias: str(d.alias) ?? '' })];
    default:
      return [];
  }
};

const message = (entity: WebhookEvent['entity'], action: WebhookEvent['action'], data: Record<string, unknown>): WebhookMessage => ({
  event: { entity, action },
  data,
});

const EXAMPLE_TAGS = { example_key: 'example_value' };

/** The example payloads MLflow's `test_webhook` sends (`<Payload>.example()` in mlflow/webhooks/types.py). */
export const examplePayload = (event: WebhookEvent): Record<string, unknown> => {
  const model = { name: 'example_model' };
  const prompt = { name: 'example_prompt' };
  switch (`${event.entity}.${event.action}`) {
    case 'REGISTERED_MODEL.CREATED':
      return { ...model, tags: EXAMPLE_TAGS, description: 'An example registered model' };
    case 'MODEL_VERSION.CREATED':
      return { ...model, version: '1', source: 'models:/123', run_id: 'abcd1234abcd5678', tags: EXAMPLE_TAGS, description: 'An example model version' };
    case 'MODEL_VERSION_TAG.SET':
      return { ...model, version: '1', key: 'example_key', value: 'example_value' };
    case 'MODEL_VERSION_TAG.DELETED':
      return { ...model, version: '1', key: 'example_key' };
    case 'MODEL_VERSION_ALIAS.CREATED':
      return { ...model, alias: 'example_alias', version: '1' };
    case 'MODEL_VERSION_ALIAS.DELETED':
      return { ...model, alias: 'example_alias' };
    case 'PROMPT.CREATED':
      return { ...prompt, tags: EXAMPLE_TAGS, description: 'An example prompt' };
    case 'PROMPT_VERSION.CREATED':
      return { ...prompt, version: '1', template: 'Hello {{name}}!', tags: EXAMPLE_TAGS, description: 'An example prompt version' };
    case 'PROMPT_TAG.SET':
      return { ...prompt, key: 'example_key', value: 'example_value' };
    case 'PROMPT_TAG.DELETED':
      return { ...prompt, key: 'example_key' };
    case 'PROMPT_VERSION_TAG.SET':
      return { ...prompt, version: '1', key: 'example_key', value: 'example_value' };
    case 'PROMPT_VERSION_TAG.DELETED':
      return { ...prompt, version: '1', key: 'example_key' };
    case 'PROMPT_ALIAS.CREATED':
      return { ...prompt, alias: 'example_alias', version: '1' };
    case 'PROMPT_ALIAS.DELETED':
      return { ...prompt, alias: 'example_alias' };
    default:
      throw new Error(`Unknown event type: ${payloadName(event.entity)}.${payloadName(event.action)}`);
  }
};

/**
 * Python's `datetime.now(timezone.utc).isoformat()` for a time in milliseconds:
 * `2026-01-01T12:00:00.250000+00:00` (no fraction when it is zero, as Python writes it).
 */
export const pythonIsoTimestamp = (ms: number): string => {
  const iso = new Date(ms).toISOString(); // 2026-01-01T12:00:00.250Z
  const seconds = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  return millis === '000' ? `${seconds}+00:00` : `${seconds}.${millis}000+00:00`;
};

/**
 * The delivered body: `{"entity", "action", "timestamp", "data"}` in that order, serialized as MLflow's
 * server serializes it. `timestamp` is when the change happened (MLflow stamps the send time, which is the
 * same moment for it; a redelivery keeps the body, and so its signature input, unchanged).
 */
export const payloadBody = (event: WebhookEvent, data: Record<string, unknown>, timestampMs: number): string =>
  pythonJsonDumps({
    entity: payloadName(event.entity),
    action: payloadName(event.action),
    timestamp: pythonIsoTimestamp(timestampMs),
    data,
  });
