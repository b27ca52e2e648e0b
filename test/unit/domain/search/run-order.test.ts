import { describe, it, expect } from 'vitest';
import type { Run, RunStatus } from '../../../../shared/domain/tracking/entities.js';
import { compareRuns, parseRunOrderBy } from '../../../../shared/domain/search/index.js';
import { errorOf } from '../../../support/error-of.js';

interface RunSpec {
  id: string;
  startTime?: number;
  endTime?: number;
  name?: string;
  status?: RunStatus;
  userId?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

const aRun = (spec: RunSpec): Run => ({
  info: {
    runId: spec.id,
    experimentId: '1',
    runName: spec.name ?? spec.id,
    userId: spec.userId ?? 'alice',
    status: spec.status ?? 'FINISHED',
    startTime: spec.startTime ?? 1000,
    ...(spec.endTime === undefined ? {} : { endTime: spec.endTime }),
    artifactUri: `s3://bucket/${spec.id}`,
    lifecycleStage: 'active',
  },
  params: spec.params ?? {},
  tags: spec.tags ?? {},
  metrics: Object.fromEntries(
    Object.entries(spec.metrics ?? {}).map(([key, value]) => [key, { key, value, timestamp: 0, step: 0 }]),
  ),
  datasetInputs: [],
  modelInputs: [],
  modelOutputs: [],
});

const sortedIds = (runs: Run[], orderBy: string[] | undefined): string[] =>
  [...runs].sort(compareRuns(parseRunOrderBy(orderBy))).map((run) => run.info.runId);


describe('run order: defaults', () => {
  it('without order_by runs come newest first, ties by run_id ascending', () => {
    // Prepare
    const runs = [
      aRun({ id: 'b', startTime: 10 }),
      aRun({ id: 'c', startTime: 30 }),
      aRun({ id: 'a', startTime: 10 }),
    ];

    // Act
    const ids = sortedIds(runs, undefined);

    // Assess
    expect(ids).toEqual(['c', 'a', 'b']);
  });

  it('ties on an ordered key fall back to start_time DESC, then run_id ASC', () => {
    // Prepare
    const runs = [
      aRun({ id: 'old', startTime: 1, params: { p: 'x' } }),
      aRun({ id: 'new-b', startTime: 2, params: { p: 'x' } }),
      aRun({ id: 'new-a', startTime: 2, params: { p: 'x' } }),
    ];

    // Act
    const ids = sortedIds(runs, ['params.p']);

    // Assess
    expect(ids).toEqual(['new-a', 'new-b', 'old']);
  });

  it('ordering by start_time ASC replaces the default start_time DESC', () => {
    // Prepare
    const runs = [aRun({ id: 'b', startTime: 2 }), aRun({ id: 'z', startTime: 1 }), aRun({ id: 'a', startTime: 2 })];

    // Act
    const ids = sortedIds(runs, ['attributes.start_time ASC']);

    // Assess
    expect(ids).toEqual(['z', 'a', 'b']);
  });

  it('`created` is start_time and also replaces the default', () => {
    // Prepare
    const runs = [aRun({ id: 'late', startTime: 9 }), aRun({ id: 'early', startTime: 1 })];

    // Act
    const ids = sortedIds(runs, ['created']);

    // Assess
    expect(ids).toEqual(['early', 'late']);
  });
});

describe('run order: metrics', () => {
  const runs = [
    aRun({ id: 'nan', metrics: { x: Number.NaN } }),
    aRun({ id: 'missing' }),
    aRun({ id: 'inf', metrics: { x: Infinity } }),
    aRun({ id: 'neg', metrics: { x: -1000 } }),
    aRun({ id: 'zero', metrics: { x: 0 } }),
    aRun({ id: 'minus-inf', metrics: { x: -Infinity } }),
    aRun({ id: 'big', metrics: { x: 1000 } }),
  ];

  it('ascending: numbers low to high, then NaN, then runs without the metric', () => {
    // Prepare
    const orderBy = ['metrics.x asc'];

    // Act
    const ids = sortedIds(runs, orderBy);

    // Assess
    expect(ids).toEqual(['minus-inf', 'neg', 'zero', 'big', 'inf', 'nan', 'missing']);
  });

  it('descending: numbers high to low, then NaN, then runs without the metric', () => {
    // Prepare
    const orderBy = ['metrics.x DESC'];

    // Act
    const ids = sortedIds(runs, orderBy);

    // Assess
    expect(ids).toEqual(['inf', 'big', 'zero', 'neg', 'minus-inf', 'nan', 'missing']);
  });

  it('a quoted metric key with spaces orders like a plain one', () => {
    // Prepare
    const spaced = [aRun({ id: 'a', metrics: { 'mean error': 1 } }), aRun({ id: 'b', metrics: { 'mean error': 2 } })];

    // Act
    const ids = sortedIds(spaced, ['metrics.`mean error` DESC']);

    // Assess
    expect(ids).toEqual(['b', 'a']);
  });
});

describe('run order: params, tags and attributes', () => {
  const runs = [
    aRun({ id: 'r1', params: { p: 'b' }, tags: { t: 'y' }, startTime: 1 }),
    aRun({ id: 'r2', startTime: 2 }),
    aRun({ id: 'r3', params: { p: 'a' }, tags: { t: 'z' }, startTime: 3 }),
  ];

  it.each([
    { orderBy: 'params.p', expected: ['r3', 'r1', 'r2'] },
    { orderBy: 'params.p DESC', expected: ['r1', 'r3', 'r2'] },
    { orderBy: 'tags.t ASC', expected: ['r1', 'r3', 'r2'] },
    { orderBy: 'tag.t desc', expected: ['r3', 'r1', 'r2'] },
  ])('`$orderBy` gives $expected (runs without the key last)', ({ orderBy, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = sortedIds(candidates, [orderBy]);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { orderBy: 'end_time ASC', expected: ['early', 'late', 'open'] },
    { orderBy: 'end_time DESC', expected: ['late', 'early', 'open'] },
  ])('`$orderBy` puts runs without an end time last', ({ orderBy, expected }) => {
    // Prepare
    const candidates = [
      aRun({ id: 'open' }),
      aRun({ id: 'late', endTime: 50 }),
      aRun({ id: 'early', endTime: 20 }),
    ];

    // Act
    const ids = sortedIds(candidates, [orderBy]);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { orderBy: 'attributes.run_name', expected: ['x1', 'x3', 'x2'] },
    { orderBy: 'status DESC', expected: ['x2', 'x3', 'x1'] },
    { orderBy: 'attr.user_id', expected: ['x2', 'x1', 'x3'] },
    { orderBy: 'run_id DESC', expected: ['x3', 'x2', 'x1'] },
    { orderBy: 'artifact_uri ASC', expected: ['x1', 'x2', 'x3'] },
  ])('`$orderBy` gives $expected', ({ orderBy, expected }) => {
    // Prepare
    const candidates = [
      aRun({ id: 'x1', name: 'alpha', status: 'FAILED', userId: 'bob' }),
      aRun({ id: 'x2', name: 'gamma', status: 'RUNNING', userId: 'alice' }),
      aRun({ id: 'x3', name: 'beta', status: 'FINISHED', userId: 'carol' }),
    ];

    // Act
    const ids = sortedIds(candidates, [orderBy]);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('later clauses break ties of earlier ones; the direction keyword is case-insensitive', () => {
    // Prepare
    const candidates = [
      aRun({ id: 'a', params: { group: 'g1' }, metrics: { m: 1 } }),
      aRun({ id: 'b', params: { group: 'g1' }, metrics: { m: 5 } }),
      aRun({ id: 'c', params: { group: 'g0' }, metrics: { m: 3 } }),
    ];

    // Act
    const ids = sortedIds(candidates, ['params.group aSc', 'metrics.m   DeSc']);

    // Assess
    expect(ids).toEqual(['c', 'b', 'a']);
  });
});

describe('run order: errors', () => {
  it.each([
    { orderBy: ['metrics.a', 'metric.a DESC'], message: "`order_by` contains duplicate fields: ['metrics.a', 'metric.a DESC']" },
    { orderBy: ['created', 'start_time'], message: "`order_by` contains duplicate fields: ['created', 'start_time']" },
    { orderBy: ['attribute.run_id ACS'], message: "Invalid ordering key in order_by clause 'attribute.run_id ACS'." },
    { orderBy: ['metrics.A != 1'], message: "Invalid order_by clause 'metrics.A != 1'. Could not be parsed." },
    { orderBy: [''], message: "Invalid order_by clause ''. Could not be parsed." },
    { orderBy: ['metrics.a DESC extra'], message: "Invalid order_by clause 'metrics.a DESC extra'. Could not be parsed." },
    { orderBy: ['m.acc'], message: "Invalid entity type 'm'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']" },
    { orderBy: ['`metrics.A`'], message: "Invalid entity type '`metrics'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']" },
    {
      orderBy: ['attributes.`Run name`'],
      message:
        "Invalid attribute key 'Run name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
    },
    { orderBy: ['datasets.name'], message: "Invalid identifier type 'dataset'" },
  ])('$orderBy is rejected: $message', ({ orderBy, message }) => {
    // Prepare
    const act = () => parseRunOrderBy(orderBy);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
