import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlrunsSource } from '../../../functions/import/mlruns-source.js';
import { datasetFolderId, fixtureRunId } from '../../support/mlruns-fixture.js';
import { collect, writeTemporaryMlruns, type WrittenMlruns } from '../../support/mlruns-fixture/harness.js';

// Folders MLflow itself skips (with a warning) are skipped the same way and reported, never fatal.
describe('mlruns folder source: what MLflow would skip', () => {
  const good = fixtureRunId('good');
  const strayRun = fixtureRunId('stray');
  const oddStatus = fixtureRunId('odd-status');
  let mlruns: WrittenMlruns;

  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns({
      experiments: [
        {
          id: '1',
          name: 'one',
          creationTime: 1,
          runs: [
            { id: good, startTime: 1, datasets: [{ name: 'gone', digest: 'd', sourceType: 'code', source: '{}' }] },
            { id: strayRun, startTime: 1 },
            { id: oddStatus, startTime: 1 },
          ],
        },
        { id: '2', name: 'two', creationTime: 2 },
      ],
      registeredModels: [{ name: 'm', creationTimestamp: 1, aliases: { best: 1 }, versions: [{ version: 1, creationTimestamp: 1, source: 's' }] }],
    });
    const root = mlruns.folder;
    await mkdir(join(root, 'mlartifacts', 'x'), { recursive: true });
    await writeFile(join(root, '2', 'meta.yaml'), "experiment_id: '7'\nname: two\n");
    await writeFile(join(root, '1', strayRun, 'meta.yaml'), `experiment_id: '9'\nrun_id: ${strayRun}\n`);
    await writeFile(join(root, '1', oddStatus, 'meta.yaml'), `experiment_id: '1'\nrun_id: ${oddStatus}\nstatus: 9\n`);
    await rm(join(root, '1', 'datasets', datasetFolderId('gone', 'd')), { recursive: true });
    await mkdir(join(root, 'models', 'm', 'version-2'), { recursive: true });
    await writeFile(join(root, 'models', 'm', 'aliases', 'broken'), 'latest');
  });

  afterAll(async () => {
    await mlruns.remove();
  });

  it('skips experiments without meta.yaml or with another id in it', async () => {
    // Arrange
    const warnings: string[] = [];
    const source = createMlrunsSource(mlruns.folder, { onWarning: (message) => warnings.push(message) });

    // Act
    const experiments = await collect(source.experiments());

    // Assess
    expect(experiments.map((experiment) => experiment.experimentId)).toEqual(['1']);
    expect(warnings).toEqual([
      expect.stringMatching(/[\\/]2: its meta.yaml names experiment 7/),
      expect.stringMatching(/mlartifacts: no meta.yaml/),
    ]);
  });

  it('skips runs of another experiment or of an unknown status, and inputs whose dataset is gone', async () => {
    // Arrange
    const warnings: string[] = [];
    const source = createMlrunsSource(mlruns.folder, { onWarning: (message) => warnings.push(message) });

    // Act
    const runs = await collect(source.runs('1'));

    // Assess
    expect(runs.map((run) => [run.runId, run.datasets])).toEqual([[good, []]]);
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/names experiment 9/);
    expect(warnings.join('\n')).toMatch(/unknown status 9/);
    expect(warnings.join('\n')).toMatch(/points at dataset .* which the experiment lacks/);
  });

  it('skips a version folder without meta.yaml and an alias that names no version', async () => {
    // Arrange
    const warnings: string[] = [];
    const source = createMlrunsSource(mlruns.folder, { onWarning: (message) => warnings.push(message) });

    // Act
    const [model] = await collect(source.registeredModels());

    // Assess
    expect(model?.versions.map((version) => version.version)).toEqual([1]);
    expect(model?.aliases).toEqual([{ alias: 'best', version: 1 }]);
    expect(warnings).toHaveLength(2);
  });

  it('says when the folder does not exist', async () => {
    // Act & Assess
    await expect(collect(createMlrunsSource(join(mlruns.folder, 'nope')).experiments())).rejects.toThrow(/does not exist/);
  });
});
