import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Experiment } from '../../../../shared/domain/tracking/entities.js';
import { experimentMatches, parseExperimentFilter } from '../../../../shared/domain/search/index.js';
import { compileLike, MAX_LIKE_PATTERN_LENGTH, type LikeMeter } from '../../../../shared/domain/search/like.js';
import { errorOf } from '../../../support/error-of.js';

const LONG = 100_000;

const anExperimentNamed = (name: string): Experiment => ({
  experimentId: '1',
  name,
  artifactLocation: 'mlflow-artifacts:/1',
  lifecycleStage: 'active',
  creationTime: 1,
  lastUpdateTime: 1,
  tags: {},
});

/** The semantics the matcher must keep, as a regular expression: fine as an oracle on tiny inputs. */
const oracle = (pattern: string, caseInsensitive: boolean): RegExp => {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
  }
  return new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u');
};

const hostile = [
  { name: '50 × "%a" then "%b"', pattern: `${'%a'.repeat(50)}%b` },
  { name: '"_%a" repeated then "%b"', pattern: `_${'%a'.repeat(49)}%b` },
  { name: '50 × "%ab" then "%c"', pattern: `${'%ab'.repeat(50)}%c` },
  { name: '50 × "%_a_" then "%b"', pattern: `${'%_a_'.repeat(50)}%b` },
];

describe('LIKE / ILIKE work is bounded by value length × pattern length', () => {
  it.each(hostile.flatMap((h) => [false, true].map((caseInsensitive) => ({ ...h, caseInsensitive }))))(
    '$name (ILIKE: $caseInsensitive) against 100,000 "a"s is false, within the bound',
    ({ pattern, caseInsensitive }) => {
      // Prepare
      const value = 'a'.repeat(LONG);
      const meter: LikeMeter = { comparisons: 0 };

      // Act
      const matched = compileLike(pattern, caseInsensitive, meter)(value);

      // Assess
      expect(matched).toBe(false);
      expect(meter.comparisons).toBeLessThanOrEqual(value.length * pattern.length);
    },
  );

  it.each([false, true])('50 wildcards find the match at the end of 100,000 characters (ILIKE: %s)', (caseInsensitive) => {
    // Prepare
    const value = `${'a'.repeat(LONG - 1)}${caseInsensitive ? 'B' : 'b'}`;
    const pattern = `_${'%a'.repeat(49)}%b`;
    const meter: LikeMeter = { comparisons: 0 };

    // Act
    const matched = compileLike(pattern, caseInsensitive, meter)(value);

    // Assess
    expect(matched).toBe(true);
    expect(meter.comparisons).toBeLessThanOrEqual(value.length * pattern.length);
  });

  it('the worst pattern found on the way answers a search over 100,000-character names quickly', () => {
    // Prepare
    const names = [`${'a'.repeat(LONG - 1)}b`, 'a'.repeat(LONG), `${'A'.repeat(LONG - 1)}B`];
    const filter = parseExperimentFilter(`name ILIKE '${'%a'.repeat(50)}%b'`);
    const started = performance.now();

    // Act
    const matching = names.filter((name) => experimentMatches(anExperimentNamed(name), filter));
    const elapsedMs = performance.now() - started;

    // Assess
    expect(matching.map((name) => name.length)).toEqual([LONG, LONG]);
    // A complexity guard the issue asks for; the backtracking regex took minutes on this.
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('a pattern longer than the bound is refused as INVALID_PARAMETER_VALUE', () => {
    // Prepare
    const pattern = '%a'.repeat(MAX_LIKE_PATTERN_LENGTH);

    // Act
    const error = errorOf(() => parseExperimentFilter(`name LIKE '${pattern}'`));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect((error as Error).message).toContain(`the most allowed is ${MAX_LIKE_PATTERN_LENGTH}`);
  });

  it('a pattern of exactly the bound is accepted', () => {
    // Prepare
    const pattern = `${'_'.repeat(MAX_LIKE_PATTERN_LENGTH - 1)}%`;

    // Act
    const matched = compileLike(pattern, false)('x'.repeat(MAX_LIKE_PATTERN_LENGTH));

    // Assess
    expect(matched).toBe(true);
  });
});

describe('the matcher agrees with the regular-expression semantics it replaces', () => {
  const alphabet = fc.constantFrom('a', 'b', 'A', 'B', '%', '_', '.', '😀', '\n', 'ſ', 'S', 'K', 'k', 'ı', 'I', 'É', 'é');

  it.each([false, true])('on generated patterns and values (ILIKE: %s)', (caseInsensitive) => {
    // Prepare
    const property = fc.property(
      fc.array(alphabet, { maxLength: 8 }).map((a) => a.join('')),
      fc.array(alphabet, { maxLength: 12 }).map((a) => a.join('')),
      (pattern, value) => compileLike(pattern, caseInsensitive)(value) === oracle(pattern, caseInsensitive).test(value),
    );

    // Act
    const outcome = fc.check(property, { seed: 20240611, numRuns: 3000 });

    // Assess
    expect(outcome.failed ? outcome.counterexample : undefined).toBeUndefined();
  });
});
