import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../../shared/domain/webhooks/address-guard.js';
import type { DeliverFn, WebhookDeps } from '../../../shared/domain/webhooks/ports.js';
import { createSecretBox } from '../../../shared/domain/webhooks/secret-box.js';
import * as hooks from '../../../shared/domain/webhooks/use-cases.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { memoryWebhookStore } from '../../support/fakes/webhooks.js';

const NOW = 1_767_225_600_000;
const EVENTS = [{ entity: 'MODEL_VERSION', action: 'CREATED' }] as const;

const makeDeps = (options: { resolvesTo?: string; allowPrivateTargets?: boolean; deliver?: DeliverFn } = {}) => {
  let ids = 0;
  const resolve = async (): Promise<LookupAddress[]> => [{ address: options.resolvesTo ?? '93.184.215.14', family: 4 }];
  const deps: WebhookDeps = {
    webhooks: memoryWebhookStore(),
    secretBox: createSecretBox(randomBytes(32)),
    addressGuard: createAddressGuard({ allowPrivateTargets: options.allowPrivateTargets ?? false, resolve }),
    deliver:
      options.deliver ??
      (async (_w, m) => ({ deliveryId: m.deliveryId, outcome: 'success', statusCode: 200, responseBody: 'ok', attempts: [], startedAt: NOW, durationMs: 1 })),
    now: () => NOW,
    newId: () => `00000000-0000-4000-8000-00000000000${++ids}`,
  };
  return deps;
};

const failure = async (act: Promise<unknown>) => {
  const error = await act.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MlflowError);
  return error as MlflowError;
};

describe('webhook use cases', () => {
  it('creates an ACTIVE webhook and keeps only the encrypted secret', async () => {
    // Prepare
    const deps = makeDeps();

    // Act
    const webhook = await hooks.createWebhook(deps, { name: 'hook', url: 'https://hooks.example/x', events: [...EVENTS], secret: 's3cret' });

    // Assess
    expect(webhook).toMatchObject({ status: 'ACTIVE', creationTimestamp: NOW, lastUpdatedTimestamp: NOW });
    expect(JSON.stringify(webhook)).not.toContain('s3cret');
    expect(deps.secretBox.decrypt(webhook.encryptedSecret ?? '', webhook.webhookId)).toBe('s3cret');
  });

  it('refuses a URL whose host resolves to a private address', async () => {
    // Prepare
    const deps = makeDeps({ resolvesTo: '10.0.0.7' });

    // Act
    const error = await failure(hooks.createWebhook(deps, { name: 'hook', url: 'https://internal.example/x', events: [...EVENTS] }));

    // Assess
    expect(error.message).toBe("Webhook URL must not resolve to a non-public IP address. 'internal.example' resolves to 10.0.0.7.");
  });

  it('takes a loopback http target when private targets are allowed', async () => {
    // Prepare
    const deps = makeDeps({ allowPrivateTargets: true });

    // Act
    const webhook = await hooks.createWebhook(deps, { name: 'local', url: 'http://127.0.0.1:9000/hook', events: [...EVENTS] });

    // Assess
    expect(webhook.url).toBe('http://127.0.0.1:9000/hook');
  });

  it('reports an invalid entity/action pair before a bad name, as MLflow\'s handler does', async () => {
    // Prepare
    const deps = makeDeps();

    // Act
    const error = await failure(
      hooks.createWebhook(deps, { name: '-bad-', url: 'https://hooks.example/x', events: [{ entity: 'REGISTERED_MODEL', action: 'SET' }] }),
    );

    // Assess
    expect(error.message).toMatch(/^Invalid action 'set' for entity 'registered_model'/);
  });

  it('changes only the fields given, ignoring empty ones', async () => {
    // Prepare
    const deps = makeDeps();
    const created = await hooks.createWebhook(deps, { name: 'hook', url: 'https://hooks.example/x', events: [...EVENTS], description: 'first' });

    // Act
    const updated = await hooks.updateWebhook(deps, created.webhookId, { name: 'renamed', description: '', events: [], status: 'DISABLED' });

    // Assess
    expect(updated).toMatchObject({ name: 'renamed', description: 'first', events: EVENTS, status: 'DISABLED', url: 'https://hooks.example/x' });
  });

  it('answers RESOURCE_DOES_NOT_EXIST with MLflow\'s message for an unknown id', async () => {
    // Act
    const error = await failure(hooks.getWebhook(makeDeps(), 'nope'));

    // Assess
    expect(error.toJSON()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Webhook with ID nope not found.' });
  });

  it.each([0, 1001])('refuses max_results %i', async (maxResults) => {
    // Act
    const error = await failure(hooks.listWebhooks(makeDeps(), maxResults));

    // Assess
    expect(error.message).toBe('max_results must be between 1 and 1000.');
  });

  it('tests a webhook with MLflow\'s example payload of its first event, once', async () => {
    // Prepare
    const calls: unknown[] = [];
    const deps = makeDeps({
      deliver: async (_w, message, options) => {
        calls.push({ message, options });
        return { deliveryId: message.deliveryId, outcome: 'failed', statusCode: 500, responseBody: 'down', attempts: [], startedAt: NOW, durationMs: 1 };
      },
    });
    const webhook = await hooks.createWebhook(deps, { name: 'hook', url: 'https://hooks.example/x', events: [...EVENTS] });

    // Act
    const result = await hooks.testWebhook(deps, webhook.webhookId);

    // Assess
    expect(result).toEqual({ success: false, responseStatus: 500, responseBody: 'down' });
    expect(calls).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ data: expect.objectContaining({ name: 'example_model', version: '1' }) }), options: { maxAttempts: 1 } }),
    ]);
  });

  it('reports a test that reached no receiver as an error message', async () => {
    // Prepare
    const deps = makeDeps({
      deliver: async (_w, m) => ({ deliveryId: m.deliveryId, outcome: 'failed', error: 'connect ECONNREFUSED', attempts: [], startedAt: NOW, durationMs: 1 }),
    });
    const webhook = await hooks.createWebhook(deps, { name: 'hook', url: 'https://hooks.example/x', events: [...EVENTS] });

    // Act
    const result = await hooks.testWebhook(deps, webhook.webhookId);

    // Assess
    expect(result).toEqual({ success: false, errorMessage: 'Failed to test webhook: connect ECONNREFUSED' });
  });
});
