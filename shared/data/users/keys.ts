/**
 * User keys.
 *   USER#<username> / USER     the user: number, password hash, admin flag, and what a decision reads: the
 *                              user's grants (map `grants`) and groups (string set `groups`)
 *                              (gsi1: USERS / <username>)
 *   USERID#<userId> / USERID   the name of the user a number was given to: where a grant written by number
 *                              finds the user's item (written with the user and kept: numbers are never reused)
 *   SEQ#USER        / SEQ      id counter (atomic ADD): ids are 1, 2, 3… as in MLflow's SQL store, never reused
 * The name is the key, so claiming it is a conditional put; grants name the user by number
 * (shared/data/grants), so a user deleted and made again under the same name starts with none: every write to
 * the user's item on behalf of a grant is conditioned on the item still holding that number.
 */
export const userKey = (username: string) => ({ pk: `USER#${username}`, sk: 'USER' }) as const;
export const userNumberKey = (userId: number) => ({ pk: `USERID#${userId}`, sk: 'USERID' }) as const;
export const userSequenceKey = () => ({ pk: 'SEQ#USER', sk: 'SEQ' }) as const;
export const USER_LISTING = 'USERS';
export const userListingKey = (username: string) => ({ gsi1pk: USER_LISTING, gsi1sk: username }) as const;
