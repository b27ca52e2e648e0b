import { createHash } from 'node:crypto';
import { invalidParameter } from '../../errors/index.js';

/**
 * The one page-token format of every paged endpoint: base64url of
 * `{"v": 1, "k": <endpoint>, "r": <digest of the request>, "p": <position>}`.
 *
 * - Opaque to clients (MLflow's clients only hand back what they got), versioned, and bound to the
 *   request it continues: `r` digests the request's identifying fields (a search's filter and order, a
 *   history's run and key, ...), and the caller's view where results are filtered by permission, so a
 *   token sent with another request or by another caller is refused instead of answering from the wrong
 *   place.
 * - A position never holds a storage key: where a page continues from a key, the token carries only
 *   the sort part and the caller rebuilds the key from the request, so no token can leave its
 *   partition. The digest is not a signature; a caller may forge positions, but only within the
 *   request's own results.
 * - Every malformed token is INVALID_PARAMETER_VALUE, never an internal error.
 */

const VERSION = 1;

/** What a token continues: the endpoint and the request fields that select and order its results. */
export interface PageScope {
  readonly kind: string;
  readonly request: unknown;
  /**
   * Whose view of the results the token walks (kernel/visibility.ts), when searches are filtered by what the
   * caller may read: a token is then refused from any other caller. Absent when everything is visible, so
   * tokens issued with authorization off keep their digest.
   */
  readonly viewer?: string | undefined;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const digestOf = ({ kind, request, viewer }: PageScope): string =>
  createHash('sha256')
    .update(JSON.stringify(viewer === undefined ? [kind, request ?? null] : [kind, request ?? null, viewer]))
    .digest('base64url')
    .slice(0, 22);

export const encodePageToken = (scope: PageScope, position: Json): string =>
  Buffer.from(JSON.stringify({ v: VERSION, k: scope.kind, r: digestOf(scope), p: position })).toString('base64url');

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/u;
const MAX_TOKEN_LENGTH = 4096;

const refuse = (why: string) => invalidParameter(`Invalid page token: ${why}`);

/**
 * The position a token carries, checked to belong to `scope` and read by `readPosition` (which
 * answers undefined for a position of the wrong shape). An absent or empty token is undefined.
 */
export const decodePageToken = <P>(
  token: string | undefined,
  scope: PageScope,
  readPosition: (position: unknown) => P | undefined,
): P | undefined => {
  if (token === undefined || token === '') return undefined;
  if (token.length > MAX_TOKEN_LENGTH || !BASE64.test(token)) throw refuse('it is not base64.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refuse('it is not one this server issued.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw refuse('it is not one this server issued.');
  }
  const { v, k, r, p } = parsed as Record<string, unknown>;
  if (v !== VERSION || typeof k !== 'string' || typeof r !== 'string') throw refuse('it is not one this server issued.');
  if (k !== scope.kind || r !== digestOf(scope)) {
    throw refuse('it belongs to a different request; send the same parameters as the request that returned it.');
  }
  const position = readPosition(p);
  if (position === undefined) throw refuse('its position is not valid.');
  return position;
};

/** A page that continues at an offset into a sorted result. */
export const encodeOffsetPageToken = (scope: PageScope, offset: number): string => encodePageToken(scope, { offset });

export const decodeOffsetPageToken = (token: string | undefined, scope: PageScope): number =>
  decodePageToken(token, scope, readOffset) ?? 0;

const readOffset = (position: unknown): number | undefined => {
  const offset = (position as { offset?: unknown } | null)?.offset;
  return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
};

/** One page of `items` from `offset`, and the token of the next page if more items follow. */
export const offsetPage = <T>(items: readonly T[], scope: PageScope, offset: number, maxResults: number, total = items.length) => {
  const page = items.slice(offset, offset + maxResults);
  const more = offset + maxResults < total;
  return { page, nextPageToken: more ? encodeOffsetPageToken(scope, offset + maxResults) : undefined };
};
