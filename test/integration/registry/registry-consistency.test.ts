import { describe, expect, it } from 'vitest';
import { createRegistryEventLog } from '../../../shared/data/registry-events/repository.js';
import { expression, queryAll } from '../../../shared/data/dynamo-ops.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

const register = (api: TestApi, name: string) => api.call('POST', `${API}/registered-models/create`, { name });
const newVersion = (api: TestApi, name: string, source = 's3://bucket/model') =>
  api.call('POST', `${API}/model-versions/create`, { name, source });

const dbOf = (api: TestApi) => ({ client: createDynamoClient({ endpoint: api.endpoint }), tableName: api.tableName });

/** Every item in the model's partition: what a deleted model must not leave behind. */
const itemsOfModel = (api: TestApi, modelId: string) =>
  queryAll(dbOf(api), { KeyConditionExpression: 'pk = :pk', ...expression({}, { ':pk': `RM#${modelId}` }) });

describe.each(ENGINES)('model registry consistency (%s)', (engine) => {
  it('gives 50 concurrent registrations the versions 1 to 50, each once', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'contended');

    // Act
    const answers = await Promise.all(Array.from({ length: 50 }, () => newVersion(api, 'contended')));

    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const numbers = answers.map((a) => Number(a.body.model_version.version)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('never reuses a deleted version number, and restarts at 1 for a re-created model', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'm');
    await newVersion(api, 'm');
    await newVersion(api, 'm');
    await api.call('DELETE', `${API}/model-versions/delete`, { name: 'm', version: '2' });

    // Act
    const third = await newVersion(api, 'm');
    await api.call('DELETE', `${API}/registered-models/delete`, { name: 'm' });
    await register(api, 'm');
    const again = await newVersion(api, 'm');

    // Assess
    expect(third.body.model_version.version).toBe('3');
    expect(again.body.model_version.version).toBe('1');
  });

  it('renames with versions, tags and aliases in one step, and frees the old name', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'old');
    await newVersion(api, 'old');
    await api.call('POST', `${API}/registered-models/set-tag`, { name: 'old', key: 'team', value: 'ml' });
    await api.call('POST', `${API}/registered-models/alias`, { name: 'old', alias: 'champion', version: '1' });

    // Act
    const renamed = await api.call('POST', `${API}/registered-models/rename`, { name: 'old', new_name: 'new' });
    const byAlias = await api.call('GET', `${API}/registered-models/alias`, { name: 'new', alias: 'champion' });
    const oldName = await api.call('GET', `${API}/registered-models/get`, { name: 'old' });
    const reuse = await register(api, 'old');

    // Assess
    expect(renamed.body.registered_model).toMatchObject({
      name: 'new',
      tags: [{ key: 'team', value: 'ml' }],
      aliases: [{ alias: 'champion', version: '1' }],
    });
    expect(renamed.body.registered_model.latest_versions[0]).toMatchObject({ name: 'new', version: '1' });
    expect(byAlias.body.model_version).toMatchObject({ name: 'new', version: '1', aliases: ['champion'] });
    expect(oldName.status).toBe(404);
    expect(reuse.status).toBe(200);
  });

  it('refuses a rename onto a taken name with RESOURCE_ALREADY_EXISTS and changes nothing', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'a');
    await register(api, 'b');

    // Act
    const clash = await api.call('POST', `${API}/registered-models/rename`, { name: 'a', new_name: 'b' });

    // Assess
    expect(clash.status).toBe(400);
    expect(clash.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await api.call('GET', `${API}/registered-models/get`, { name: 'a' })).status).toBe(200);
  });

  it('deletes a model with its versions, tags and aliases, leaving no items behind', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'doomed');
    for (let i = 0; i < 30; i++) await newVersion(api, 'doomed');
    await api.call('POST', `${API}/registered-models/alias`, { name: 'doomed', alias: 'champion', version: '3' });
    const modelId = (await api.deps.registry.getModelByName('doomed'))?.modelId ?? '';

    // Act
    const deleted = await api.call('DELETE', `${API}/registered-models/delete`, { name: 'doomed' });

    // Assess
    expect(deleted.status).toBe(200);
    expect(await itemsOfModel(api, modelId)).toEqual([]);
    expect((await api.call('GET', `${API}/model-versions/get`, { name: 'doomed', version: '3' })).status).toBe(404);
  });

  it('removes the aliases of a deleted version', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'm');
    await newVersion(api, 'm');
    await api.call('POST', `${API}/registered-models/alias`, { name: 'm', alias: 'champion', version: '1' });

    // Act
    await api.call('DELETE', `${API}/model-versions/delete`, { name: 'm', version: '1' });
    const alias = await api.call('GET', `${API}/registered-models/alias`, { name: 'm', alias: 'champion' });
    const model = await api.call('GET', `${API}/registered-models/get`, { name: 'm' });

    // Assess
    expect(alias.status).toBe(400);
    expect(model.body.registered_model.aliases).toBeUndefined();
  });

  it('records every change as an event with gapless positions, in the same transaction as the change', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await register(api, 'evented');
    await newVersion(api, 'evented');
    await api.call('POST', `${API}/model-versions/set-tag`, { name: 'evented', version: '1', key: 'k', value: 'v' });
    await api.call('POST', `${API}/registered-models/alias`, { name: 'evented', alias: 'champion', version: '1' });
    await api.call('POST', `${API}/model-versions/transition-stage`, { name: 'evented', version: '1', stage: 'production' });
    await api.call('POST', `${API}/registered-models/alias`, { name: 'evented', alias: 'latest', version: '1' });
    const modelId = (await api.deps.registry.getModelByName('evented'))?.modelId ?? '';
    const log = createRegistryEventLog(dbOf(api));

    // Act
    const events = await log.forModel(modelId);
    const global = await log.listAfter(undefined, 100);

    // Assess: the refused alias ('latest') made no event
    expect(events.map((e) => [e.position, e.type])).toEqual([
      [1, 'REGISTERED_MODEL_CREATED'],
      [2, 'MODEL_VERSION_CREATED'],
      [3, 'MODEL_VERSION_TAG_SET'],
      [4, 'MODEL_VERSION_ALIAS_SET'],
      [5, 'MODEL_VERSION_STAGE_TRANSITIONED'],
    ]);
    expect(events[4]?.data).toMatchObject({ name: 'evented', version: '1', from_stage: 'None', to_stage: 'Production' });
    expect(global.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });
});
