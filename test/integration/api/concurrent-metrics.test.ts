import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES } from '../../support/test-api.js';

const WRITERS = 8;
const POINTS_PER_WRITER = 10_000;
const BATCH = 1000;

describe.each(ENGINES)('concurrent metric logging (%s)', (engine) => {
  it('keeps exactly every distinct point when 8 writers log 10,000 points each into one run, with a retried request', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const created = await api.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', start_time: 1 });
    const runId: string = created.body.run.info.run_id;
    const batchOf = (writer: number, batch: number) => ({
      run_id: runId,
      metrics: Array.from({ length: BATCH }, (_, i) => {
        const step = writer * POINTS_PER_WRITER + batch * BATCH + i;
        return { key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step };
      }),
    });

    // Act: eight writers in parallel, and the first batch of writer 3 sent again as a client would after a timeout
    const writers = Array.from({ length: WRITERS }, async (_, writer) => {
      for (let batch = 0; batch < POINTS_PER_WRITER / BATCH; batch++) {
        const response = await api.call('POST', '/api/2.0/mlflow/runs/log-batch', batchOf(writer, batch));
        expect(response.status).toBe(200);
      }
    });
    const retry = api.call('POST', '/api/2.0/mlflow/runs/log-batch', batchOf(3, 0));
    await Promise.all([...writers, retry]);

    // Assess
    const history = await api.call('GET', '/api/2.0/mlflow/metrics/get-history', { run_id: runId, metric_key: 'loss' });
    const steps = history.body.metrics.map((m: { step: number }) => m.step);
    expect(steps).toHaveLength(WRITERS * POINTS_PER_WRITER);
    expect(new Set(steps).size).toBe(WRITERS * POINTS_PER_WRITER);
    expect(steps).toEqual([...steps].sort((a: number, b: number) => a - b));
    const run = await api.call('GET', '/api/2.0/mlflow/runs/get', { run_id: runId });
    const lastStep = WRITERS * POINTS_PER_WRITER - 1;
    expect(run.body.run.data.metrics).toEqual([
      { key: 'loss', value: 1 / (lastStep + 1), timestamp: 1_700_000_000_000 + lastStep, step: lastStep },
    ]);
  });

  it('keeps the highest (step, timestamp, value) as the latest value whatever order concurrent writers land in', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const created = await api.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', start_time: 1 });
    const runId: string = created.body.run.info.run_id;
    const points = [
      { key: 'acc', value: 0.9, timestamp: 10, step: 5 },
      { key: 'acc', value: 0.1, timestamp: 99, step: 4 },
      { key: 'acc', value: 0.5, timestamp: 10, step: 5 },
      { key: 'acc', value: 0.7, timestamp: 11, step: 5 },
      { key: 'acc', value: 0.2, timestamp: 1, step: 0 },
    ];

    // Act
    await Promise.all(points.map((p) => api.call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, ...p })));

    // Assess
    const run = await api.call('GET', '/api/2.0/mlflow/runs/get', { run_id: runId });
    expect(run.body.run.data.metrics).toEqual([{ key: 'acc', value: 0.7, timestamp: 11, step: 5 }]);
  });
});
