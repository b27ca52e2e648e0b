import { describe, expect, it } from 'vitest';
import { logBatch, logMetric, logParam, type LogBatchRequest } from '../../../../shared/domain/tracking/run-logging.js';
import { createRun, deleteRun } from '../../../../shared/domain/tracking/runs.js';
import { createLoggedModel, deleteLoggedModel, getLoggedModel } from '../../../../shared/domain/tracking/logged-models.js';
import { ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

const setup = async () => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const run = await createRun(tracking.ports, { experimentId: '0', runName: 'first', tags: [] });
  return { ...tracking, runId: run.info.runId };
};

const batch = (request: Partial<LogBatchRequest>): LogBatchRequest => ({ metrics: [], params: [], tags: [], ...request });
const point = (step: number, extra: { modelId?: string } = {}) => ({ key: 'loss', value: step / 2, timestamp: 100 + step, step, ...extra });

describe('run logging (in-memory ports)', () => {
  it('refuses batches over MLflow\'s limits before anything is written', async () => {
    // Prepare
    const { ports, runId, runs } = await setup();
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    const metrics = Array.from({ length: 1001 }, (_, step) => point(step));

    // Act
    const tooManyParams = await errorOf(logBatch(ports, runId, batch({ params })));
    const tooManyMetrics = await errorOf(logBatch(ports, runId, batch({ metrics })));

    // Assess
    expect(tooManyParams).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        'A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.',
    });
    expect(tooManyMetrics.message).toContain('at most 1000 metrics. Got 1001 metrics.');
    expect(runs.writes).toEqual([]);
  });

  it('refuses duplicate param keys in one batch, naming them', async () => {
    // Prepare
    const { ports, runId } = await setup();

    // Act
    const error = await errorOf(logBatch(ports, runId, batch({ params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] })));

    // Assess
    expect(error.message).toBe(
      "Duplicate parameter keys have been submitted: ['a']. Please ensure the request contains only one param value per param key.",
    );
  });

  it('words a changed param per endpoint, and a batch with a changed param stores none of it (its run name neither)', async () => {
    // Prepare
    const { ports, runId, runs } = await setup();
    await logParam(ports, runId, 'lr', '0.1');

    // Act
    const single = await errorOf(logParam(ports, runId, 'lr', '0.2'));
    const inBatch = await errorOf(
      logBatch(ports, runId, batch({
        params: [{ key: 'lr', value: '0.3' }, { key: 'new', value: 'x' }],
        tags: [{ key: 'mlflow.runName', value: 'renamed' }],
        metrics: [point(1)],
      })),
    );

    // Assess
    expect(single).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
    });
    expect(inBatch).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: `Changing param values is not allowed. Params were already logged='[{'key': 'lr', 'old_value': '0.1', 'new_value': '0.3'}]' for run ID='${runId}'.`,
    });
    const run = await ports.runs.get(runId);
    expect(run?.info.runName).toBe('first');
    expect({ ...run?.params }).toEqual({ lr: '0.1' });
    expect({ ...run?.metrics }).toEqual({});
    // The name travelled with the refused batch, in its one write, so it was refused with it.
    expect(runs.writes.at(-1)?.writes).toMatchObject({ runName: 'renamed', params: [{ key: 'lr', value: '0.3' }, { key: 'new', value: 'x' }] });
  });

  it('renames the run through the mlflow.runName tag in the same single write as the rest of the batch', async () => {
    // Prepare
    const { ports, runId, runs } = await setup();
    const before = runs.writes.length;

    // Act
    await logBatch(ports, runId, batch({
      params: [{ key: 'p', value: '1' }],
      tags: [{ key: 'team', value: 'x' }, { key: 'mlflow.runName', value: 'second' }],
      metrics: [point(0)],
    }));
    await logBatch(ports, runId, batch({ tags: [{ key: 'mlflow.runName', value: '' }] }));

    // Assess
    expect(runs.writes.slice(before).map((w) => w.writes.runName)).toEqual(['second', undefined]);
    const run = await ports.runs.get(runId);
    expect(run?.info.runName).toBe('second');
    expect({ ...run?.tags }).toEqual({ 'mlflow.runName': 'second', team: 'x' });
  });

  it('gives points logged with a model id to that model, with the run id, and skips a deleted or unknown model', async () => {
    // Prepare
    const { ports, runId } = await setup();
    const live = await createLoggedModel(ports, { experimentId: '0', params: [], tags: [] });
    const gone = await createLoggedModel(ports, { experimentId: '0', params: [], tags: [] });
    await deleteLoggedModel(ports, gone.modelId);

    // Act
    await logBatch(ports, runId, batch({
      metrics: [point(1, { modelId: live.modelId }), point(2, { modelId: gone.modelId }), point(3, { modelId: 'm-unknown' }), point(4)],
    }));
    await logMetric(ports, runId, point(5, { modelId: live.modelId }));

    // Assess
    const model = await getLoggedModel(ports, live.modelId);
    expect(model.metrics).toEqual([
      { ...point(1, { modelId: live.modelId }), runId },
      { ...point(5, { modelId: live.modelId }), runId },
    ]);
    expect(await ports.metrics.history(runId, 'loss')).toHaveLength(5);
  });

  it('keeps the greatest (step, timestamp, value) as the latest value whatever order points come in', async () => {
    // Prepare
    const { ports, runId } = await setup();

    // Act
    for (const p of [point(5), point(9), point(2)]) await logMetric(ports, runId, p);

    // Assess
    expect((await ports.runs.get(runId))?.metrics.loss).toEqual({ key: 'loss', value: 4.5, timestamp: 109, step: 9 });
  });

  it('answers a deleted run with INVALID_PARAMETER_VALUE and an unknown one with RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const { ports, runId } = await setup();
    await deleteRun(ports, runId);

    // Act
    const deleted = await errorOf(logBatch(ports, runId, batch({ tags: [{ key: 'mlflow.runName', value: 'x' }] })));
    const unknown = await errorOf(logParam(ports, 'f'.repeat(32), 'a', '1'));

    // Assess
    expect(deleted).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: `The run ${runId} must be in the 'active' state. Current state is deleted.`,
    });
    expect(unknown).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` });
  });
});
