import { describe, it, expect } from 'vitest';
import type { Run, RunStatus } from '../../../../shared/domain/entities.js';
import { parseRunFilter, runMatches } from '../../../../shared/domain/search/index.js';

interface RunSpec {
  id: string;
  name?: string;
  userId?: string;
  status?: RunStatus;
  startTime?: number;
  endTime?: number;
  artifactUri?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

const aRun = (spec: RunSpec): Run => ({
  info: {
    runId: spec.id,
    experimentId: '1',
    runName: spec.name ?? `name-${spec.id}`,
    userId: spec.userId ?? 'alice',
    status: spec.status ?? 'FINISHED',
    startTime: spec.startTime ?? 1000,
    ...(spec.endTime === undefined ? {} : { endTime: spec.endTime }),
    artifactUri: spec.artifactUri ?? `mlflow-artifacts:/1/${spec.id}/artifacts`,
    lifecycleStage: 'active',
  },
  params: spec.params ?? {},
  tags: { 'mlflow.runName': spec.name ?? `name-${spec.id}`, ...spec.tags },
  metrics: Object.fromEntries(
    Object.entries(spec.metrics ?? {}).map(([key, value]) => [key, { key, value, timestamp: 0, step: 0 }]),
  ),
  datasetInputs: (spec.datasets ?? []).map((d) => ({
    dataset: { name: d.name, digest: d.digest, sourceType: 'local', source: '{}' },
    tags: d.context === undefined ? [] : [{ key: 'mlflow.data.context', value: d.context }],
  })),
  modelInputs: [],
  modelOutputs: [],
});

const idsMatching = (runs: Run[], filter: string | undefined): string[] => {
  const compiled = parseRunFilter(filter);
  return runs.filter((run) => runMatches(run, compiled)).map((run) => run.info.runId);
};

const metricRuns = [
  aRun({ id: 'low', metrics: { acc: 0.2 } }),
  aRun({ id: 'mid', metrics: { acc: 0.5 } }),
  aRun({ id: 'high', metrics: { acc: 0.9 } }),
  aRun({ id: 'none', metrics: { loss: 1 } }),
  aRun({ id: 'nan', metrics: { acc: Number.NaN } }),
];

describe('run filter: empty filters', () => {
  it.each([
    { filter: undefined, label: 'undefined' },
    { filter: '', label: 'empty' },
    { filter: '   \n', label: 'blank' },
  ])('an $label filter keeps every run', ({ filter }) => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, filter);

    // Assess
    expect(ids).toEqual(['low', 'mid', 'high', 'none', 'nan']);
  });
});

describe('run filter: metrics', () => {
  it.each([
    { filter: 'metrics.acc = 0.5', expected: ['mid'] },
    { filter: 'metrics.acc != 0.5', expected: ['low', 'high', 'nan'] },
    { filter: 'metrics.acc > 0.5', expected: ['high'] },
    { filter: 'metrics.acc >= 0.5', expected: ['mid', 'high'] },
    { filter: 'metrics.acc < 0.5', expected: ['low', 'nan'] },
    { filter: 'metrics.acc <= 0.5', expected: ['low', 'mid', 'nan'] },
  ])('`$filter` keeps $expected (missing metric never matches, NaN compares as 0)', ({ filter, expected }) => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('a NaN metric matches `= 0`, as the reference stores NaN as 0 for comparisons', () => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, 'metrics.acc = 0');

    // Assess
    expect(ids).toEqual(['nan']);
  });

  it('the singular `metric.` prefix, negative and exponent literals are accepted', () => {
    // Prepare
    const runs = [aRun({ id: 'neg', metrics: { d: -0.25 } }), aRun({ id: 'pos', metrics: { d: 0.25 } })];

    // Act
    const ids = idsMatching(runs, 'metric.d < -1e-1');

    // Assess
    expect(ids).toEqual(['neg']);
  });

  it('an infinite metric is greater than any finite literal', () => {
    // Prepare
    const runs = [aRun({ id: 'inf', metrics: { m: Infinity } }), aRun({ id: 'big', metrics: { m: 1e300 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.m > 1e307');

    // Assess
    expect(ids).toEqual(['inf']);
  });

  it('backtick and double-quoted metric keys may hold spaces and dashes', () => {
    // Prepare
    const runs = [aRun({ id: 'a', metrics: { 'val loss': 1, 'f1-score': 0.9 } }), aRun({ id: 'b', metrics: { 'val loss': 3 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.`val loss` < 2 AND metrics."f1-score" > 0.5');

    // Assess
    expect(ids).toEqual(['a']);
  });

  it('a metric named like an Object.prototype member is missing unless logged', () => {
    // Prepare
    const runs = [aRun({ id: 'plain' }), aRun({ id: 'logged', metrics: { constructor: 1 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.constructor >= 0');

    // Assess
    expect(ids).toEqual(['logged']);
  });
});

describe('run filter: params and tags', () => {
  const runs = [
    aRun({ id: 'lower', params: { model: 'rf' }, tags: { team: 'core' } }),
    aRun({ id: 'upper', params: { model: 'RF' }, tags: { team: 'CORE' } }),
    aRun({ id: 'other', params: { model: 'lr' }, tags: { team: 'web' } }),
    aRun({ id: 'bare' }),
  ];

  it.each([
    { filter: "params.model = 'rf'", expected: ['lower'] },
    { filter: "params.model != 'rf'", expected: ['upper', 'other'] },
    { filter: "params.model LIKE 'r%'", expected: ['lower'] },
    { filter: "params.model ILIKE 'r%'", expected: ['lower', 'upper'] },
    { filter: 'params.model = "lr"', expected: ['other'] },
    { filter: "param.model = 'rf'", expected: ['lower'] },
    { filter: "parameter.model = 'rf'", expected: ['lower'] },
    { filter: "parameters.model like 'l_'", expected: ['other'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: "tags.team = 'core'", expected: ['lower'] },
    { filter: "tags.team != 'core'", expected: ['upper', 'other'] },
    { filter: "tags.team LIKE '%o%'", expected: ['lower'] },
    { filter: "tag.team ILIKE '%O%'", expected: ['lower', 'upper'] },
  ])('`$filter` keeps $expected (runs without the tag never match)', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('a tag key with dots is everything after the first dot', () => {
    // Prepare
    const candidates = [aRun({ id: 'child', tags: { 'mlflow.parentRunId': 'p1' } }), aRun({ id: 'root' })];

    // Act
    const ids = idsMatching(candidates, "tags.mlflow.parentRunId = 'p1'");

    // Assess
    expect(ids).toEqual(['child']);
  });

  it('quoted tag keys may contain spaces', () => {
    // Prepare
    const candidates = [aRun({ id: 'a', tags: { 'my key': 'v' } }), aRun({ id: 'b', tags: { 'my key': 'w' } })];

    // Act
    const backtick = idsMatching(candidates, "tags.`my key` = 'v'");
    const doubleQuoted = idsMatching(candidates, 'tags."my key" = \'w\'');

    // Assess
    expect([backtick, doubleQuoted]).toEqual([['a'], ['b']]);
  });

  it('clauses joined by AND in any letter case must all hold', () => {
    // Prepare
    const candidates = [
      aRun({ id: 'both', metrics: { acc: 0.9 }, params: { lr: '0.1' } }),
      aRun({ id: 'metric-only', metrics: { acc: 0.9 }, params: { lr: '0.2' } }),
    ];

    // Act
    const ids = idsMatching(candidates, "metrics.acc > 0.5 and params.lr = '0.1' AnD tags.mlflow.runName LIKE 'name-%'");

    // Assess
    expect(ids).toEqual(['both']);
  });
});

describe('run filter: attributes', () => {
  const runs = [
    aRun({ id: 'aaa111', name: 'alpha', userId: 'alice', status: 'FINISHED', startTime: 100, endTime: 150 }),
    aRun({ id: 'bbb222', name: 'beta', userId: 'bob', status: 'RUNNING', startTime: 200 }),
    aRun({ id: 'ccc333', name: 'Alpha two', userId: 'carol', status: 'FAILED', startTime: 300, endTime: 400 }),
  ];

  it.each([
    { filter: "attributes.run_id = 'bbb222'", expected: ['bbb222'] },
    { filter: "run_id != 'bbb222'", expected: ['aaa111', 'ccc333'] },
    { filter: "attribute.run_id LIKE 'a%'", expected: ['aaa111'] },
    { filter: "attr.run_id ILIKE 'C%'", expected: ['ccc333'] },
    { filter: "run.run_id IN ('aaa111', 'ccc333')", expected: ['aaa111', 'ccc333'] },
    { filter: "run_id NOT IN ('aaa111')", expected: ['bbb222', 'ccc333'] },
    { filter: "run_id in ('bbb222',)", expected: ['bbb222'] },
    { filter: "run_id not in (\"bbb222\")", expected: ['aaa111', 'ccc333'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('run_id IN drops list entries with upper-case letters, as MLflow does', () => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, "run_id IN ('AAA111', 'bbb222')");

    // Assess
    expect(ids).toEqual(['bbb222']);
  });

  it.each([
    { filter: "attributes.run_name = 'alpha'", expected: ['aaa111'] },
    { filter: "run_name LIKE 'Alpha%'", expected: ['ccc333'] },
    { filter: "run_name ILIKE 'alpha%'", expected: ['aaa111', 'ccc333'] },
    { filter: "attributes.`Run name` != 'beta'", expected: ['aaa111', 'ccc333'] },
    { filter: "`run name` = 'beta'", expected: ['bbb222'] },
    { filter: "attributes.`Run Name` = 'beta'", expected: ['bbb222'] },
  ])('`$filter` filters on the run name and keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: "user_id = 'bob'", expected: ['bbb222'] },
    { filter: "attributes.user_id ILIKE '%O%'", expected: ['bbb222', 'ccc333'] },
    { filter: "status = 'FAILED'", expected: ['ccc333'] },
    { filter: "attributes.status != 'RUNNING'", expected: ['aaa111', 'ccc333'] },
    { filter: "status = 'failed'", expected: [] },
    { filter: "artifact_uri LIKE '%/bbb222/%'", expected: ['bbb222'] },
  ])('`$filter` keeps $expected (case-sensitive unless ILIKE)', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: 'attributes.start_time = 200', expected: ['bbb222'] },
    { filter: 'start_time != 200', expected: ['aaa111', 'ccc333'] },
    { filter: 'start_time > 200', expected: ['ccc333'] },
    { filter: 'start_time >= 200', expected: ['bbb222', 'ccc333'] },
    { filter: 'start_time < 200', expected: ['aaa111'] },
    { filter: 'start_time <= 200', expected: ['aaa111', 'bbb222'] },
    { filter: 'created >= 300', expected: ['ccc333'] },
    { filter: 'attributes.Created < 150', expected: ['aaa111'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: 'end_time > 0', expected: ['aaa111', 'ccc333'] },
    { filter: 'end_time != 150', expected: ['ccc333'] },
  ])('`$filter` never matches runs without an end time', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });
});

describe('run filter: datasets', () => {
  const runs = [
    aRun({ id: 'one', datasets: [{ name: 'train', digest: 'd1', context: 'training' }] }),
    aRun({
      id: 'two',
      datasets: [
        { name: 'train', digest: 'd2' },
        { name: 'eval', digest: 'd3', context: 'evaluation' },
      ],
    }),
    aRun({ id: 'none' }),
  ];

  it.each([
    { filter: "datasets.name = 'eval'", expected: ['two'] },
    { filter: "datasets.name != 'train'", expected: ['two'] },
    { filter: "dataset.name LIKE 'tr%'", expected: ['one', 'two'] },
    { filter: "datasets.name ILIKE 'EVAL'", expected: ['two'] },
    { filter: "datasets.digest IN ('d1', 'd3')", expected: ['one', 'two'] },
    { filter: "datasets.digest NOT IN ('d1')", expected: ['two'] },
    { filter: "datasets.context = 'training'", expected: ['one'] },
    { filter: "datasets.context LIKE 'eval%'", expected: ['two'] },
    { filter: "datasets.name = 'train' AND datasets.context = 'evaluation'", expected: ['two'] },
  ])('`$filter` keeps $expected (any dataset input may match)', ({ filter, expected }) => {
    // Prepare
    const candidates = runs;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });
});
