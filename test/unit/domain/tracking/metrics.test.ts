import { describe, expect, it } from 'vitest';
import { ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import { getMetricHistory, getMetricHistoryBulkInterval } from '../../../../shared/domain/tracking/metrics.js';
import { logBatch, logMetric } from '../../../../shared/domain/tracking/run-logging.js';
import { createRun } from '../../../../shared/domain/tracking/runs.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

const setup = async () => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const { info } = await createRun(tracking.ports, { tags: [] });
  return { ...tracking, runId: info.runId };
};

const points = (steps: number[]) => steps.map((step) => ({ key: 'loss', value: step * 10, timestamp: 1_000 + step, step }));

describe('metric history (in-memory ports)', () => {
  it('answers the whole history in MLflow\'s order, each point once, without max_results', async () => {
    // Prepare
    const { ports, runId } = await setup();
    await logBatch(ports, runId, { metrics: points([3, 1, 2]), params: [], tags: [] });
    await logMetric(ports, runId, points([1])[0]!);

    // Act
    const { page, nextPageToken } = await getMetricHistory(ports, { runId, key: 'loss' });
    const unknown = await getMetricHistory(ports, { runId, key: 'nope' });

    // Assess
    expect(page.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(nextPageToken).toBeUndefined();
    expect(unknown.page).toEqual([]);
  });

  it('pages from one snapshot: a point logged between pages does not shift the next page', async () => {
    // Prepare
    const { ports, runId } = await setup();
    await logBatch(ports, runId, { metrics: points([0, 1, 2, 3, 4]), params: [], tags: [] });

    // Act
    const first = await getMetricHistory(ports, { runId, key: 'loss', maxResults: 2 });
    await logMetric(ports, runId, { key: 'loss', value: -1, timestamp: 1, step: -1 });
    const second = await getMetricHistory(ports, { runId, key: 'loss', maxResults: 2, pageToken: first.nextPageToken });
    const third = await getMetricHistory(ports, { runId, key: 'loss', maxResults: 2, pageToken: second.nextPageToken });
    const foreign = await errorOf(getMetricHistory(ports, { runId, key: 'other', maxResults: 2, pageToken: first.nextPageToken }));

    // Assess
    expect([first, second, third].map((p) => p.page.map((point) => point.step))).toEqual([[0, 1], [2, 3], [4]]);
    expect(third.nextPageToken).toBeUndefined();
    expect(foreign.code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('samples steps across runs for the bulk-interval read, keeping each run\'s first and last step', async () => {
    // Prepare
    const { ports, runId } = await setup();
    const other = (await createRun(ports, { tags: [] })).info.runId;
    await logBatch(ports, runId, { metrics: points([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), params: [], tags: [] });
    await logBatch(ports, other, { metrics: points([3, 4]), params: [], tags: [] });

    // Act
    const sampled = await getMetricHistoryBulkInterval(ports, { runIds: [runId, other], key: 'loss', maxResults: 3 });

    // Assess
    expect(sampled.filter((p) => p.runId === runId).map((p) => p.step)).toEqual([0, 3, 4, 6, 9]);
    expect(sampled.filter((p) => p.runId === other).map((p) => p.step)).toEqual([3, 4]);
  });

  it('refuses bulk-interval requests outside MLflow\'s limits', async () => {
    // Prepare
    const { ports, runId } = await setup();
    const request = { runIds: [runId], key: 'loss' };

    // Act
    const errors = await Promise.all([
      errorOf(getMetricHistoryBulkInterval(ports, { ...request, runIds: Array.from({ length: 101 }, () => runId) })),
      errorOf(getMetricHistoryBulkInterval(ports, { ...request, maxResults: 2501 })),
      errorOf(getMetricHistoryBulkInterval(ports, { ...request, startStep: 1 })),
      errorOf(getMetricHistoryBulkInterval(ports, { ...request, startStep: 5, endStep: 1 })),
    ]);

    // Assess
    expect(errors.map((e) => e.message)).toEqual([
      'GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.',
      'max_results must be between 1 and 2500.',
      'If either start step or end step are specified, both must be specified.',
      'end_step must be greater than start_step. Found start_step=5 and end_step=1.',
    ]);
  });
});
