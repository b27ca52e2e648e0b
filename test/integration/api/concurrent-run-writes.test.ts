import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { getItem } from '../../../shared/data/dynamo-ops.js';
import { loggedModelKey } from '../../../shared/data/logged-models/keys.js';
import { createTestApi, ENGINES } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';
const WRITERS = 6;
const BATCHES = 5;
const POINTS = 20;
const MISSING_MODEL = `m-${'0'.repeat(32)}`;

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  model_id: string;
}

const byKeyAndStep = (a: { key: string; step: number }, b: { key: string; step: number }) =>
  a.key.localeCompare(b.key) || a.step - b.step;

describe.each(ENGINES)('concurrent run writes with run names and model metrics (%s)', (engine) => {
  it('stores exactly what several writers log: params, tags, points, one agreed run name, and the points of live models only', async () => {
    // Prepare: a run, two live logged models, a deleted one, and an id no model has
    const api = await createTestApi(engine);
    const runId: string = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0', start_time: 1 })).body.run.info.run_id;
    const newModel = async () => (await api.call('POST', `${API}/logged-models`, { experiment_id: '0' })).body.model.info.model_id as string;
    const [liveA, liveB, deleted] = [await newModel(), await newModel(), await newModel()];
    await api.call('DELETE', `${API}/logged-models/${deleted}`);
    const models = [liveA, liveB, deleted, MISSING_MODEL];
    const batchOf = (writer: number, batch: number) => ({
      run_id: runId,
      params: [{ key: `p-${writer}-${batch}`, value: `v${batch}` }],
      tags: [
        { key: `t-${writer}`, value: `${batch}` },
        { key: 'mlflow.runName', value: `name-${writer}-${batch}` },
      ],
      metrics: Array.from({ length: POINTS }, (_, i): Point => {
        const step = batch * POINTS + i;
        return { key: `k-${writer}`, value: step / 7, timestamp: 1_000 + step, step, model_id: models[(writer + i) % models.length] ?? '' };
      }),
    });
    // One request larger than a transaction (100 params + 99 tags + points): it is split, with its name and model points.
    const large = {
      run_id: runId,
      params: Array.from({ length: 100 }, (_, i) => ({ key: `big-${i}`, value: 'x' })),
      tags: [
        ...Array.from({ length: 99 }, (_, i) => ({ key: `big-tag-${i}`, value: 'y' })),
        { key: 'mlflow.runName', value: 'name-large' },
      ],
      metrics: Array.from({ length: 10 }, (_, step): Point => ({ key: 'k-large', value: step, timestamp: 5, step, model_id: liveA })),
    };

    // Act: the writers in parallel, each batch in turn; one batch sent twice, as a client retries after a timeout
    const writers = Array.from({ length: WRITERS }, async (_, writer) => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const response = await api.call('POST', `${API}/runs/log-batch`, batchOf(writer, batch));
        expect(response.status).toBe(200);
      }
    });
    const extra = [api.call('POST', `${API}/runs/log-batch`, batchOf(2, 0)), api.call('POST', `${API}/runs/log-batch`, large)];
    const answers = await Promise.all([...writers, ...extra]);

    // Assess: the run
    for (const answer of answers.slice(WRITERS)) expect(answer?.status).toBe(200);
    const run = (await api.call('GET', `${API}/runs/get`, { run_id: runId })).body.run;
    const tags = Object.fromEntries(run.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    const names = new Set(['name-large', ...Array.from({ length: WRITERS * BATCHES }, (_, n) => `name-${Math.floor(n / BATCHES)}-${n % BATCHES}`)]);
    expect(names.has(run.info.run_name)).toBe(true);
    expect(tags['mlflow.runName']).toBe(run.info.run_name);
    expect(run.data.params).toHaveLength(WRITERS * BATCHES + 100);
    expect(run.data.tags).toHaveLength(WRITERS + 99 + 1);
    for (let writer = 0; writer < WRITERS; writer++) expect(tags[`t-${writer}`]).toBe(`${BATCHES - 1}`);
    const found = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], filter: `attributes.run_name = '${run.info.run_name}'` });
    expect(found.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);

    // Assess: every history has each point once
    for (let writer = 0; writer < WRITERS; writer++) {
      const history = (await api.call('GET', `${API}/metrics/get-history`, { run_id: runId, metric_key: `k-${writer}` })).body.metrics;
      expect(history.map((p: Point) => p.step)).toEqual(Array.from({ length: BATCHES * POINTS }, (_, step) => step));
    }

    // Assess: live models hold exactly their points; the deleted one got none, and no item appeared for the missing id
    const sent = [...Array.from({ length: WRITERS * BATCHES }, (_, n) => batchOf(Math.floor(n / BATCHES), n % BATCHES).metrics).flat(), ...large.metrics];
    for (const modelId of [liveA, liveB]) {
      const model = (await api.call('GET', `${API}/logged-models/${modelId}`)).body.model;
      const expected = sent.filter((p) => p.model_id === modelId).map((p) => ({ ...p, run_id: runId }));
      expect([...model.data.metrics].sort(byKeyAndStep)).toEqual(expected.sort(byKeyAndStep));
    }
    const db = { client: createDynamoClient({ endpoint: api.endpoint }), tableName: api.tableName };
    expect((await getItem(db, loggedModelKey(deleted)))?.metrics).toEqual([]);
    expect(await getItem(db, loggedModelKey(MISSING_MODEL))).toBeUndefined();
  });

  it('refuses a batch that names a deleted run, storing none of it, and answers a missing run as MLflow does', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const run = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0', run_name: 'before' })).body.run;
    const runId: string = run.info.run_id;
    await api.call('POST', `${API}/runs/delete`, { run_id: runId });
    const batch = { tags: [{ key: 'mlflow.runName', value: 'after' }], params: [{ key: 'p', value: '1' }] };

    // Act
    const deleted = await api.call('POST', `${API}/runs/log-batch`, { run_id: runId, ...batch });
    const missing = await api.call('POST', `${API}/runs/log-batch`, { run_id: 'f'.repeat(32), ...batch });

    // Assess
    expect(deleted.status).toBe(400);
    expect(deleted.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    await api.call('POST', `${API}/runs/restore`, { run_id: runId });
    const after = (await api.call('GET', `${API}/runs/get`, { run_id: runId })).body.run;
    expect(after.info.run_name).toBe('before');
    expect(after.data).toEqual({ tags: [{ key: 'mlflow.runName', value: 'before' }] });
  });
});
