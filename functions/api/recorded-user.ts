import type { Access } from '../../shared/domain/auth/access.js';

/**
 * With authorization on, the user a run or logged model records is the authenticated one, whatever the client
 * claims (issue 13): MLflow's clients send `user_id` and an `mlflow.user` tag taken from the local login, which
 * any caller can set to anyone. With authorization off (no authenticated user) the client's claim stays, as in
 * MLflow.
 */

/** The tag MLflow's clients set to the user (the default user context of context_registry) and its UI shows. */
export const MLFLOW_USER_TAG = 'mlflow.user';

type Tag = { key: string; value: string };

/** The user a new run records: the authenticated user, else what the client sent. */
export const recordedUser = (access: Access, claimed: string | undefined): string | undefined => access.username ?? claimed;

/** An `mlflow.user` tag written by an authenticated caller names that caller: nobody can write another user's name. */
export const userTagValue = (access: Access, key: string, value: string): string =>
  key === MLFLOW_USER_TAG && access.username !== undefined ? access.username : value;

/** Tags logged on an existing run or model, each `mlflow.user` among them naming the authenticated caller. */
export const withUserTagOfCaller = (access: Access, tags: Tag[]): Tag[] =>
  access.username === undefined ? tags : tags.map((tag) => ({ key: tag.key, value: userTagValue(access, tag.key, tag.value) }));

/** A creation's tags: `mlflow.user` names the authenticated user, added when the client sent none. */
export const withRecordedUserTag = (access: Access, tags: Tag[]): Tag[] => {
  const username = access.username;
  if (username === undefined) return tags;
  return [...tags.filter((tag) => tag.key !== MLFLOW_USER_TAG), { key: MLFLOW_USER_TAG, value: username }];
};
