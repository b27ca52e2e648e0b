import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

describe.each(ENGINES)('experiments API (%s)', (engine) => {
  it('has the Default experiment "0" on a fresh store', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const { status, body } = await api.call('GET', `${API}/experiments/get`, { experiment_id: '0' });

    // Assess
    expect(status).toBe(200);
    expect(body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' });
  });

  it('lets exactly one of several concurrent creates with the same name succeed', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => api.call('POST', `${API}/experiments/create`, { name: 'contended' })),
    );

    // Assess
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400).map((a) => a.body.error_code)).toEqual(Array(7).fill('RESOURCE_ALREADY_EXISTS'));
  });

  it('fails with RESOURCE_ALREADY_EXISTS when the name belongs to a deleted experiment', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { body } = await api.call('POST', `${API}/experiments/create`, { name: 'gone' });
    await api.call('POST', `${API}/experiments/delete`, { experiment_id: body.experiment_id });

    // Act
    const again = await api.call('POST', `${API}/experiments/create`, { name: 'gone' });

    // Assess
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('renames, frees the old name and refuses a taken one with BAD_REQUEST', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const a = (await api.call('POST', `${API}/experiments/create`, { name: 'a' })).body.experiment_id;
    await api.call('POST', `${API}/experiments/create`, { name: 'b' });

    // Act
    const renamed = await api.call('POST', `${API}/experiments/update`, { experiment_id: a, new_name: 'c' });
    const reuse = await api.call('POST', `${API}/experiments/create`, { name: 'a' });
    const taken = await api.call('POST', `${API}/experiments/update`, { experiment_id: a, new_name: 'b' });

    // Assess
    expect(renamed.status).toBe(200);
    expect(reuse.status).toBe(200);
    expect(taken.status).toBe(400);
    expect(taken.body.error_code).toBe('BAD_REQUEST');
    expect((await api.call('GET', `${API}/experiments/get-by-name`, { experiment_name: 'c' })).body.experiment.experiment_id).toBe(a);
  });

  it('deletes an experiment with its runs and restores both, including a run deleted on its own before', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await api.call('POST', `${API}/experiments/create`, { name: 'lifecycle' })).body.experiment_id;
    const runA = (await api.call('POST', `${API}/runs/create`, { experiment_id: id })).body.run.info.run_id;
    const runB = (await api.call('POST', `${API}/runs/create`, { experiment_id: id })).body.run.info.run_id;
    await api.call('POST', `${API}/runs/delete`, { run_id: runB });

    // Act
    await api.call('POST', `${API}/experiments/delete`, { experiment_id: id });
    const whileDeleted = await api.call('GET', `${API}/runs/get`, { run_id: runA });
    const createInDeleted = await api.call('POST', `${API}/runs/create`, { experiment_id: id });
    await api.call('POST', `${API}/experiments/restore`, { experiment_id: id });
    const search = await api.call('POST', `${API}/runs/search`, { experiment_ids: [id] });

    // Assess
    expect(whileDeleted.body.run.info.lifecycle_stage).toBe('deleted');
    expect(createInDeleted.status).toBe(400);
    expect(createInDeleted.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(search.body.runs.map((r: any) => r.info.run_id).sort()).toEqual([runA, runB].sort());
  });

  it('searches with filter, order and pages that cover every experiment once', async () => {
    // Prepare
    const api = await createTestApi(engine);
    for (const name of ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1', 'alpha-4']) {
      await api.call('POST', `${API}/experiments/create`, { name, tags: [{ key: 'kind', value: name.split('-')[0] }] });
    }

    // Act
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const { body } = await api.call('POST', `${API}/experiments/search`, {
        filter: "name LIKE 'alpha%' AND tags.kind = 'alpha'",
        order_by: ['name DESC'],
        max_results: 3,
        ...(token ? { page_token: token } : {}),
      });
      pages.push(body.experiments.map((e: any) => e.name));
      token = body.next_page_token;
    } while (token);

    // Assess
    expect(pages).toEqual([['alpha-4', 'alpha-3', 'alpha-2'], ['alpha-1']]);
  });

  it('sets and deletes tags, and answers RESOURCE_DOES_NOT_EXIST for a missing tag', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const id = (await api.call('POST', `${API}/experiments/create`, { name: 'tags' })).body.experiment_id;

    // Act
    await api.call('POST', `${API}/experiments/set-experiment-tag`, { experiment_id: id, key: 'k', value: 'v' });
    const tagged = await api.call('GET', `${API}/experiments/get`, { experiment_id: id });
    await api.call('POST', `${API}/experiments/delete-experiment-tag`, { experiment_id: id, key: 'k' });
    const missing = await api.call('POST', `${API}/experiments/delete-experiment-tag`, { experiment_id: id, key: 'k' });

    // Assess
    expect(tagged.body.experiment.tags).toEqual([{ key: 'k', value: 'v' }]);
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
