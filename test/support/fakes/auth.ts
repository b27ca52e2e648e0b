import { readFile } from 'node:fs/promises';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { StoredToken, TokenStore } from '../../../shared/domain/auth/tokens.js';
import type { Grant, ResourceRef, Subject, User } from '../../../shared/domain/auth/entities.js';
import { GrantExists, GrantMissing, UserNameTaken, type GrantStore, type UserStore } from '../../../shared/domain/auth/ports.js';

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

/** An in-memory UserStore with the repository's semantics: names claimed once, numbers never reused. */
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
      users.set(user.username, user);
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

const subjectKey = (subject: Subject) => `${subject.kind}#${subject.id}`;
const resourceKey = (resource: ResourceRef) => `${resource.kind}#${resource.id}`;

/**
 * An in-memory GrantStore with the repository's semantics: one grant per (subject, resource), `create`
 * refusing an existing one and `update` a missing one; memberships are added with `addMembership`, as
 * shared/data/groups writes them into the user's partition.
 */
export const memoryGrantStore = (): GrantStore & {
  readonly grants: Map<string, Grant>;
  addMembership(userId: number, groupId: string): void;
} => {
  const grants = new Map<string, Grant>();
  const memberships = new Map<number, Set<string>>();
  const keyOf = (subject: Subject, resource: ResourceRef) => `${subjectKey(subject)}/${resourceKey(resource)}`;
  const where = (keep: (grant: Grant) => boolean) => [...grants.values()].filter(keep);
  return {
    grants,
    addMembership(userId, groupId) {
      memberships.set(userId, new Set([...(memberships.get(userId) ?? []), groupId]));
    },
    async ofUser(userId) {
      return {
        grants: where((g) => g.subject.kind === 'user' && g.subject.id === userId),
        groupIds: [...(memberships.get(userId) ?? [])],
      };
    },
    async ofGroup(groupId) {
      return where((g) => g.subject.kind === 'group' && g.subject.id === groupId);
    },
    async get(subject, resource) {
      return grants.get(keyOf(subject, resource));
    },
    async put(grant, mode) {
      const key = keyOf(grant.subject, grant.resource);
      if (mode === 'create' && grants.has(key)) throw new GrantExists();
      if (mode === 'update' && !grants.has(key)) throw new GrantMissing();
      grants.set(key, grant);
    },
    async delete(subject, resource) {
      return grants.delete(keyOf(subject, resource));
    },
    async on(resource) {
      return where((g) => resourceKey(g.resource) === resourceKey(resource));
    },
    async deleteAllOn(resource) {
      for (const grant of where((g) => resourceKey(g.resource) === resourceKey(resource))) {
        grants.delete(keyOf(grant.subject, grant.resource));
      }
    },
    async deleteAllOf(subject) {
      for (const grant of where((g) => subjectKey(g.subject) === subjectKey(subject))) {
        grants.delete(keyOf(grant.subject, grant.resource));
      }
    },
  };
};
