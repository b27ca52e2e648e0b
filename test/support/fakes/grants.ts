import { resourceKey as grantKeyOf, type Grant, type Group, type ResourceRef, type Subject, type User } from '../../../shared/domain/auth/entities.js';
import {
  GrantExists,
  GrantHolderMissing,
  GrantMissing,
  GroupNameTaken,
  type GrantStore,
  type GroupStore,
} from '../../../shared/domain/auth/ports.js';

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
