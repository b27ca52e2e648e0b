import { describe, it, expect } from 'vitest';
import type { Run } from '../../../../shared/domain/tracking/entities.js';
import { parseRunFilter, runMatches } from '../../../../shared/domain/search/index.js';

const aRunWithParam = (value: string): Run => ({
  info: {
    runId: 'r1',
    experimentId: '1',
    runName: 'r',
    userId: 'u',
    status: 'FINISHED',
    startTime: 1,
    artifactUri: 'a',
    lifecycleStage: 'active',
  },
  params: { p: value },
  tags: {},
  metrics: {},
  datasetInputs: [],
  modelInputs: [],
  modelOutputs: [],
});

const matches = (value: string, comparator: 'LIKE' | 'ILIKE', pattern: string): boolean =>
  runMatches(aRunWithParam(value), parseRunFilter(`params.p ${comparator} "${pattern}"`));

describe('LIKE patterns', () => {
  it.each([
    { value: 'abc', pattern: 'abc', expected: true },
    { value: 'abcd', pattern: 'abc', expected: false },
    { value: 'abc', pattern: 'a%', expected: true },
    { value: 'abc', pattern: '%c', expected: true },
    { value: 'abc', pattern: '%b%', expected: true },
    { value: 'abc', pattern: '%', expected: true },
    { value: '', pattern: '%', expected: true },
    { value: 'abc', pattern: 'a%c', expected: true },
    { value: 'ac', pattern: 'a%c', expected: true },
    { value: 'abc', pattern: 'a_c', expected: true },
    { value: 'ac', pattern: 'a_c', expected: false },
    { value: 'abbc', pattern: 'a_c', expected: false },
    { value: 'a😀c', pattern: 'a_c', expected: true },
    { value: 'line1\nline2', pattern: 'line1%', expected: true },
    { value: 'line1\nline2', pattern: 'line1_line2', expected: true },
  ])('"$value" LIKE "$pattern" is $expected', ({ value, pattern, expected }) => {
    // Prepare
    const comparator = 'LIKE' as const;

    // Act
    const result = matches(value, comparator, pattern);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    { value: 'abc', pattern: 'a.c', expected: false },
    { value: 'a.c', pattern: 'a.c', expected: true },
    { value: 'aaa', pattern: 'a*', expected: false },
    { value: 'a*', pattern: 'a*', expected: true },
    { value: 'C+W bar', pattern: 'C+%', expected: true },
    { value: 'CCW', pattern: 'C+W', expected: false },
    { value: '(x)|[y]', pattern: '(x)|[y]', expected: true },
    { value: 'x', pattern: '(x)|[y]', expected: false },
    { value: '^$', pattern: '^$', expected: true },
    { value: 'a{2}', pattern: 'a{2}', expected: true },
    { value: 'aa', pattern: 'a{2}', expected: false },
    { value: 'a?b', pattern: 'a?%', expected: true },
    { value: 'a/b', pattern: '%/b', expected: true },
    { value: 'a\\b', pattern: 'a\\%', expected: true },
  ])('regex metacharacters are literal: "$value" LIKE "$pattern" is $expected', ({ value, pattern, expected }) => {
    // Prepare
    const comparator = 'LIKE' as const;

    // Act
    const result = matches(value, comparator, pattern);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    { value: 'a.cd', pattern: 'a.c_', expected: true },
    { value: 'abcd', pattern: 'a.c_', expected: false },
    { value: '(x)1[y]', pattern: '(x)_[y]', expected: true },
    { value: 'x1y', pattern: '(x)_[y]', expected: false },
    { value: 'a+b=c', pattern: 'a+%=_', expected: true },
    { value: 'aab=c', pattern: 'a+%=_', expected: false },
    { value: '$1.00^2', pattern: '$%.__^_', expected: true },
    { value: 'x|y{1}z', pattern: 'x|y{1}%_', expected: true },
    { value: 'xy', pattern: 'x|y{1}%_', expected: false },
    { value: 'a\\b/c?', pattern: 'a\\_/%?', expected: true },
  ])('metacharacters stay literal next to wildcards: "$value" LIKE "$pattern" is $expected', ({ value, pattern, expected }) => {
    // Prepare
    const comparator = 'LIKE' as const;

    // Act
    const result = matches(value, comparator, pattern);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    { value: 'A.B', pattern: 'a.b', expected: true },
    { value: 'AXB', pattern: 'a.b', expected: false },
    { value: 'X+Y', pattern: 'x+y', expected: true },
    { value: 'XXY', pattern: 'x+y', expected: false },
    { value: '[AB]', pattern: '[ab]', expected: true },
    { value: 'A', pattern: '[ab]', expected: false },
  ])('metacharacters stay literal in ILIKE: "$value" ILIKE "$pattern" is $expected', ({ value, pattern, expected }) => {
    // Prepare
    const comparator = 'ILIKE' as const;

    // Act
    const result = matches(value, comparator, pattern);

    // Assess
    expect(result).toBe(expected);
  });

  it('a backslash does not escape a wildcard (SQLite LIKE has no escape character)', () => {
    // Prepare
    const value = 'a\\xyz';

    // Act
    const result = matches(value, 'LIKE', 'a\\%');

    // Assess
    expect(result).toBe(true);
  });

  it('LIKE is case-sensitive', () => {
    // Prepare
    const value = 'Model';

    // Act
    const result = matches(value, 'LIKE', 'model%');

    // Assess
    expect(result).toBe(false);
  });

  it.each([
    { value: 'Model', pattern: 'model%', expected: true },
    { value: 'MODEL.V2', pattern: '%.v_', expected: true },
    { value: 'MODELxV2', pattern: '%.v_', expected: false },
    { value: 'ÉCOLE', pattern: 'école', expected: true },
  ])('"$value" ILIKE "$pattern" is $expected (case-insensitive, metacharacters literal)', ({ value, pattern, expected }) => {
    // Prepare
    const comparator = 'ILIKE' as const;

    // Act
    const result = matches(value, comparator, pattern);

    // Assess
    expect(result).toBe(expected);
  });
});
