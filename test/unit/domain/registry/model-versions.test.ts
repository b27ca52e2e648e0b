import { describe, expect, it } from 'vitest';
import { createRegisteredModel, requireModel } from '../../../../shared/domain/registry/registered-models.js';
import {
  createModelVersion,
  deleteModelVersion,
  deleteModelVersionTag,
  getModelVersionDownloadUri,
  requireVersion,
  setModelVersionTag,
  transitionModelVersionStage,
  updateModelVersion,
} from '../../../../shared/domain/registry/model-versions.js';
import { getLatestVersions } from '../../../../shared/domain/registry/version-queries.js';
import { setAlias } from '../../../../shared/domain/registry/aliases.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { createRegistryPorts, memoryLoggedModels } from '../../../support/fakes/registry.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

const withModel = async (name = 'm', loggedModels?: ReturnType<typeof memoryLoggedModels>) => {
  const registry = createRegistryPorts(loggedModels ? { loggedModels } : {});
  await createRegisteredModel(registry.ports, { name, tags: [] });
  return registry;
};

const version = (ports: Parameters<typeof createModelVersion>[0], name = 'm', source = 's3://bucket/model') =>
  createModelVersion(ports, { name, source, tags: [] });

describe('model versions', () => {
  it('numbers versions 1, 2, 3 and never reuses a number, even after a delete', async () => {
    const { ports } = await withModel();
    expect((await version(ports)).version).toBe(1);
    expect((await version(ports)).version).toBe(2);
    await deleteModelVersion(ports, 'm', '2');
    expect((await version(ports)).version).toBe(3);
    expect((await requireModel(ports, 'm')).latestVersion).toBe(3);
    expect(await codeOf(requireVersion(ports, 'm', '2'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('creates in stage None with the request tags, and records MODEL_VERSION_CREATED', async () => {
    const { ports, memory } = await withModel();
    const created = await createModelVersion(ports, {
      name: 'm',
      source: 's3://bucket/model',
      runId: 'r1',
      description: 'first',
      tags: [{ key: '__proto__', value: 'kept' }],
    });
    expect(created).toMatchObject({ name: 'm', version: 1, currentStage: 'None', runId: 'r1', description: 'first', deleted: false });
    expect(Object.entries(created.tags)).toEqual([['__proto__', 'kept']]);
    expect(memory.events.at(-1)).toMatchObject({
      type: 'MODEL_VERSION_CREATED',
      version: '1',
      data: { name: 'm', version: '1', source: 's3://bucket/model', run_id: 'r1' },
    });
  });

  it('refuses unsafe sources and a missing model', async () => {
    const { ports } = await withModel();
    for (const source of ['/etc/passwd', 'file:///x', 's3://b/../x', 's3://b/%2e%2e/x', 'C:\\models']) {
      expect(await codeOf(version(ports, 'm', source))).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(await codeOf(version(ports, 'nobody'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await requireModel(ports, 'm')).latestVersion).toBe(0);
  });

  it('resolves models:/<logged model id> to its files and run, and tags the logged model with the version', async () => {
    const id = `m-${'a'.repeat(32)}`;
    const logged = memoryLoggedModels([{ modelId: id, artifactUri: 's3://bucket/logged', sourceRunId: 'run-9' }]);
    const { ports } = await withModel('m', logged);
    const created = await createModelVersion(ports, { name: 'm', source: `models:/${id}`, tags: [], modelId: id });
    expect(created).toMatchObject({ runId: 'run-9', storageLocation: 's3://bucket/logged', loggedModelId: id });
    expect(await getModelVersionDownloadUri(ports, 'm', '1')).toBe('s3://bucket/logged');
    expect(logged.tagsOf(id)?.['mlflow.modelVersions']).toBe('[{"name": "m", "version": 1}]');
    expect(await codeOf(createModelVersion(ports, { name: 'm', source: `models:/m-${'b'.repeat(32)}`, tags: [] }))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('updates the description and answers the version', async () => {
    const { ports, memory } = await withModel();
    await version(ports);
    expect(await updateModelVersion(ports, 'm', '1', 'better')).toMatchObject({ version: 1, description: 'better' });
    expect(memory.events.at(-1)).toMatchObject({ type: 'MODEL_VERSION_UPDATED', version: '1', data: { name: 'm', version: '1', description: 'better' } });
  });

  it('refuses a version that is not a number as INVALID_PARAMETER_VALUE', async () => {
    const { ports } = await withModel();
    expect(await codeOf(requireVersion(ports, 'm', 'one'))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(updateModelVersion(ports, 'm', '1.5', 'x'))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('sets and deletes version tags, __proto__ included; deleting an absent tag records nothing', async () => {
    const { ports, memory } = await withModel();
    await version(ports);
    await setModelVersionTag(ports, 'm', '1', '__proto__', 'x');
    await setModelVersionTag(ports, 'm', '1', 'a.b', 'y');
    expect(Object.entries((await requireVersion(ports, 'm', '1')).version.tags)).toEqual([
      ['__proto__', 'x'],
      ['a.b', 'y'],
    ]);
    await deleteModelVersionTag(ports, 'm', '1', '__proto__');
    await deleteModelVersionTag(ports, 'm', '1', 'hasOwnProperty');
    expect(Object.keys((await requireVersion(ports, 'm', '1')).version.tags)).toEqual(['a.b']);
    expect(memory.events.map((e) => e.type).slice(2)).toEqual(['MODEL_VERSION_TAG_SET', 'MODEL_VERSION_TAG_SET', 'MODEL_VERSION_TAG_DELETED']);
  });

  it('moves stages in canonical spelling; archive_existing archives the others in that stage in the same change', async () => {
    const { ports, memory } = await withModel();
    await version(ports);
    await version(ports);
    await version(ports);
    await transitionModelVersionStage(ports, 'm', '1', 'production', false);
    await transitionModelVersionStage(ports, 'm', '2', 'Production', false);
    const before = memory.events.length;
    const moved = await transitionModelVersionStage(ports, 'm', '3', 'PRODUCTION', true);
    expect(moved).toMatchObject({ version: { version: 3, currentStage: 'Production' }, aliases: [] });
    const stages = (await ports.registry.listVersions(await requireModel(ports, 'm'))).map((v) => [v.version, v.currentStage]);
    expect(stages).toEqual([
      [1, 'Archived'],
      [2, 'Archived'],
      [3, 'Production'],
    ]);
    const events = memory.events.slice(before).map((e) => [e.type, e.version, e.data.from_stage, e.data.to_stage]);
    expect(events).toEqual([
      ['MODEL_VERSION_STAGE_TRANSITIONED', '3', 'None', 'Production'],
      ['MODEL_VERSION_STAGE_TRANSITIONED', '1', 'Production', 'Archived'],
      ['MODEL_VERSION_STAGE_TRANSITIONED', '2', 'Production', 'Archived'],
    ]);
    expect(await getLatestVersions(ports, 'm', ['production', 'archived'])).toMatchObject([{ version: 2 }, { version: 3 }]);
  });

  it('archives more versions than one change holds in steps before the move, each archive recorded once', async () => {
    // Prepare: changes of at most 3 versions; 7 versions in Production and an 8th to move there
    const registry = createRegistryPorts({ versionsPerChange: 3 });
    await createRegisteredModel(registry.ports, { name: 'm', tags: [] });
    const { ports, memory } = registry;
    for (let i = 1; i <= 8; i++) await version(ports);
    for (let i = 1; i <= 7; i++) await transitionModelVersionStage(ports, 'm', String(i), 'Production', false);
    const before = memory.events.length;

    // Act
    const moved = await transitionModelVersionStage(ports, 'm', '8', 'Production', true);

    // Assess: two steps of three archives, then the move with the last archive; one event per archive
    expect(moved).toMatchObject({ version: { version: 8, currentStage: 'Production' }, aliases: [] });
    const stages = (await ports.registry.listVersions(await requireModel(ports, 'm'))).map((v) => v.currentStage);
    expect(stages).toEqual([...Array(7).fill('Archived'), 'Production']);
    const events = memory.events.slice(before).map((e) => [e.version, e.data.from_stage, e.data.to_stage]);
    expect(events).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((v) => [String(v), 'Production', 'Archived']),
      ['8', 'None', 'Production'],
      ['7', 'Production', 'Archived'],
    ]);
    expect(memory.events.slice(before).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => n + memory.events[before - 1]!.position));
  });

  it('a transition retried after some of its archives landed archives the rest and moves the version', async () => {
    // Prepare: 7 versions in Production, a transition of the 8th whose second change fails
    const registry = createRegistryPorts({ versionsPerChange: 3 });
    await createRegisteredModel(registry.ports, { name: 'm', tags: [] });
    const { ports, memory } = registry;
    for (let i = 1; i <= 8; i++) await version(ports);
    for (let i = 1; i <= 7; i++) await transitionModelVersionStage(ports, 'm', String(i), 'Production', false);
    const before = memory.events.length;
    let changes = 0;
    const failing = {
      ...ports,
      registry: {
        ...ports.registry,
        change: <T>(modelId: string, plan: Parameters<typeof ports.registry.change<T>>[1]) => {
          if (++changes === 2) return Promise.reject(new Error('cut off'));
          return ports.registry.change(modelId, plan);
        },
      },
    };

    // Act
    const cut = await rejection(transitionModelVersionStage(failing, 'm', '8', 'Production', true));
    const between = (await ports.registry.listVersions(await requireModel(ports, 'm'))).map((v) => v.currentStage);
    await transitionModelVersionStage(ports, 'm', '8', 'Production', true);

    // Assess
    expect(cut).toMatchObject({ message: 'cut off' });
    expect(between).toEqual(['Archived', 'Archived', 'Archived', 'Production', 'Production', 'Production', 'Production', 'None']);
    const stages = (await ports.registry.listVersions(await requireModel(ports, 'm'))).map((v) => v.currentStage);
    expect(stages).toEqual([...Array(7).fill('Archived'), 'Production']);
    const archivedEvents = memory.events.slice(before).filter((e) => e.data.to_stage === 'Archived').map((e) => e.version);
    expect(archivedEvents).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('refuses archive_existing into an inactive stage, and an unknown stage, as a 400', async () => {
    const { ports, memory } = await withModel();
    await version(ports);
    const before = memory.events.length;
    const error = await rejection(transitionModelVersionStage(ports, 'm', '1', 'Archived', true));
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect((error as MlflowError).httpStatus).toBe(400);
    expect(await codeOf(transitionModelVersionStage(ports, 'm', '1', 'Live', false))).toBe('INVALID_PARAMETER_VALUE');
    expect(memory.events).toHaveLength(before);
  });

  it('deletes a version softly: redacted, hidden, its aliases removed with their own events', async () => {
    const { ports, memory } = await withModel();
    await version(ports);
    await setAlias(ports, 'm', 'a1', '1');
    await setAlias(ports, 'm', 'a2', '1');
    await deleteModelVersion(ports, 'm', '1');
    const model = await requireModel(ports, 'm');
    expect(model.aliases).toEqual({});
    const [stored] = await ports.registry.listVersions(model);
    expect(stored).toMatchObject({ deleted: true, currentStage: 'Deleted_Internal', source: 'REDACTED-SOURCE-PATH', runId: 'REDACTED-RUN-ID' });
    expect(memory.events.slice(-3).map((e) => [e.type, e.data.alias])).toEqual([
      ['MODEL_VERSION_DELETED', undefined],
      ['MODEL_VERSION_ALIAS_DELETED', 'a1'],
      ['MODEL_VERSION_ALIAS_DELETED', 'a2'],
    ]);
    expect(await codeOf(deleteModelVersion(ports, 'm', '1'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
