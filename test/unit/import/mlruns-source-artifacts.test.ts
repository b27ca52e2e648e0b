import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlrunsSource } from '../../../functions/import/mlruns-source.js';
import type { ImportSource } from '../../../functions/import/source.js';
import { loggedModelArtifactLocation, runArtifactUri } from '../../support/mlruns-fixture.js';
import { filesOf } from '../../support/mlruns-fixture/expected.js';
import { bytesOf, collect, writeTemporaryMlruns, type WrittenMlruns } from '../../support/mlruns-fixture/harness.js';
import { RICH_IDS } from '../../support/mlruns-fixture/rich.js';

describe('mlruns folder source: artifacts', () => {
  let mlruns: WrittenMlruns;
  let source: ImportSource;

  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    source = createMlrunsSource(mlruns.folder);
  });

  afterAll(async () => {
    await mlruns.remove();
  });

  it('lists a run\'s artifacts with sizes and streams their bytes (non-ASCII paths, empty and binary files)', async () => {
    // Arrange
    const { experiment, run } = mlruns.run(RICH_IDS.trainingRun);
    const artifactUri = runArtifactUri(mlruns.rootUri, experiment, run);

    // Act
    const listed = await collect(source.artifacts(artifactUri));
    const contents = await Promise.all(listed.map(async (file) => bytesOf(await source.readArtifact(artifactUri, file.path))));

    // Assess
    const expected = filesOf(run.artifacts);
    expect(listed).toEqual(expected.map(({ path, bytes }) => ({ path, size: bytes.length })));
    expect(contents).toEqual(expected.map(({ bytes }) => bytes));
  });

  it.each([
    ['a deleted experiment (moved to .trash, URI unchanged)', RICH_IDS.trashedRun],
    ['a folder copied from another machine (file URI)', RICH_IDS.movedRun],
    ['an old plain path of another machine', RICH_IDS.plainPathRun],
    ['a deleted run', RICH_IDS.deletedRun],
  ])('finds the artifacts of %s inside this folder', async (_case, runId) => {
    // Arrange
    const { experiment, run } = mlruns.run(runId);
    const artifactUri = runArtifactUri(mlruns.rootUri, experiment, run);

    // Act
    const listed = await collect(source.artifacts(artifactUri));
    const first = listed[0]!;
    const bytes = await bytesOf(await source.readArtifact(artifactUri, first.path));

    // Assess
    const expected = filesOf(run.artifacts);
    expect(listed).toEqual(expected.map(({ path, bytes: content }) => ({ path, size: content.length })));
    expect(bytes).toEqual(expected[0]!.bytes);
  });

  it('finds a logged model\'s artifacts; a run that logged none has none', async () => {
    // Arrange
    const experiment = mlruns.experiment('418327502894961023');
    const model = experiment.loggedModels![0]!;
    const { run: child } = mlruns.run(RICH_IDS.childRun);

    // Act
    const modelFiles = await collect(source.artifacts(loggedModelArtifactLocation(mlruns.rootUri, experiment, model)));
    const childFiles = await collect(source.artifacts(runArtifactUri(mlruns.rootUri, experiment, child)));

    // Assess
    expect(modelFiles).toEqual(filesOf(model.artifacts).map(({ path, bytes }) => ({ path, size: bytes.length })));
    expect(childFiles).toEqual([]);
  });

  it('refuses artifact paths that leave the root and artifact roots that are not local', async () => {
    // Arrange
    const { experiment, run } = mlruns.run(RICH_IDS.trainingRun);
    const artifactUri = runArtifactUri(mlruns.rootUri, experiment, run);

    // Act & Assess
    await expect(source.readArtifact(artifactUri, '../meta.yaml')).rejects.toThrow(/unsafe/);
    await expect(collect(source.artifacts('s3://bucket/1/abc/artifacts'))).rejects.toThrow(/not in a local folder/);
  });

  it('reads mlflow-artifacts: URIs from the server\'s artifacts destination when given', async () => {
    // Arrange
    const served = createMlrunsSource(mlruns.folder, { mlflowArtifactsRoot: mlruns.folder });
    const uri = `mlflow-artifacts:/418327502894961023/${RICH_IDS.trainingRun}/artifacts`;

    // Act
    const listed = await collect(served.artifacts(uri));

    // Assess
    expect(listed.map((file) => file.path)).toContain('model/MLmodel');
  });
});
