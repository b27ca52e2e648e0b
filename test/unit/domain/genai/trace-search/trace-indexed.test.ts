import { describe, expect, it } from 'vitest';
import { bestOf } from '../../../../../shared/domain/genai/trace-search/indexed.js';
import { seededRandom } from '../../../../support/seeded-random.js';

describe('bestOf: the first `limit` items in order, without sorting them all', () => {
  it.each([1, 7, 101, 5000])('keeps what a stable sort would put first (limit %i), ties in arrival order', (limit) => {
    // Prepare: values with many ties, each tagged with its arrival
    const random = seededRandom(limit);
    const items = Array.from({ length: 3000 }, (_, arrival) => ({ value: Math.floor(random() * 200), arrival }));
    const compare = (a: { value: number }, b: { value: number }) => a.value - b.value;

    // Act
    const best = bestOf(limit, compare);
    for (const item of items) best.offer(item);

    // Assess
    expect(best.items).toEqual([...items].sort(compare).slice(0, limit));
  });

  it('keeps everything, in arrival order, without a limit', () => {
    // Act
    const best = bestOf<number>(Infinity, (a, b) => a - b);
    for (const n of [3, 1, 2]) best.offer(n);

    // Assess
    expect(best.items).toEqual([3, 1, 2]);
  });
});
