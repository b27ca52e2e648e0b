/**
 * User keys.
 *   USER#<username> / USER   the user: number, password hash, admin flag (gsi1: USERS / <username>)
 *   SEQ#USER        / SEQ    id counter (atomic ADD): ids are 1, 2, 3… as in MLflow's SQL store, never reused
 * The name is the key, so claiming it is a conditional put; grants name the user by number
 * (shared/data/grants), so a user deleted and made again under the same name starts with none.
 */
export const userKey = (username: string) => ({ pk: `USER#${username}`, sk: 'USER' }) as const;
export const userSequenceKey = () => ({ pk: 'SEQ#USER', sk: 'SEQ' }) as const;
export const USER_LISTING = 'USERS';
export const userListingKey = (username: string) => ({ gsi1pk: USER_LISTING, gsi1sk: username }) as const;
