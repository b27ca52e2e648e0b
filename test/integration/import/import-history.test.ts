import { describe, expect, it } from 'vitest';
import { importHistory } from '../../../shared/domain/import/index.js';
import type { ImportProgress } from '../../../shared/domain/import/ports.js';
import { createImportTarget, createMemorySource } from '../../support/import-source.js';
import { ENGINES } from '../../support/test-api.js';
import { download, readHistory } from './read-back.js';
import {
  CHILD,
  DELETED_MODEL,
  DELETED_RUN,
  EXPERIMENT_NAME,
  METRIC_UTF8,
  MODEL,
  PARENT,
  REGISTERED,
  T0,
  world,
} from './world.js';

const API = '/api/2.0/mlflow';

describe.each(ENGINES)('importing history (%s)', (engine) => {
  it('brings experiments, runs, histories, logged models, registered models and files over with their ids', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    const progress: ImportProgress[] = [];

    // Act
    const summary = await importHistory(createMemorySource(world()), target, { onProgress: (event) => progress.push(event) });

    // Assess: the summary
    expect(summary.conflicts).toEqual([]);
    expect(summary.warnings).toEqual([]);
    expect(summary.counts).toMatchObject({
      experimentsTotal: 3,
      experiments: 3,
      runs: 4,
      loggedModels: 2,
      registeredModels: 2,
      modelVersions: 5,
      metricPoints: 10 + 300 + 4 + 5 + 20 + 3,
      artifactFiles: 5,
    });
    expect(progress.at(-1)?.phase).toBe('done');
    expect(new Set(progress.map((event) => event.phase))).toEqual(
      new Set(['experiments', 'runs', 'metrics', 'artifacts', 'logged-models', 'registered-models', 'done']),
    );

    // Assess: the experiment, by its old id
    const experiment = (await api.call('GET', `${API}/experiments/get`, { experiment_id: '12' })).body.experiment;
    expect(experiment).toMatchObject({
      experiment_id: '12',
      name: EXPERIMENT_NAME,
      artifact_location: 'mlflow-artifacts:/12',
      lifecycle_stage: 'active',
      creation_time: T0 - 1000,
      last_update_time: T0 + 5000,
      tags: [{ key: 'mlflow.note.content', value: 'Notizen über Läufe' }],
    });

    // Assess: runs with their info, params, tags, links, inputs and outputs
    const parent = (await api.call('GET', `${API}/runs/get`, { run_id: PARENT })).body.run;
    expect(parent.info).toMatchObject({
      run_id: PARENT,
      experiment_id: '12',
      run_name: 'parent-ü',
      user_id: 'ana',
      status: 'FINISHED',
      start_time: T0,
      end_time: T0 + 60_000,
      artifact_uri: `mlflow-artifacts:/12/${PARENT}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(parent.data.params).toEqual(
      expect.arrayContaining([
        { key: 'lr', value: '0.01' },
        { key: 'größe', value: 'groß' },
      ]),
    );
    expect(parent.data.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'vision' }, { key: 'mlflow.runName', value: 'parent-ü' }]));
    expect(parent.inputs.dataset_inputs).toEqual([
      {
        dataset: { name: 'train', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/train"}', schema: '{}', profile: '{"rows": 10}' },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);
    expect(parent.outputs.model_outputs).toEqual([{ model_id: MODEL, step: 3 }]);
    const child = (await api.call('GET', `${API}/runs/get`, { run_id: CHILD })).body.run;
    expect(child.info).toMatchObject({ status: 'KILLED', experiment_id: '12' });
    expect(child.data.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.parentRunId', value: PARENT }]));
    expect(child.inputs.model_inputs).toEqual([{ model_id: MODEL }]);

    // Assess: every point, NaN and infinities included, and non-ASCII keys
    const loss = await readHistory(api, PARENT, 'loss');
    expect(loss).toHaveLength(300);
    expect(loss[299]).toEqual({ key: 'loss', value: 1 / 300, timestamp: T0 + 299, step: 299 });
    expect((await readHistory(api, PARENT, 'acc')).map((point) => point.value)).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
    expect(await readHistory(api, PARENT, METRIC_UTF8)).toHaveLength(5);
    expect(parent.data.metrics).toEqual(expect.arrayContaining([{ key: 'acc', value: 0.5, timestamp: T0 + 3, step: 3 }]));

    // Assess: files
    expect((await download(api, `12/${PARENT}/artifacts/plots/ünïcode.txt`)).bytes.toString('utf8')).toBe('grüße');
    const runFile = await api.request(`/get-artifact?${new URLSearchParams({ run_id: PARENT, path: 'model/MLmodel' })}`);
    expect(await runFile.text()).toBe('artifact_path: model\nflavors: {}\n');
    expect((await download(api, `12/models/${MODEL}/artifacts/data/model.bin`)).bytes).toEqual(Buffer.from([0, 1, 2, 255]));

    // Assess: the logged model
    const model = (await api.call('GET', `${API}/logged-models/${MODEL}`)).body.model;
    expect(model.info).toMatchObject({
      model_id: MODEL,
      experiment_id: '12',
      name: 'clf',
      status: 'LOGGED_MODEL_READY',
      source_run_id: PARENT,
      creation_timestamp_ms: T0 + 100,
      artifact_uri: `mlflow-artifacts:/12/models/${MODEL}/artifacts`,
      tags: [{ key: 'stage', value: 'ready' }],
    });
    expect(model.data.params).toEqual([{ key: 'depth', value: '4' }]);
    expect(model.data.metrics).toEqual([expect.objectContaining({ key: 'f1', value: 0.9, run_id: PARENT })]);

    // Assess: the registry, version numbers kept, sources rewritten only into moved roots
    const registered = (await api.call('GET', `${API}/registered-models/get`, { name: REGISTERED })).body.registered_model;
    expect(registered).toMatchObject({
      name: REGISTERED,
      creation_timestamp: T0 + 1000,
      description: 'Beschreibung',
      tags: [{ key: 'owner', value: 'ünal' }],
      aliases: [{ alias: 'champion', version: '1' }],
    });
    const version = async (number: number) => api.call('GET', `${API}/model-versions/get`, { name: REGISTERED, version: String(number) });
    expect((await version(1)).body.model_version).toMatchObject({
      version: '1',
      current_stage: 'Production',
      source: `mlflow-artifacts:/12/${PARENT}/artifacts/model`,
      run_id: PARENT,
      creation_timestamp: T0 + 1000,
      user_id: 'ana',
      description: 'first',
      tags: [{ key: 'validated', value: 'yes' }],
    });
    expect((await version(3)).body.model_version).toMatchObject({ current_stage: 'Staging', source: `models:/${MODEL}`, run_id: PARENT });
    expect((await version(4)).body.model_version.source).toBe(`runs:/${CHILD}/model`);
    expect((await version(5)).body.model_version.source).toBe('s3://team-bucket/models/elsewhere');
    const downloadUri = await api.call('GET', `${API}/model-versions/get-download-uri`, { name: REGISTERED, version: '3' });
    expect(downloadUri.body.artifact_uri).toBe(`mlflow-artifacts:/12/models/${MODEL}/artifacts`);
    const created = await api.call('POST', `${API}/model-versions/create`, { name: REGISTERED, source: `runs:/${PARENT}/model` });
    expect(created.body.model_version.version).toBe('6');
  });

  it('brings deleted items over deleted: experiment, run (with its status and end time), logged model, model version', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);

    // Act
    await importHistory(createMemorySource(world()), target);

    // Assess
    const retired = (await api.call('GET', `${API}/experiments/get`, { experiment_id: '13' })).body.experiment;
    expect(retired).toMatchObject({ name: 'retired', lifecycle_stage: 'deleted' });
    const run = (await api.call('GET', `${API}/runs/get`, { run_id: DELETED_RUN })).body.run;
    expect(run.info).toMatchObject({ lifecycle_stage: 'deleted', status: 'FAILED', end_time: T0 + 9000 });
    expect(run.data.params).toEqual([{ key: 'seed', value: '7' }]);
    expect(await readHistory(api, DELETED_RUN, 'loss')).toHaveLength(3);
    expect((await download(api, `12/${DELETED_RUN}/artifacts/log.txt`)).bytes.toString()).toBe('failed here');
    expect((await api.call('GET', `${API}/logged-models/${DELETED_MODEL}`)).status).toBe(404);
    expect((await api.call('GET', `${API}/model-versions/get`, { name: REGISTERED, version: '2' })).status).toBe(404);
    const active = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['12'], run_view_type: 'ACTIVE_ONLY' });
    expect(active.body.runs.map((r: any) => r.info.run_id).sort()).toEqual([PARENT, CHILD].sort());
  });

  it('numbers experiments created afterwards past the imported ids', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    await importHistory(createMemorySource(world()), target);

    // Act
    const created = await api.call('POST', `${API}/experiments/create`, { name: 'after the import' });

    // Assess
    expect(created.status).toBe(200);
    expect(Number(created.body.experiment_id)).toBe(14);
  });

  it('imported twice (no checkpoint) changes nothing and stores no point twice', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    await importHistory(createMemorySource(world()), target);

    // Act
    const again = await importHistory(createMemorySource(world()), target);

    // Assess
    expect(again.conflicts).toEqual([]);
    expect(again.counts.modelVersions).toBe(0);
    expect(await readHistory(api, PARENT, 'loss')).toHaveLength(300);
    const chunks = await api.deps.metrics.packedHistory(PARENT, 'loss');
    expect(chunks.reduce((sum, chunk) => sum + chunk.count, 0)).toBe(300);
    const versions = await api.call('GET', `${API}/model-versions/search`, { filter: `name = '${REGISTERED}'` });
    expect(versions.body.model_versions.map((v: any) => v.version).sort()).toEqual(['1', '3', '4', '5']);
    const runs = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['12'], run_view_type: 'ALL' });
    expect(runs.body.runs).toHaveLength(3);
    expect(runs.body.runs.find((r: any) => r.info.run_id === DELETED_RUN).info.lifecycle_stage).toBe('deleted');
  });
});
