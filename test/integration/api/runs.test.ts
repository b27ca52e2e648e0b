import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

const newRun = async (api: TestApi, body: Record<string, unknown> = {}) =>
  (await api.call('POST', `${API}/runs/create`, { experiment_id: '0', start_time: 1000, ...body })).body.run;

describe.each(ENGINES)('runs API (%s)', (engine) => {
  it('creates a run in "0" with a random name kept equal to its mlflow.runName tag', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const run = (await api.call('POST', `${API}/runs/create`, {})).body.run;

    // Assess
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toMatchObject({ run_uuid: run.info.run_id, experiment_id: '0', status: 'RUNNING', lifecycle_stage: 'active' });
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/0/${run.info.run_id}/artifacts`);
    expect(run.data.tags).toEqual([{ key: 'mlflow.runName', value: run.info.run_name }]);
    expect(run.info.end_time).toBeUndefined();
  });

  it('fails with INVALID_PARAMETER_VALUE when run_name and the mlflow.runName tag differ', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const { status, body } = await api.call('POST', `${API}/runs/create`, {
      run_name: 'a',
      tags: [{ key: 'mlflow.runName', value: 'b' }],
    });

    // Assess
    expect(status).toBe(400);
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('renames through update and through the mlflow.runName tag', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const run = await newRun(api);

    // Act
    await api.call('POST', `${API}/runs/update`, { run_id: run.info.run_id, run_name: 'first' });
    const afterUpdate = (await api.call('GET', `${API}/runs/get`, { run_id: run.info.run_id })).body.run;
    await api.call('POST', `${API}/runs/set-tag`, { run_id: run.info.run_id, key: 'mlflow.runName', value: 'second' });
    const afterTag = (await api.call('GET', `${API}/runs/get`, { run_uuid: run.info.run_id })).body.run;

    // Assess
    expect(afterUpdate.info.run_name).toBe('first');
    expect(afterUpdate.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'first' });
    expect(afterTag.info.run_name).toBe('second');
    expect(afterTag.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'second' });
  });

  it('accepts any status transition and sets end_time only when given', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const run = await newRun(api);

    // Act
    const finished = await api.call('POST', `${API}/runs/update`, { run_id: run.info.run_id, status: 'FINISHED', end_time: 5000 });
    const running = await api.call('POST', `${API}/runs/update`, { run_id: run.info.run_id, status: 'RUNNING' });

    // Assess
    expect(finished.body.run_info).toMatchObject({ status: 'FINISHED', end_time: 5000 });
    expect(running.body.run_info).toMatchObject({ status: 'RUNNING', end_time: 5000 });
  });

  it('accepts the same param twice and refuses a changed value without storing it', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;
    await api.call('POST', `${API}/runs/log-parameter`, { run_id, key: 'lr', value: '0.1' });

    // Act
    const same = await api.call('POST', `${API}/runs/log-parameter`, { run_id, key: 'lr', value: '0.1' });
    const changed = await api.call('POST', `${API}/runs/log-batch`, {
      run_id,
      params: [{ key: 'lr', value: '0.2' }, { key: 'depth', value: '3' }],
      metrics: [{ key: 'm', value: 1, timestamp: 1 }],
    });
    const run = (await api.call('GET', `${API}/runs/get`, { run_id })).body.run;

    // Assess
    expect(same.status).toBe(200);
    expect(changed.status).toBe(400);
    expect(changed.body.message).toContain("'key': 'lr', 'old_value': '0.1', 'new_value': '0.2'");
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data.metrics).toBeUndefined();
  });

  it('fails with INVALID_PARAMETER_VALUE for a duplicate param key in one batch', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;

    // Act
    const { status, body } = await api.call('POST', `${API}/runs/log-batch`, {
      run_id,
      params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }],
    });

    // Assess
    expect(status).toBe(400);
    expect(body.message).toContain("Duplicate parameter keys have been submitted: ['a']");
  });

  it.each([
    ['101 params', { params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) }, 'at most 100 params'],
    ['1001 metrics', { metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: i })) }, 'at most 1000 metrics'],
    ['a key with "!"', { tags: [{ key: 'bad!', value: 'x' }] }, 'Invalid tag name'],
    ['a key that is not a normalized path', { params: [{ key: 'a//b', value: 'x' }] }, 'would resolve to'],
    ['a negative timestamp', { metrics: [{ key: 'm', value: 1, timestamp: -1 }] }, 'Timestamp must be a nonnegative'],
  ])('refuses a log-batch with %s', async (_, batch, message) => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;

    // Act
    const { status, body } = await api.call('POST', `${API}/runs/log-batch`, { run_id, ...batch });

    // Assess
    expect(status).toBe(400);
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(body.message).toContain(message);
  });

  it('truncates a 6001-character param value to 6000 characters', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;

    // Act
    await api.call('POST', `${API}/runs/log-parameter`, { run_id, key: 'long', value: 'x'.repeat(6001) });

    // Assess
    const run = (await api.call('GET', `${API}/runs/get`, { run_id })).body.run;
    expect(run.data.params[0].value).toHaveLength(6000);
  });

  it('refuses every write to a deleted run and still returns it from runs/get', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;
    await api.call('POST', `${API}/runs/delete`, { run_id });

    // Act
    const writes = await Promise.all([
      api.call('POST', `${API}/runs/log-metric`, { run_id, key: 'm', value: 1, timestamp: 1 }),
      api.call('POST', `${API}/runs/log-parameter`, { run_id, key: 'p', value: '1' }),
      api.call('POST', `${API}/runs/set-tag`, { run_id, key: 't', value: '1' }),
      api.call('POST', `${API}/runs/update`, { run_id, status: 'FINISHED' }),
    ]);
    const run = await api.call('GET', `${API}/runs/get`, { run_id });

    // Assess
    expect(writes.map((w) => [w.status, w.body.error_code])).toEqual(Array(4).fill([400, 'INVALID_PARAMETER_VALUE']));
    expect(run.body.run.info.lifecycle_stage).toBe('deleted');
    expect(run.body.run.data).toEqual({ tags: [{ key: 'mlflow.runName', value: run.body.run.info.run_name }] });
  });

  it('deletes a tag, and answers RESOURCE_DOES_NOT_EXIST for a tag the run does not have', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;
    await api.call('POST', `${API}/runs/set-tag`, { run_id, key: 'team', value: 'ml' });

    // Act
    const deleted = await api.call('POST', `${API}/runs/delete-tag`, { run_id, key: 'team' });
    const again = await api.call('POST', `${API}/runs/delete-tag`, { run_id, key: 'team' });
    const found = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], filter: "tags.team = 'ml'" });

    // Assess
    expect(deleted.status).toBe(200);
    expect(again.status).toBe(404);
    expect(found.body).toEqual({});
  });

  it('round-trips NaN and ±Infinity as strings, in runs/get and in the history', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;

    // Act
    await api.call('POST', `${API}/runs/log-batch`, {
      run_id,
      metrics: [
        { key: 'nan', value: 'NaN', timestamp: 1 },
        { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'inf', value: '-Infinity', timestamp: 2, step: 1 },
      ],
    });
    const run = (await api.call('GET', `${API}/runs/get`, { run_id })).body.run;
    const history = await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'inf' });

    // Assess
    expect(run.data.metrics).toEqual(
      expect.arrayContaining([
        { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'inf', value: '-Infinity', timestamp: 2, step: 1 },
      ]),
    );
    expect(history.body.metrics.map((m: any) => m.value)).toEqual(['Infinity', '-Infinity']);
  });

  it('does not duplicate a point logged twice and pages the history with opaque tokens', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { run_id } = (await newRun(api)).info;
    for (let step = 0; step < 5; step++) {
      await api.call('POST', `${API}/runs/log-metric`, { run_id, key: 'loss', value: step, timestamp: 100 + step, step });
    }
    await api.call('POST', `${API}/runs/log-metric`, { run_id, key: 'loss', value: 2, timestamp: 102, step: 2 });

    // Act
    const first = await api.call('GET', `${API}/metrics/get-history`, { run_id, metric_key: 'loss', max_results: 3 });
    const second = await api.call('GET', `${API}/metrics/get-history`, {
      run_id,
      metric_key: 'loss',
      max_results: 3,
      page_token: first.body.next_page_token,
    });

    // Assess
    expect(first.body.metrics.map((m: any) => m.step)).toEqual([0, 1, 2]);
    expect(second.body.metrics.map((m: any) => m.step)).toEqual([3, 4]);
    expect(second.body.next_page_token).toBeUndefined();
  });

  it('searches by metric, param, tag and attribute, ordering missing values last', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const ids: string[] = [];
    for (const [i, acc] of [0.9, 0.3, 0.7].entries()) {
      const { run_id } = (await newRun(api, { start_time: 1000 + i })).info;
      ids.push(run_id);
      await api.call('POST', `${API}/runs/log-batch`, {
        run_id,
        metrics: [{ key: 'acc', value: acc, timestamp: 1 }],
        params: [{ key: 'lr', value: i === 1 ? '0.2' : '0.1' }],
        tags: [{ key: 'team name', value: `team-${i}` }],
      });
    }
    const noMetric = (await newRun(api, { start_time: 2000 })).info.run_id;

    // Act
    const filtered = await api.call('POST', `${API}/runs/search`, {
      experiment_ids: ['0'],
      filter: "metrics.acc > 0.5 AND params.lr = '0.1' AND tags.`team name` LIKE 'team-%' AND attributes.status = 'RUNNING'",
    });
    const ordered = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], order_by: ['metrics.acc ASC'] });
    const byId = await api.call('POST', `${API}/runs/search`, {
      experiment_ids: ['0'],
      filter: `attributes.run_id IN ('${ids[1]}', '${noMetric}')`,
    });

    // Assess
    expect(filtered.body.runs.map((r: any) => r.info.run_id)).toEqual([ids[2], ids[0]]);
    expect(ordered.body.runs.map((r: any) => r.info.run_id)).toEqual([ids[1], ids[2], ids[0], noMetric]);
    expect(byId.body.runs.map((r: any) => r.info.run_id)).toEqual([noMetric, ids[1]]);
    expect(filtered.body.runs[0]).toHaveProperty('inputs', {});
    expect(filtered.body.runs[0]).toHaveProperty('outputs', {});
  });
});
