/**
 * Evaluation datasets under load and abuse, on both engines: concurrent upserts of overlapping records lose no record
 * and no merged key, a retried upsert changes nothing but the update counts, a large upsert pages out whole, and
 * malformed requests answer 4xx in MLflow's error form and leave the dataset as it was.
 */
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/3.0/mlflow';

const createDataset = async (api: TestApi, name: string): Promise<string> =>
  (await api.call('POST', `${API}/datasets/create`, { name, experiment_ids: ['0'] })).body.dataset.dataset_id;

const upsert = (api: TestApi, datasetId: string, records: unknown) =>
  api.call('POST', `${API}/datasets/${datasetId}/records`, { records: typeof records === 'string' ? records : JSON.stringify(records) });

const allRecords = async (api: TestApi, datasetId: string) => {
  const records: any[] = [];
  let token: string | undefined;
  do {
    const page = await api.call('GET', `${API}/datasets/${datasetId}/records`, { max_results: 1000, ...(token ? { page_token: token } : {}) });
    records.push(...JSON.parse(page.body.records));
    token = page.body.next_page_token;
  } while (token);
  return records;
};

describe.each(ENGINES)('evaluation datasets under concurrency and hostile input (%s)', (engine) => {
  it('keeps every record and every merged key when 8 upserts of overlapping records run at once', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = await createDataset(api, 'concurrent');
    const writers = 8;
    const batch = (writer: number) => [
      ...Array.from({ length: 20 }, (_, i) => ({ inputs: { writer, i }, expectations: { answer: `${writer}-${i}` } })),
      // Ten records every writer sends: one record each, with every writer's tag and expectation key.
      ...Array.from({ length: 10 }, (_, i) => ({ inputs: { shared: i }, tags: { [`w${writer}`]: 'yes' }, expectations: { [`e${writer}`]: writer } })),
    ];

    // Act
    const answers = await Promise.all(Array.from({ length: writers }, (_, writer) => upsert(api, id, batch(writer))));
    const records = await allRecords(api, id);
    const dataset = (await api.call('GET', `${API}/datasets/${id}`)).body.dataset;

    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(writers).fill(200));
    const inserted = answers.reduce((sum, a) => sum + a.body.inserted_count, 0);
    const updated = answers.reduce((sum, a) => sum + a.body.updated_count, 0);
    expect(inserted).toBe(writers * 20 + 10);
    expect(updated).toBe(writers * 30 - inserted);
    expect(records).toHaveLength(writers * 20 + 10);
    expect(new Set(records.map((r) => JSON.stringify(r.inputs))).size).toBe(writers * 20 + 10);
    const shared = records.filter((r) => 'shared' in r.inputs);
    expect(shared).toHaveLength(10);
    for (const record of shared) {
      expect(Object.keys(record.tags).sort()).toEqual(Array.from({ length: writers }, (_, w) => `w${w}`).sort());
      expect(Object.keys(record.expectations).sort()).toEqual(Array.from({ length: writers }, (_, w) => `e${w}`).sort());
    }
    expect(dataset.profile).toBe(`{"num_records": ${writers * 20 + 10}}`);
    expect(Object.keys(JSON.parse(dataset.schema).inputs).sort()).toEqual(['i', 'shared', 'writer']);
  });

  it('treats a retried upsert as updates of the same records', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = await createDataset(api, 'retry');
    const records = Array.from({ length: 25 }, (_, i) => ({ inputs: { q: `question ${i}`, nested: { b: 1, a: [i] } }, outputs: `answer ${i}` }));

    // Act
    const first = await upsert(api, id, records);
    const retried = await upsert(api, id, records);
    const stored = await allRecords(api, id);

    // Assess
    expect(first.body).toEqual({ inserted_count: 25, updated_count: 0 });
    expect(retried.body).toEqual({ inserted_count: 0, updated_count: 25 });
    expect(stored).toHaveLength(25);
    expect(stored.find((r) => r.inputs.q === 'question 0').outputs).toBe('answer 0');
    expect(JSON.parse((await api.call('GET', `${API}/datasets/${id}`)).body.dataset.schema).outputs).toBe('string');
  });

  it('takes 1,200 records in one upsert and pages them out in pages of 1,000', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = await createDataset(api, 'large');

    // Act
    const answer = await upsert(api, id, Array.from({ length: 1200 }, (_, i) => ({ inputs: { n: i }, tags: { batch: 'one' } })));
    const first = await api.call('GET', `${API}/datasets/${id}/records`, { max_results: 1000 });
    const second = await api.call('GET', `${API}/datasets/${id}/records`, { max_results: 1000, page_token: first.body.next_page_token });

    // Assess
    expect(answer.body).toEqual({ inserted_count: 1200, updated_count: 0 });
    expect(JSON.parse(first.body.records)).toHaveLength(1000);
    expect(JSON.parse(second.body.records)).toHaveLength(200);
    expect(second.body.next_page_token).toBeUndefined();
  });

  it('answers malformed requests with 4xx in MLflow form and changes nothing', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = await createDataset(api, 'hostile');
    await upsert(api, id, [{ inputs: { keep: true } }]);
    const before = (await api.call('GET', `${API}/datasets/${id}`)).body.dataset;

    // Act
    const answers = [
      await upsert(api, id, 'not json'),
      await upsert(api, id, '{"inputs": {}}'),
      await upsert(api, id, [1, 2]),
      await upsert(api, id, [{ inputs: 'a string' }]),
      await upsert(api, id, [{ inputs: { a: 1 }, expectations: [1] }]),
      await upsert(api, id, [{ inputs: { a: 1 }, source: { source_type: 'telepathy' } }]),
      await upsert(api, id, [{ inputs: { a: 1 }, source: { source_type: 'TRACE', extra: 1 } }]),
      await upsert(api, id, [{ inputs: { big: 'x'.repeat(500_000) } }]),
      // Too large a record after many small ones: none of them is written.
      await upsert(api, id, [...Array.from({ length: 120 }, (_, i) => ({ inputs: { small: i } })), { inputs: { big: 'y'.repeat(380_000) } }]),
      await api.call('POST', `${API}/datasets/${id}/records`, {}),
      await api.call('POST', `${API}/datasets/create`, { tags: '{}' }),
      await api.call('POST', `${API}/datasets/create`, { name: 'n', tags: '[1]' }),
      await api.call('POST', `${API}/datasets/create`, { name: 'x'.repeat(300) }),
      await api.call('PATCH', `${API}/datasets/${id}/tags`, { tags: 'nope' }),
      await api.call('GET', `${API}/datasets/${id}/records`, { max_results: -5 }),
      await api.call('GET', `${API}/datasets/${id}/records`, { page_token: 'not-a-token' }),
      await api.call('POST', `${API}/datasets/search`, { filter_string: "name = 'a' OR name = 'b'" }),
      await api.call('POST', `${API}/datasets/search`, { max_results: 50_001 }),
      await api.call('POST', `${API}/datasets/search`, { page_token: '%%%' }),
      await api.request(`${API}/datasets/${id}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"records": ' }),
    ];
    const after = (await api.call('GET', `${API}/datasets/${id}`)).body.dataset;
    const records = await allRecords(api, id);

    // Assess
    for (const [index, answer] of answers.entries()) {
      const status = answer instanceof Response ? answer.status : answer.status;
      const body = answer instanceof Response ? await answer.json() : answer.body;
      expect(status, `request ${index}`).toBeGreaterThanOrEqual(400);
      expect(status, `request ${index}`).toBeLessThan(500);
      expect(body, `request ${index}`).toEqual({ error_code: expect.any(String), message: expect.any(String) });
    }
    expect(after).toEqual(before);
    expect(records.map((r) => r.inputs)).toEqual([{ keep: true }]);
  });
});
