import { describe, expect, it } from 'vitest';
import {
  allowedSchemes,
  validateEventCombinations,
  validateWebhookEvents,
  validateWebhookName,
  validateWebhookUrl,
} from '../../../shared/domain/webhooks/validation.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { errorOf } from '../../support/error-of.js';

const messageOf = (act: () => unknown) => {
  const error = errorOf(act);
  expect(MlflowError.is(error, 'INVALID_PARAMETER_VALUE')).toBe(true);
  return (error as MlflowError).message;
};

describe('webhook validation', () => {
  it.each(['a', 'hook-1', 'My.Hook_2', 'x'.repeat(63)])('accepts the name %s', (name) => {
    // Act & Assess
    expect(() => validateWebhookName(name)).not.toThrow();
  });

  it.each(['', '-hook', 'hook-', '.x', 'a b', 'x'.repeat(64), 'héllo'])('refuses the name %j with MLflow\'s message', (name) => {
    // Act
    const message = messageOf(() => validateWebhookName(name));

    // Assess
    expect(message).toBe(
      `Webhook name '${name}' is invalid. It must start and end with a letter or digit, be less than 63 characters long, and contain only letters, digits, dots (.), underscores (_), and hyphens (-).`,
    );
  });

  it('allows only https by default', () => {
    // Act
    const message = messageOf(() => validateWebhookUrl('http://example.com/hook', allowedSchemes(false)));

    // Assess
    expect(message).toBe("Invalid webhook URL scheme: 'http'. Allowed schemes are: https.");
  });

  it('allows http as well when private targets are allowed (local mode)', () => {
    // Act
    const host = validateWebhookUrl('http://127.0.0.1:8080/hook', allowedSchemes(true));

    // Assess
    expect(host).toBe('127.0.0.1');
  });

  it('answers the host of an IPv6 literal without brackets', () => {
    // Act & Assess
    expect(validateWebhookUrl('https://[2001:4860::1]/hook', allowedSchemes(false))).toBe('2001:4860::1');
  });

  it('refuses a blank URL', () => {
    // Act & Assess
    expect(messageOf(() => validateWebhookUrl('  ', allowedSchemes(false)))).toBe("Webhook URL cannot be empty or just whitespace: '  '");
  });

  it('refuses a URL without a scheme', () => {
    // Act & Assess
    expect(messageOf(() => validateWebhookUrl('example.com/hook', allowedSchemes(false)))).toBe(
      "Invalid webhook URL scheme: ''. Allowed schemes are: https.",
    );
  });

  it('refuses a URL without a host', () => {
    // Act & Assess
    expect(messageOf(() => validateWebhookUrl('https://:443/hook', allowedSchemes(false)))).toBe(
      "Webhook URL must include a hostname: 'https://:443/hook'",
    );
  });

  it('refuses an entity/action pair outside VALID_ENTITY_ACTIONS, listing the valid actions', () => {
    // Act
    const message = messageOf(() => validateEventCombinations([{ entity: 'MODEL_VERSION_TAG', action: 'CREATED' }]));

    // Assess
    expect(message).toBe("Invalid action 'created' for entity 'model_version_tag'. Valid actions are: ['deleted', 'set']");
  });

  it('accepts every valid pair', () => {
    // Act & Assess
    expect(() =>
      validateEventCombinations([
        { entity: 'REGISTERED_MODEL', action: 'CREATED' },
        { entity: 'MODEL_VERSION_ALIAS', action: 'DELETED' },
        { entity: 'PROMPT_VERSION_TAG', action: 'SET' },
      ]),
    ).not.toThrow();
  });

  it('refuses an empty event list', () => {
    // Act & Assess
    expect(messageOf(() => validateWebhookEvents([]))).toBe('Webhook events must be a non-empty list of WebhookEvent objects: [].');
  });
});
