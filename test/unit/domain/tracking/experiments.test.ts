import { describe, expect, it } from 'vitest';
import {
  createExperiment,
  deleteExperiment,
  deleteExperimentTag,
  ensureDefaultExperiment,
  getExperiment,
  getExperimentByName,
  renameExperiment,
  restoreExperiment,
  searchExperiments,
  setExperimentTag,
} from '../../../../shared/domain/tracking/experiments.js';
import { createRun, deleteRun } from '../../../../shared/domain/tracking/runs.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

const setup = async () => {
  const tracking = createTrackingPorts({ defaultArtifactRoot: 's3://bucket/root/' });
  await ensureDefaultExperiment(tracking.ports);
  return tracking;
};

describe('experiments (in-memory ports)', () => {
  it('has the Default experiment "0" once, and creates others under the artifact root with their tags', async () => {
    // Prepare
    const { ports } = await setup();

    // Act
    await ensureDefaultExperiment(ports);
    const id = await createExperiment(ports, { name: 'churn', tags: [{ key: 'team', value: 'ml' }] });
    const own = await createExperiment(ports, { name: 'own', artifactLocation: 's3://mine/x', tags: [] });

    // Assess
    expect(await getExperiment(ports, '0')).toMatchObject({ name: 'Default', artifactLocation: 's3://bucket/root/0' });
    expect(await getExperimentByName(ports, 'churn')).toMatchObject({
      experimentId: id,
      artifactLocation: `s3://bucket/root/${id}`,
      lifecycleStage: 'active',
      tags: { team: 'ml' },
    });
    expect((await getExperiment(ports, own)).artifactLocation).toBe('s3://mine/x');
  });

  it('refuses an empty name, a taken name and an unknown name in MLflow\'s words', async () => {
    // Prepare
    const { ports } = await setup();
    await createExperiment(ports, { name: 'a', tags: [] });

    // Act
    const empty = await errorOf(createExperiment(ports, { name: '', tags: [] }));
    const taken = await errorOf(createExperiment(ports, { name: 'a', tags: [] }));
    const unknown = await errorOf(getExperimentByName(ports, 'nope'));

    // Assess
    expect(empty).toEqual({ code: 'INVALID_PARAMETER_VALUE', message: "Invalid experiment name: ''" });
    expect(taken).toEqual({ code: 'RESOURCE_ALREADY_EXISTS', message: 'Experiment(name=a) already exists.' });
    expect(unknown).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'nope'" });
  });

  it('renames an active experiment, refusing a taken name and a deleted experiment', async () => {
    // Prepare
    const { ports } = await setup();
    const a = await createExperiment(ports, { name: 'a', tags: [] });
    const b = await createExperiment(ports, { name: 'b', tags: [] });
    await deleteExperiment(ports, b);

    // Act
    await renameExperiment(ports, a, 'a2');
    const taken = await errorOf(renameExperiment(ports, a, 'b'));
    const deleted = await errorOf(renameExperiment(ports, b, 'c'));

    // Assess
    expect((await getExperiment(ports, a)).name).toBe('a2');
    expect(await getExperimentByName(ports, 'a2')).toMatchObject({ experimentId: a });
    expect(taken).toEqual({ code: 'BAD_REQUEST', message: 'Experiment(name=b) already exists.' });
    expect(deleted).toEqual({ code: 'INVALID_PARAMETER_VALUE', message: 'Cannot rename a non-active experiment.' });
  });

  it('deletes an experiment with its runs and restores them all, including runs deleted one by one', async () => {
    // Prepare
    const { ports } = await setup();
    const id = await createExperiment(ports, { name: 'e', tags: [] });
    const kept = await createRun(ports, { experimentId: id, tags: [] });
    const alone = await createRun(ports, { experimentId: id, tags: [] });
    await deleteRun(ports, alone.info.runId);

    // Act
    await deleteExperiment(ports, id);
    const afterDelete = (await ports.runs.getInfo(kept.info.runId))?.lifecycleStage;
    const again = await errorOf(deleteExperiment(ports, id));
    await restoreExperiment(ports, id);

    // Assess
    expect(afterDelete).toBe('deleted');
    expect(again).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `No Experiment with id=${id} exists` });
    expect((await getExperiment(ports, id)).lifecycleStage).toBe('active');
    for (const run of [kept, alone]) expect((await ports.runs.getInfo(run.info.runId))?.lifecycleStage).toBe('active');
    expect(await errorOf(deleteExperiment(ports, '0'))).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: "Cannot delete the default experiment '0'. This is an internally reserved experiment.",
    });
  });

  it('sets and deletes tags of an active experiment; a missing tag is RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const { ports } = await setup();
    const id = await createExperiment(ports, { name: 'e', tags: [] });

    // Act
    await setExperimentTag(ports, id, 'k', 'v');
    await setExperimentTag(ports, id, '__proto__', 'w');
    await deleteExperimentTag(ports, id, 'k');
    const missing = await errorOf(deleteExperimentTag(ports, id, 'k'));
    const badName = await errorOf(setExperimentTag(ports, id, '../x', 'v'));

    // Assess
    expect({ ...(await getExperiment(ports, id)).tags }).toEqual(Object.fromEntries([['__proto__', 'w']]));
    expect(missing).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `No tag with name: k in experiment with id ${id}` });
    expect(badName.code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('searches active experiments in pages whose token belongs to the query', async () => {
    // Prepare
    const { ports } = await setup();
    for (const name of ['x1', 'x2', 'x3']) await createExperiment(ports, { name, tags: [] });

    // Act
    const first = await searchExperiments(ports, { filter: "name LIKE 'x%'", orderBy: ['name ASC'], maxResults: 2 });
    const second = await searchExperiments(ports, {
      filter: "name LIKE 'x%'",
      orderBy: ['name ASC'],
      maxResults: 2,
      pageToken: first.nextPageToken,
    });
    const otherQuery = await errorOf(searchExperiments(ports, { maxResults: 2, pageToken: first.nextPageToken }));

    // Assess
    expect(first.page.map((e) => e.name)).toEqual(['x1', 'x2']);
    expect(second.page.map((e) => e.name)).toEqual(['x3']);
    expect(second.nextPageToken).toBeUndefined();
    expect(otherQuery.code).toBe('INVALID_PARAMETER_VALUE');
  });
});
