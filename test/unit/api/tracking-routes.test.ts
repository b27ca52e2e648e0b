/**
 * Tracking endpoints through the whole app (`createApi(...).request`) on in-memory ports: routing under both
 * prefixes, zod at the edge, the use cases and MLflow's JSON and error forms, without an engine. The same
 * flows run on the engines in test/integration/api/.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';

type ApiDeps = Parameters<typeof createApi>[0];

/** The tracking routes need nothing from the registry: any use of a registry port fails the test that made it. */
const noRegistry = new Proxy({} as ApiDeps['registry'], {
  get: (_target, method) => () => {
    throw new Error(`a tracking request used the registry port ${String(method)}`);
  },
});

const MLFLOW = '/api/2.0/mlflow';

const apiOnFakes = async () => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const app = createApi({ ...tracking.ports, registry: noRegistry, registryEvents: noRegistry as unknown as ApiDeps['registryEvents'] });
  const call = async (method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }> => {
    const query = method === 'GET' && body ? `?${new URLSearchParams(body as Record<string, string>)}` : '';
    const response = await app.request(`${path}${query}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    return { status: response.status, body: await response.json() };
  };
  return { call, tracking };
};

describe('tracking routes (createApi on in-memory ports)', () => {
  it('creates an experiment and a run in it, and reads the run back under both prefixes', async () => {
    // Prepare
    const { call } = await apiOnFakes();

    // Act
    const experiment = await call('POST', `${MLFLOW}/experiments/create`, { name: 'churn', tags: [{ key: 'team', value: 'ml' }] });
    const created = await call('POST', `${MLFLOW}/runs/create`, {
      experiment_id: experiment.body.experiment_id,
      run_name: 'baseline',
      start_time: 5,
    });
    const runId: string = created.body.run.info.run_id;
    const viaAjax = await call('GET', `/ajax-api/2.0/mlflow/runs/get`, { run_id: runId });

    // Assess
    expect(experiment).toEqual({ status: 200, body: { experiment_id: '1' } });
    expect(created.status).toBe(200);
    expect(created.body.run).toEqual({
      info: {
        run_id: runId,
        run_uuid: runId,
        experiment_id: '1',
        run_name: 'baseline',
        user_id: '',
        status: 'RUNNING',
        start_time: 5,
        artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
        lifecycle_stage: 'active',
      },
      data: { tags: [{ key: 'mlflow.runName', value: 'baseline' }] },
      inputs: {},
    });
    expect(viaAjax.body.run.info.run_name).toBe('baseline');
  });

  it('logs a batch with a run name in one write and shows it in get and search', async () => {
    // Prepare
    const { call, tracking } = await apiOnFakes();
    const runId: string = (await call('POST', `${MLFLOW}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;
    const writesBefore = tracking.runs.writes.length;

    // Act
    const logged = await call('POST', `${MLFLOW}/runs/log-batch`, {
      run_id: runId,
      metrics: [{ key: 'loss', value: 0.5, timestamp: 10, step: 1 }],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'mlflow.runName', value: 'renamed' }],
    });
    const run = await call('GET', `${MLFLOW}/runs/get`, { run_id: runId });
    const found = await call('POST', `${MLFLOW}/runs/search`, { experiment_ids: ['0'], filter: "params.lr = '0.1'" });

    // Assess
    expect(logged).toEqual({ status: 200, body: {} });
    expect(tracking.runs.writes.length - writesBefore).toBe(1);
    expect(run.body.run.info.run_name).toBe('renamed');
    expect(run.body.run.data).toEqual({
      metrics: [{ key: 'loss', value: 0.5, timestamp: 10, step: 1 }],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'mlflow.runName', value: 'renamed' }],
    });
    expect(found.body.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['renamed']);
  });

  it('answers a changed param, an unknown run and a malformed request in MLflow\'s error form', async () => {
    // Prepare
    const { call } = await apiOnFakes();
    const runId: string = (await call('POST', `${MLFLOW}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;
    await call('POST', `${MLFLOW}/runs/log-parameter`, { run_id: runId, key: 'lr', value: '0.1' });

    // Act
    const changed = await call('POST', `${MLFLOW}/runs/log-batch`, { run_id: runId, params: [{ key: 'lr', value: '0.2' }] });
    const unknown = await call('GET', `${MLFLOW}/runs/get`, { run_id: 'f'.repeat(32) });
    const malformed = await call('POST', `${MLFLOW}/experiments/create`, { name: 42 });

    // Assess
    expect(changed).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: `Changing param values is not allowed. Params were already logged='[{'key': 'lr', 'old_value': '0.1', 'new_value': '0.2'}]' for run ID='${runId}'.`,
      },
    });
    expect(unknown).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
