import type { MemorySourceData, MemoryRun } from '../../support/import-source.js';
import { history } from '../../support/import-source.js';

/**
 * The history the importer's tests bring over: what a team's MLflow holds after a while, in MLflow's terms, with
 * the file store's artifact locations (`file:///src/mlruns/<experiment>/...`).
 */

export const ROOT = 'file:///src/mlruns';
export const T0 = 1_700_000_000_000;

export const PARENT = 'a1'.repeat(16);
export const CHILD = 'b2'.repeat(16);
export const DELETED_RUN = 'c3'.repeat(16);
export const OLD_RUN = 'd4'.repeat(16);
export const MODEL = `m-${'e5'.repeat(16)}`;
export const DELETED_MODEL = `m-${'f6'.repeat(16)}`;
export const EXPERIMENT_NAME = 'Zürich ✓ 実験';
export const METRIC_UTF8 = '精度/ü';
export const REGISTERED = 'Modèle-α';

const run = (runId: string, experimentId: string, fields: Partial<MemoryRun> = {}): MemoryRun => ({
  runId,
  runName: `run-${runId.slice(0, 4)}`,
  userId: 'ana',
  status: 'FINISHED',
  startTime: T0,
  endTime: T0 + 60_000,
  artifactUri: `${ROOT}/${experimentId}/${runId}/artifacts`,
  lifecycleStage: 'active',
  params: [],
  tags: [],
  metrics: {},
  datasets: [],
  modelInputs: [],
  modelOutputs: [],
  ...fields,
});

export const world = (): MemorySourceData => ({
  experiments: [
    {
      experimentId: '0',
      name: 'Default',
      artifactLocation: `${ROOT}/0`,
      lifecycleStage: 'active',
      creationTime: T0,
      lastUpdateTime: T0,
      tags: [],
      runs: [run(OLD_RUN, '0', { startTime: T0 - 86_400_000, endTime: T0 - 86_000_000, metrics: { loss: history('loss', 10) } })],
    },
    {
      experimentId: '12',
      name: EXPERIMENT_NAME,
      artifactLocation: `${ROOT}/12`,
      lifecycleStage: 'active',
      creationTime: T0 - 1000,
      lastUpdateTime: T0 + 5000,
      tags: [{ key: 'mlflow.note.content', value: 'Notizen über Läufe' }],
      runs: [
        run(PARENT, '12', {
          params: [{ key: 'lr', value: '0.01' }, { key: 'größe', value: 'groß' }],
          tags: [{ key: 'mlflow.runName', value: 'parent-ü' }, { key: 'team', value: 'vision' }],
          runName: 'parent-ü',
          metrics: {
            loss: history('loss', 300, (i) => 1 / (i + 1)),
            acc: [
              { key: 'acc', value: Number.NaN, timestamp: T0, step: 0 },
              { key: 'acc', value: Number.POSITIVE_INFINITY, timestamp: T0 + 1, step: 1 },
              { key: 'acc', value: Number.NEGATIVE_INFINITY, timestamp: T0 + 2, step: 2 },
              { key: 'acc', value: 0.5, timestamp: T0 + 3, step: 3 },
            ],
            [METRIC_UTF8]: history(METRIC_UTF8, 5),
          },
          datasets: [
            { name: 'train', digest: 'abc123', sourceType: 'local', source: '{"uri": "/data/train"}', schema: '{}', profile: '{"rows": 10}', tags: [{ key: 'mlflow.data.context', value: 'training' }] },
          ],
          modelOutputs: [{ modelId: MODEL, step: 3 }],
        }),
        run(CHILD, '12', {
          status: 'KILLED',
          tags: [{ key: 'mlflow.parentRunId', value: PARENT }],
          metrics: { loss: history('loss', 20) },
          modelInputs: [MODEL],
        }),
        run(DELETED_RUN, '12', {
          status: 'FAILED',
          lifecycleStage: 'deleted',
          endTime: T0 + 9000,
          params: [{ key: 'seed', value: '7' }],
          metrics: { loss: history('loss', 3) },
        }),
      ],
      loggedModels: [
        {
          modelId: MODEL,
          experimentId: '12',
          name: 'clf',
          artifactLocation: `${ROOT}/12/models/${MODEL}/artifacts`,
          creationTimestamp: T0 + 100,
          lastUpdatedTimestamp: T0 + 200,
          sourceRunId: PARENT,
          status: 'LOGGED_MODEL_READY',
          modelType: 'sklearn',
          lifecycleStage: 'active',
          params: [{ key: 'depth', value: '4' }],
          tags: [{ key: 'stage', value: 'ready' }],
          metrics: [{ key: 'f1', value: 0.9, timestamp: T0 + 150, step: 1, runId: PARENT, modelId: MODEL }],
        },
        {
          modelId: DELETED_MODEL,
          experimentId: '12',
          name: 'dropped',
          artifactLocation: `${ROOT}/12/models/${DELETED_MODEL}/artifacts`,
          creationTimestamp: T0 + 100,
          lastUpdatedTimestamp: T0 + 300,
          status: 'READY',
          lifecycleStage: 'deleted',
          params: [],
          tags: [],
          metrics: [],
        },
      ],
    },
    {
      experimentId: '13',
      name: 'retired',
      artifactLocation: `${ROOT}/13`,
      lifecycleStage: 'deleted',
      creationTime: T0,
      lastUpdateTime: T0 + 10,
      tags: [],
      runs: [],
    },
  ],
  registeredModels: [
    {
      name: REGISTERED,
      creationTimestamp: T0 + 1000,
      lastUpdatedTimestamp: T0 + 4000,
      description: 'Beschreibung',
      tags: [{ key: 'owner', value: 'ünal' }],
      aliases: [{ alias: 'champion', version: 1 }],
      versions: [
        {
          version: 1,
          creationTimestamp: T0 + 1000,
          lastUpdatedTimestamp: T0 + 1500,
          userId: 'ana',
          currentStage: 'Production',
          description: 'first',
          source: `${ROOT}/12/${PARENT}/artifacts/model`,
          runId: PARENT,
          tags: [{ key: 'validated', value: 'yes' }],
          deleted: false,
        },
        {
          version: 2,
          creationTimestamp: T0 + 2000,
          lastUpdatedTimestamp: T0 + 2500,
          currentStage: 'Deleted_Internal',
          source: 'REDACTED-SOURCE-PATH',
          runId: 'REDACTED-RUN-ID',
          tags: [],
          deleted: true,
        },
        {
          version: 3,
          creationTimestamp: T0 + 3000,
          lastUpdatedTimestamp: T0 + 3500,
          currentStage: 'staging',
          source: `models:/${MODEL}`,
          modelId: MODEL,
          runId: PARENT,
          tags: [],
          deleted: false,
        },
        {
          version: 4,
          creationTimestamp: T0 + 3600,
          lastUpdatedTimestamp: T0 + 3700,
          currentStage: 'None',
          source: `runs:/${CHILD}/model`,
          runId: CHILD,
          tags: [],
          deleted: false,
        },
        {
          version: 5,
          creationTimestamp: T0 + 3800,
          lastUpdatedTimestamp: T0 + 3900,
          currentStage: 'Archived',
          source: 's3://team-bucket/models/elsewhere',
          tags: [],
          deleted: false,
        },
      ],
    },
    {
      name: 'empty-model',
      creationTimestamp: T0,
      lastUpdatedTimestamp: T0,
      tags: [],
      aliases: [],
      versions: [],
    },
  ],
  artifacts: {
    [`${ROOT}/12/${PARENT}/artifacts`]: {
      'model/MLmodel': 'artifact_path: model\nflavors: {}\n',
      'plots/ünïcode.txt': 'grüße',
    },
    [`${ROOT}/12/${DELETED_RUN}/artifacts`]: { 'log.txt': 'failed here' },
    [`${ROOT}/12/models/${MODEL}/artifacts`]: { 'MLmodel': 'model_id: x\n', 'data/model.bin': new Uint8Array([0, 1, 2, 255]) },
  },
});
