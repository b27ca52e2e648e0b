import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlrunsSource } from '../../../functions/import/mlruns-source.js';
import type { ImportSource } from '../../../functions/import/source.js';
import {
  byText,
  experimentOf,
  loggedModelOf,
  pointsOf,
  registeredModelOf,
  runOf,
} from '../../support/mlruns-fixture/expected.js';
import { collect, writeTemporaryMlruns, type WrittenMlruns } from '../../support/mlruns-fixture/harness.js';
import { LONG_HISTORY_POINTS, RICH_IDS } from '../../support/mlruns-fixture/rich.js';

describe('mlruns folder source: tracking and registry', () => {
  let mlruns: WrittenMlruns;
  let warnings: string[];
  let source: ImportSource;

  const fresh = () => createMlrunsSource(mlruns.folder, { onWarning: (message) => warnings.push(message), pageSize: 4096 });

  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    warnings = [];
    source = fresh();
  });

  afterAll(async () => {
    await mlruns.remove();
  });

  it('gives every experiment, the one in .trash as deleted, with its folder tags (nested keys, newlines)', async () => {
    // Act
    const experiments = await collect(source.experiments());

    // Assess
    const expected = mlruns.fixture.experiments.map((experiment) => experimentOf(mlruns.rootUri, experiment));
    expect(experiments.sort(byText((e) => e.experimentId))).toEqual(expected.sort(byText((e) => e.experimentId)));
    expect(experiments.find((experiment) => experiment.experimentId === '2')?.lifecycleStage).toBe('deleted');
    expect(warnings).toEqual([]);
  });

  it('gives every run of every experiment with its info, params, tags, metric keys, datasets and model links', async () => {
    for (const experiment of mlruns.fixture.experiments) {
      // Act
      const runs = await collect(source.runs(experiment.id));

      // Assess
      const expected = (experiment.runs ?? []).map((run) => runOf(mlruns.rootUri, experiment, run));
      expect(runs.sort(byText((run) => run.runId))).toEqual(expected.sort(byText((run) => run.runId)));
    }
    expect(warnings).toEqual([]);
  });

  it('reads MLflow 1.x run metadata: name from the mlflow.runName tag, int experiment id, active by default', async () => {
    // Act
    const runs = await collect(source.runs('0'));

    // Assess
    const legacy = runs.find((run) => run.runId === RICH_IDS.legacyRun);
    expect(legacy).toMatchObject({ runName: 'from-mlflow-1', experimentId: '0', status: 'KILLED', lifecycleStage: 'active' });
  });

  it('marks deleted runs and the runs of a deleted experiment as deleted', async () => {
    // Act
    const live = await collect(source.runs('418327502894961023'));
    const trashed = await collect(source.runs('2'));

    // Assess
    expect(live.find((run) => run.runId === RICH_IDS.deletedRun)?.lifecycleStage).toBe('deleted');
    expect(trashed.map((run) => [run.runId, run.lifecycleStage])).toEqual([[RICH_IDS.trashedRun, 'deleted']]);
  });

  it('streams a 100,000-point history in pages, every point as written', async () => {
    // Arrange
    const { run } = mlruns.run(RICH_IDS.trainingRun);

    // Act
    const pages = await collect(fresh().metricHistory(RICH_IDS.trainingRun, 'loss'));

    // Assess
    expect(pages.every((page) => page.length > 0 && page.length <= 4096)).toBe(true);
    const points = pages.flat();
    expect(points).toHaveLength(LONG_HISTORY_POINTS);
    expect(points).toEqual(pointsOf('loss', run.metrics!['loss']!));
  });

  it('reads NaN, ±Infinity, exponents and int-written values as Python wrote them', async () => {
    // Arrange
    const { run } = mlruns.run(RICH_IDS.trainingRun);

    // Act
    const points = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'special'))).flat();

    // Assess
    expect(points).toEqual(pointsOf('special', run.metrics!['special']!));
    expect(points.map((point) => point.value).slice(0, 3)).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it('reads nested metric keys, dataset-tagged points, and MLflow 1.x runs; an unknown key yields nothing', async () => {
    // Arrange
    const { run } = mlruns.run(RICH_IDS.trainingRun);
    const { run: legacy } = mlruns.run(RICH_IDS.legacyRun);

    // Act
    const nested = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'train/accuracy'))).flat();
    const evaluation = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'eval_loss'))).flat();
    const old = (await collect(source.metricHistory(RICH_IDS.legacyRun, 'legacy'))).flat();
    const unknown = await collect(source.metricHistory(RICH_IDS.trainingRun, 'nope'));

    // Assess
    expect(nested).toEqual(pointsOf('train/accuracy', run.metrics!['train/accuracy']!));
    expect(evaluation).toEqual(pointsOf('eval_loss', run.metrics!['eval_loss']!));
    expect(evaluation[0]).toMatchObject({ datasetName: 'iris', datasetDigest: 'a1b2c3', step: 10 });
    expect(old).toEqual(pointsOf('legacy', legacy.metrics!['legacy']!));
    expect(unknown).toEqual([]);
  });

  it('finds a run of a deleted experiment by id without listing runs first', async () => {
    // Act
    const pages = await collect(fresh().metricHistory(RICH_IDS.trashedRun, 'none'));

    // Assess
    expect(pages).toEqual([]);
    await expect(collect(fresh().metricHistory('0123456789abcdef0123456789abcdef', 'x'))).rejects.toThrow(/not in/);
  });

  it('gives logged models, deleted ones included, with params, tags and every metric point with its run', async () => {
    // Arrange
    const experiment = mlruns.experiment('418327502894961023');

    // Act
    const models = await collect(source.loggedModels(experiment.id));

    // Assess
    expect(models).toEqual(experiment.loggedModels!.map((model) => loggedModelOf(mlruns.rootUri, experiment, model)));
    expect(models.find((model) => model.modelId === RICH_IDS.failedModel)).toMatchObject({
      lifecycleStage: 'deleted',
      status: 'FAILED',
      statusMessage: 'upload failed: disk full',
    });
    expect(await collect(source.loggedModels('3'))).toEqual([]);
  });

  it('gives registered models with every version (a deleted one as Deleted_Internal), tags and aliases', async () => {
    // Act
    const models = await collect(source.registeredModels());

    // Assess
    const expected = mlruns.fixture.registeredModels!.map(registeredModelOf);
    expect(models.sort(byText((model) => model.name))).toEqual(expected.sort(byText((model) => model.name)));
    const deleted = models.find((model) => model.name === 'fraud-detector')?.versions.find((version) => version.version === 3);
    expect(deleted).toMatchObject({ deleted: true, currentStage: 'Deleted_Internal' });
  });
});
