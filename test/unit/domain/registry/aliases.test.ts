import { describe, expect, it } from 'vitest';
import { deleteAlias, getVersionByAlias, setAlias } from '../../../../shared/domain/registry/aliases.js';
import { createModelVersion, deleteModelVersion } from '../../../../shared/domain/registry/model-versions.js';
import { createRegisteredModel, requireModel } from '../../../../shared/domain/registry/registered-models.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { createRegistryPorts } from '../../../support/fakes/registry.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

/** A model `m` with `count` versions. */
const withVersions = async (count: number) => {
  const registry = createRegistryPorts();
  await createRegisteredModel(registry.ports, { name: 'm', tags: [] });
  for (let i = 0; i < count; i++) await createModelVersion(registry.ports, { name: 'm', source: `s3://b/v${i + 1}`, tags: [] });
  return registry;
};

describe('aliases', () => {
  it('sets an alias, and setting it again moves it to the other version', async () => {
    const { ports, memory } = await withVersions(2);
    await setAlias(ports, 'm', 'champion', '1');
    expect(await getVersionByAlias(ports, 'm', 'champion')).toMatchObject({ version: { version: 1 }, aliases: ['champion'] });
    await setAlias(ports, 'm', 'champion', '2');
    expect((await requireModel(ports, 'm')).aliases).toEqual({ champion: 2 });
    expect(await getVersionByAlias(ports, 'm', 'champion')).toMatchObject({ version: { version: 2 }, aliases: ['champion'] });
    expect(memory.events.slice(-2).map((e) => [e.type, e.version, e.data.alias])).toEqual([
      ['MODEL_VERSION_ALIAS_SET', '1', 'champion'],
      ['MODEL_VERSION_ALIAS_SET', '2', 'champion'],
    ]);
  });

  it('lists every alias of a version', async () => {
    const { ports } = await withVersions(1);
    await setAlias(ports, 'm', 'b', '1');
    await setAlias(ports, 'm', 'a', '1');
    expect((await getVersionByAlias(ports, 'm', 'a')).aliases.sort()).toEqual(['a', 'b']);
  });

  it('refuses reserved and malformed alias names, and versions that do not exist', async () => {
    const { ports, memory } = await withVersions(1);
    const before = memory.events.length;
    for (const alias of ['', 'latest', 'LATEST', 'v1', 'V12', 'has space', 'dot.ted', 'x'.repeat(256)]) {
      expect(await codeOf(setAlias(ports, 'm', alias, '1'))).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(await codeOf(setAlias(ports, 'm', 'ok', '7'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await codeOf(setAlias(ports, 'm', 'ok', 'seven'))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(setAlias(ports, 'nobody', 'ok', '1'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(memory.events).toHaveLength(before);
  });

  it('refuses an alias onto a deleted version', async () => {
    const { ports } = await withVersions(2);
    await deleteModelVersion(ports, 'm', '2');
    expect(await codeOf(setAlias(ports, 'm', 'champion', '2'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('deletes an alias; deleting an absent one is no error and records nothing', async () => {
    const { ports, memory } = await withVersions(1);
    await setAlias(ports, 'm', 'champion', '1');
    await deleteAlias(ports, 'm', 'champion');
    const count = memory.events.length;
    await deleteAlias(ports, 'm', 'champion');
    await deleteAlias(ports, 'm', 'constructor');
    expect(memory.events).toHaveLength(count);
    expect(memory.events.at(-1)).toMatchObject({ type: 'MODEL_VERSION_ALIAS_DELETED', data: { name: 'm', alias: 'champion' } });
    const error = await rejection(getVersionByAlias(ports, 'm', 'champion'));
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias champion not found.' });
  });

  it('answers `latest` (any case) with the highest version not deleted', async () => {
    const { ports } = await withVersions(3);
    await deleteModelVersion(ports, 'm', '3');
    expect((await getVersionByAlias(ports, 'm', 'latest')).version.version).toBe(2);
    expect((await getVersionByAlias(ports, 'm', 'LaTeSt')).version.version).toBe(2);
    const empty = createRegistryPorts();
    await createRegisteredModel(empty.ports, { name: 'none', tags: [] });
    expect(await codeOf(getVersionByAlias(empty.ports, 'none', 'latest'))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('an alias only ever points at a version of its own model', async () => {
    const { ports } = await withVersions(1);
    await createRegisteredModel(ports, { name: 'other', tags: [] });
    expect(await codeOf(setAlias(ports, 'other', 'champion', '1'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
