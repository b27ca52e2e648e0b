import {
  fixtureModelId,
  fixtureRunId,
  type FixturePoint,
  type MlrunsFixture,
} from '../mlruns-fixture.js';

/**
 * One mlruns folder holding every case an import must carry over: non-ASCII names, keys with `/`, NaN and
 * ±Infinity, a 100,000-point history, dataset inputs, parent and child runs, deleted experiments, runs, logged
 * models and model versions, MLflow 1.x run metadata, artifact URIs recorded on another machine, and the
 * registry with stages, aliases and tags.
 */

export const BASE_TIME = 1_700_000_000_000;
export const LONG_HISTORY_POINTS = 100_000;

export const RICH_IDS = {
  trainingRun: fixtureRunId('training'),
  childRun: fixtureRunId('child'),
  deletedRun: fixtureRunId('deleted'),
  legacyRun: fixtureRunId('legacy'),
  trashedRun: fixtureRunId('trashed'),
  movedRun: fixtureRunId('moved'),
  plainPathRun: fixtureRunId('plain-path'),
  defaultRun: fixtureRunId('default'),
  classifier: fixtureModelId('classifier'),
  failedModel: fixtureModelId('failed'),
} as const;

/** A deterministic history whose values use every digit Python's repr can print. */
export const longHistory = (count: number): FixturePoint[] =>
  Array.from({ length: count }, (_, i) => ({
    timestamp: BASE_TIME + i * 7,
    value: Math.sin(i) * 10 ** ((i % 9) - 4),
    step: i,
  }));

export const SPECIAL_VALUES: readonly FixturePoint[] = [
  { timestamp: BASE_TIME, value: Number.NaN, step: 0 },
  { timestamp: BASE_TIME + 1, value: Infinity, step: 1 },
  { timestamp: BASE_TIME + 2, value: -Infinity, step: 2 },
  { timestamp: BASE_TIME + 3, value: 1e-5, step: 3 },
  { timestamp: BASE_TIME + 4, value: 1.5e16, step: 4 },
  { timestamp: BASE_TIME + 5, value: -0.1, step: 5 },
  { timestamp: BASE_TIME + 6, value: 5, step: 6, text: '5' },
  { timestamp: BASE_TIME + 7, value: 0, step: -1 },
];

const BINARY = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));

export const richMlrunsFixture = (): MlrunsFixture => {
  const ids = RICH_IDS;
  return {
    experiments: [
      {
        id: '0',
        name: 'Default',
        creationTime: BASE_TIME,
        runs: [
          { id: ids.defaultRun, name: 'quick', status: 'FINISHED', startTime: BASE_TIME, endTime: BASE_TIME + 1 },
          // MLflow 1.x wrote experiment ids as ints, and then only small ones.
          {
            id: ids.legacyRun,
            status: 'KILLED',
            legacyMeta: true,
            userId: 'old',
            startTime: BASE_TIME + 400,
            endTime: BASE_TIME + 401,
            tags: { 'mlflow.runName': 'from-mlflow-1' },
            metrics: { legacy: [{ timestamp: BASE_TIME, value: 2, step: 0 }] },
          },
        ],
      },
      {
        id: '418327502894961023',
        name: 'Évaluation — 模型 🚀',
        creationTime: BASE_TIME + 10,
        lastUpdateTime: BASE_TIME + 20,
        tags: { 'mlflow.note.content': 'Notes: ü\nsecond line', 'team/owner': 'ml-platform' },
        runs: [
          {
            id: ids.trainingRun,
            name: 'entraînement-α',
            userId: 'jürgen',
            status: 'FINISHED',
            startTime: BASE_TIME + 100,
            endTime: BASE_TIME + 900,
            params: { lr: '0.001', 'optimizer/name': 'adam', ключ: 'значение', empty: '', yes: 'no' },
            tags: {
              'mlflow.runName': 'entraînement-α',
              'mlflow.user': 'jürgen',
              'nested/deep/key': 'value with spaces ',
              'mlflow.source.name': 'train.py',
            },
            metrics: {
              loss: longHistory(LONG_HISTORY_POINTS),
              special: SPECIAL_VALUES,
              'train/accuracy': [
                { timestamp: BASE_TIME + 1, value: 0.5, step: 0 },
                { timestamp: BASE_TIME + 2, value: 0.75, step: 1 },
              ],
              eval_loss: [
                { timestamp: BASE_TIME + 3, value: 0.25, step: 10, datasetName: 'iris', datasetDigest: 'a1b2c3' },
              ],
            },
            datasets: [
              {
                name: 'iris',
                digest: 'a1b2c3',
                sourceType: 'local',
                source: '{"uri": "/data/iris ü.csv"}',
                schema: '{"mlflow_colspec": [{"type": "double", "name": "sepal length"}]}',
                profile: '{"num_rows": 150}',
                tags: { 'mlflow.data.context': 'training' },
              },
              { name: 'holdout', digest: 'ffee', sourceType: 'code', source: '{}' },
            ],
            modelOutputs: [{ modelId: ids.classifier, step: 3 }],
            artifacts: {
              'model/MLmodel': 'artifact_path: model\nflavors:\n  python_function: {}\n',
              'données/é file.txt': 'contenu ü',
              'empty.txt': '',
              'bin/weights.bin': BINARY,
            },
          },
          {
            id: ids.childRun,
            name: 'child',
            status: 'RUNNING',
            startTime: BASE_TIME + 200,
            tags: { 'mlflow.parentRunId': ids.trainingRun, 'mlflow.runName': 'child' },
            modelInputs: [ids.classifier],
          },
          {
            id: ids.deletedRun,
            name: 'abandoned',
            status: 'FAILED',
            deleted: true,
            startTime: BASE_TIME + 300,
            endTime: BASE_TIME + 301,
            params: { seed: '7' },
            artifacts: { 'log.txt': 'failed' },
          },
        ],
        loggedModels: [
          {
            id: ids.classifier,
            name: 'classifier',
            creationTimestamp: BASE_TIME + 500,
            lastUpdatedTimestamp: BASE_TIME + 600,
            sourceRunId: ids.trainingRun,
            modelType: 'sklearn',
            params: { max_depth: '5', 'nested/param': 'x' },
            tags: { 'mlflow.source.git.commit': 'abc123', étiquette: 'ü' },
            metrics: {
              accuracy: [
                { timestamp: BASE_TIME + 510, value: 0.9, step: 3, runId: ids.trainingRun },
                { timestamp: BASE_TIME + 520, value: Number.NaN, step: 4, runId: ids.trainingRun, datasetName: 'iris', datasetDigest: 'a1b2c3' },
              ],
            },
            artifacts: { MLmodel: 'flavors: {}\n', 'model.pkl': BINARY },
          },
          {
            id: ids.failedModel,
            name: 'broken',
            creationTimestamp: BASE_TIME + 700,
            status: 'FAILED',
            statusMessage: 'upload failed: disk full',
            deleted: true,
          },
        ],
      },
      {
        id: '2',
        name: 'old experiment',
        deleted: true,
        creationTime: BASE_TIME + 30,
        lastUpdateTime: BASE_TIME + 40,
        tags: { purpose: 'gone' },
        runs: [
          {
            id: ids.trashedRun,
            name: 'trashed',
            status: 'FINISHED',
            startTime: BASE_TIME + 50,
            endTime: BASE_TIME + 60,
            artifacts: { 'notes/readme.md': '# trashed' },
          },
        ],
      },
      {
        id: '3',
        name: 'copied from a laptop',
        creationTime: BASE_TIME + 70,
        artifactLocation: 'file:///Users/someone/My%20Project/mlruns/3',
        runs: [
          { id: ids.movedRun, status: 'FINISHED', startTime: BASE_TIME + 71, endTime: BASE_TIME + 72, artifacts: { 'a.txt': 'moved' } },
        ],
      },
      {
        id: '4',
        name: 'plain path',
        creationTime: BASE_TIME + 80,
        artifactLocation: '/srv/old-host/mlruns/4',
        runs: [{ id: ids.plainPathRun, startTime: BASE_TIME + 81, artifacts: { 'b.txt': 'plain' } }],
      },
    ],
    registeredModels: [
      {
        name: 'fraud-detector',
        creationTimestamp: BASE_TIME + 1000,
        lastUpdatedTimestamp: BASE_TIME + 1100,
        description: 'Scores transactions: 0 = fine, 1 = fraud',
        tags: { team: 'risk', 'nested/tag': 'yes' },
        aliases: { champion: 2, challenger: 1 },
        versions: [
          {
            version: 1,
            creationTimestamp: BASE_TIME + 1001,
            stage: 'Archived',
            source: `runs:/${ids.trainingRun}/model`,
            runId: ids.trainingRun,
            userId: 'jürgen',
            tags: { validated: 'true' },
          },
          {
            version: 2,
            creationTimestamp: BASE_TIME + 1002,
            lastUpdatedTimestamp: BASE_TIME + 1050,
            stage: 'Production',
            description: 'second',
            source: `models:/${ids.classifier}`,
            runId: ids.trainingRun,
            runLink: 'https://example.com/run',
            modelId: ids.classifier,
          },
          { version: 3, creationTimestamp: BASE_TIME + 1003, source: 'file:///tmp/x', deleted: true },
        ],
      },
      {
        name: 'détecteur-ü 模型',
        creationTimestamp: BASE_TIME + 2000,
        versions: [{ version: 1, creationTimestamp: BASE_TIME + 2001, source: `runs:/${ids.trainingRun}/model` }],
      },
    ],
  };
};
