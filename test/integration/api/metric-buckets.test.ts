import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const MLFLOW = '/api/2.0/mlflow';
const BUCKETS = '/api/2.0/cairn/metrics/history-buckets';
const SPIKE_STEP = 12_345;

const createRun = async (api: TestApi) =>
  (await api.call('POST', `${MLFLOW}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;

/** `count` points of `key`, a slow wave with one spike, logged in batches of 1,000 (MLflow's batch limit). */
const logWave = async (api: TestApi, run_id: string, key: string, count: number) => {
  for (let from = 0; from < count; from += 1000) {
    const metrics = Array.from({ length: Math.min(1000, count - from) }, (_, i) => {
      const step = from + i;
      return { key, step, timestamp: 1_700_000_000_000 + step * 10, value: step === SPIKE_STEP ? 1000 : Math.sin(step / 500) };
    });
    const { status } = await api.call('POST', `${MLFLOW}/runs/log-batch`, { run_id, metrics });
    expect(status).toBe(200);
  }
};

describe.each(ENGINES)('history buckets on %s', (engine) => {
  let api: TestApi;
  let waveRun: string;
  beforeAll(async () => {
    api = await createTestApi(engine);
    waveRun = await createRun(api);
    // 50,000 points are 1.2 MB of chunks: more than one query page, so the parallel read past the first page runs.
    await logWave(api, waveRun, 'loss', 50_000);
  });

  it('keeps a planted single-step spike through bucketing, and again in a zoomed range', async () => {
    // Act
    const whole = await api.call('POST', BUCKETS, { run_ids: [waveRun], metric_keys: ['loss'], buckets: 200 });
    const zoomed = await api.call('POST', BUCKETS, {
      run_ids: [waveRun],
      metric_keys: ['loss'],
      x_min: 10_000,
      x_max: 15_000,
      buckets: 100,
    });

    // Assess
    expect(whole.status).toBe(200);
    const [series] = whole.body.series;
    expect(series).toMatchObject({ run_id: waveRun, metric_key: 'loss', count: 50_000 });
    expect(series.buckets.x_min).toHaveLength(200);
    expect(series.buckets.count.reduce((a: number, b: number) => a + b, 0)).toBe(50_000);
    const spikeBucket = series.buckets.x_min.findIndex((lo: number, i: number) => lo <= SPIKE_STEP && SPIKE_STEP <= series.buckets.x_max[i]);
    expect(series.buckets.max[spikeBucket]).toBe(1000);
    expect(series.buckets.max.filter((m: number) => m === 1000)).toHaveLength(1);

    const zoom = zoomed.body.series[0];
    expect(zoom.count).toBe(5_001);
    expect(zoom.buckets.x_min[0]).toBe(10_000);
    expect(zoom.buckets.x_max.at(-1)).toBe(15_000);
    expect(Math.max(...zoom.buckets.max)).toBe(1000);
  });

  it('answers exact points when they fit, by wall time too, with NaN in proto JSON form', async () => {
    // Prepare
    const run_id = await createRun(api);
    await api.call('POST', `${MLFLOW}/runs/log-batch`, {
      run_id,
      metrics: [
        { key: 'acc', value: 0.5, timestamp: 30, step: 0 },
        { key: 'acc', value: 'NaN', timestamp: 10, step: 1 },
        { key: 'acc', value: 0.9, timestamp: 20, step: 2 },
      ],
    });

    // Act
    const byStep = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['acc', 'missing'], buckets: 10 });
    const byTime = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['acc'], x_axis: 'timestamp', x_max: 25 });

    // Assess
    expect(byStep.body).toEqual({
      x_axis: 'step',
      series: [
        { run_id, metric_key: 'acc', count: 3, points: { step: [0, 1, 2], timestamp: [30, 10, 20], value: [0.5, 'NaN', 0.9] } },
        { run_id, metric_key: 'missing', count: 0, points: { step: [], timestamp: [], value: [] } },
      ],
    });
    expect(byTime.body.series[0].points).toEqual({ step: [1, 2], timestamp: [10, 20], value: ['NaN', 0.9] });
  });

  it('answers for several runs and keys, deleted runs included', async () => {
    // Prepare
    const other = await createRun(api);
    await logWave(api, other, 'loss', 50);
    await api.call('POST', `${MLFLOW}/runs/delete`, { run_id: other });

    // Act
    const { status, body } = await api.call('POST', BUCKETS, { run_ids: [waveRun, other], metric_keys: ['loss'], buckets: 100 });

    // Assess
    expect(status).toBe(200);
    expect(body.series.map((s: any) => [s.run_id, s.count, 'buckets' in s])).toEqual([
      [waveRun, 50_000, true],
      [other, 50, false],
    ]);
  });

  it('sees points logged after an earlier read (a cached history gains its new chunks)', async () => {
    // Prepare
    const run_id = await createRun(api);
    await logWave(api, run_id, 'loss', 3000);
    const before = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['loss'], buckets: 10 });

    // Act
    await api.call('POST', `${MLFLOW}/runs/log-metric`, { run_id, key: 'loss', value: 77, timestamp: 5, step: 3000 });
    const after = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['loss'], buckets: 10 });

    // Assess
    expect(before.body.series[0].count).toBe(3000);
    expect(after.body.series[0].count).toBe(3001);
    expect(after.body.series[0].buckets.last.at(-1)).toBe(77);
  });

  it('sees a point logged after an earlier read of a history longer than a query page', async () => {
    // Prepare: 45,000 points are over 1 MB, so the second read lists the chunk keys digit by digit at once.
    const run_id = await createRun(api);
    await logWave(api, run_id, 'loss', 45_000);
    const before = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['loss'], buckets: 10 });
    const again = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['loss'], buckets: 10 });

    // Act
    await api.call('POST', `${MLFLOW}/runs/log-metric`, { run_id, key: 'loss', value: -3, timestamp: 5, step: 45_000 });
    const after = await api.call('POST', BUCKETS, { run_ids: [run_id], metric_keys: ['loss'], buckets: 10 });

    // Assess
    expect(before.body).toEqual(again.body);
    expect(before.body.series[0].count).toBe(45_000);
    expect(after.body.series[0].count).toBe(45_001);
    expect(after.body.series[0].buckets.last.at(-1)).toBe(-3);
    expect(Math.min(...after.body.series[0].buckets.min)).toBe(-3);
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for an unknown run', async () => {
    const { status, body } = await api.call('POST', BUCKETS, { run_ids: [waveRun, 'nope'], metric_keys: ['loss'] });
    expect(status).toBe(404);
    expect(body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=nope not found' });
  });

  it.each([
    ['no run_ids', { metric_keys: ['loss'] }, "Missing value for required parameter 'run_ids'"],
    ['empty run_ids', { run_ids: [], metric_keys: ['loss'] }, 'at least one run'],
    ['101 runs', { run_ids: Array.from({ length: 101 }, (_, i) => `r${i}`), metric_keys: ['loss'] }, 'At most 100 run_ids'],
    ['no metric_keys', { run_ids: ['r'] }, "Missing value for required parameter 'metric_keys'"],
    ['21 keys', { run_ids: ['r'], metric_keys: Array.from({ length: 21 }, (_, i) => `k${i}`) }, 'At most 20 metric_keys'],
    ['an unknown axis', { run_ids: ['r'], metric_keys: ['loss'], x_axis: 'epoch' }, "parameter 'x_axis'"],
    ['zero buckets', { run_ids: ['r'], metric_keys: ['loss'], buckets: 0 }, 'buckets must be between 1 and 2000'],
    ['2001 buckets', { run_ids: ['r'], metric_keys: ['loss'], buckets: 2001 }, 'buckets must be between 1 and 2000'],
    ['a text range', { run_ids: ['r'], metric_keys: ['loss'], x_min: 'soon' }, "parameter 'x_min'"],
    ['an infinite range', { run_ids: ['r'], metric_keys: ['loss'], x_max: 'Infinity' }, 'x_max must be a finite number'],
    ['a reversed range', { run_ids: ['r'], metric_keys: ['loss'], x_min: 5, x_max: 1 }, 'x_min must not be greater than x_max'],
  ])('refuses %s with 400 INVALID_PARAMETER_VALUE', async (_, body, message) => {
    const response = await api.call('POST', BUCKETS, body);
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(response.body.message).toContain(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await api.request(BUCKETS, { method: 'POST', body: 'run_ids=r', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_code: string }).error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
