import type { ResourceRef, Subject } from '../../domain/auth/entities.js';

/**
 * Grant keys. A subject's grants and a user's group memberships share the subject's partition, so one query
 * lists them (GrantStore.ofUser). Each grant is also an entry of its holder's item (the user's USER#<name>, the
 * group's GROUP#<id>), in a map `grants` keyed by `grantMapKey`: that map is what a decision reads.
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

/** The key of a grant in its holder's `grants` map: `EXP#<id>` or `RM#<id>`. */
export const grantMapKey = (resource: ResourceRef) => resourcePart(resource);
/** The resource a key of a `grants` map names; undefined for a key Cairn does not write. */
export const resourceOfGrantMapKey = (key: string): ResourceRef | undefined => {
  const separator = key.indexOf('#');
  const tag = key.slice(0, separator);
  const id = key.slice(separator + 1);
  if (separator < 1 || id === '') return undefined;
  if (tag === RESOURCE_TAG.experiment) return { kind: 'experiment', id };
  if (tag === RESOURCE_TAG.registered_model) return { kind: 'registered_model', id };
  return undefined;
};

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
