import { invalidParameter, notFound } from '../../errors/index.js';
import { payloadName, VALID_ENTITY_ACTIONS, type WebhookEvent } from './entities.js';

// MLflow's wording: mlflow/utils/validation.py (`_validate_webhook_*`), mlflow/entities/webhook.py
// (`WebhookEvent.__init__`) and mlflow/store/model_registry/sqlalchemy_store.py (`_get_webhook_by_id`).

/** Python's `repr()` of a string, which MLflow's messages embed (`{name!r}`). */
export const pythonRepr = (value: string): string => {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
};

export const webhookNotFound = (webhookId: string) => notFound(`Webhook with ID ${webhookId} not found.`);

export const invalidWebhookName = (name: string) =>
  invalidParameter(
    `Webhook name ${pythonRepr(name)} is invalid. It must start and end with a letter or digit, be less than 63 characters long, and contain only letters, digits, dots (.), underscores (_), and hyphens (-).`,
  );

export const emptyWebhookUrl = (url: string) =>
  invalidParameter(`Webhook URL cannot be empty or just whitespace: ${pythonRepr(url)}`);

export const invalidWebhookScheme = (scheme: string, allowed: readonly string[]) =>
  invalidParameter(`Invalid webhook URL scheme: ${pythonRepr(scheme)}. Allowed schemes are: ${allowed.join(', ')}.`);

export const webhookUrlWithoutHost = (url: string) =>
  invalidParameter(`Webhook URL must include a hostname: ${pythonRepr(url)}`);

export const webhookUrlNotPublic = (hostname: string, address: string) =>
  invalidParameter(`Webhook URL must not resolve to a non-public IP address. ${pythonRepr(hostname)} resolves to ${address}.`);

export const emptyWebhookEvents = () =>
  invalidParameter('Webhook events must be a non-empty list of WebhookEvent objects: [].');

/** `Invalid action 'set' for entity 'registered_model'. Valid actions are: ['created']` */
export const invalidEventCombination = (event: WebhookEvent) => {
  const valid = VALID_ENTITY_ACTIONS[event.entity].map(payloadName).sort();
  return invalidParameter(
    `Invalid action '${payloadName(event.action)}' for entity '${payloadName(event.entity)}'. Valid actions are: [${valid.map((a) => `'${a}'`).join(', ')}]`,
  );
};

export const invalidWebhookMaxResults = () => invalidParameter('max_results must be between 1 and 1000.');
