import { DeleteItemCommand, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { fromAttributes, toAttributes } from '../../../shared/data/dynamo-ops.js';
import { runKey, runMetricMaxKey, runMetricMinKey } from '../../../shared/data/runs/keys.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const MLFLOW = '/api/2.0/mlflow';
const CAIRN_SEARCH = '/api/2.0/cairn/runs/search';

type Json = Record<string, any>;

const createExperiment = async (api: TestApi, name: string) =>
  (await api.call('POST', `${MLFLOW}/experiments/create`, { name })).body.experiment_id as string;

const createRun = async (api: TestApi, experimentId: string, name: string) =>
  (await api.call('POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId, run_name: name, start_time: 1 })).body.run.info
    .run_id as string;

const logBatch = async (api: { call: TestApi['call'] }, runId: string, metrics: Json[]) => {
  const response = await api.call('POST', `${MLFLOW}/runs/log-batch`, { run_id: runId, metrics });
  expect(response.status).toBe(200);
};

const point = (key: string, value: number | string, step: number) => ({ key, value, step, timestamp: 1_700_000_000_000 + step });

const search = async (api: TestApi, body: Json) => {
  const response = await api.call('POST', CAIRN_SEARCH, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.runs ?? []) as Json[];
};

const metricOf = (run: Json, key: string) => (run.data.metrics as Json[]).find((m) => m.key === key);
const namesOf = (runs: Json[]) => runs.map((r) => r.info.run_name);

/** Another process on the same table: its own repositories, caches and search index. */
const secondProcess = (api: TestApi) => {
  const app = createApi(createTrackingDeps({ client: createDynamoClient({ endpoint: api.endpoint }), tableName: api.tableName }));
  return {
    async call(method: string, path: string, body?: Json) {
      const response = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
};

describe.each(ENGINES)('metric min and max, kept on write and searched through Cairn (%s)', (engine) => {
  let api: TestApi;
  let experimentId: string;
  const runs: Record<string, string> = {};

  beforeAll(async () => {
    api = await createTestApi(engine);
    experimentId = await createExperiment(api, 'summaries');
    for (const name of ['a', 'b', 'c', 'd', 'nan-only']) runs[name] = await createRun(api, experimentId, name);
    await logBatch(api, runs.a as string, [point('loss', 0.5, 0), point('loss', 0.1, 1), point('loss', 0.9, 2)]);
    await logBatch(api, runs.b as string, [point('loss', 0.3, 0), point('loss', 0.2, 5)]);
    await logBatch(api, runs.c as string, [point('loss', 'NaN', 0), point('loss', 2, 1), point('loss', 'NaN', 2)]);
    await logBatch(api, runs.d as string, [point('acc', 1, 0)]);
    await logBatch(api, runs['nan-only'] as string, [point('loss', 'NaN', 0), point('loss', 'NaN', 1)]);
  });

  it('answers each latest metric with the min and max of its whole history; a NaN point counts only when all are NaN', async () => {
    // Act
    const found = await search(api, { experiment_ids: [experimentId] });

    // Assess
    const byName = Object.fromEntries(found.map((r) => [r.info.run_name, metricOf(r, 'loss')]));
    expect(byName.a).toEqual({ key: 'loss', value: 0.9, step: 2, timestamp: 1_700_000_000_002, min: 0.1, max: 0.9 });
    expect(byName.c).toMatchObject({ value: 'NaN', min: 2, max: 2 });
    expect(byName['nan-only']).toMatchObject({ value: 'NaN', min: 'NaN', max: 'NaN' });
  });

  it('filters and orders by min and max, runs without the key last in both directions', async () => {
    // Act
    const minAsc = await search(api, { experiment_ids: [experimentId], order_by: ['metrics.loss.min ASC'], filter: "attributes.run_name != 'nan-only'" });
    const maxDesc = await search(api, { experiment_ids: [experimentId], order_by: ['metrics.`loss`.max DESC'], filter: "attributes.run_name != 'nan-only'" });
    const belowQuarter = await search(api, { experiment_ids: [experimentId], filter: 'metrics.loss.min < 0.25' });
    const highMax = await search(api, { experiment_ids: [experimentId], filter: 'metrics.loss.max >= 0.9 AND metrics.loss.last > 0.5' });

    // Assess
    expect(namesOf(minAsc)).toEqual(['a', 'b', 'c', 'd']);
    expect(namesOf(maxDesc)).toEqual(['c', 'a', 'b', 'd']);
    expect(namesOf(belowQuarter).sort()).toEqual(['a', 'b']);
    expect(namesOf(highMax)).toEqual(['a']);
  });

  it('leaves MLflow runs/search as MLflow has it: no min or max, and `.min` is part of a key there', async () => {
    // Act
    const mlflow = await api.call('POST', `${MLFLOW}/runs/search`, { experiment_ids: [experimentId], filter: "attributes.run_name = 'a'" });
    const suffixed = await api.call('POST', `${MLFLOW}/runs/search`, { experiment_ids: [experimentId], filter: 'metrics.loss.min < 1' });

    // Assess
    expect(mlflow.body.runs[0].data.metrics).toEqual([{ key: 'loss', value: 0.9, step: 2, timestamp: 1_700_000_000_002 }]);
    expect(suffixed.status).toBe(200);
    expect(suffixed.body.runs).toBeUndefined();
  });

  it("answers MLflow's error form for a bad clause, and pages with its own tokens", async () => {
    // Act
    const bad = await api.call('POST', CAIRN_SEARCH, { experiment_ids: [experimentId], filter: "metrics.loss.min < 'x'" });
    const first = await api.call('POST', CAIRN_SEARCH, { experiment_ids: [experimentId], order_by: ['metrics.loss.max ASC'], max_results: 2 });
    const second = await api.call('POST', CAIRN_SEARCH, {
      experiment_ids: [experimentId],
      order_by: ['metrics.loss.max ASC'],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    const foreignToken = await api.call('POST', `${MLFLOW}/runs/search`, {
      experiment_ids: [experimentId],
      order_by: ['metrics.loss.max ASC'],
      max_results: 2,
      page_token: first.body.next_page_token,
    });

    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect([...namesOf(first.body.runs), ...namesOf(second.body.runs)]).toEqual(['b', 'a', 'c', 'nan-only']);
    expect(foreignToken.status).toBe(400);
  });

  it('keeps the right min, max and last when writers in two processes log out-of-order points at once, one request sent twice', async () => {
    // Prepare
    const runId = await createRun(api, experimentId, 'concurrent');
    const other = secondProcess(api);
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i * 7.3) * (i + 1));
    const batches = Array.from({ length: 20 }, (_, b) => values.slice(b * 10, b * 10 + 10).map((v, i) => point('wave', v, b * 10 + i))).reverse();

    // Act
    await Promise.all([
      ...batches.map((metrics, i) => logBatch(i % 2 === 0 ? api : other, runId, metrics)),
      logBatch(other, runId, batches[3] as Json[]),
      ...values.slice(0, 20).map((v, i) => logBatch(i % 2 === 0 ? other : api, runId, [point('wave', v, i)])),
    ]);

    // Assess
    const [run] = await search(api, { experiment_ids: [experimentId], filter: "attributes.run_name = 'concurrent'" });
    expect(metricOf(run as Json, 'wave')).toMatchObject({ step: 199, value: values[199], min: Math.min(...values), max: Math.max(...values) });
  });

  it('reads the ranges of a run logged before they were kept from its history once, and stores them', async () => {
    // Prepare: a run as an older Cairn left it (no min or max items, no mark on the run), then one new point
    // written by this version, whose items then cover only that point
    const legacyExperiment = await createExperiment(api, 'legacy');
    const runId = await createRun(api, legacyExperiment, 'legacy');
    await logBatch(api, runId, [point('loss', 4, 0), point('loss', -3, 1), point('loss', 8, 2)]);
    const client = createDynamoClient({ endpoint: api.endpoint });
    for (const key of [runMetricMinKey(runId, 'loss'), runMetricMaxKey(runId, 'loss')]) {
      await client.send(new DeleteItemCommand({ TableName: api.tableName, Key: toAttributes(key) }));
    }
    await client.send(
      new UpdateItemCommand({ TableName: api.tableName, Key: toAttributes(runKey(runId)), UpdateExpression: 'REMOVE metricRangesKept' }),
    );
    await logBatch(secondProcess(api), runId, [point('loss', 5, 3)]);

    // Act
    const [ordered] = await search(api, { experiment_ids: [legacyExperiment], order_by: ['metrics.loss.min ASC'] });
    const stored = await client.send(new GetItemCommand({ TableName: api.tableName, Key: toAttributes(runMetricMinKey(runId, 'loss')) }));
    const [again] = await search(api, { experiment_ids: [legacyExperiment], filter: 'metrics.loss.max = 8' });

    // Assess
    expect(metricOf(ordered as Json, 'loss')).toMatchObject({ value: 5, min: -3, max: 8 });
    expect(fromAttributes(stored.Item ?? {})).toMatchObject({ value: '-3', complete: true });
    expect(again?.info.run_id).toBe(runId);
  });
});
