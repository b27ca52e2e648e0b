import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { webhookRoutes } from '../../../functions/api/routes/webhooks.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { ENGINES, type EngineName } from '../../support/test-api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { freshTable, webhooksOn } from './table.js';

const API = '/api/2.0/mlflow';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The API as createApi builds it, with the webhook routes mounted next to the others. */
const apiOn = async (engine: EngineName, options: { allowPrivateTargets?: boolean } = {}) => {
  const db = await freshTable(engine);
  const app = createApi(createTrackingDeps(db));
  app.route(API, webhookRoutes(webhooksOn(db, { allowPrivateTargets: options.allowPrivateTargets ?? false }).deps));
  return async (method: string, path: string, body?: Record<string, unknown>) => {
    const response = await app.request(`${API}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
};

describe.each(ENGINES)('webhooks API (%s)', (engine) => {
  it('creates, gets, lists, updates, tests and deletes a webhook, never returning its secret', async () => {
    // Prepare
    receiver = await startWebhookReceiver('whsec-api');
    const call = await apiOn(engine, { allowPrivateTargets: true });

    // Act
    const created = await call('POST', '/webhooks', {
      name: 'deploy-trigger',
      url: receiver.url,
      events: [
        { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' },
        { entity: 'REGISTERED_MODEL', action: 'CREATED' },
      ],
      description: 'Deploys champions',
      secret: 'whsec-api',
    });
    const id = created.body.webhook.webhook_id;
    const got = await call('GET', `/webhooks/${id}`);
    const listed = await call('GET', '/webhooks');
    const updated = await call('PATCH', `/webhooks/${id}`, { name: 'deploy-trigger-2', status: 'DISABLED' });
    const tested = await call('POST', `/webhooks/${id}/test`, {});
    const deleted = await call('DELETE', `/webhooks/${id}`);
    const afterDelete = await call('GET', `/webhooks/${id}`);
    const listAfterDelete = await call('GET', '/webhooks');

    // Assess
    expect(created.status).toBe(200);
    expect(created.body.webhook).toEqual({
      webhook_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'deploy-trigger',
      description: 'Deploys champions',
      url: receiver.url,
      events: [
        { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' },
        { entity: 'REGISTERED_MODEL', action: 'CREATED' },
      ],
      status: 'ACTIVE',
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: expect.any(Number),
    });
    expect(got.body).toEqual(created.body);
    expect(listed.body).toEqual({ webhooks: [created.body.webhook] });
    expect(updated.body.webhook).toMatchObject({ name: 'deploy-trigger-2', status: 'DISABLED', description: 'Deploys champions' });
    expect(tested.body).toEqual({ result: { success: true, response_status: 200, response_body: 'ok' } });
    expect(receiver.received[0]?.signatureValid).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      entity: 'model_version_alias',
      action: 'created',
      data: { name: 'example_model', alias: 'example_alias', version: '1' },
    });
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(afterDelete).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Webhook with ID ${id} not found.` } });
    expect(listAfterDelete.body).toEqual({});
    expect(JSON.stringify([created, got, listed, updated])).not.toContain('whsec-api');
  });

  it('lists newest first, a page at a time', async () => {
    // Prepare
    const call = await apiOn(engine, { allowPrivateTargets: true });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const events = [{ entity: 'MODEL_VERSION', action: 'CREATED' }];
      ids.push((await call('POST', '/webhooks', { name, url: 'http://127.0.0.1:9/x', events })).body.webhook.webhook_id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    // Act
    const first = await call('GET', '/webhooks?max_results=2');
    const second = await call('GET', `/webhooks?max_results=2&page_token=${encodeURIComponent(first.body.next_page_token)}`);

    // Assess
    expect(first.body.webhooks.map((w: { webhook_id: string }) => w.webhook_id)).toEqual([ids[2], ids[1]]);
    expect(second.body.webhooks.map((w: { webhook_id: string }) => w.webhook_id)).toEqual([ids[0]]);
    expect(second.body.next_page_token).toBeUndefined();
  });

  it('accepts enums by proto number, as MLflow does', async () => {
    // Prepare
    const call = await apiOn(engine, { allowPrivateTargets: true });

    // Act
    const created = await call('POST', '/webhooks', { name: 'n', url: 'http://127.0.0.1:9/x', events: [{ entity: 3, action: 4 }], status: 2 });

    // Assess
    expect(created.body.webhook).toMatchObject({ events: [{ entity: 'MODEL_VERSION_TAG', action: 'SET' }], status: 'DISABLED' });
  });

  it('refuses a plain http target outside local mode with INVALID_PARAMETER_VALUE', async () => {
    // Prepare
    const call = await apiOn(engine);

    // Act
    const refused = await call('POST', '/webhooks', { name: 'n', url: 'http://127.0.0.1:9/x', events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }] });

    // Assess
    expect(refused).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid webhook URL scheme: 'http'. Allowed schemes are: https." },
    });
  });

  it('refuses a damaged page token', async () => {
    // Prepare
    const call = await apiOn(engine);

    // Act
    const refused = await call('GET', '/webhooks?page_token=bm90LWpzb24');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
