import type { ResourceRef, Subject } from '../../domain/auth/entities.js';

/**
 * Grant keys. A subject's grants and a user's group memberships share the subject's partition, so one query
 * reads everything a permission decision needs of a user (GrantStore.ofUser).
 *   SUBJ#U#<userId>  / GRANT#EXP#<experimentId>   a user's grant on an experiment
 *   SUBJ#U#<userId>  / GRANT#RM#<modelId>         a user's grant on a registered model (by its id, never its name)
 *   SUBJ#G#<groupId> / GRANT#EXP#… | GRANT#RM#…   a group's grants, the same way
 *   SUBJ#U#<userId>  / MEMBER#<groupId>           the user belongs to the group (written by shared/data/groups)
 * gsi1 of a grant: GRANTSON#EXP#<id> | GRANTSON#RM#<id> / U#<userId> | G#<groupId>: every grant on a resource.
 */
const RESOURCE_TAG = { experiment: 'EXP', registered_model: 'RM' } as const;
const SUBJECT_TAG = { user: 'U', group: 'G' } as const;

export const GRANT_PREFIX = 'GRANT#';
export const MEMBER_PREFIX = 'MEMBER#';

/** `U#<userId>` or `G#<groupId>`: a subject inside a key. */
const subjectPart = (subject: Subject) => `${SUBJECT_TAG[subject.kind]}#${subject.id}`;
/** `EXP#<id>` or `RM#<id>`: a resource inside a key. */
const resourcePart = (resource: ResourceRef) => `${RESOURCE_TAG[resource.kind]}#${resource.id}`;

export const subjectPartition = (subject: Subject) => `SUBJ#${subjectPart(subject)}`;
export const grantSortKey = (resource: ResourceRef) => `${GRANT_PREFIX}${resourcePart(resource)}`;
export const grantKey = (subject: Subject, resource: ResourceRef) =>
  ({ pk: subjectPartition(subject), sk: grantSortKey(resource) }) as const;
export const grantsOnPartition = (resource: ResourceRef) => `GRANTSON#${resourcePart(resource)}`;
export const grantsOnKey = (resource: ResourceRef, subject: Subject) =>
  ({ gsi1pk: grantsOnPartition(resource), gsi1sk: subjectPart(subject) }) as const;

/** A user's membership of a group, in the user's partition. */
export const membershipKey = (userId: number, groupId: string) =>
  ({ pk: subjectPartition({ kind: 'user', id: userId }), sk: `${MEMBER_PREFIX}${groupId}` }) as const;
