import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

describe.each(ENGINES)('logged models API (%s)', (engine) => {
  it('creates a pending model under the experiment artifact root, then finalizes it', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const created = (await api.call('POST', `${API}/logged-models`, { experiment_id: '0', name: 'model' })).body.model;
    const finalized = await api.call('PATCH', `${API}/logged-models/${created.info.model_id}`, { status: 'LOGGED_MODEL_READY' });

    // Assess
    expect(created.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(created.info).toMatchObject({
      status: 'LOGGED_MODEL_PENDING',
      artifact_uri: `mlflow-artifacts:/0/models/${created.info.model_id}/artifacts`,
      model_type: '',
    });
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
  });

  it('finds a model by name and param, and hides it once deleted', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (
      await api.call('POST', `${API}/logged-models`, { experiment_id: '0', name: 'clf', params: [{ key: 'depth', value: '4' }] })
    ).body.model.info.model_id;
    await api.call('POST', `${API}/logged-models`, { experiment_id: '0', name: 'other' });

    // Act
    const found = await api.call('POST', `${API}/logged-models/search`, {
      experiment_ids: ['0'],
      filter: "name = 'clf' AND params.depth = '4'",
    });
    await api.call('DELETE', `${API}/logged-models/${id}`);
    const afterDelete = await api.call('POST', `${API}/logged-models/search`, { experiment_ids: ['0'], filter: "name = 'clf'" });
    const get = await api.call('GET', `${API}/logged-models/${id}`);

    // Assess
    expect(found.body.models.map((m: any) => m.info.model_id)).toEqual([id]);
    expect(afterDelete.body).toEqual({});
    expect(get.status).toBe(404);
    expect(get.body.message).toBe(`Logged model with ID '${id}' not found.`);
  });

  it('upserts and deletes tags, and adds params in batches', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await api.call('POST', `${API}/logged-models`, { experiment_id: '0' })).body.model.info.model_id;
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));

    // Act
    await api.call('PATCH', `${API}/logged-models/${id}/tags`, { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    await api.call('PATCH', `${API}/logged-models/${id}/tags`, { tags: [{ key: 'a', value: '3' }] });
    const deleted = await api.call('DELETE', `${API}/logged-models/${id}/tags/b`);
    const missingTag = await api.call('DELETE', `${API}/logged-models/${id}/tags/b`);
    await api.call('POST', `${API}/logged-models/${id}/params`, { params });
    const model = (await api.call('GET', `${API}/logged-models/${id}`)).body.model;

    // Assess
    expect(deleted.status).toBe(200);
    expect(missingTag.status).toBe(404);
    expect(model.info.tags).toEqual([{ key: 'a', value: '3' }]);
    expect(model.data.params).toHaveLength(150);
  });

  it('takes a key given twice in one request as the last value, for tags and params', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await api.call('POST', `${API}/logged-models`, { experiment_id: '0' })).body.model.info.model_id;

    // Act
    const tags = await api.call('PATCH', `${API}/logged-models/${id}/tags`, { tags: [{ key: 't', value: '1' }, { key: 't', value: '2' }] });
    const params = await api.call('POST', `${API}/logged-models/${id}/params`, { params: [{ key: 'p' }, { key: 'p', value: 'x' }] });
    const model = (await api.call('GET', `${API}/logged-models/${id}`)).body.model;

    // Assess
    expect([tags.status, params.status]).toEqual([200, 200]);
    expect(model.info.tags).toEqual([{ key: 't', value: '2' }]);
    expect(model.data.params).toEqual([{ key: 'p', value: 'x' }]);
  });

  it('records metrics logged with a model id on the model too, each point once', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await api.call('POST', `${API}/logged-models`, { experiment_id: '0' })).body.model.info.model_id;
    const run_id = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;
    const metric = { key: 'acc', value: 0.9, timestamp: 5, step: 0, model_id: id, dataset_name: 'd', dataset_digest: 'x' };

    // Act
    await api.call('POST', `${API}/runs/log-batch`, { run_id, metrics: [metric] });
    await api.call('POST', `${API}/runs/log-batch`, { run_id, metrics: [metric] });
    const model = (await api.call('GET', `${API}/logged-models/${id}`)).body.model;
    const history = (await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'acc' })).body;

    // Assess
    expect(model.data.metrics).toEqual([{ ...metric, run_id }]);
    expect(history.metrics).toEqual([metric]);
  });

  it('refuses a page token from another query', async () => {
    // Prepare
    const api = await createTestApi(engine);
    for (let i = 0; i < 3; i++) await api.call('POST', `${API}/logged-models`, { experiment_id: '0', name: `m${i}` });
    const first = await api.call('POST', `${API}/logged-models/search`, { experiment_ids: ['0'], max_results: 2 });

    // Act
    const next = await api.call('POST', `${API}/logged-models/search`, {
      experiment_ids: ['0'],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    const mismatch = await api.call('POST', `${API}/logged-models/search`, {
      experiment_ids: ['0'],
      filter: "name = 'm1'",
      page_token: first.body.next_page_token,
    });

    // Assess
    expect(first.body.models).toHaveLength(2);
    expect(next.body.models).toHaveLength(1);
    expect(next.body.next_page_token).toBeUndefined();
    expect(mismatch.status).toBe(400);
  });
});
