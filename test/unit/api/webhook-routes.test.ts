/**
 * The webhook endpoints through the whole app (`createApi(...).request`), on in-memory ports: routing under both
 * prefixes, zod at the edge, the use cases' rules and MLflow's JSON and error forms, without an engine. The same
 * flows run on DynamoDB in test/integration/webhooks/api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import type { DeliveryRecord } from '../../../shared/domain/webhooks/ports.js';
import { memoryDeliveryLog, memoryWebhookDeps, type MemoryWebhookDepsOptions } from '../../support/fakes/webhooks.js';

type TrackingPorts = Parameters<typeof createApi>[0];

/** The webhook routes need nothing from tracking: any use of a tracking port fails the test that made it. */
const noTracking = new Proxy({} as TrackingPorts, {
  get: (_target, port) => () => {
    throw new Error(`a webhook request used the tracking port ${String(port)}`);
  },
});

const EVENTS = [{ entity: 'MODEL_VERSION', action: 'CREATED' }];

const apiWith = (options: MemoryWebhookDepsOptions & { mounted?: boolean } = {}) => {
  const { deps, webhooks, sent } = memoryWebhookDeps(options);
  const deliveries = memoryDeliveryLog();
  const app = createApi(noTracking, options.mounted === false ? {} : { webhooks: deps, webhookDeliveries: deliveries });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { call, webhooks, deliveries, sent, deps };
};

const MLFLOW = '/api/2.0/mlflow';

describe('webhook routes (createApi on in-memory ports)', () => {
  it('creates a webhook and answers MLflow\'s Webhook message in proto field order, without the secret', async () => {
    // Prepare
    const { call, webhooks, deps } = apiWith();

    // Act
    const created = await call('POST', `${MLFLOW}/webhooks`, {
      name: 'deploy-trigger',
      url: 'https://hooks.example/mlflow',
      events: [{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }],
      description: 'Deploys champions',
      secret: 'whsec-1',
    });

    // Assess
    expect(created.status).toBe(200);
    expect(created.body.webhook).toEqual({
      webhook_id: '00000000-0000-4000-8000-000000000001',
      name: 'deploy-trigger',
      description: 'Deploys champions',
      url: 'https://hooks.example/mlflow',
      events: [{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }],
      status: 'ACTIVE',
      creation_timestamp: 1_767_225_600_000,
      last_updated_timestamp: 1_767_225_600_000,
    });
    expect(Object.keys(created.body.webhook)).toEqual([
      'webhook_id', 'name', 'description', 'url', 'events', 'status', 'creation_timestamp', 'last_updated_timestamp',
    ]);
    expect(JSON.stringify(created.body)).not.toContain('whsec-1');
    const stored = webhooks.items.get('00000000-0000-4000-8000-000000000001');
    expect(deps.secretBox.decrypt(stored?.encryptedSecret ?? '', stored?.webhookId ?? '')).toBe('whsec-1');
  });

  it('serves the same webhooks under /api and /ajax-api', async () => {
    // Prepare
    const { call } = apiWith();
    const created = await call('POST', `${MLFLOW}/webhooks`, { name: 'n', url: 'https://hooks.example/x', events: EVENTS });
    const id = created.body.webhook.webhook_id;

    // Act
    const viaApi = await call('GET', `${MLFLOW}/webhooks/${id}`);
    const viaAjax = await call('GET', `/ajax-api/2.0/mlflow/webhooks/${id}`);

    // Assess
    expect(viaApi).toEqual({ status: 200, body: created.body });
    expect(viaAjax).toEqual(viaApi);
  });

  it('lists newest first a page at a time, and an empty listing is an empty object', async () => {
    // Prepare
    let now = 1_000;
    const { call } = apiWith({ now: () => (now += 1000) });
    const empty = await call('GET', `${MLFLOW}/webhooks`);
    for (const name of ['a', 'b', 'c']) await call('POST', `${MLFLOW}/webhooks`, { name, url: 'https://hooks.example/x', events: EVENTS });

    // Act
    const first = await call('GET', `${MLFLOW}/webhooks?max_results=2`);
    const second = await call('GET', `${MLFLOW}/webhooks?max_results=2&page_token=${encodeURIComponent(first.body.next_page_token)}`);

    // Assess
    expect(empty).toEqual({ status: 200, body: {} });
    expect(first.body.webhooks.map((w: { name: string }) => w.name)).toEqual(['c', 'b']);
    expect(second.body.webhooks.map((w: { name: string }) => w.name)).toEqual(['a']);
    expect(second.body.next_page_token).toBeUndefined();
  });

  it('updates only the fields sent, and keeps the rest', async () => {
    // Prepare
    let now = 1_000;
    const { call } = apiWith({ now: () => (now += 1000) });
    const created = await call('POST', `${MLFLOW}/webhooks`, { name: 'n', description: 'd', url: 'https://hooks.example/x', events: EVENTS });
    const id = created.body.webhook.webhook_id;

    // Act
    const updated = await call('PATCH', `${MLFLOW}/webhooks/${id}`, { name: 'n2', status: 'DISABLED' });

    // Assess
    expect(updated.status).toBe(200);
    expect(updated.body.webhook).toEqual({ ...created.body.webhook, name: 'n2', status: 'DISABLED', last_updated_timestamp: 3_000 });
  });

  it('deletes a webhook: then it is not found, and a second delete is RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const { call } = apiWith();
    const id = (await call('POST', `${MLFLOW}/webhooks`, { name: 'n', url: 'https://hooks.example/x', events: EVENTS })).body.webhook.webhook_id;
    const notFound = { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Webhook with ID ${id} not found.` };

    // Act
    const deleted = await call('DELETE', `${MLFLOW}/webhooks/${id}`);
    const got = await call('GET', `${MLFLOW}/webhooks/${id}`);
    const again = await call('DELETE', `${MLFLOW}/webhooks/${id}`);

    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(got).toEqual({ status: 404, body: notFound });
    expect(again).toEqual({ status: 404, body: notFound });
  });

  it('tests a webhook with one attempt of the example payload of the event asked for', async () => {
    // Prepare
    const { call, sent } = apiWith();
    const id = (await call('POST', `${MLFLOW}/webhooks`, { name: 'n', url: 'https://hooks.example/x', events: EVENTS })).body.webhook.webhook_id;

    // Act
    const tested = await call('POST', `${MLFLOW}/webhooks/${id}/test`, { event: { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' } });

    // Assess
    expect(tested).toEqual({ status: 200, body: { result: { success: true, response_status: 200, response_body: 'ok' } } });
    expect(sent).toHaveLength(1);
    const [webhook, message, options] = sent[0] ?? [];
    expect(webhook?.webhookId).toBe(id);
    expect(message?.event).toEqual({ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' });
    expect(message?.data).toMatchObject({ name: 'example_model', alias: 'example_alias', version: '1' });
    expect(options).toEqual({ maxAttempts: 1 });
  });

  it('reports a test delivery that got no response as success false with the reason', async () => {
    // Prepare
    const { call } = apiWith({
      deliver: async (_w, m) => ({ deliveryId: m.deliveryId, outcome: 'failed', error: 'connect ECONNREFUSED', attempts: [], startedAt: 0, durationMs: 1 }),
    });
    const id = (await call('POST', `${MLFLOW}/webhooks`, { name: 'n', url: 'https://hooks.example/x', events: EVENTS })).body.webhook.webhook_id;

    // Act
    const tested = await call('POST', `${MLFLOW}/webhooks/${id}/test`, {});

    // Assess
    expect(tested).toEqual({ status: 200, body: { result: { success: false, error_message: 'Failed to test webhook: connect ECONNREFUSED' } } });
  });

  it('accepts enums by proto number', async () => {
    // Prepare
    const { call } = apiWith();

    // Act
    const created = await call('POST', `${MLFLOW}/webhooks`, { name: 'n', url: 'https://hooks.example/x', events: [{ entity: 3, action: 4 }], status: 2 });

    // Assess
    expect(created.body.webhook).toMatchObject({ events: [{ entity: 'MODEL_VERSION_TAG', action: 'SET' }], status: 'DISABLED' });
  });

  it.each([
    [
      'an invalid entity/action pair',
      { name: 'n', url: 'https://hooks.example/x', events: [{ entity: 'REGISTERED_MODEL', action: 'SET' }] },
      "Invalid action 'set' for entity 'registered_model'. Valid actions are: ['created']",
    ],
    ['a plain http target outside local mode', { name: 'n', url: 'http://hooks.example/x', events: EVENTS }, "Invalid webhook URL scheme: 'http'. Allowed schemes are: https."],
    [
      'a host that resolves to a private address',
      { name: 'n', url: 'https://internal.example/x', events: EVENTS },
      "Webhook URL must not resolve to a non-public IP address. 'internal.example' resolves to 10.0.0.7.",
    ],
    ['an unknown event entity', { name: 'n', url: 'https://hooks.example/x', events: [{ entity: 'NOPE', action: 'CREATED' }] }, undefined],
  ])('refuses %s with INVALID_PARAMETER_VALUE and stores nothing', async (_what, body, message) => {
    // Prepare
    const { call, webhooks } = apiWith({ resolvesTo: body.url.includes('internal') ? '10.0.0.7' : '93.184.215.14' });

    // Act
    const refused = await call('POST', `${MLFLOW}/webhooks`, body);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    if (message) expect(refused.body.message).toBe(message);
    expect(webhooks.items.size).toBe(0);
  });

  it.each([
    ['max_results=0', 'max_results must be between 1 and 1000.'],
    ['max_results=1001', 'max_results must be between 1 and 1000.'],
    ['page_token=bm90LWpzb24', undefined],
  ])('refuses a listing with %s as INVALID_PARAMETER_VALUE', async (query, message) => {
    // Prepare
    const { call } = apiWith();

    // Act
    const refused = await call('GET', `${MLFLOW}/webhooks?${query}`);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    if (message) expect(refused.body.message).toBe(message);
  });

  it('has no webhook routes when the app is built without webhooks', async () => {
    // Prepare
    const { call } = apiWith({ mounted: false });

    // Act
    const missing = await call('GET', `${MLFLOW}/webhooks`);
    const deliveries = await call('GET', '/api/2.0/cairn/webhooks/wh-1/deliveries');

    // Assess
    expect(missing).toEqual({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint for GET ${MLFLOW}/webhooks` } });
    expect(deliveries.status).toBe(404);
    expect(deliveries.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });
});

describe('webhook delivery records (GET /api/2.0/cairn/webhooks/<id>/deliveries)', () => {
  const record = (deliveryId: string, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
    webhookId: 'wh-1',
    deliveryId,
    eventId: `event-${deliveryId}`,
    entity: 'MODEL_VERSION',
    action: 'CREATED',
    outcome: 'success',
    statusCode: 200,
    attempts: [{ attempt: 1, startedAt: 10, durationMs: 5, statusCode: 200 }],
    startedAt: 10,
    durationMs: 5,
    ...overrides,
  });

  it('answers the webhook\'s records newest first, with attempts counted, cut at max_results', async () => {
    // Prepare
    const { call, deliveries } = apiWith();
    await deliveries.record(record('d1'));
    await deliveries.record(record('d2', { outcome: 'failed', statusCode: 500, error: 'HTTP 500', attempts: [] }));
    await deliveries.record(record('other', { webhookId: 'wh-2' }));

    // Act
    const all = await call('GET', '/api/2.0/cairn/webhooks/wh-1/deliveries');
    const one = await call('GET', '/api/2.0/cairn/webhooks/wh-1/deliveries?max_results=1');

    // Assess
    expect(all.status).toBe(200);
    expect(all.body.deliveries).toEqual([
      {
        delivery_id: 'd2', event_id: 'event-d2', entity: 'MODEL_VERSION', action: 'CREATED', outcome: 'failed',
        status_code: 500, error: 'HTTP 500', attempts: 0, started_at: 10, duration_ms: 5,
      },
      {
        delivery_id: 'd1', event_id: 'event-d1', entity: 'MODEL_VERSION', action: 'CREATED', outcome: 'success',
        status_code: 200, attempts: 1, started_at: 10, duration_ms: 5,
      },
    ]);
    expect(one.body.deliveries.map((d: { delivery_id: string }) => d.delivery_id)).toEqual(['d2']);
  });

  it.each(['0', '1001', 'x'])('refuses max_results=%s with INVALID_PARAMETER_VALUE', async (maxResults) => {
    // Prepare
    const { call } = apiWith();

    // Act
    const refused = await call('GET', `/api/2.0/cairn/webhooks/wh-1/deliveries?max_results=${maxResults}`);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
