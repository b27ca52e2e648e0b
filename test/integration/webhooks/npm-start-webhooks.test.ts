import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { endpointOf } from '../../support/test-api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const API = '/api/2.0/mlflow';
const SECRET = 'registry-hook-secret';

const post = (server: LocalServer, path: string, body: unknown) =>
  fetch(`${server.url}${API}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('webhooks under npm start', () => {
  let server: LocalServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpointOf('dynoxide'),
      tableName: `cairn-hooks-${randomUUID()}`,
      allowPrivateWebhookTargets: true,
      webhookIntervalMs: 100,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('delivers signed registry events to a webhook as the registry changes', async () => {
    // Prepare
    const created = await post(server, '/webhooks', {
      name: 'registry-hook',
      url: receiver.url,
      secret: SECRET,
      events: [
        { entity: 'MODEL_VERSION', action: 'CREATED' },
        { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' },
      ],
    });

    // Act
    await post(server, '/registered-models/create', { name: 'hooked' });
    await post(server, '/model-versions/create', { name: 'hooked', source: 's3://bucket/model' });
    await post(server, '/registered-models/alias', { name: 'hooked', alias: 'champion', version: '1' });
    await waitFor(() => receiver.received.length >= 2);

    // Assess
    expect(created.status).toBe(200);
    expect(created.body.webhook).not.toHaveProperty('secret');
    const payloads = receiver.received.map((delivery) => JSON.parse(delivery.body));
    expect(receiver.received.every((delivery) => delivery.signatureValid)).toBe(true);
    expect(payloads.map((p) => [p.entity, p.action])).toEqual([
      ['model_version', 'created'],
      ['model_version_alias', 'created'],
    ]);
    expect(payloads[0].data).toMatchObject({ name: 'hooked', version: '1', source: 's3://bucket/model' });
    expect(payloads[1].data).toMatchObject({ name: 'hooked', alias: 'champion', version: '1' });
  });

  it('shows the events a model recorded and what each delivery did', async () => {
    // Prepare
    const hook = await post(server, '/webhooks', {
      name: 'visible-hook',
      url: receiver.url,
      secret: SECRET,
      events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
    });
    await post(server, '/registered-models/create', { name: 'visible' });
    await post(server, '/model-versions/create', { name: 'visible', source: 's3://bucket/visible' });
    const deliveriesUrl = `${server.url}/api/2.0/cairn/webhooks/${hook.body.webhook.webhook_id}/deliveries`;
    const deliveries = async () => ((await (await fetch(deliveriesUrl)).json()) as any).deliveries ?? [];
    let seen: any[] = [];
    await waitFor(() => (void deliveries().then((d) => (seen = d)), seen.length > 0));

    // Act
    const events = (await (await fetch(`${server.url}/api/2.0/cairn/registered-models/events?name=visible`)).json()) as any;

    // Assess
    expect(events.events.map((e: any) => [e.position, e.type])).toEqual([
      [1, 'REGISTERED_MODEL_CREATED'],
      [2, 'MODEL_VERSION_CREATED'],
    ]);
    expect(seen[0]).toMatchObject({ entity: 'MODEL_VERSION', action: 'CREATED', outcome: 'success', status_code: 200 });
  });
});
