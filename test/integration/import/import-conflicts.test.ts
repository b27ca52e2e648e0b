import { describe, expect, it } from 'vitest';
import { createMemoryCheckpoint, importHistory } from '../../../shared/domain/import/index.js';
import type { MemorySourceData } from '../../support/import-source.js';
import { createImportTarget, createMemorySource, history } from '../../support/import-source.js';
import { ENGINES } from '../../support/test-api.js';
import { readHistory } from './read-back.js';
import { CHILD, DELETED_RUN, EXPERIMENT_NAME, OLD_RUN, PARENT, REGISTERED, ROOT, T0, world } from './world.js';

const API = '/api/2.0/mlflow';
const FREE_RUN = '7a'.repeat(16);

/** A source whose experiments and registered model meet what Cairn already holds. */
const clashing = (takenRunId: string): MemorySourceData => ({
  experiments: [
    { experimentId: '5', name: 'taken-name', artifactLocation: `${ROOT}/5`, lifecycleStage: 'active', tags: [], runs: [] },
    { experimentId: '1', name: 'another-name', artifactLocation: `${ROOT}/1`, lifecycleStage: 'active', tags: [], runs: [] },
    {
      experimentId: '6',
      name: 'fine',
      artifactLocation: `${ROOT}/6`,
      lifecycleStage: 'active',
      tags: [],
      runs: [takenRunId, FREE_RUN].map((runId) => ({
        runId,
        status: 'FINISHED' as const,
        startTime: T0,
        artifactUri: `${ROOT}/6/${runId}/artifacts`,
        lifecycleStage: 'active' as const,
        params: [{ key: 'lr', value: '0.1' }],
        tags: [],
        metrics: { loss: history('loss', 4) },
        datasets: [],
        modelInputs: [],
        modelOutputs: [],
      })),
    },
  ],
  registeredModels: [
    {
      name: 'shared-model',
      creationTimestamp: T0,
      lastUpdatedTimestamp: T0,
      tags: [{ key: 'from', value: 'source' }],
      aliases: [],
      versions: [{ version: 1, creationTimestamp: T0, lastUpdatedTimestamp: T0, currentStage: 'None', source: 's3://x/y', tags: [], deleted: false }],
    },
  ],
});

describe.each(ENGINES)('import conflicts and selections (%s)', (engine) => {
  it('reports and skips what Cairn holds differently, changing none of it, and imports the rest', async () => {
    // Prepare: Cairn already has experiment 1 'taken-name', a run in experiment 0, and a model 'shared-model'
    const { api, target } = await createImportTarget(engine);
    expect((await api.call('POST', `${API}/experiments/create`, { name: 'taken-name' })).body.experiment_id).toBe('1');
    const taken = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;
    await api.call('POST', `${API}/registered-models/create`, { name: 'shared-model' });
    await api.call('POST', `${API}/model-versions/create`, { name: 'shared-model', source: 'mlflow-artifacts:/0/mine' });
    const checkpoint = createMemoryCheckpoint();

    // Act
    const summary = await importHistory(createMemorySource(clashing(taken)), target, { checkpoint });

    // Assess: four conflicts, each said
    expect(summary.counts.conflicts).toBe(4);
    const reasons = new Map(summary.conflicts.map((c) => [`${c.kind} ${c.id}`, c.reason]));
    expect([...reasons.keys()].sort()).toEqual(['experiment 1', 'experiment 5', `run ${taken}`, 'registered-model shared-model'].sort());
    expect(reasons.get('experiment 5')).toContain('held by experiment 1');
    expect(reasons.get('experiment 1')).toContain("is 'taken-name' in Cairn");
    expect(reasons.get(`run ${taken}`)).toContain('is in experiment 0 in Cairn');
    expect(reasons.get('registered-model shared-model')).toContain('created at');
    // Assess: Cairn's items unchanged
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '1' })).body.experiment.name).toBe('taken-name');
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '5' })).status).toBe(404);
    const run = (await api.call('GET', `${API}/runs/get`, { run_id: taken })).body.run;
    expect(run.info.experiment_id).toBe('0');
    expect(run.data.params ?? []).toEqual([]);
    const model = (await api.call('GET', `${API}/registered-models/get`, { name: 'shared-model' })).body.registered_model;
    expect(model.tags ?? []).toEqual([]);
    const version = (await api.call('GET', `${API}/model-versions/get`, { name: 'shared-model', version: '1' })).body.model_version;
    expect(version.source).toBe('mlflow-artifacts:/0/mine');
    // Assess: the rest came over; the experiment with a conflict is not finished, so a later import retries it
    expect(await readHistory(api, FREE_RUN, 'loss')).toHaveLength(4);
    expect(await checkpoint.isDone('run', FREE_RUN)).toBe(true);
    expect(await checkpoint.isDone('experiment', '6')).toBe(false);
  });

  it('refuses to change a param a run already holds with another value', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    await importHistory(createMemorySource(world()), target);
    const changed = world();
    const source: MemorySourceData = {
      ...changed,
      experiments: changed.experiments.map((e) => ({
        ...e,
        runs: e.runs.map((r) => (r.runId === PARENT ? { ...r, params: [{ key: 'lr', value: '0.5' }] } : r)),
      })),
    };

    // Act
    const summary = await importHistory(createMemorySource(source), target);

    // Assess
    expect(summary.conflicts).toEqual([
      { kind: 'run', id: PARENT, reason: `run ${PARENT} has other values of params in Cairn: lr ('0.01' in Cairn, '0.5' in the source)` },
    ]);
    const run = (await api.call('GET', `${API}/runs/get`, { run_id: PARENT })).body.run;
    expect(run.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }]));
  });

  it('imports only the selected experiments, without the registry', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);

    // Act
    const summary = await importHistory(createMemorySource(world()), target, { experimentIds: ['12', '99'] });

    // Assess
    expect(summary.counts).toMatchObject({ experimentsTotal: 1, experiments: 1, runs: 3, registeredModels: 0 });
    expect(summary.warnings).toEqual([{ item: 'experiment 99', message: 'the source has no such experiment' }]);
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '12' })).body.experiment.name).toBe(EXPERIMENT_NAME);
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '13' })).status).toBe(404);
    expect((await api.call('GET', `${API}/runs/get`, { run_id: OLD_RUN })).status).toBe(404);
    expect((await api.call('GET', `${API}/registered-models/get`, { name: REGISTERED })).status).toBe(404);
  });

  it('imports only the selected registered models, rewriting sources into experiments imported before', async () => {
    // Prepare: experiment 12 came over in an earlier import
    const { api, target } = await createImportTarget(engine);
    await importHistory(createMemorySource(world()), target, { experimentIds: ['12'] });

    // Act
    const summary = await importHistory(createMemorySource(world()), target, { modelNames: [REGISTERED] });

    // Assess
    expect(summary.counts).toMatchObject({ experiments: 0, runs: 0, registeredModels: 1, modelVersions: 5 });
    expect((await api.call('GET', `${API}/registered-models/get`, { name: 'empty-model' })).status).toBe(404);
    const version = (await api.call('GET', `${API}/model-versions/get`, { name: REGISTERED, version: '1' })).body.model_version;
    expect(version.source).toBe(`mlflow-artifacts:/12/${PARENT}/artifacts/model`);
  });

  it('imports only what changed since a time, and an experiment only when it or something of it did', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    const source = world();
    const late = {
      ...source,
      experiments: source.experiments.map((e) =>
        e.experimentId === '12'
          ? { ...e, lastUpdateTime: T0 - 1, runs: e.runs.map((r) => (r.runId === CHILD ? { ...r, startTime: T0 + 10, endTime: T0 + 20 } : r)) }
          : e,
      ),
    };

    // Act
    const summary = await importHistory(createMemorySource(late), target, { since: T0 + 10 });

    // Assess: runs started or ended since (the parent ended at T0 + 60 s, the deleted one at T0 + 9 s), not the old
    // one; both logged models changed since
    expect(summary.counts).toMatchObject({ runs: 3, loggedModels: 2, registeredModels: 1 });
    expect((await api.call('GET', `${API}/runs/get`, { run_id: PARENT })).status).toBe(200);
    expect((await api.call('GET', `${API}/runs/get`, { run_id: CHILD })).status).toBe(200);
    expect((await api.call('GET', `${API}/runs/get`, { run_id: OLD_RUN })).status).toBe(404);
    expect((await api.call('GET', `${API}/runs/get`, { run_id: DELETED_RUN })).body.run.info.lifecycle_stage).toBe('deleted');
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '12' })).status).toBe(200);
    expect((await api.call('GET', `${API}/experiments/get`, { experiment_id: '13' })).body.experiment.lifecycle_stage).toBe('deleted');
    expect((await api.call('GET', `${API}/registered-models/get`, { name: 'empty-model' })).status).toBe(404);
  });
});
