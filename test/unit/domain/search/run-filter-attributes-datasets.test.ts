import { describe, it, expect } from 'vitest';
import { aRun, idsMatching } from './run-builders.js';

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
