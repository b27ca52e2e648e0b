import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import type { DbContext } from '../../../shared/data/db-context.js';
import { toAttributes } from '../../../shared/data/dynamo-ops.js';
import { toRegistryEventItem } from '../../../shared/data/registry-events/codec.js';
import { createWebhook } from '../../../shared/domain/webhooks/use-cases.js';
import type { RegistryEvent } from '../../../shared/domain/registry/events.js';
import type { DispatchSummary } from '../../../shared/domain/webhooks/dispatcher.js';
import { aRegistryEvent } from '../../support/registry-event-builder.js';
import { endpointOf } from '../../support/test-api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { freshTable, SECRET_KEY, webhooksOn, writeRegistryEvent } from './table.js';

/** The stream record DynamoDB emits (NEW_IMAGE) for the put of `event`'s item. */
const streamRecordOf = (event: RegistryEvent, sequenceNumber: string): DynamoDBStreamEvent['Records'][number] => {
  // The SDK's and the stream's AttributeValue types differ only in how binaries are typed; events hold none.
  const image = toAttributes(toRegistryEventItem(event)) as never as Record<string, { S?: string }>;
  return {
    eventID: `id-${sequenceNumber}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { pk: { S: image.pk?.S ?? '' }, sk: { S: image.sk?.S ?? '' } },
      NewImage: image as never,
      SequenceNumber: sequenceNumber,
      StreamViewType: 'NEW_IMAGE',
    },
  };
};

const newVersionEvent = (version: string) =>
  aRegistryEvent('MODEL_VERSION_CREATED', { name: 'wine', version, source: 'models:/m-1', run_id: 'r1' }, {
    timestamp: Date.now(),
    modelId: `rm-lambda-${version}`,
  });

describe('the webhook Lambda entries (functions/webhooks/*-handler.ts) on DynamoDB Local', () => {
  let db: DbContext;
  let receiver: WebhookReceiver;
  let onStream: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  let onSchedule: () => Promise<DispatchSummary>;

  beforeAll(async () => {
    // Prepare: a webhook on a local receiver, and the environment the stack sets on both functions
    db = await freshTable('dynamodb-local');
    receiver = await startWebhookReceiver('whsec-lambda');
    await createWebhook(webhooksOn(db).deps, {
      name: 'deployer',
      url: receiver.url,
      events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
      secret: 'whsec-lambda',
    });
    Object.assign(process.env, {
      [ENV.tableName]: db.tableName,
      [ENV.dynamoEndpoint]: endpointOf('dynamodb-local'),
      [ENV.webhookSecretKey]: Buffer.from(SECRET_KEY).toString('base64'),
      [ENV.webhookAllowPrivateTargets]: 'true',
    });
    ({ handler: onStream } = (await import('../../../functions/webhooks/stream-handler.js')) as unknown as { handler: typeof onStream });
    ({ handler: onSchedule } = (await import('../../../functions/webhooks/scheduled-handler.js')) as unknown as {
      handler: typeof onSchedule;
    });
  });
  afterAll(() => receiver.close());

  it('delivers the events of a stream batch before acknowledging it', async () => {
    // Prepare
    const event = newVersionEvent('1');
    await writeRegistryEvent(db, event);

    // Act
    const result = await onStream({ Records: [streamRecordOf(event, '100')] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(receiver.received.map((d) => JSON.parse(d.body).data.version)).toEqual(['1']);
    expect(receiver.received[0]?.signatureValid).toBe(true);
  });

  it('delivers on schedule what no stream batch triggered, once', async () => {
    // Prepare
    const event = newVersionEvent('2');
    await writeRegistryEvent(db, event);

    // Act
    const first = await onSchedule();
    const second = await onSchedule();

    // Assess
    expect(first).toMatchObject({ delivered: 1, stalled: false, cursor: event.logPosition });
    expect(second).toMatchObject({ delivered: 0, stalled: false });
    expect(receiver.received.map((d) => JSON.parse(d.body).data.version)).toEqual(['1', '2']);
  });
});
