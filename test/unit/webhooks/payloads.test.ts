import { describe, expect, it } from 'vitest';
import { examplePayload, payloadBody, pythonIsoTimestamp, webhookMessagesFor } from '../../../shared/domain/webhooks/payloads.js';
import { aRegistryEvent } from '../../support/registry-event-builder.js';

const PROMPT = { 'mlflow.prompt.is_prompt': 'true' };

describe('registry event → webhook payload', () => {
  it('maps a new registered model to registered_model.created with name, tags and description', () => {
    // Prepare
    const event = aRegistryEvent('REGISTERED_MODEL_CREATED', { name: 'wine', tags: { team: 'ml' }, description: 'Wine quality' });

    // Act
    const messages = webhookMessagesFor(event);

    // Assess
    expect(messages).toEqual([
      { event: { entity: 'REGISTERED_MODEL', action: 'CREATED' }, data: { name: 'wine', tags: { team: 'ml' }, description: 'Wine quality' } },
    ]);
  });

  it('sends an empty description for a model created without one, as proto2 reads an unset field', () => {
    // Act
    const [message] = webhookMessagesFor(aRegistryEvent('REGISTERED_MODEL_CREATED', { name: 'wine', tags: {} }));

    // Assess
    expect(message?.data).toEqual({ name: 'wine', tags: {}, description: '' });
  });

  it('maps a new version to model_version.created, with null run_id and description when unset', () => {
    // Prepare
    const event = aRegistryEvent('MODEL_VERSION_CREATED', { name: 'wine', version: '3', source: 'models:/m-1', tags: { a: 'b' } });

    // Act
    const messages = webhookMessagesFor(event);

    // Assess
    expect(messages).toEqual([
      {
        event: { entity: 'MODEL_VERSION', action: 'CREATED' },
        data: { name: 'wine', version: '3', source: 'models:/m-1', run_id: null, tags: { a: 'b' }, description: null },
      },
    ]);
  });

  it.each([
    ['MODEL_VERSION_TAG_SET', { name: 'wine', version: '1', key: 'k', value: 'v' }, 'MODEL_VERSION_TAG', 'SET', { name: 'wine', version: '1', key: 'k', value: 'v' }],
    ['MODEL_VERSION_TAG_DELETED', { name: 'wine', version: '1', key: 'k' }, 'MODEL_VERSION_TAG', 'DELETED', { name: 'wine', version: '1', key: 'k' }],
    ['MODEL_VERSION_ALIAS_SET', { name: 'wine', alias: 'champion', version: '2' }, 'MODEL_VERSION_ALIAS', 'CREATED', { name: 'wine', alias: 'champion', version: '2' }],
    ['MODEL_VERSION_ALIAS_DELETED', { name: 'wine', alias: 'champion' }, 'MODEL_VERSION_ALIAS', 'DELETED', { name: 'wine', alias: 'champion' }],
  ] as const)('maps %s to MLflow\'s payload', (type, data, entity, action, expected) => {
    // Act
    const messages = webhookMessagesFor(aRegistryEvent(type, data));

    // Assess
    expect(messages).toEqual([{ event: { entity, action }, data: expected }]);
  });

  it.each([
    ['MODEL_VERSION_TAG_SET', { name: 'p', version: '1', key: 'k', value: 'v', model_tags: PROMPT }],
    ['MODEL_VERSION_ALIAS_SET', { name: 'p', alias: 'prod', version: '1', model_tags: PROMPT }],
    ['MODEL_VERSION_CREATED', { name: 'p', version: '1', source: 's', tags: PROMPT, model_tags: PROMPT }],
  ] as const)('sends nothing for %s on a prompt, as MLflow skips prompts', (type, data) => {
    // Act & Assess
    expect(webhookMessagesFor(aRegistryEvent(type, data))).toEqual([]);
  });

  it('still sends registered_model.created for a new prompt, as MLflow does', () => {
    // Act
    const messages = webhookMessagesFor(aRegistryEvent('REGISTERED_MODEL_CREATED', { name: 'p', tags: PROMPT, model_tags: PROMPT }));

    // Assess
    expect(messages.map((m) => m.event)).toEqual([{ entity: 'REGISTERED_MODEL', action: 'CREATED' }]);
  });

  it.each(['REGISTERED_MODEL_RENAMED', 'REGISTERED_MODEL_DELETED', 'MODEL_VERSION_STAGE_TRANSITIONED', 'REGISTERED_MODEL_TAG_SET'] as const)(
    'sends nothing for %s, which has no MLflow webhook event',
    (type) => {
      // Act & Assess
      expect(webhookMessagesFor(aRegistryEvent(type, { name: 'wine' }))).toEqual([]);
    },
  );

  it('writes the timestamp as Python isoformat() in UTC', () => {
    // Act & Assess
    expect(pythonIsoTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 250))).toBe('2026-01-02T03:04:05.250000+00:00');
    expect(pythonIsoTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05+00:00');
  });

  it('builds the body with entity, action, timestamp and data in that order, in lower-case names', () => {
    // Act
    const body = payloadBody({ entity: 'MODEL_VERSION_ALIAS', action: 'DELETED' }, { name: 'wine', alias: 'champion' }, Date.UTC(2026, 0, 1));

    // Assess
    expect(body).toBe(
      '{"entity": "model_version_alias", "action": "deleted", "timestamp": "2026-01-01T00:00:00+00:00", "data": {"name": "wine", "alias": "champion"}}',
    );
  });

  it('has MLflow\'s example payload for every subscribable event', () => {
    // Act
    const example = examplePayload({ entity: 'PROMPT_VERSION', action: 'CREATED' });

    // Assess
    expect(example).toEqual({
      name: 'example_prompt',
      version: '1',
      template: 'Hello {{name}}!',
      tags: { example_key: 'example_value' },
      description: 'An example prompt version',
    });
  });
});
