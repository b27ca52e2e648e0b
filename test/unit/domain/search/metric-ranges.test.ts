import { describe, expect, it } from 'vitest';
import { recordOf } from '../../../../shared/domain/kernel/own-records.js';
import { compareRuns, parseRunFilter, parseRunOrderBy, runMatches } from '../../../../shared/domain/search/index.js';
import { splitMetricAggregate } from '../../../../shared/domain/search/run-identifier.js';
import type { MetricRange, Run } from '../../../../shared/domain/tracking/entities.js';
import { mergeRanges, rangeOfPackedHistory, rangeOfValues } from '../../../../shared/domain/tracking/metric-ranges.js';
import { metricMaxRank, metricMinRank } from '../../../../shared/data/runs/metric-encoding.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import { logBatch } from '../../../../shared/domain/tracking/run-logging.js';
import { searchRunsWithRanges } from '../../../../shared/domain/tracking/run-search.js';
import { createRun } from '../../../../shared/domain/tracking/runs.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';

const runWith = (id: string, ranges: Record<string, MetricRange>, latest: Record<string, number> = {}): Run => ({
  info: {
    runId: id,
    experimentId: '1',
    runName: id,
    userId: 'u',
    status: 'FINISHED',
    startTime: 1,
    artifactUri: `a/${id}`,
    lifecycleStage: 'active',
  },
  params: recordOf(),
  tags: recordOf(),
  metrics: recordOf(Object.entries(latest).map(([key, value]) => [key, { key, value, timestamp: 1, step: 0 }])),
  metricRanges: recordOf(Object.entries(ranges)),
  datasetInputs: [],
  modelInputs: [],
  modelOutputs: [],
});

const cairn = { metricAggregates: true };

describe('the range of a metric', () => {
  it('leaves NaN points out unless every point is NaN, and takes ±Infinity as values', () => {
    expect(rangeOfValues([NaN, 3, -1, NaN, 2])).toEqual({ min: -1, max: 3 });
    expect(rangeOfValues([NaN, NaN])).toEqual({ min: NaN, max: NaN });
    expect(rangeOfValues([1, -Infinity, Infinity])).toEqual({ min: -Infinity, max: Infinity });
    expect(rangeOfValues([])).toBeUndefined();
  });

  it('merges in any order to the same range, a NaN range giving way to numbers', () => {
    const parts = [{ min: NaN, max: NaN }, { min: 2, max: 5 }, { min: -1, max: 3 }];
    const forward = parts.reduce<MetricRange | undefined>((acc, r) => mergeRanges(acc, r), undefined);
    const backward = [...parts].reverse().reduce<MetricRange | undefined>((acc, r) => mergeRanges(acc, r), undefined);
    expect(forward).toEqual({ min: -1, max: 5 });
    expect(backward).toEqual(forward);
  });

  it('reads a packed history straight from its value column', () => {
    const chunk = (values: number[]) => ({ writtenAt: 0, count: values.length, triples: Float64Array.from(values.flatMap((v, i) => [i, i, v])) });
    expect(rangeOfPackedHistory([chunk([4, NaN, 9]), chunk([-2])])).toEqual({ min: -2, max: 9 });
    expect(rangeOfPackedHistory([])).toBeUndefined();
  });

  it('is stored with ranks that sort like the values, NaN losing at both ends', () => {
    const values = [-Infinity, -1e300, -2.5, -0, 0, 1e-300, 3, 1e300, Infinity];
    const minRanks = values.map(metricMinRank);
    expect([...minRanks].sort()).toEqual(minRanks);
    expect(values.every((v) => metricMinRank(NaN) > metricMinRank(v) && metricMaxRank(NaN) < metricMaxRank(v))).toBe(true);
    expect(metricMinRank(-0)).toBe(metricMinRank(0));
  });
});

describe("Cairn's metric aggregates in search", () => {
  it('reads the suffix off the raw identifier, only for metric identifiers with a key', () => {
    expect(splitMetricAggregate('metrics.loss.min')).toEqual({ identifier: 'metrics.loss', aggregate: 'min' });
    expect(splitMetricAggregate('metric.`val loss`.max')).toEqual({ identifier: 'metric.`val loss`', aggregate: 'max' });
    expect(splitMetricAggregate('metrics.a.b.last')).toEqual({ identifier: 'metrics.a.b', aggregate: 'last' });
    expect(splitMetricAggregate('metrics.`loss.min`')).toEqual({ identifier: 'metrics.`loss.min`', aggregate: 'last' });
    expect(splitMetricAggregate('metrics.min')).toEqual({ identifier: 'metrics.min', aggregate: 'last' });
    expect(splitMetricAggregate('params.lr.min')).toEqual({ identifier: 'params.lr.min', aggregate: 'last' });
  });

  it('filters on min and max; a run without the range or with a NaN one does not match', () => {
    const runs = [
      runWith('low', { loss: { min: 0.1, max: 0.9 } }, { loss: 0.5 }),
      runWith('high', { loss: { min: 0.4, max: 2 } }, { loss: 0.4 }),
      runWith('nan', { loss: { min: NaN, max: NaN } }, { loss: NaN }),
      runWith('none', {}, { loss: 0.2 }),
    ];
    const ids = (filter: string) => runs.filter((r) => runMatches(r, parseRunFilter(filter, cairn))).map((r) => r.info.runId);
    expect(ids('metrics.loss.min < 0.3')).toEqual(['low']);
    expect(ids('metrics.loss.max >= 0.9 and metrics.loss.min != 0.1')).toEqual(['high']);
    expect(ids('metrics.loss.last <= 0.4')).toEqual(['high', 'nan', 'none']);
    expect(ids('metrics.loss.min != 5')).toEqual(['low', 'high']);
  });

  it('orders by min or max with NaN after numbers and missing ranges last, both directions', () => {
    const runs = [
      runWith('r1', { loss: { min: 3, max: 4 } }),
      runWith('r2', {}),
      runWith('r3', { loss: { min: NaN, max: NaN } }),
      runWith('r4', { loss: { min: -1, max: 10 } }),
    ];
    const order = (clause: string) => [...runs].sort(compareRuns(parseRunOrderBy([clause], cairn))).map((r) => r.info.runId);
    expect(order('metrics.loss.min')).toEqual(['r4', 'r1', 'r3', 'r2']);
    expect(order('metrics.loss.min DESC')).toEqual(['r1', 'r4', 'r3', 'r2']);
    expect(order('metrics.`loss`.max DESC')).toEqual(['r4', 'r1', 'r3', 'r2']);
  });

  it('takes min, max and last of one key as different fields, and refuses a repeated one', () => {
    expect(parseRunOrderBy(['metrics.loss.min ASC', 'metrics.loss.max DESC', 'metrics.loss'], cairn).keys).toEqual([
      { type: 'metric', key: 'loss', ascending: true, aggregate: 'min' },
      { type: 'metric', key: 'loss', ascending: false, aggregate: 'max' },
      { type: 'metric', key: 'loss', ascending: true },
    ]);
    expect(() => parseRunOrderBy(['metrics.loss.last', 'metrics.loss'], cairn)).toThrow(MlflowError);
  });

  it("leaves MLflow's grammar alone without the extension: `.min` is part of the key", () => {
    expect(parseRunFilter('metrics.loss.min < 1').clauses[0]).toMatchObject({ key: 'loss.min' });
    expect(parseRunFilter('metrics.loss.min < 1').clauses[0]).not.toHaveProperty('aggregate');
    expect(parseRunOrderBy(['metrics.loss.min DESC']).keys).toEqual([{ type: 'metric', key: 'loss.min', ascending: false }]);
  });
});

describe('searchRunsWithRanges on ports without stored ranges', () => {
  it('reads the ranges from the histories, for the ordering and for every key of the page', async () => {
    // Prepare
    const { ports } = createTrackingPorts();
    await ensureDefaultExperiment(ports);
    const ids: string[] = [];
    for (const values of [[5, 1, 3], [2, NaN], [9]]) {
      const run = await createRun(ports, { experimentId: '0', userId: 'u', tags: [] });
      ids.push(run.info.runId);
      await logBatch(ports, run.info.runId, {
        metrics: values.map((value, step) => ({ key: 'loss', value, step, timestamp: 10 + step })),
        params: [],
        tags: [],
      });
    }

    // Act
    const { page } = await searchRunsWithRanges(ports, { experimentIds: ['0'], orderBy: ['metrics.loss.max DESC'] });

    // Assess
    expect(page.map((r) => r.info.runId)).toEqual([ids[2], ids[0], ids[1]]);
    expect(page.map((r) => r.metricRanges?.loss)).toEqual([{ min: 9, max: 9 }, { min: 1, max: 5 }, { min: 2, max: 2 }]);
  });
});
