import { readFile } from 'node:fs/promises';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { StoredToken, TokenStore } from '../../../shared/domain/auth/tokens.js';

/** An in-memory TokenStore with the repository's semantics (revocation keeps the first time, drops the hash). */
export const memoryTokenStore = (): TokenStore & { items: Map<string, StoredToken>; touches: number } => {
  const items = new Map<string, StoredToken>();
  const store = {
    items,
    touches: 0,
    async create(token: StoredToken) {
      if (items.has(token.tokenId)) throw new Error(`token ${token.tokenId} exists`);
      items.set(token.tokenId, token);
    },
    async get(tokenId: string) {
      return items.get(tokenId);
    },
    async list() {
      return [...items.values()].sort((a, b) => b.createdAt - a.createdAt).map(({ secretHash: _, ...token }) => token);
    },
    async revoke(tokenId: string, at: number) {
      const current = items.get(tokenId);
      if (!current) return undefined;
      const { secretHash: _, ...rest } = current;
      const revoked = { ...rest, revokedAt: current.revokedAt ?? at };
      items.set(tokenId, revoked);
      return revoked;
    },
    async touch(tokenId: string, at: number) {
      store.touches += 1;
      const current = items.get(tokenId);
      if (current && current.revokedAt === undefined) items.set(tokenId, { ...current, lastUsedAt: at });
    },
  };
  return store;
};

/** The token that test/fixtures/events/apigw-v1-authorizer-*.json carry (Basic with username `alice`). */
export const FIXTURE_TOKEN = {
  tokenId: '0123456789abcdef',
  secret: 'Q2Fpcm5GaXh0dXJlU2VjcmV0LW5vdC1hLXJlYWwtb25',
  token: 'cairn_0123456789abcdef_Q2Fpcm5GaXh0dXJlU2VjcmV0LW5vdC1hLXJlYWwtb25',
  name: 'alice',
} as const;

export const fixtureEvent = async <T = Record<string, unknown>>(name: string): Promise<T> =>
  JSON.parse(await readFile(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8')) as T;

export const authorizerEvent = (name: 'bearer' | 'basic' | 'root') =>
  fixtureEvent<APIGatewayRequestAuthorizerEvent>(`apigw-v1-authorizer-${name}`);

/** The event with its Authorization header (both header maps) replaced, or removed when `value` is undefined. */
export const withAuthorization = (
  event: APIGatewayRequestAuthorizerEvent,
  value: string | undefined,
  headerName = 'Authorization',
): APIGatewayRequestAuthorizerEvent => {
  const strip = <V>(headers: Record<string, V> | null) =>
    Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'authorization'));
  const headers = { ...strip(event.headers), ...(value === undefined ? {} : { [headerName]: value }) };
  const multiValueHeaders = { ...strip(event.multiValueHeaders), ...(value === undefined ? {} : { [headerName]: [value] }) };
  return { ...event, headers, multiValueHeaders };
};

export const basicHeader = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
