import { describe, expect, it } from 'vitest';
import {
  createRegisteredModel,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  renameRegisteredModel,
  requireModel,
  setRegisteredModelTag,
  updateRegisteredModel,
} from '../../../../shared/domain/registry/registered-models.js';
import { createModelVersion } from '../../../../shared/domain/registry/model-versions.js';
import { setAlias } from '../../../../shared/domain/registry/aliases.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { createRegistryPorts } from '../../../support/fakes/registry.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

describe('registered models', () => {
  it('creates a model with its tags and records REGISTERED_MODEL_CREATED at position 1', async () => {
    const { ports, memory } = createRegistryPorts();
    const model = await createRegisteredModel(ports, { name: 'fraud', description: 'd', tags: [{ key: 'team', value: 'risk' }] });
    expect(model).toMatchObject({ name: 'fraud', description: 'd', tags: { team: 'risk' }, aliases: {}, latestVersion: 0, eventSeq: 1 });
    expect(await requireModel(ports, 'fraud')).toMatchObject({ modelId: model.modelId, eventSeq: 1 });
    expect(memory.events.map((e) => [e.type, e.position, e.modelName])).toEqual([['REGISTERED_MODEL_CREATED', 1, 'fraud']]);
    expect(memory.events[0]?.data).toMatchObject({ name: 'fraud', tags: { team: 'risk' }, description: 'd' });
  });

  it('refuses a taken name as RESOURCE_ALREADY_EXISTS and keeps the first model as it was', async () => {
    const { ports, memory } = createRegistryPorts();
    const first = await createRegisteredModel(ports, { name: 'fraud', tags: [] });
    expect(await codeOf(createRegisteredModel(ports, { name: 'fraud', tags: [{ key: 'x', value: 'y' }] }))).toBe('RESOURCE_ALREADY_EXISTS');
    expect(await requireModel(ports, 'fraud')).toMatchObject({ modelId: first.modelId, tags: {} });
    expect(await ports.registry.listModels()).toHaveLength(1);
    expect(memory.events).toHaveLength(1);
  });

  it('checks the name and tags before changing anything', async () => {
    const { ports, memory } = createRegistryPorts();
    expect(await codeOf(createRegisteredModel(ports, { name: '', tags: [] }))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(createRegisteredModel(ports, { name: 'x'.repeat(257), tags: [] }))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(createRegisteredModel(ports, { name: 'ok', tags: [{ key: '', value: 'v' }] }))).toBe('INVALID_PARAMETER_VALUE');
    expect(memory.events).toEqual([]);
    expect(await ports.registry.listModels()).toEqual([]);
  });

  it('renames: the new name finds the model, the old one is free, and the event names both', async () => {
    const { ports, memory } = createRegistryPorts();
    const model = await createRegisteredModel(ports, { name: 'old', tags: [] });
    const renamed = await renameRegisteredModel(ports, 'old', 'new');
    expect(renamed).toMatchObject({ modelId: model.modelId, name: 'new' });
    expect(await codeOf(requireModel(ports, 'old'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(memory.events.at(-1)).toMatchObject({ type: 'REGISTERED_MODEL_RENAMED', position: 2, modelName: 'new', data: { name: 'new', old_name: 'old' } });
    expect((await createRegisteredModel(ports, { name: 'old', tags: [] })).modelId).not.toBe(model.modelId);
  });

  it('refuses a rename onto a taken name and changes neither model', async () => {
    const { ports, memory } = createRegistryPorts();
    const a = await createRegisteredModel(ports, { name: 'a', tags: [] });
    const b = await createRegisteredModel(ports, { name: 'b', tags: [] });
    const error = await rejection(renameRegisteredModel(ports, 'a', 'b'));
    expect(error).toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=b) already exists.' });
    expect((await requireModel(ports, 'a')).modelId).toBe(a.modelId);
    expect((await requireModel(ports, 'b')).modelId).toBe(b.modelId);
    expect(memory.events.map((e) => e.type)).toEqual(['REGISTERED_MODEL_CREATED', 'REGISTERED_MODEL_CREATED']);
  });

  it('renaming to the same name changes nothing; renaming a missing model is RESOURCE_DOES_NOT_EXIST', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'same', tags: [] });
    expect(await renameRegisteredModel(ports, 'same', 'same')).toMatchObject({ name: 'same', eventSeq: 1 });
    expect(await codeOf(renameRegisteredModel(ports, 'missing', 'other'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(memory.events).toHaveLength(1);
  });

  it('updates the description and records it', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'm', description: 'before', tags: [] });
    expect(await updateRegisteredModel(ports, 'm', undefined)).toMatchObject({ description: '' });
    expect(await updateRegisteredModel(ports, 'm', 'after')).toMatchObject({ description: 'after' });
    expect(memory.events.map((e) => [e.type, e.data.description])).toEqual([
      ['REGISTERED_MODEL_CREATED', 'before'],
      ['REGISTERED_MODEL_UPDATED', ''],
      ['REGISTERED_MODEL_UPDATED', 'after'],
    ]);
  });

  it('deletes a model with its versions and aliases; the name is free at once', async () => {
    const { ports, memory } = createRegistryPorts();
    const model = await createRegisteredModel(ports, { name: 'gone', tags: [] });
    await createModelVersion(ports, { name: 'gone', source: 's3://b/m', tags: [] });
    await setAlias(ports, 'gone', 'champion', '1');
    await deleteRegisteredModel(ports, 'gone');
    expect(await ports.registry.getModel(model.modelId)).toBeUndefined();
    expect(await ports.registry.listVersions(model)).toEqual([]);
    expect(memory.events.at(-1)).toMatchObject({ type: 'REGISTERED_MODEL_DELETED', position: 4, data: { name: 'gone' } });
    const again = await createRegisteredModel(ports, { name: 'gone', tags: [] });
    expect(again.modelId).not.toBe(model.modelId);
    expect(await codeOf(deleteRegisteredModel(ports, 'nobody'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('sets and deletes tags whatever their key, __proto__ and dotted keys included', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'm', tags: [] });
    await setRegisteredModelTag(ports, 'm', '__proto__', 'p');
    await setRegisteredModelTag(ports, 'm', 'a.b', 'dotted');
    await setRegisteredModelTag(ports, 'm', 'constructor', 'c');
    const tagged = await requireModel(ports, 'm');
    expect(Object.entries(tagged.tags)).toEqual([
      ['__proto__', 'p'],
      ['a.b', 'dotted'],
      ['constructor', 'c'],
    ]);
    await deleteRegisteredModelTag(ports, 'm', '__proto__');
    // Absent keys (and inherited names) delete nothing and record nothing, as in MLflow.
    await deleteRegisteredModelTag(ports, 'm', 'toString');
    await deleteRegisteredModelTag(ports, 'm', 'never-set');
    expect(Object.keys((await requireModel(ports, 'm')).tags)).toEqual(['a.b', 'constructor']);
    expect(memory.events.map((e) => e.type)).toEqual([
      'REGISTERED_MODEL_CREATED',
      'REGISTERED_MODEL_TAG_SET',
      'REGISTERED_MODEL_TAG_SET',
      'REGISTERED_MODEL_TAG_SET',
      'REGISTERED_MODEL_TAG_DELETED',
    ]);
  });

  it('refuses a tag value over the limit without recording anything', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'm', tags: [] });
    expect(await codeOf(setRegisteredModelTag(ports, 'm', 'k', 'v'.repeat(100_001)))).toBe('INVALID_PARAMETER_VALUE');
    expect(memory.events).toHaveLength(1);
  });

  it('serializes concurrent changes: every tag lands and the positions have no gaps', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'busy', tags: [] });
    await Promise.all(Array.from({ length: 8 }, (_, i) => setRegisteredModelTag(ports, 'busy', `k${i}`, String(i))));
    expect(Object.keys((await requireModel(ports, 'busy')).tags).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    expect(memory.events.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(memory.retries()).toBeGreaterThan(0);
  });

  it('marks prompt models in their events with the model tags, as MLflow does', async () => {
    const { ports, memory } = createRegistryPorts();
    await createRegisteredModel(ports, { name: 'p', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    await setRegisteredModelTag(ports, 'p', 'k', 'v');
    expect(memory.events.at(-1)?.data).toMatchObject({ model_tags: { 'mlflow.prompt.is_prompt': 'true', k: 'v' } });
  });
});
