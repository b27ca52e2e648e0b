import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInOrder } from '../../../shared/domain/kernel/first-in-order.js';

/** A total order with ties on the first field broken by the second, as search orders end with run_id. */
const compare = (a: [number, string], b: [number, string]) => (a[0] !== b[0] ? b[0] - a[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

describe('firstInOrder', () => {
  it('gives what a full sort then a slice gives, for any items and count', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 4 })), { selector: (t) => t[1], maxLength: 300 }),
        fc.integer({ min: 0, max: 320 }),
        (items, count) => {
          expect(firstInOrder(items, count, compare)).toEqual([...items].sort(compare).slice(0, count));
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it('leaves its input as it was', () => {
    // Prepare
    const items: [number, string][] = Array.from({ length: 100 }, (_, i) => [i % 7, `r${i}`]);
    const before = items.map((item) => [...item]);

    // Act
    const first = firstInOrder(items, 5, compare);

    // Assess
    expect(items).toEqual(before);
    expect(first).toEqual([[6, 'r13'], [6, 'r20'], [6, 'r27'], [6, 'r34'], [6, 'r41']]);
  });
});
