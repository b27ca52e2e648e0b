import type { Permission } from './permissions.js';
import type { SecretHash } from './token-secrets.js';

/**
 * Who may do what. Grants are keyed by ids that are never reused (a user's number, an experiment's id, a
 * registered model's id), never by names: renaming a model keeps its grants, and a user, model or role
 * principal deleted and made again under the same name starts with none.
 */

export interface User {
  /** MLflow's user id: 1, 2, 3… never reused. */
  readonly userId: number;
  readonly username: string;
  readonly isAdmin: boolean;
  /** Salted scrypt hash of the password (token-secrets.ts). */
  readonly passwordHash: SecretHash;
  /** Raised by every password change: verifications cached under an older one no longer count. */
  readonly credentialVersion: number;
  readonly createdAt: number;
  /**
   * The user's own grants, keyed by `resourceKey`: they travel with the user's item, so the read that
   * authenticates a request also gives what a decision needs (no further round trip for a user in no group).
   */
  readonly grants: ReadonlyMap<string, Permission>;
  /** The groups the user belongs to, whose grants a decision reads in one batch. */
  readonly groupIds: readonly string[];
}

/** A user as created: a new number holds no grant and belongs to no group yet. */
export type NewUser = Omit<User, 'grants' | 'groupIds'>;

/** What a grant is on. A registered model by its id, so a rename moves nothing. */
export type ResourceRef =
  | { readonly kind: 'experiment'; readonly id: string }
  | { readonly kind: 'registered_model'; readonly id: string };

/** `experiment#<id>` / `registered_model#<id>`: a resource as a key of `User.grants`. */
export const resourceKey = (resource: ResourceRef): string => `${resource.kind}#${resource.id}`;

/** Who a grant is for: one user, or every member of a group (MLflow's "role"). */
export type Subject = { readonly kind: 'user'; readonly id: number } | { readonly kind: 'group'; readonly id: string };

export interface Grant {
  readonly subject: Subject;
  readonly resource: ResourceRef;
  readonly permission: Permission;
}

/** A group of users with grants of its own (MLflow's roles API). */
export interface Group {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: number;
}

/**
 * An AWS principal that signs its requests (SigV4), mapped to a Cairn user. Keyed by the principal's unique id
 * (AROA… for a role, AIDA… for an IAM user): a role deleted and made again under the same name gets a new one,
 * so it does not inherit the mapping.
 */
export interface PrincipalMapping {
  readonly principalId: string;
  /** The role or user ARN (an assumed role's session folded to its role), for people to read and to check. */
  readonly arn: string;
  readonly userId: number;
  /**
   * The user's name when mapped: resolving reads the user by name (one GetItem) and counts the mapping only while
   * that user still has `userId`, so a user deleted and made again under the same name inherits no principal.
   */
  readonly username: string;
  readonly createdAt: number;
}

export type AuditDecision = 'allowed' | 'denied' | 'unauthenticated';

/** One line of the audit log: a permission change, or a refused request. */
export interface AuditEntry {
  readonly at: number;
  readonly requestId: string;
  /** The Cairn user, when known. */
  readonly username?: string;
  /** How the caller proved who it is: `basic:<user>`, `token:<tokenId>`, `iam:<principal id>`, or `anonymous`. */
  readonly principal: string;
  /** `METHOD /path` of the request, or the change made (`grant`, `revoke`, `users/create`, …). */
  readonly action: string;
  /** `experiment:<id>`, `registered_model:<id>`, `user:<name>`, … */
  readonly resource?: string;
  readonly decision: AuditDecision;
  /** Free-form detail: the permission granted, the level that was missing. */
  readonly detail?: string;
}
