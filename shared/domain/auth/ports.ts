import type { AuditEntry, Grant, Group, NewUser, PrincipalMapping, ResourceRef, Subject, User } from './entities.js';
import type { Permission } from './permissions.js';
import type { SecretHash } from './token-secrets.js';

/**
 * What authorization needs from the outside, in its own words. shared/data/{users,grants,groups,principals,
 * audit} implement the stores on the one DynamoDB table; every read a decision depends on is strongly
 * consistent, so a revoked grant or password stops working with the next request.
 */

/** A user name another user holds: the caller words it (MLflow's RESOURCE_ALREADY_EXISTS). */
export class UserNameTaken extends Error {
  constructor(readonly username: string) {
    super(`User (username=${username}) already exists.`);
    this.name = 'UserNameTaken';
  }
}

export interface UserStore {
  /** A new user number; numbers are never reused. */
  allocateId(): Promise<number>;
  /** Stores a new user, holding no grant and in no group, and claims the name: UserNameTaken when it is held. */
  create(user: NewUser): Promise<void>;
  /** With the user's grants and groups (strongly consistent: what a decision at this request reads). */
  get(username: string): Promise<User | undefined>;
  /** Every user, by name. */
  list(): Promise<User[]>;
  /** New hash, credentialVersion + 1; false when the user is missing. */
  setPassword(username: string, passwordHash: SecretHash): Promise<boolean>;
  /** False when the user is missing. */
  setAdmin(username: string, isAdmin: boolean): Promise<boolean>;
  /** Frees the name (the number is never reused); false when the user is missing. */
  delete(username: string): Promise<boolean>;
}

/** What one query of a user's partition gives: the user's own grants and the groups the user belongs to. */
export interface UserGrants {
  readonly grants: readonly Grant[];
  readonly groupIds: readonly string[];
}

/**
 * Grants are kept twice, written together: one item per grant (to list a user's or group's grants, and who holds
 * grants on a resource) and an entry in the holder's own item (the user's, or the group's), which is what a
 * decision reads: `User.grants` comes with the user, `ofGroups` reads the groups' items in one batch.
 */
export interface GrantStore {
  /** One query of the per-grant items: every grant held by the user, and the user's groups (listings, not decisions). */
  ofUser(userId: number): Promise<UserGrants>;
  /** One query per group. */
  ofGroup(groupId: string): Promise<Grant[]>;
  /** The grants of these groups, from the groups' own items in one strongly consistent batch read. */
  ofGroups(groupIds: readonly string[]): Promise<Grant[]>;
  get(subject: Subject, resource: ResourceRef): Promise<Grant | undefined>;
  /**
   * `create`: fails with GrantExists when one exists; `update`: with GrantMissing when none does;
   * `upsert`: either way. GrantHolderMissing when the user or group does not exist (a user deleted, or made
   * again under the name with another number, receives nothing).
   */
  put(grant: Grant, mode: 'create' | 'update' | 'upsert'): Promise<void>;
  /** False when there was none. */
  delete(subject: Subject, resource: ResourceRef): Promise<boolean>;
  /** Every grant on a resource (who can see this experiment). */
  on(resource: ResourceRef): Promise<Grant[]>;
  /** Removes every grant on a resource (a registered model deleted for good). */
  deleteAllOn(resource: ResourceRef): Promise<void>;
  /** Removes every grant a subject holds (a user or group deleted). */
  deleteAllOf(subject: Subject): Promise<void>;
}

export class GrantExists extends Error {
  constructor() {
    super('The grant exists.');
    this.name = 'GrantExists';
  }
}
export class GrantMissing extends Error {
  constructor() {
    super('The grant does not exist.');
    this.name = 'GrantMissing';
  }
}
/** The user or group a grant is for does not exist (any more): nothing was written. */
export class GrantHolderMissing extends Error {
  constructor() {
    super('The user or group of the grant does not exist.');
    this.name = 'GrantHolderMissing';
  }
}

export interface GroupStore {
  /** A new group id: "1", "2", "3"… never reused, so a group made again starts with no grants or members. */
  allocateId(): Promise<string>;
  /** Stores a new group and claims its name: GroupNameTaken when it is held. */
  create(group: Group): Promise<void>;
  get(groupId: string): Promise<Group | undefined>;
  getByName(name: string): Promise<Group | undefined>;
  list(): Promise<Group[]>;
  update(groupId: string, fields: { name?: string; description?: string }): Promise<boolean>;
  delete(groupId: string): Promise<boolean>;
  /**
   * Writes the membership in the user's partition (so GrantStore.ofUser sees it), in the group's, and in the
   * user's item (`User.groupIds`), in one transaction; false when the user is a member already, or the group or
   * the user is missing (nothing written).
   */
  addMember(groupId: string, userId: number): Promise<boolean>;
  removeMember(groupId: string, userId: number): Promise<boolean>;
  members(groupId: string): Promise<number[]>;
}

export class GroupNameTaken extends Error {
  constructor(readonly groupName: string) {
    super(`Role (name=${groupName}) already exists.`);
    this.name = 'GroupNameTaken';
  }
}

export interface PrincipalStore {
  get(principalId: string): Promise<PrincipalMapping | undefined>;
  /** Creates or replaces the mapping of one principal. */
  put(mapping: PrincipalMapping): Promise<void>;
  delete(principalId: string): Promise<boolean>;
  list(): Promise<PrincipalMapping[]>;
}

export interface AuditLog {
  /** Never throws: a failed write is reported, the request goes on. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first, paged by an opaque cursor. */
  list(options: { since?: number; limit: number; cursor?: string }): Promise<{ entries: AuditEntry[]; cursor?: string }>;
}

/** Settings of authorization, from CDK props or `npm start` flags. */
export interface AuthSettings {
  /** The permission of a user on a resource without a grant: NO_PERMISSIONS for a new deployment. */
  readonly defaultPermission: Permission;
  /** The permission of a SigV4 principal without a mapping (NO_PERMISSIONS by default). */
  readonly unmappedPrincipalPermission: Permission;
  /** How long audit entries are kept, in days. */
  readonly auditRetentionDays: number;
}

export interface AuthPorts {
  readonly users: UserStore;
  readonly grants: GrantStore;
  readonly groups: GroupStore;
  readonly principals: PrincipalStore;
  readonly audit: AuditLog;
  readonly settings: AuthSettings;
  readonly now: () => number;
}
