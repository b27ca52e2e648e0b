import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

/** 50 wildcards: the backtracking matcher this replaced needed minutes for far fewer against such values. */
const FIFTY_WILDCARDS = `${'%a'.repeat(49)}%b`;

describe.each(ENGINES)('hostile LIKE / ILIKE patterns (%s)', (engine) => {
  it('answers an experiment search with 50 wildcards against long names correctly, and /health answers alongside', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const endsInB = (await api.call('POST', `${API}/experiments/create`, { name: `${'a'.repeat(499)}b` })).body.experiment_id;
    await api.call('POST', `${API}/experiments/create`, { name: 'a'.repeat(500) });

    // Act
    const [search, health] = await Promise.all([
      api.call('POST', `${API}/experiments/search`, { max_results: 10, filter: `name ILIKE '${FIFTY_WILDCARDS}'` }),
      api.request('/health'),
    ]);

    // Assess
    expect(search.status).toBe(200);
    expect(search.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([endsInB]);
    expect(health.status).toBe(200);
  });

  it('answers a run search with "_%a…%b" on a 6,000-character parameter correctly', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = (await api.call('POST', `${API}/experiments/create`, { name: 'hostile' })).body.experiment_id;
    const runIds: string[] = [];
    for (const value of [`${'a'.repeat(5999)}b`, 'a'.repeat(6000)]) {
      const runId = (await api.call('POST', `${API}/runs/create`, { experiment_id: experimentId })).body.run.info.run_id;
      await api.call('POST', `${API}/runs/log-parameter`, { run_id: runId, key: 'p', value });
      runIds.push(runId);
    }

    // Act
    const [like, health] = await Promise.all([
      api.call('POST', `${API}/runs/search`, { experiment_ids: [experimentId], filter: `params.p LIKE '_${FIFTY_WILDCARDS}'` }),
      api.request('/health'),
    ]);

    // Assess
    expect(like.status).toBe(200);
    expect(like.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runIds[0]]);
    expect(health.status).toBe(200);
  });

  it('refuses a pattern over 1,000 characters with INVALID_PARAMETER_VALUE', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const { status, body } = await api.call('POST', `${API}/experiments/search`, {
      max_results: 10,
      filter: `name LIKE '${'%a'.repeat(501)}'`,
    });

    // Assess
    expect(status).toBe(400);
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
