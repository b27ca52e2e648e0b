import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';
import { endpointOf } from '../support/test-api.js';

// The npm package `mlflow` is a third-party MLflow REST client; it speaks to Cairn over real HTTP here.
const MLflow = createRequire(import.meta.url)('mlflow') as new (options: { endpoint: string }) => any;

describe('the npm `mlflow` client against `npm start`', () => {
  let server: LocalServer;
  let client: any;

  beforeAll(async () => {
    // The package prints every POST body; keep the test output readable.
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    server = await startLocalServer({ port: 0, dynamoEndpoint: endpointOf('dynoxide'), tableName: `cairn-npm-${randomUUID()}` });
    client = new MLflow({ endpoint: server.url });
  });
  afterAll(async () => {
    await server?.stop();
    vi.restoreAllMocks();
  });

  // The package's setExperimentTag posts to `experimentsset-experiment-tag` (a missing slash), which any
  // MLflow server answers 404, so experiment tags are not exercised through it.
  it('creates, renames, deletes, restores and reads back an experiment', async () => {
    // Act
    const { experiment_id } = await client.Experiments.create({ name: 'npm-client' });
    await client.Experiments.update({ experiment_id, new_name: 'npm-client-renamed' });
    await client.Experiments.delete({ experiment_id });
    const deleted = await client.Experiments.get({ experiment_id });
    await client.Experiments.restore({ experiment_id });
    const { experiment } = await client.Experiments.get({ experiment_id });

    // Assess
    expect(experiment).toMatchObject({
      experiment_id,
      name: 'npm-client-renamed',
      lifecycle_stage: 'active',
      artifact_location: `mlflow-artifacts:/${experiment_id}`,
    });
    expect(deleted.experiment.lifecycle_stage).toBe('deleted');
  });

  it('logs params, metrics and tags to a run and finds it by search and metric history', async () => {
    // Prepare
    const { experiment_id } = await client.Experiments.create({ name: 'npm-client-runs' });
    const { run } = await client.Runs.create({ experiment_id, user_id: 'npm', start_time: 1000 });
    const run_id: string = run.info.run_id;

    // Act
    await client.Runs.logParameter({ run_id, key: 'lr', value: '0.1' });
    for (let step = 0; step < 5; step++) {
      await client.Runs.logMetric({ run_id, key: 'loss', value: 1 / (step + 1), timestamp: 2000 + step, step });
    }
    await client.Runs.setTag({ run_id, key: 'team', value: 'ml' });
    await client.Runs.update({ run_id, status: 'FINISHED', end_time: 3000 });
    const found = await client.Runs.search({
      experiment_ids: [experiment_id],
      filter: "metrics.loss < 0.5 and params.lr = '0.1'",
      order_by: ['metrics.loss DESC'],
    });
    const history = await client.Metrics.getHistory({ run_id, metric_key: 'loss' });

    // Assess
    expect(found.runs).toHaveLength(1);
    expect(found.runs[0].info).toMatchObject({ run_id, status: 'FINISHED', end_time: 3000, start_time: 1000 });
    expect(found.runs[0].data.metrics).toEqual([{ key: 'loss', value: 0.2, timestamp: 2004, step: 4 }]);
    expect(found.runs[0].data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(history.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2, 3, 4]);
  });

  it('surfaces MLflow error codes for a changed param and an unknown run', async () => {
    // Prepare
    const { run } = await client.Runs.create({ experiment_id: '0', user_id: 'npm', start_time: 1 });
    await client.Runs.logParameter({ run_id: run.info.run_id, key: 'depth', value: '3' });

    // Act & Assess
    await expect(client.Runs.logParameter({ run_id: run.info.run_id, key: 'depth', value: '5' })).rejects.toThrow(
      /"status":400.*INVALID_PARAMETER_VALUE/,
    );
    await expect(client.Runs.get({ run_id: '0'.repeat(32) })).rejects.toThrow(/"status":404.*RESOURCE_DOES_NOT_EXIST/);
  });
});
