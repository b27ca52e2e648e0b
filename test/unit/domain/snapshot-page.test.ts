import { describe, expect, it } from 'vitest';
import { positionAt, type CatalogItem, type CatalogSnapshot } from '../../../shared/domain/kernel/catalog.js';
import { encodePageToken } from '../../../shared/domain/kernel/page-token.js';
import { smallestK } from '../../../shared/domain/kernel/smallest-k.js';
import { snapshotPage } from '../../../shared/domain/kernel/snapshot-page.js';
import { seededRandom } from '../../support/seeded-random.js';
import { errorOf } from '../../support/error-of.js';

interface Named {
  id: string;
  name: string;
}
type Key = Named;

const scope = { kind: 'things/search', request: ['by name'] };
const compare = (a: Key, b: Key) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const readKey = (raw: unknown): Key | undefined => {
  const { id, name } = (raw ?? {}) as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : undefined;
};

/** A catalog of two shards; `moved` items carry the name they had before change `seq` of their shard. */
const catalogOf = (items: CatalogItem<Named>[], version: number[]): CatalogSnapshot<Named> => ({ version, items });
const item = (id: string, name: string, shard = 0, moves: { seq: number; before: Partial<Named> }[] = []): CatalogItem<Named> => ({
  value: { id, name },
  shard,
  moves,
});

const pageOf = (snapshot: CatalogSnapshot<Named>, pageToken: string | undefined, maxResults = 2, include = (_: Named) => true) =>
  snapshotPage({ snapshot, pageToken, scope, maxResults, include, keyOf: (i, v) => positionAt(i, v), project: ({ id, name }) => ({ id, name }), readKey, compare });

describe('positionAt', () => {
  it('places an item by the values before its first move after the version, else by its own', () => {
    // Prepare
    const renamedTwice = item('x', 'zeta', 1, [
      { seq: 5, before: { name: 'alpha' } },
      { seq: 9, before: { name: 'mu' } },
    ]);

    // Act
    const places = [[0, 4], [0, 5], [0, 8], [0, 9]].map((version) => positionAt(renamedTwice, version).name);

    // Assess
    expect(places).toEqual(['alpha', 'mu', 'mu', 'zeta']);
  });
});

describe('snapshotPage', () => {
  it('answers each item once across pages while items are renamed across the cursor and created', () => {
    // Prepare
    const first = catalogOf([item('a', 'a'), item('b', 'b'), item('c', 'c', 1), item('d', 'd', 1)], [3, 7]);

    // Act
    const page1 = pageOf(first, undefined);
    // Meanwhile: a (answered) renamed to z in change 4 of shard 0; d (ahead) renamed to 0 in change 8 of shard 1;
    // e created.
    const second = catalogOf(
      [item('a', 'z', 0, [{ seq: 4, before: { name: 'a' } }]), item('b', 'b'), item('c', 'c', 1), item('d', '0', 1, [{ seq: 8, before: { name: 'd' } }]), item('e', 'bb', 1)],
      [4, 8],
    );
    const page2 = pageOf(second, page1.nextPageToken);
    const page3 = pageOf(second, page2.nextPageToken);

    // Assess
    expect(page1.page.map((n) => n.id)).toEqual(['a', 'b']);
    expect(page2.page.map((n) => n.id)).toEqual(['e', 'c']);
    expect(page3.page.map((n) => n.id)).toEqual(['d']);
    expect(page3.nextPageToken).toBeUndefined();
    expect(page2.page.map((n) => n.name)).toEqual(['bb', 'c']);
  });

  it('answers no token after the last page, and fewer items when the rest no longer match', () => {
    // Prepare
    const snapshot = catalogOf([item('a', 'a'), item('b', 'b'), item('c', 'c')], [1]);

    // Act
    const first = pageOf(snapshot, undefined);
    const rest = pageOf(snapshot, first.nextPageToken, 2, (n) => n.id !== 'c');

    // Assess
    expect(first.nextPageToken).toBeDefined();
    expect(rest).toEqual({ page: [] });
  });

  it('refuses a token of another request, with another number of shards, or with a key of another shape', () => {
    // Prepare
    const snapshot = catalogOf([item('a', 'a'), item('b', 'b'), item('c', 'c')], [1, 1]);
    const forged = [
      encodePageToken({ kind: 'other/search', request: ['by name'] }, { v: [1, 1], a: { id: 'a', name: 'a' } }),
      encodePageToken(scope, { v: [1], a: { id: 'a', name: 'a' } }),
      encodePageToken(scope, { v: [1, -1], a: { id: 'a', name: 'a' } }),
      encodePageToken(scope, { v: [1, 1], a: { id: 3 } }),
      encodePageToken(scope, { offset: 2 }),
    ];

    // Act
    const errors = forged.map((token) => errorOf(() => pageOf(snapshot, token)));

    // Assess
    for (const error of errors) expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('smallestK', () => {
  it('answers the k smallest in order, as a full sort would', () => {
    // Prepare
    const random = seededRandom(3);
    const values = Array.from({ length: 5000 }, () => Math.floor(random() * 1000));
    const byNumber = (a: number, b: number) => a - b;

    // Act
    const chosen = [1, 10, 101, 1249, 1250, 6000].map((k) => smallestK([...values], k, byNumber));

    // Assess
    const sorted = [...values].sort(byNumber);
    expect(chosen).toEqual([1, 10, 101, 1249, 1250, 6000].map((k) => sorted.slice(0, k)));
  });
});
