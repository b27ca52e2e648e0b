import type { CatalogItem, CatalogSnapshot } from './catalog.js';
import { decodePageToken, encodePageToken, type PageScope } from './page-token.js';
import { smallestK } from './smallest-k.js';

/**
 * Pages of a catalog search that stay right while the catalog changes. The token holds the catalog's version at
 * the first page and the sort key of the last item answered; every page orders the items as they were at that
 * version (kernel/catalog.ts) and answers the ones after that key. So, whatever is written meanwhile:
 *
 *   - an item that existed at the first page holds one place for the whole paging: it is answered once, on the
 *     page its place falls in, if it matches the search then (its content and the match are current);
 *   - an item created since is placed by its current values: answered once or not at all, unless it moves
 *     across the pages already answered.
 *
 * The sort key must be total (end with the item's id), so "after the last key" is never ambiguous.
 */
export interface SnapshotPageRequest<T, K> {
  readonly snapshot: CatalogSnapshot<T>;
  readonly pageToken: string | undefined;
  readonly scope: PageScope;
  readonly maxResults: number;
  /** Whether the item is in the results, by its current values (visibility, view type, filter). */
  readonly include: (value: T) => boolean;
  /** The item's sort key, placed as at `version` (usually `positionAt`, or a projection of it). */
  readonly keyOf: (item: CatalogItem<T>, version: readonly number[]) => K;
  /** What of a key a token keeps (default: all of it): keyOf may answer whole items, the token needs their sort fields. */
  readonly project?: (key: K) => K;
  /** A key read back from a token, or undefined when it is not one `keyOf` could have made. */
  readonly readKey: (raw: unknown) => K | undefined;
  readonly compare: (a: K, b: K) => number;
}

interface Position<K> {
  readonly version: number[];
  readonly after?: K;
}

const readVersion = (raw: unknown, shards: number): number[] | undefined => {
  if (!Array.isArray(raw) || raw.length !== shards) return undefined;
  return raw.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) ? (raw as number[]) : undefined;
};

/**
 * Where a token of snapshotPage continues: the catalog version of its first page and the last key answered
 * (undefined without a token). INVALID_PARAMETER_VALUE for a token of another request or a malformed one.
 */
export const readSnapshotToken = <K>(
  token: string | undefined,
  scope: SnapshotPageRequest<unknown, K>['scope'],
  shards: number,
  readKey: (raw: unknown) => K | undefined,
): { version: number[]; after: K } | undefined =>
  decodePageToken(token, scope, (raw) => {
    const { v, a } = (raw ?? {}) as { v?: unknown; a?: unknown };
    const version = readVersion(v, shards);
    const after = readKey(a);
    return version && after !== undefined ? { version, after } : undefined;
  });

export const snapshotPage = <T, K>(request: SnapshotPageRequest<T, K>): { page: T[]; nextPageToken?: string } => {
  const { snapshot, scope, maxResults, include, keyOf, compare } = request;
  const position: Position<K> = readSnapshotToken(request.pageToken, scope, snapshot.version.length, request.readKey) ?? {
    version: [...snapshot.version],
  };
  const { version, after } = position;
  const candidates: { key: K; value: T }[] = [];
  for (const item of snapshot.items) {
    if (!include(item.value)) continue;
    const key = keyOf(item, version);
    if (after !== undefined && compare(key, after) <= 0) continue;
    candidates.push({ key, value: item.value });
  }
  const chosen = smallestK(candidates, maxResults + 1, (a, b) => compare(a.key, b.key));
  const page = chosen.slice(0, maxResults);
  const last = page[page.length - 1];
  const more = chosen.length > maxResults && last !== undefined;
  return {
    page: page.map((c) => c.value),
    ...(more ? { nextPageToken: encodePageToken(scope, { v: version, a: (request.project ? request.project(last.key) : last.key) as never }) } : {}),
  };
};
