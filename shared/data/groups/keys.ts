/**
 * Group keys (MLflow's roles).
 *   GROUP#<groupId>     / GROUP             the group (gsi1: GROUPS / <name>)
 *   GROUP#<groupId>     / MEMBER#<userId>   a member, on the group's side
 *   GROUPNAME#<name>    / GROUPNAME         name guard: holds the id, so names are unique
 *   SEQ#GROUP           / SEQ               id counter (atomic ADD): ids are 1, 2, 3… and never reused
 * Each membership is also written in the member's partition (SUBJ#U#<userId> / MEMBER#<groupId>), in the same
 * transaction, so one query of that partition gives a user's grants and groups (GrantStore.ofUser).
 * A group's grants live in SUBJ#G#<groupId> and in the group item's `grants` map, written together by the
 * GrantStore (shared/data/grants/holders.ts); a member's group ids also in the user's item (`groups`).
 */
export const groupKey = (groupId: string) => ({ pk: `GROUP#${groupId}`, sk: 'GROUP' }) as const;
export const groupNameKey = (name: string) => ({ pk: `GROUPNAME#${name}`, sk: 'GROUPNAME' }) as const;
export const groupSequenceKey = () => ({ pk: 'SEQ#GROUP', sk: 'SEQ' }) as const;
export const GROUP_LISTING = 'GROUPS';
export const groupListingKey = (name: string) => ({ gsi1pk: GROUP_LISTING, gsi1sk: name }) as const;

export const GROUP_MEMBER_PREFIX = 'MEMBER#';
export const groupMemberKey = (groupId: string, userId: number) =>
  ({ pk: groupKey(groupId).pk, sk: `${GROUP_MEMBER_PREFIX}${userId}` }) as const;
