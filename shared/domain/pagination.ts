import { invalidParameter } from '../errors/index.js';

/**
 * Offset page tokens, base64 of `{"offset": n}` as MLflow's SQL store makes them. Clients treat tokens as
 * opaque; a damaged one is INVALID_PARAMETER_VALUE.
 */
export const encodeOffsetToken = (offset: number): string =>
  Buffer.from(JSON.stringify({ offset })).toString('base64');

export const decodeOffsetToken = (token: string | undefined): number => {
  if (!token) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidParameter('Invalid page token, could not base64-decode');
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, parsed value=${JSON.stringify(parsed)}`);
  }
  return offset;
};

/** One page of `items` and the token of the next page, if there are more items. */
export const pageOf = <T>(items: T[], offset: number, maxResults: number) => {
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults < items.length ? encodeOffsetToken(offset + maxResults) : undefined;
  return { page, nextPageToken: next };
};
