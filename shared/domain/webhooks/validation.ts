import { isValidCombination, type WebhookEvent } from './entities.js';
import {
  emptyWebhookEvents,
  emptyWebhookUrl,
  invalidEventCombination,
  invalidWebhookName,
  invalidWebhookScheme,
  webhookUrlWithoutHost,
} from './errors.js';

/**
 * MLflow's `_WEBHOOK_NAME_REGEX` (case-insensitive): 1 to 63 characters, letters, digits, dots, underscores
 * and hyphens, starting and ending with a letter or digit.
 */
const WEBHOOK_NAME = /^(?=.{1,63}$)[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i;

/** The schemes a webhook URL may use: https only, and http too when private targets are allowed (local mode). */
export const allowedSchemes = (allowPrivateTargets: boolean): readonly string[] =>
  allowPrivateTargets ? ['https', 'http'] : ['https'];

/** @throws INVALID_PARAMETER_VALUE when the name breaks MLflow's rule. */
export const validateWebhookName = (name: string): void => {
  if (!WEBHOOK_NAME.test(name)) throw invalidWebhookName(name);
};

/**
 * Checks a URL's form: not blank, an allowed scheme, a host. Answers the host name (IPv6 literals without
 * brackets), which the caller resolves and checks with the address guard.
 * @throws INVALID_PARAMETER_VALUE
 */
export const validateWebhookUrl = (url: string, schemes: readonly string[]): string => {
  if (url.trim() === '') throw emptyWebhookUrl(url);
  const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '').toLowerCase();
  if (!schemes.includes(scheme)) throw invalidWebhookScheme(scheme, schemes);
  let hostname = '';
  try {
    hostname = new URL(url).hostname;
  } catch {
    hostname = '';
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  if (hostname === '') throw webhookUrlWithoutHost(url);
  return hostname;
};

/** @throws INVALID_PARAMETER_VALUE for an (entity, action) pair outside MLflow's VALID_ENTITY_ACTIONS. */
export const validateEventCombinations = (events: readonly WebhookEvent[]): void => {
  for (const event of events) if (!isValidCombination(event)) throw invalidEventCombination(event);
};

/** @throws INVALID_PARAMETER_VALUE for an empty list. */
export const validateWebhookEvents = (events: readonly WebhookEvent[]): void => {
  if (events.length === 0) throw emptyWebhookEvents();
};
