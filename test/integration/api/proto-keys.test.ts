/**
 * Keys that are names of JavaScript's Object.prototype (`__proto__`, `constructor`, `toString`, ...) are keys like any
 * other: MLflow stores and shows them, so params, tags and metrics named so round-trip through set, get and search for
 * runs, and tags through experiments, registered models, model versions and logged models.
 */
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];
/** Each key with a value of its own, so a value read from the wrong key shows. */
const TAGS = KEYS.map((key, i) => ({ key, value: `v${i}-${key}` }));
const sorted = (pairs: { key: string; value: string }[]) => [...pairs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const ok = async (api: TestApi, method: string, path: string, body?: Record<string, unknown>) => {
  const answer = await api.call(method, `${API}${path}`, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
};

describe.each(ENGINES)('keys named like Object.prototype members (%s)', (engine) => {
  it('run params, tags and metrics round-trip through log, get and search', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run } = await ok(api, 'POST', '/runs/create', { experiment_id: '0', start_time: 1 });
    const runId = run.info.run_id as string;
    // Act
    for (const [i, { key, value }] of TAGS.entries()) {
      await ok(api, 'POST', '/runs/log-parameter', { run_id: runId, key, value });
      await ok(api, 'POST', '/runs/set-tag', { run_id: runId, key, value });
      await ok(api, 'POST', '/runs/log-metric', { run_id: runId, key, value: i + 1, timestamp: 5, step: 0 });
    }
    const read = (await ok(api, 'GET', '/runs/get', { run_id: runId })).run;
    const search = async (filter: string) =>
      ((await ok(api, 'POST', '/runs/search', { experiment_ids: ['0'], filter })).runs ?? []).map((r: any) => r.info.run_id);
    // Assess
    expect(sorted(read.data.params)).toEqual(sorted(TAGS));
    expect(sorted(read.data.tags.filter((t: { key: string }) => !t.key.startsWith('mlflow.')))).toEqual(sorted(TAGS));
    expect(read.data.metrics.map((m: { key: string; value: number }) => [m.key, m.value]).sort()).toEqual(
      KEYS.map((key, i) => [key, i + 1]).sort(),
    );
    expect(await search("params.__proto__ = 'v0-__proto__'")).toEqual([runId]);
    expect(await search("params.`__proto__` = 'other'")).toEqual([]);
    expect(await search("tags.constructor = 'v1-constructor'")).toEqual([runId]);
    expect(await search('metrics.toString > 0')).toEqual([runId]);
    expect(await search('metrics.hasOwnProperty = 4')).toEqual([runId]);
    expect(await search("tags.prototype LIKE 'v4-%'")).toEqual([runId]);
  });

  it('a key named like an Object.prototype member is missing until it is set', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run } = await ok(api, 'POST', '/runs/create', { experiment_id: '0', start_time: 1 });
    // Act
    const found = await ok(api, 'POST', '/runs/search', { experiment_ids: ['0'], filter: "tags.toString = 'x'" });
    const byMetric = await ok(api, 'POST', '/runs/search', { experiment_ids: ['0'], filter: 'metrics.constructor > -1' });
    const ordered = await ok(api, 'POST', '/runs/search', { experiment_ids: ['0'], order_by: ['params.__proto__ DESC'] });
    // Assess
    expect(found.runs).toBeUndefined();
    expect(byMetric.runs).toBeUndefined();
    expect(ordered.runs.map((r: any) => r.info.run_id)).toEqual([run.info.run_id]);
  });

  it('log-parameter of __proto__ again with the same value is accepted, with another value refused', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run } = await ok(api, 'POST', '/runs/create', { experiment_id: '0', start_time: 1 });
    const runId = run.info.run_id as string;
    await ok(api, 'POST', '/runs/log-parameter', { run_id: runId, key: '__proto__', value: 'a' });
    // Act
    const same = await api.call('POST', `${API}/runs/log-parameter`, { run_id: runId, key: '__proto__', value: 'a' });
    const changed = await api.call('POST', `${API}/runs/log-parameter`, { run_id: runId, key: '__proto__', value: 'b' });
    const batch = await api.call('POST', `${API}/runs/log-batch`, { run_id: runId, params: [{ key: 'constructor', value: 'c' }] });
    // Assess
    expect(same.status).toBe(200);
    expect(changed.status).toBe(400);
    expect(changed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(batch.status).toBe(200);
    const params = (await ok(api, 'GET', '/runs/get', { run_id: runId })).run.data.params;
    expect(sorted(params)).toEqual([
      { key: '__proto__', value: 'a' },
      { key: 'constructor', value: 'c' },
    ]);
  });

  it('experiment tags round-trip through create, set-experiment-tag, get and search', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { experiment_id: id } = await ok(api, 'POST', '/experiments/create', { name: 'protos', tags: TAGS.slice(3) });
    // Act
    for (const tag of TAGS.slice(0, 3)) await ok(api, 'POST', '/experiments/set-experiment-tag', { experiment_id: id, ...tag });
    const read = (await ok(api, 'GET', '/experiments/get', { experiment_id: id })).experiment;
    const found = await ok(api, 'POST', '/experiments/search', { filter: "tags.`__proto__` = 'v0-__proto__'" });
    const none = await ok(api, 'POST', '/experiments/search', { filter: "tags.valueOf = 'nope'" });
    // Assess
    expect(sorted(read.tags)).toEqual(sorted(TAGS));
    expect(found.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([id]);
    expect(none.experiments).toBeUndefined();
  });

  it('an experiment tag named __proto__ is deleted like any other', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { experiment_id: id } = await ok(api, 'POST', '/experiments/create', { name: 'protos', tags: TAGS });
    // Act
    await ok(api, 'POST', '/experiments/delete-experiment-tag', { experiment_id: id, key: '__proto__' });
    const read = (await ok(api, 'GET', '/experiments/get', { experiment_id: id })).experiment;
    // Assess
    expect(sorted(read.tags)).toEqual(sorted(TAGS.slice(1)));
  });

  it('registered model and model version tags round-trip through create, set-tag, get and search', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await ok(api, 'POST', '/registered-models/create', { name: 'protos', tags: TAGS.slice(3) });
    const { model_version: version } = await ok(api, 'POST', '/model-versions/create', { name: 'protos', source: 's3://b/m', tags: TAGS.slice(3) });
    // Act
    for (const tag of TAGS.slice(0, 3)) {
      await ok(api, 'POST', '/registered-models/set-tag', { name: 'protos', ...tag });
      await ok(api, 'POST', '/model-versions/set-tag', { name: 'protos', version: version.version, ...tag });
    }
    const model = (await ok(api, 'GET', '/registered-models/get', { name: 'protos' })).registered_model;
    const read = (await ok(api, 'GET', '/model-versions/get', { name: 'protos', version: version.version })).model_version;
    const models = await ok(api, 'GET', '/registered-models/search', { filter: "tags.`__proto__` = 'v0-__proto__'" });
    const versions = await ok(api, 'GET', '/model-versions/search', { filter: "tags.`constructor` = 'v1-constructor'" });
    // Assess
    expect(sorted(model.tags)).toEqual(sorted(TAGS));
    expect(sorted(read.tags)).toEqual(sorted(TAGS));
    expect(models.registered_models.map((m: { name: string }) => m.name)).toEqual(['protos']);
    expect(versions.model_versions.map((v: { version: string }) => v.version)).toEqual([version.version]);
  });

  it('registered model and model version tags named __proto__ are deleted like any other', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await ok(api, 'POST', '/registered-models/create', { name: 'protos', tags: TAGS });
    const { model_version: version } = await ok(api, 'POST', '/model-versions/create', { name: 'protos', source: 's3://b/m', tags: TAGS });
    // Act
    await ok(api, 'DELETE', '/registered-models/delete-tag', { name: 'protos', key: '__proto__' });
    await ok(api, 'DELETE', '/model-versions/delete-tag', { name: 'protos', version: version.version, key: 'toString' });
    const model = (await ok(api, 'GET', '/registered-models/get', { name: 'protos' })).registered_model;
    const read = (await ok(api, 'GET', '/model-versions/get', { name: 'protos', version: version.version })).model_version;
    // Assess
    expect(sorted(model.tags)).toEqual(sorted(TAGS.filter((t) => t.key !== '__proto__')));
    expect(sorted(read.tags)).toEqual(sorted(TAGS.filter((t) => t.key !== 'toString')));
  });

  it('aliases named __proto__ and toString resolve only once set', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await ok(api, 'POST', '/registered-models/create', { name: 'protos' });
    await ok(api, 'POST', '/model-versions/create', { name: 'protos', source: 's3://b/m' });
    // Act
    const unset = await api.call('GET', `${API}/registered-models/alias`, { name: 'protos', alias: 'toString' });
    await ok(api, 'POST', '/registered-models/alias', { name: 'protos', alias: '__proto__', version: '1' });
    const set = await ok(api, 'GET', '/registered-models/alias', { name: 'protos', alias: '__proto__' });
    const model = (await ok(api, 'GET', '/registered-models/get', { name: 'protos' })).registered_model;
    // Assess
    expect(unset.status).toBe(400);
    expect(unset.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias toString not found.' });
    expect(set.model_version).toMatchObject({ version: '1', aliases: ['__proto__'] });
    expect(model.aliases).toEqual([{ alias: '__proto__', version: '1' }]);
  });

  it('logged model tags and params round-trip through create, set tags, get and search', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { model } = await ok(api, 'POST', '/logged-models', { experiment_id: '0', name: 'm', tags: TAGS.slice(3), params: TAGS.slice(3) });
    const modelId = model.info.model_id as string;
    // Act
    await ok(api, 'PATCH', `/logged-models/${modelId}/tags`, { tags: TAGS.slice(0, 3) });
    await ok(api, 'POST', `/logged-models/${modelId}/params`, { params: TAGS.slice(0, 3) });
    const read = (await ok(api, 'GET', `/logged-models/${modelId}`)).model;
    const search = async (filter: string) =>
      ((await ok(api, 'POST', '/logged-models/search', { experiment_ids: ['0'], filter })).models ?? []).map((m: any) => m.info.model_id);
    // Assess
    expect(sorted(read.info.tags)).toEqual(sorted(TAGS));
    expect(sorted(read.data.params)).toEqual(sorted(TAGS));
    expect(await search("params.__proto__ = 'v0-__proto__'")).toEqual([modelId]);
    expect(await search("tags.prototype = 'v4-prototype'")).toEqual([modelId]);
    expect(await search("tags.hasOwnProperty = 'other'")).toEqual([]);
  });
});
