import { readFile } from 'node:fs/promises';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { StoredToken, TokenStore } from '../../../shared/domain/auth/tokens.js';
import type { User } from '../../../shared/domain/auth/entities.js';
import { UserNameTaken, type UserStore } from '../../../shared/domain/auth/ports.js';
import type { AuditEntry, PrincipalMapping } from '../../../shared/domain/auth/entities.js';
import type { AuditLog, PrincipalStore } from '../../../shared/domain/auth/ports.js';

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

/**
 * An in-memory UserStore with the repository's semantics: names claimed once, numbers never reused, a new user
 * holding no grant and in no group (memoryGrantStore and memoryGroupStore keep those in the user's record, as
 * the repositories keep them in the user's item).
 */
export const memoryUserStore = (): UserStore & { readonly users: Map<string, User> } => {
  const users = new Map<string, User>();
  let lastId = 0;
  const change = (username: string, fields: (user: User) => Partial<User>) => {
    const user = users.get(username);
    if (!user) return false;
    users.set(username, { ...user, ...fields(user) });
    return true;
  };
  return {
    users,
    async allocateId() {
      return ++lastId;
    },
    async create(user) {
      if (users.has(user.username)) throw new UserNameTaken(user.username);
      users.set(user.username, { ...user, grants: new Map(), groupIds: [] });
    },
    async get(username) {
      return users.get(username);
    },
    async list() {
      return [...users.values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    },
    async setPassword(username, passwordHash) {
      return change(username, (user) => ({ passwordHash, credentialVersion: user.credentialVersion + 1 }));
    },
    async setAdmin(username, isAdmin) {
      return change(username, () => ({ isAdmin }));
    },
    async delete(username) {
      return users.delete(username);
    },
  };
};

/** The grant and group fakes, kept with the user's record as the repositories keep them with the user's item. */
export { memoryGrantStore, memoryGroupStore } from './grants.js';

/** An in-memory PrincipalStore: one mapping per principal id, listed by id (gsi1's order). */
export const memoryPrincipalStore = (): PrincipalStore & { readonly mappings: Map<string, PrincipalMapping> } => {
  const mappings = new Map<string, PrincipalMapping>();
  return {
    mappings,
    async get(principalId) {
      return mappings.get(principalId);
    },
    async put(mapping) {
      mappings.set(mapping.principalId, mapping);
    },
    async delete(principalId) {
      return mappings.delete(principalId);
    },
    async list() {
      return [...mappings.values()].sort((a, b) => (a.principalId < b.principalId ? -1 : a.principalId > b.principalId ? 1 : 0));
    },
  };
};

/**
 * An in-memory AuditLog: entries newest first (ties: the later recorded first), `since` inclusive, the cursor
 * the position of the last entry answered. `failNext` makes the next write fail as a throttled one would:
 * recorded nowhere, reported to `errors`, never thrown.
 */
export const memoryAuditLog = (): AuditLog & { readonly entries: AuditEntry[]; readonly errors: unknown[]; failNext(): void } => {
  const stored: { entry: AuditEntry; seq: number }[] = [];
  const errors: unknown[] = [];
  let seq = 0;
  let fail = false;
  const newestFirst = () => [...stored].sort((a, b) => b.entry.at - a.entry.at || b.seq - a.seq);
  return {
    get entries() {
      return newestFirst().map((s) => s.entry);
    },
    errors,
    failNext() {
      fail = true;
    },
    async record(entry) {
      if (fail) {
        fail = false;
        errors.push(new Error('audit write failed'));
        return;
      }
      stored.push({ entry, seq: ++seq });
    },
    async list({ since, limit, cursor }) {
      const all = newestFirst().filter((s) => since === undefined || s.entry.at >= since);
      const start = cursor === undefined ? 0 : all.findIndex((s) => String(s.seq) === cursor) + 1;
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return { entries: page.map((s) => s.entry), ...(more ? { cursor: String(page.at(-1)?.seq) } : {}) };
    },
  };
};
