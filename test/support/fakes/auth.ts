import { readFile } from 'node:fs/promises';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { StoredToken, TokenStore } from '../../../shared/domain/auth/tokens.js';
import { resourceKey as grantKeyOf, type Grant, type Group, type ResourceRef, type Subject, type User } from '../../../shared/domain/auth/entities.js';
import {
  GrantExists,
  GrantHolderMissing,
  GrantMissing,
  GroupNameTaken,
  UserNameTaken,
  type GrantStore,
  type GroupStore,
  type UserStore,
} from '../../../shared/domain/auth/ports.js';
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

const subjectKey = (subject: Subject) => `${subject.kind}#${subject.id}`;
const resourceKey = (resource: ResourceRef) => `${resource.kind}#${resource.id}`;

/**
 * An in-memory GrantStore with the repository's semantics: one grant per (subject, resource), `create`
 * refusing an existing one and `update` a missing one. A user's grants and groups are also kept in the user's
 * record of `userRecords` (memoryUserStore's), which is what loadAccess reads, and a grant or membership for
 * a number no user holds is refused (GrantHolderMissing, false). Memberships are added with `addMembership`,
 * as shared/data/groups writes them into the user's partition and item; `groupExists` is set by a
 * memoryGroupStore linked to this store (a grant for a group it does not hold is then refused too).
 */
export const memoryGrantStore = (
  userRecords: { readonly users: Map<string, User> },
): GrantStore & {
  readonly grants: Map<string, Grant>;
  groupExists: ((groupId: string) => boolean) | undefined;
  addMembership(userId: number, groupId: string): boolean;
  removeMembership(userId: number, groupId: string): void;
} => {
  const grants = new Map<string, Grant>();
  const memberships = new Map<number, Set<string>>();
  const keyOf = (subject: Subject, resource: ResourceRef) => `${subjectKey(subject)}/${resourceKey(resource)}`;
  const where = (keep: (grant: Grant) => boolean) => [...grants.values()].filter(keep);
  const userOf = (userId: number) => [...userRecords.users.values()].find((user) => user.userId === userId);
  /** Changes the user's record; false when no user holds the number. */
  const changeUser = (userId: number, change: (user: User) => Partial<User>): boolean => {
    const user = userOf(userId);
    if (!user) return false;
    userRecords.users.set(user.username, { ...user, ...change(user) });
    return true;
  };
  const holderExists = (subject: Subject) =>
    subject.kind === 'user' ? userOf(subject.id) !== undefined : (store.groupExists?.(subject.id) ?? true);
  const entrySet = (grant: Grant) => {
    if (grant.subject.kind === 'user') {
      changeUser(grant.subject.id, (user) => ({ grants: new Map([...user.grants, [grantKeyOf(grant.resource), grant.permission]]) }));
    }
  };
  const entryRemoved = (subject: Subject, resource: ResourceRef) => {
    if (subject.kind === 'user') {
      changeUser(subject.id, (user) => ({ grants: new Map([...user.grants].filter(([key]) => key !== grantKeyOf(resource))) }));
    }
  };
  const remove = (subject: Subject, resource: ResourceRef) => {
    entryRemoved(subject, resource);
    return grants.delete(keyOf(subject, resource));
  };
  const store = {
    grants,
    groupExists: undefined as ((groupId: string) => boolean) | undefined,
    addMembership(userId: number, groupId: string) {
      const added = changeUser(userId, (user) => ({ groupIds: [...new Set([...user.groupIds, groupId])].sort() }));
      if (added) memberships.set(userId, new Set([...(memberships.get(userId) ?? []), groupId]));
      return added;
    },
    removeMembership(userId: number, groupId: string) {
      changeUser(userId, (user) => ({ groupIds: user.groupIds.filter((id) => id !== groupId) }));
      memberships.get(userId)?.delete(groupId);
    },
    async ofUser(userId: number) {
      return {
        grants: where((g) => g.subject.kind === 'user' && g.subject.id === userId),
        groupIds: [...(memberships.get(userId) ?? [])],
      };
    },
    async ofGroup(groupId: string) {
      return where((g) => g.subject.kind === 'group' && g.subject.id === groupId);
    },
    async ofGroups(groupIds: readonly string[]) {
      return where((g) => g.subject.kind === 'group' && groupIds.includes(g.subject.id) && (store.groupExists?.(g.subject.id) ?? true));
    },
    async get(subject: Subject, resource: ResourceRef) {
      return grants.get(keyOf(subject, resource));
    },
    async put(grant: Grant, mode: 'create' | 'update' | 'upsert') {
      const key = keyOf(grant.subject, grant.resource);
      if (!holderExists(grant.subject)) throw new GrantHolderMissing();
      if (mode === 'create' && grants.has(key)) throw new GrantExists();
      if (mode === 'update' && !grants.has(key)) throw new GrantMissing();
      grants.set(key, grant);
      entrySet(grant);
    },
    async delete(subject: Subject, resource: ResourceRef) {
      return remove(subject, resource);
    },
    async on(resource: ResourceRef) {
      return where((g) => resourceKey(g.resource) === resourceKey(resource));
    },
    async deleteAllOn(resource: ResourceRef) {
      for (const grant of where((g) => resourceKey(g.resource) === resourceKey(resource))) remove(grant.subject, grant.resource);
    },
    async deleteAllOf(subject: Subject) {
      for (const grant of where((g) => subjectKey(g.subject) === subjectKey(subject))) remove(grant.subject, grant.resource);
    },
  };
  return store;
};

/**
 * An in-memory GroupStore with the repository's semantics: ids counted up and never reused, names claimed
 * once, a member added once. Given a grant store's membership hooks (memoryGrantStore), memberships land in
 * the user's side too (none for a number no user holds), as the repository writes them in the user's
 * partition and item, and the grant store learns which groups exist.
 */
export const memoryGroupStore = (
  userSide?: {
    addMembership(userId: number, groupId: string): boolean;
    removeMembership(userId: number, groupId: string): void;
    groupExists: ((groupId: string) => boolean) | undefined;
  },
): GroupStore & { readonly groups: Map<string, Group> } => {
  const groups = new Map<string, Group>();
  if (userSide) userSide.groupExists = (groupId) => groups.has(groupId);
  const members = new Map<string, Set<number>>();
  let lastId = 0;
  const byName = (name: string) => [...groups.values()].find((group) => group.name === name);
  return {
    groups,
    async allocateId() {
      return String(++lastId);
    },
    async create(group) {
      if (byName(group.name)) throw new GroupNameTaken(group.name);
      groups.set(group.groupId, group);
    },
    async get(groupId) {
      return groups.get(groupId);
    },
    async getByName(name) {
      return byName(name);
    },
    async list() {
      return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async update(groupId, fields) {
      const group = groups.get(groupId);
      if (!group) return false;
      const holder = fields.name === undefined ? undefined : byName(fields.name);
      if (fields.name !== undefined && holder && holder.groupId !== groupId) throw new GroupNameTaken(fields.name);
      groups.set(groupId, { ...group, ...fields });
      return true;
    },
    async delete(groupId) {
      for (const userId of members.get(groupId) ?? []) userSide?.removeMembership(userId, groupId);
      members.delete(groupId);
      return groups.delete(groupId);
    },
    async addMember(groupId, userId) {
      const current = members.get(groupId) ?? new Set<number>();
      if (!groups.has(groupId) || current.has(userId)) return false;
      if (userSide && !userSide.addMembership(userId, groupId)) return false;
      members.set(groupId, current.add(userId));
      return true;
    },
    async removeMember(groupId, userId) {
      const removed = members.get(groupId)?.delete(userId) ?? false;
      if (removed) userSide?.removeMembership(userId, groupId);
      return removed;
    },
    async members(groupId) {
      return [...(members.get(groupId) ?? [])].sort((a, b) => a - b);
    },
  };
};

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
