import { describe, it, expect } from 'vitest';
import { aRun, idsMatching } from './run-builders.js';

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
