/**
 * Evaluation datasets through the wire on both engines, with the bodies MLflow 3.6's RestStore sends
 * (mlflow/store/tracking/rest_store.py: create_dataset, get_dataset, search_datasets, upsert_dataset_records,
 * _load_dataset_records, set/delete_dataset_tag(s), get_dataset_experiment_ids, add/remove_dataset_to/from_experiments)
 * and the answers its SqlAlchemyStore gives.
 */
import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { datasetPartition } from '../../../shared/data/eval-datasets/keys.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/3.0/mlflow';

const createExperiment = async (api: TestApi, name: string): Promise<string> =>
  (await api.call('POST', '/api/2.0/mlflow/experiments/create', { name })).body.experiment_id;

/** What `create_dataset(name, tags, experiment_ids)` sends: tags as JSON text. */
const createDataset = async (api: TestApi, name: string, experimentIds: string[] = [], tags?: Record<string, string>) =>
  api.call('POST', `${API}/datasets/create`, { name, experiment_ids: experimentIds, ...(tags ? { tags: JSON.stringify(tags) } : {}) });

const upsert = (api: TestApi, datasetId: string, records: unknown[]) =>
  api.call('POST', `${API}/datasets/${datasetId}/records`, { records: JSON.stringify(records) });

const allRecords = async (api: TestApi, datasetId: string, pageSize = 1000) => {
  const records: any[] = [];
  let token: string | undefined;
  do {
    const page = await api.call('GET', `${API}/datasets/${datasetId}/records`, { max_results: pageSize, ...(token ? { page_token: token } : {}) });
    expect(page.status).toBe(200);
    records.push(...JSON.parse(page.body.records));
    token = page.body.next_page_token;
  } while (token);
  return records;
};

describe.each(ENGINES)('evaluation datasets (%s)', (engine) => {
  it('creates a dataset with tags and experiments, and reads it back as MLflow does (no experiment ids on get)', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [e1, e2] = [await createExperiment(api, 'a'), await createExperiment(api, 'b')];

    // Act
    const created = await createDataset(api, 'qa_eval', [e1, e2], { source: 'manual', 'mlflow.user': 'alice' });
    const id = created.body.dataset.dataset_id;
    const got = await api.call('GET', `${API}/datasets/${id}`);
    const ids = await api.call('GET', `${API}/datasets/${id}/experiment-ids`);

    // Assess
    expect(created.status).toBe(200);
    expect(id).toMatch(/^d-[0-9a-f]{32}$/);
    expect(created.body.dataset).toEqual({
      dataset_id: id,
      name: 'qa_eval',
      tags: '{"mlflow.user": "alice", "source": "manual"}',
      digest: expect.stringMatching(/^[0-9a-f]{8}$/),
      created_time: expect.any(Number),
      last_update_time: created.body.dataset.created_time,
      created_by: 'alice',
      last_updated_by: 'alice',
      experiment_ids: [e1, e2],
    });
    const { experiment_ids: _ids, ...withoutExperiments } = created.body.dataset;
    expect(got.body).toEqual({ dataset: withoutExperiments });
    expect(ids.body).toEqual({ experiment_ids: [e1, e2] });
  });

  it('serves the /ajax-api/3.0 twins, and takes a name twice as two datasets (names are not unique in MLflow)', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const first = await createDataset(api, 'same name');
    const second = await api.call('POST', '/ajax-api/3.0/mlflow/datasets/create', { name: 'same name' });
    const viaAjax = await api.call('GET', `/ajax-api/3.0/mlflow/datasets/${first.body.dataset.dataset_id}`);
    const found = await api.call('POST', `${API}/datasets/search`, { filter_string: "name = 'same name'" });
    const v2 = await api.call('POST', '/api/2.0/mlflow/datasets/create', { name: 'not here' });

    // Assess
    expect(second.status).toBe(200);
    expect(second.body.dataset.dataset_id).not.toBe(first.body.dataset.dataset_id);
    expect(second.body.dataset.tags).toBe('{}');
    expect(viaAjax.body.dataset.dataset_id).toBe(first.body.dataset.dataset_id);
    expect(found.body.datasets).toHaveLength(2);
    expect(v2.status).toBe(404);
    expect(v2.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('answers a missing dataset as MLflow: 404 on get, nothing for delete, records and experiment ids', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const get = await api.call('GET', `${API}/datasets/d-missing`);
    const del = await api.call('DELETE', `${API}/datasets/d-missing`);
    const records = await api.call('GET', `${API}/datasets/d-missing/records`);
    const experiments = await api.call('GET', `${API}/datasets/d-missing/experiment-ids`);
    const tags = await api.call('PATCH', `${API}/datasets/d-missing/tags`, { tags: '{"a": "b"}' });
    const deleteTag = await api.call('DELETE', `${API}/datasets/d-missing/tags/a`);
    const upserted = await upsert(api, 'd-missing', [{ inputs: { q: 1 } }]);
    const add = await api.call('POST', `${API}/datasets/d-missing/add-experiments`, { dataset_id: 'd-missing', experiment_ids: ['0'] });

    // Assess
    expect(get).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Evaluation dataset with id 'd-missing' not found" } });
    expect(del).toEqual({ status: 200, body: {} });
    expect(records).toEqual({ status: 200, body: { records: '[]' } });
    expect(experiments).toEqual({ status: 200, body: {} });
    expect(tags).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Could not find evaluation dataset with ID d-missing' } });
    expect(deleteTag).toEqual({ status: 200, body: {} });
    expect(upserted.status).toBe(404);
    expect(add).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Dataset 'd-missing' not found" } });
  });

  it('upserts records by their inputs with MLflow merge rules, and counts inserts and updates', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await createDataset(api, 'merge')).body.dataset.dataset_id;
    const batch1 = [
      { inputs: { question: 'What is MLflow?' }, outputs: { answer: 'a platform', key1: 'v1' }, expectations: { answer: 'open source', key2: 'v2' }, tags: { difficulty: 'easy' } },
      { inputs: { question: 'What is Python?' }, expectations: { answer: 'a language' }, tags: { difficulty: 'easy', 'mlflow.user': 'bob' } },
    ];
    const batch2 = [
      // Same inputs (keys in another order): the same record.
      { inputs: { question: 'What is MLflow?' }, outputs: { answer: 'an ML platform' }, expectations: { answer: 'ML lifecycle' }, tags: { category: 'ml' } },
      { inputs: { question: 'What is Docker?' }, source: { source_type: 'trace', source_data: { trace_id: 'tr-1' } } },
      { inputs: { question: 'What is Docker?' }, tags: { seen: 'twice' } },
    ];

    // Act
    const first = await upsert(api, id, batch1);
    const afterFirst = (await api.call('GET', `${API}/datasets/${id}`)).body.dataset;
    const second = await upsert(api, id, batch2);
    const records = await allRecords(api, id);
    const dataset = (await api.call('GET', `${API}/datasets/${id}`)).body.dataset;

    // Assess
    expect(first.body).toEqual({ inserted_count: 2, updated_count: 0 });
    expect(second.body).toEqual({ inserted_count: 1, updated_count: 2 });
    expect(records).toHaveLength(3);
    const byQuestion = Object.fromEntries(records.map((r) => [r.inputs.question, r]));
    expect(byQuestion['What is MLflow?']).toMatchObject({
      dataset_id: id,
      dataset_record_id: expect.stringMatching(/^dr-[0-9a-f]{32}$/),
      outputs: { answer: 'an ML platform' },
      expectations: { answer: 'ML lifecycle', key2: 'v2' },
      tags: { difficulty: 'easy', category: 'ml' },
    });
    expect(Object.keys(byQuestion['What is MLflow?'].expectations)).toEqual(['answer', 'key2']);
    expect(byQuestion['What is Python?']).toMatchObject({ outputs: {}, created_by: 'bob', last_updated_by: 'bob' });
    expect(byQuestion['What is Docker?']).toMatchObject({
      source: { source_type: 'TRACE', source_data: { trace_id: 'tr-1' } },
      source_id: 'tr-1',
      source_type: 'TRACE',
      tags: { seen: 'twice' },
    });
    expect(byQuestion['What is Docker?'].expectations).toBeUndefined();
    expect(afterFirst.last_updated_by).toBe('bob');
    expect(dataset).toMatchObject({ profile: '{"num_records": 3}' });
    expect(dataset.last_updated_by).toBeUndefined();
    expect(dataset.digest).not.toBe(afterFirst.digest);
    expect(JSON.parse(dataset.schema)).toEqual({
      inputs: { question: 'string' },
      outputs: { answer: 'string', key1: 'string' },
      expectations: { answer: 'string', key2: 'string' },
      version: '1.0',
    });
    expect(dataset.schema).toBe(
      '{"inputs": {"question": "string"}, "outputs": {"answer": "string", "key1": "string"}, "expectations": {"answer": "string", "key2": "string"}, "version": "1.0"}',
    );
  });

  it('pages records in creation order with tokens that continue where they stopped', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await createDataset(api, 'paged')).body.dataset.dataset_id;
    for (let batch = 0; batch < 3; batch++) {
      await upsert(api, id, Array.from({ length: 9 }, (_, i) => ({ inputs: { n: batch * 9 + i } })));
    }

    // Act
    const pages = [];
    let token: string | undefined;
    do {
      const page = await api.call('GET', `${API}/datasets/${id}/records`, { max_results: 4, ...(token ? { page_token: token } : {}) });
      pages.push(JSON.parse(page.body.records));
      token = page.body.next_page_token;
    } while (token);
    const everything = await allRecords(api, id);
    const foreignToken = await api.call('GET', `${API}/datasets/${(await createDataset(api, 'other')).body.dataset.dataset_id}/records`, {
      max_results: 4,
      page_token: (await api.call('GET', `${API}/datasets/${id}/records`, { max_results: 4 })).body.next_page_token,
    });

    // Assess
    expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 4, 4, 4, 3]);
    const paged = pages.flat();
    expect(new Set(paged.map((r: any) => r.dataset_record_id)).size).toBe(27);
    expect(paged.map((r: any) => r.dataset_record_id)).toEqual(everything.map((r) => r.dataset_record_id));
    const order = paged.map((r: any) => [r.created_time, r.dataset_record_id]);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(foreignToken.status).toBe(400);
    expect(foreignToken.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('sets, replaces and deletes tags; searches by filter, order and experiment, paged', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [e1, e2] = [await createExperiment(api, 'x'), await createExperiment(api, 'y')];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await createDataset(api, `search_test_${i}`, [i % 2 === 0 ? e1 : e2], { type: i % 2 === 0 ? 'human' : 'trace' })).body.dataset.dataset_id);
    }
    await createDataset(api, 'unrelated');

    // Act
    await api.call('PATCH', `${API}/datasets/${ids[0]}/tags`, { tags: JSON.stringify({ type: 'curated', version: 2, flag: true, gone: null }) });
    await api.call('DELETE', `${API}/datasets/${ids[1]}/tags/type`);
    const tagged = (await api.call('GET', `${API}/datasets/${ids[0]}`)).body.dataset;
    const untagged = (await api.call('GET', `${API}/datasets/${ids[1]}`)).body.dataset;
    const byName = await api.call('POST', `${API}/datasets/search`, { filter_string: "name LIKE 'search_test_%'", max_results: 1000, order_by: ['name ASC'] });
    const byTag = await api.call('POST', `${API}/datasets/search`, { filter_string: "tags.type = 'human'", max_results: 1000 });
    const byExperiment = await api.call('POST', `${API}/datasets/search`, { experiment_ids: [e1], max_results: 1000 });
    const page1 = await api.call('GET', `${API}/datasets/search`, { max_results: 4 });
    const page2 = await api.call('GET', `${API}/datasets/search`, { max_results: 4, page_token: page1.body.next_page_token });
    const badFilter = await api.call('POST', `${API}/datasets/search`, { filter_string: "colour = 'red'" });
    const badOrder = await api.call('POST', `${API}/datasets/search`, { order_by: ['tags.type'] });
    const zero = await api.call('POST', `${API}/datasets/search`, { max_results: 0 });

    // Assess
    expect(JSON.parse(tagged.tags)).toEqual({ type: 'curated', version: '2', flag: 'True' });
    expect(JSON.parse(untagged.tags)).toEqual({});
    expect(byName.body.datasets.map((d: any) => d.name)).toEqual([0, 1, 2, 3, 4].map((i) => `search_test_${i}`));
    expect(byName.body.datasets[0].experiment_ids).toBeUndefined();
    expect(byTag.body.datasets.map((d: any) => d.dataset_id).sort()).toEqual([ids[2], ids[4]].sort());
    expect(byExperiment.body.datasets.map((d: any) => d.dataset_id).sort()).toEqual([ids[0], ids[2], ids[4]].sort());
    // Newest first by default.
    const all = [...page1.body.datasets, ...page2.body.datasets];
    expect(all.map((d: any) => d.created_time)).toEqual([...all.map((d: any) => d.created_time)].sort((a, b) => b - a));
    expect(new Set(all.map((d: any) => d.dataset_id)).size).toBe(6);
    expect(page2.body.next_page_token).toBeUndefined();
    expect(badFilter.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid attribute key 'colour' specified. Valid keys are '{'name', 'created_time', 'last_update_time', 'created_by', 'last_updated_by'}'",
    });
    expect(badOrder.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid order_by entity: tag' });
    expect(zero.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid value None for parameter 'max_results' supplied. It must be a positive integer" });
  });

  it('adds and removes experiment associations (existing experiments only), and deletes a dataset with its records', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [e1, e2] = [await createExperiment(api, 'p'), await createExperiment(api, 'q')];
    const id = (await createDataset(api, 'assoc', [e1])).body.dataset.dataset_id;
    await upsert(api, id, [{ inputs: { q: 'x' } }]);

    // Act
    const added = await api.call('POST', `${API}/datasets/${id}/add-experiments`, { dataset_id: id, experiment_ids: [e2, e1] });
    const afterAdd = (await api.call('GET', `${API}/datasets/${id}/experiment-ids`)).body.experiment_ids;
    const unknown = await api.call('POST', `${API}/datasets/${id}/add-experiments`, { dataset_id: id, experiment_ids: ['987654'] });
    const removed = await api.call('POST', `${API}/datasets/${id}/remove-experiments`, { dataset_id: id, experiment_ids: [e1, '55'] });
    const afterRemove = (await api.call('GET', `${API}/datasets/${id}/experiment-ids`)).body.experiment_ids;
    const deleted = await api.call('DELETE', `${API}/datasets/${id}`);
    const get = await api.call('GET', `${API}/datasets/${id}`);
    const search = await api.call('POST', `${API}/datasets/search`, { experiment_ids: [e2] });
    const records = await api.call('GET', `${API}/datasets/${id}/records`);

    // Assess
    expect(added.status).toBe(200);
    expect(added.body.dataset).toMatchObject({ dataset_id: id, name: 'assoc' });
    expect(added.body.dataset.experiment_ids).toBeUndefined();
    expect(afterAdd).toEqual([e1, e2]);
    expect(unknown).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Experiment '987654' not found" } });
    expect(removed.status).toBe(200);
    expect(afterRemove).toEqual([e2]);
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(get.status).toBe(404);
    expect(search.body).toEqual({});
    expect(records.body).toEqual({ records: '[]' });
  });

  it('deletes a dataset of 1,200 records with every one of its items (many batches at once), and deleting again is harmless', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await createDataset(api, 'big')).body.dataset.dataset_id as string;
    for (let offset = 0; offset < 1200; offset += 400) {
      expect((await upsert(api, id, Array.from({ length: 400 }, (_, i) => ({ inputs: { q: offset + i } })))).status).toBe(200);
    }
    expect(await allRecords(api, id)).toHaveLength(1200);
    const itemsLeft = async () =>
      (await createDynamoClient({ endpoint: api.endpoint }).send(new QueryCommand({ TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: datasetPartition(id) } }, Select: 'COUNT', ConsistentRead: true }))).Count;

    // Act
    const deleted = await api.call('DELETE', `${API}/datasets/${id}`);
    const again = await api.call('DELETE', `${API}/datasets/${id}`);

    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(again).toEqual({ status: 200, body: {} });
    expect(await itemsLeft()).toBe(0);
    expect((await api.call('GET', `${API}/datasets/${id}`)).status).toBe(404);
  });
});
