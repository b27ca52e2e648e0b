import { describe, expect, it } from 'vitest';
import { createExperiment, deleteExperiment, ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import {
  createRun,
  deleteRun,
  deleteRunTag,
  requireRun,
  restoreRun,
  setRunTag,
  updateRun,
} from '../../../../shared/domain/tracking/runs.js';
import { searchRuns } from '../../../../shared/domain/tracking/run-search.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

const setup = async () => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  return tracking;
};

describe('runs (in-memory ports)', () => {
  it('keeps the run name and its mlflow.runName tag equal, giving a random name when neither is sent', async () => {
    // Prepare
    const { ports } = await setup();

    // Act
    const random = await createRun(ports, { tags: [] });
    const byTag = await createRun(ports, { tags: [{ key: 'mlflow.runName', value: 'tagged' }] });
    const byName = await createRun(ports, { runName: 'named', startTime: 7, userId: 'ana', tags: [] });
    const both = await errorOf(createRun(ports, { runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }));

    // Assess
    expect(random.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(random.tags).toEqual({ 'mlflow.runName': random.info.runName });
    expect(byTag.info.runName).toBe('tagged');
    expect(await requireRun(ports, byName.info.runId)).toMatchObject({
      info: { runName: 'named', startTime: 7, userId: 'ana', status: 'RUNNING', experimentId: '0' },
      tags: { 'mlflow.runName': 'named' },
    });
    expect(byName.info.artifactUri).toBe(`mlflow-artifacts:/0/${byName.info.runId}/artifacts`);
    expect(both).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='a', mlflow.runName='b').",
    });
  });

  it('refuses a run in a deleted experiment', async () => {
    // Prepare
    const { ports } = await setup();
    const id = await createExperiment(ports, { name: 'gone', tags: [] });
    await deleteExperiment(ports, id);

    // Act
    const error = await errorOf(createRun(ports, { experimentId: id, tags: [] }));

    // Assess
    expect(error).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: `The experiment ${id} must be in the 'active' state. Current state is deleted.`,
    });
  });

  it('updates status and end time, and renames through update or the name tag', async () => {
    // Prepare
    const { ports } = await setup();
    const { info } = await createRun(ports, { runName: 'first', tags: [] });

    // Act
    const updated = await updateRun(ports, info.runId, { status: 'FINISHED', endTime: 50 });
    await updateRun(ports, info.runId, { runName: 'second' });
    const afterUpdate = await requireRun(ports, info.runId);
    await setRunTag(ports, info.runId, 'mlflow.runName', 'third');
    const afterTag = await requireRun(ports, info.runId);

    // Assess
    expect(updated).toMatchObject({ status: 'FINISHED', endTime: 50, runName: 'first' });
    expect([afterUpdate.info.runName, afterUpdate.tags['mlflow.runName']]).toEqual(['second', 'second']);
    expect([afterTag.info.runName, afterTag.tags['mlflow.runName']]).toEqual(['third', 'third']);
    expect(afterTag.info).toMatchObject({ status: 'FINISHED', endTime: 50 });
  });

  it('deletes and restores a run, hiding it from active searches meanwhile; a deleted run takes no writes', async () => {
    // Prepare
    const { ports } = await setup();
    const { info } = await createRun(ports, { tags: [] });

    // Act
    await deleteRun(ports, info.runId);
    const activeWhileDeleted = await searchRuns(ports, { experimentIds: ['0'] });
    const deletedOnly = await searchRuns(ports, { experimentIds: ['0'], runViewType: 'DELETED_ONLY' });
    const refused = await errorOf(setRunTag(ports, info.runId, 'k', 'v'));
    await restoreRun(ports, info.runId);

    // Assess
    expect(activeWhileDeleted.page).toEqual([]);
    expect(deletedOnly.page.map((r) => r.info.runId)).toEqual([info.runId]);
    expect(refused.message).toBe(`The run ${info.runId} must be in the 'active' state. Current state is deleted.`);
    expect((await searchRuns(ports, { experimentIds: ['0'] })).page.map((r) => r.info.runId)).toEqual([info.runId]);
  });

  it('deletes a tag, and answers a missing tag or run with RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const { ports } = await setup();
    const { info } = await createRun(ports, { runName: 'r', tags: [{ key: 'k', value: 'v' }] });

    // Act
    await deleteRunTag(ports, info.runId, 'k');
    const missingTag = await errorOf(deleteRunTag(ports, info.runId, 'k'));
    const missingRun = await errorOf(requireRun(ports, 'a'.repeat(32)));

    // Assess
    expect((await requireRun(ports, info.runId)).tags).toEqual({ 'mlflow.runName': 'r' });
    expect(missingTag).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `No tag with name: k in run with id ${info.runId}` });
    expect(missingRun).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'a'.repeat(32)} not found` });
  });

  it('searches runs with a filter and an order', async () => {
    // Prepare
    const { ports } = await setup();
    for (const name of ['b', 'a', 'c']) await createRun(ports, { runName: name, tags: [] });

    // Act
    const found = await searchRuns(ports, { experimentIds: ['0'], filter: "attributes.run_name != 'c'", orderBy: ['attributes.run_name ASC'] });

    // Assess
    expect(found.page.map((r) => r.info.runName)).toEqual(['a', 'b']);
  });
});
