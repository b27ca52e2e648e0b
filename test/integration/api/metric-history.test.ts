import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { createTestApi, type TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

const runWithHistory = async (api: TestApi, points: number) => {
  const run_id = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;
  const metrics = Array.from({ length: points }, (_, step) => ({ key: 'loss', value: step, timestamp: 1000 + step, step }));
  await api.call('POST', `${API}/runs/log-batch`, { run_id, metrics });
  return run_id as string;
};

describe('metric history pages', () => {
  it('serves the pages of one read from one snapshot, even when points arrive between pages', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const run_id = await runWithHistory(api, 10);
    const first = await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'loss', max_results: 6 });

    // Act: an early point arrives, then the read goes on
    await api.call('POST', `${API}/runs/log-metric`, { run_id, key: 'loss', value: -1, timestamp: 1, step: -1 });
    const second = await api.call('GET', `${API}/metrics/get-history`, {
      run_id,
      metric_key: 'loss',
      max_results: 6,
      page_token: first.body.next_page_token,
    });
    const fresh = await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'loss' });

    // Assess
    expect([...first.body.metrics, ...second.body.metrics].map((m: any) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fresh.body.metrics).toHaveLength(11);
  });

  it('continues a read in another process (no snapshot there) from the token offset', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const run_id = await runWithHistory(api, 10);
    const first = await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'loss', max_results: 4 });
    const otherProcess = createApi(
      createTrackingDeps({ client: createDynamoClient({ endpoint: api.endpoint }), tableName: api.tableName }),
    );

    // Act
    const response = await otherProcess.request(
      `${API}/metrics/get-history?${new URLSearchParams({ run_id, metric_key: 'loss', max_results: '4', page_token: first.body.next_page_token })}`,
    );

    // Assess
    expect(((await response.json()) as any).metrics.map((m: any) => m.step)).toEqual([4, 5, 6, 7]);
  });

  it("samples a bulk interval over the runs' steps, adding each run's first and last step in range", async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runA = await runWithHistory(api, 100);
    const runB = await runWithHistory(api, 3);

    // Act
    const response = await api.request(
      `${API}/metrics/get-history-bulk-interval?run_ids=${runA}&run_ids=${runB}&metric_key=loss&start_step=10&end_step=60&max_results=5`,
    );
    const { metrics } = (await response.json()) as { metrics: { run_id: string; step: number }[] };

    // Assess
    // 51 steps in range, every 10.2th: 10, 20, 30, 40, 50, then the last one, 60
    expect(metrics.filter((m) => m.run_id === runA).map((m) => m.step)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(metrics.filter((m) => m.run_id === runB)).toEqual([]);
  });
});
