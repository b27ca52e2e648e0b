import { describe, expect, it } from 'vitest';
import { ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import {
  createLoggedModel,
  deleteLoggedModel,
  deleteLoggedModelTag,
  finalizeLoggedModel,
  getLoggedModel,
  logLoggedModelParams,
  searchLoggedModels,
  setLoggedModelTags,
} from '../../../../shared/domain/tracking/logged-models.js';
import { logBatch } from '../../../../shared/domain/tracking/run-logging.js';
import { createRun } from '../../../../shared/domain/tracking/runs.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

const setup = async () => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  return tracking;
};

describe('logged models (in-memory ports)', () => {
  it('creates a pending model under the experiment\'s artifact root and finalizes it', async () => {
    // Prepare
    const { ports } = await setup();

    // Act
    const created = await createLoggedModel(ports, {
      experimentId: '0',
      name: 'clf',
      modelType: 'sklearn',
      params: [{ key: 'depth', value: '3' }],
      tags: [{ key: 't', value: 'v' }],
    });
    const ready = await finalizeLoggedModel(ports, created.modelId, 'LOGGED_MODEL_READY');

    // Assess
    expect(created).toMatchObject({
      name: 'clf',
      status: 'LOGGED_MODEL_PENDING',
      artifactUri: `mlflow-artifacts:/0/models/${created.modelId}/artifacts`,
      params: { depth: '3' },
      tags: { t: 'v' },
    });
    expect(created.modelId).toMatch(/^m-[0-9a-f]{32}$/);
    expect(ready.status).toBe('LOGGED_MODEL_READY');
  });

  it('refuses a name with a character MLflow forbids, and a deleted experiment', async () => {
    // Prepare
    const { ports } = await setup();

    // Act
    const badName = await errorOf(createLoggedModel(ports, { experimentId: '0', name: 'a/b', params: [], tags: [] }));
    const noExperiment = await errorOf(createLoggedModel(ports, { experimentId: '42', params: [], tags: [] }));

    // Assess
    expect(badName.message).toBe(
      `Invalid model name 'a/b' provided. Model name must be a non-empty string and cannot contain the following prohibited characters: '/', ':', '.', '%', '"', "'".`,
    );
    expect(noExperiment).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=42 exists' });
  });

  it('shows a point logged twice with the model id once', async () => {
    // Prepare
    const { ports } = await setup();
    const model = await createLoggedModel(ports, { experimentId: '0', params: [], tags: [] });
    const { info } = await createRun(ports, { tags: [] });
    const metric = { key: 'acc', value: 0.9, timestamp: 5, step: 0, modelId: model.modelId };

    // Act
    await logBatch(ports, info.runId, { metrics: [metric], params: [], tags: [] });
    await logBatch(ports, info.runId, { metrics: [metric], params: [], tags: [] });

    // Assess
    expect((await getLoggedModel(ports, model.modelId)).metrics).toEqual([{ ...metric, runId: info.runId }]);
  });

  it('sets and deletes tags, logs params, and answers a deleted model as missing', async () => {
    // Prepare
    const { ports } = await setup();
    const { modelId } = await createLoggedModel(ports, { experimentId: '0', params: [], tags: [] });

    // Act
    await setLoggedModelTags(ports, modelId, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    await deleteLoggedModelTag(ports, modelId, 'a');
    await logLoggedModelParams(ports, modelId, [{ key: 'p', value: 'x' }]);
    const kept = await getLoggedModel(ports, modelId);
    await deleteLoggedModel(ports, modelId);
    const gone = await errorOf(getLoggedModel(ports, modelId));
    const tagOfGone = await errorOf(setLoggedModelTags(ports, modelId, [{ key: 'c', value: '3' }]));

    // Assess
    expect([{ ...kept.tags }, { ...kept.params }]).toEqual([{ b: '2' }, { p: 'x' }]);
    expect(gone).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${modelId}' not found.` });
    expect(tagOfGone.code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('searches with a filter, in pages whose token belongs to the query', async () => {
    // Prepare
    const { ports } = await setup();
    for (const name of ['m1', 'm2', 'm3', 'other']) await createLoggedModel(ports, { experimentId: '0', name, params: [], tags: [] });
    const query = { experimentIds: ['0'], filter: "name LIKE 'm%'", orderBy: [{ fieldName: 'name', ascending: true }], maxResults: 2 };

    // Act
    const first = await searchLoggedModels(ports, query);
    const second = await searchLoggedModels(ports, { ...query, pageToken: first.nextPageToken });
    const foreign = await errorOf(searchLoggedModels(ports, { experimentIds: ['0'], maxResults: 2, pageToken: first.nextPageToken }));

    // Assess
    expect([...first.page, ...second.page].map((m) => m.name)).toEqual(['m1', 'm2', 'm3']);
    expect(second.nextPageToken).toBeUndefined();
    expect(foreign.code).toBe('INVALID_PARAMETER_VALUE');
  });
});
