import { alreadyExists, echoText, invalidParameter, notFound } from '../../errors/index.js';
import type { AuthApiDeps } from './api-deps.js';
import type { Grant, NewUser, User } from './entities.js';
import type { Permission } from './permissions.js';
import { UserNameTaken } from './ports.js';
import { hashSecret } from './token-secrets.js';

/**
 * MLflow's users (mlflow/server/auth/sqlalchemy_store.py), with the messages MLflow gives. Users are numbered
 * 1, 2, 3… and a number is never reused, so a user deleted and made again under the same name holds nothing
 * of the old one's grants.
 */

type Deps = Pick<AuthApiDeps, 'auth'>;

/** Longer names could not be keys; MLflow sets no limit (its column is 255 characters). */
export const USERNAME_MAX_LENGTH = 255;
/** MLflow's minimum, counted in code points as Python's `len` counts. */
export const PASSWORD_MIN_LENGTH = 12;

export const userNotFound = (username: string) => notFound(`User with username=${echoText(username)} not found`);

/**
 * MLflow refuses only an empty name. A ':' is refused too: HTTP Basic credentials end the name at the first
 * ':', so such a user could never sign in.
 */
export const validateUsername = (username: string): void => {
  if (username === '') throw invalidParameter('Username cannot be empty.');
  if (username.length > USERNAME_MAX_LENGTH) {
    throw invalidParameter(`Username '${username.slice(0, 250)}…' is too long: at most ${USERNAME_MAX_LENGTH} characters.`);
  }
  if (username.includes(':')) throw invalidParameter(`Username '${username}' cannot contain ':' (Basic credentials end the username there).`);
};

/** MLflow's words, although a password of exactly 12 characters is accepted. */
export const validatePassword = (password: string): void => {
  if ([...password].length < PASSWORD_MIN_LENGTH) throw invalidParameter('Password must be a string longer than 12 characters.');
};

export const createUser = async (
  deps: Deps,
  request: { username: string; password: string; isAdmin?: boolean },
): Promise<User> => {
  const { username, password } = request;
  // MLflow's handler checks this before its store validates either field.
  if (!username || !password) throw invalidParameter('Username and password cannot be empty.');
  validateUsername(username);
  validatePassword(password);
  const passwordHash = await hashSecret(password);
  const user: NewUser = {
    userId: await deps.auth.users.allocateId(),
    username,
    isAdmin: request.isAdmin ?? false,
    passwordHash,
    credentialVersion: 1,
    createdAt: deps.auth.now(),
  };
  try {
    await deps.auth.users.create(user);
  } catch (error) {
    // MLflow appends its failed SQL INSERT (with the salted hash); there is no SQL here to quote.
    if (error instanceof UserNameTaken) throw alreadyExists(`User (username=${username}) already exists.`);
    throw error;
  }
  return { ...user, grants: new Map(), groupIds: [] };
};

export const getUser = async (deps: Deps, username: string): Promise<User> => {
  const user = await deps.auth.users.get(username);
  if (!user) throw userNotFound(username);
  return user;
};

export const listUsers = (deps: Deps): Promise<User[]> => deps.auth.users.list();

/**
 * MLflow checks no length here (a 1-character password is accepted): kept, so a client that relies on it
 * works; only `users/create` enforces the minimum. Raising the credential version ends every cached check
 * of the old password.
 */
export const updatePassword = async (deps: Deps, username: string, password: string): Promise<void> => {
  await getUser(deps, username);
  if (!(await deps.auth.users.setPassword(username, await hashSecret(password)))) throw userNotFound(username);
};

export const updateAdmin = async (deps: Deps, username: string, isAdmin: boolean): Promise<void> => {
  if (!(await deps.auth.users.setAdmin(username, isAdmin))) throw userNotFound(username);
};

/**
 * The user first (so the credentials stop working at once), then the user's memberships (a group's member list
 * names no deleted user) and the grants the user's number held.
 */
export const deleteUser = async (deps: Deps, username: string): Promise<void> => {
  const user = await getUser(deps, username);
  if (!(await deps.auth.users.delete(username))) throw userNotFound(username);
  const { groups } = deps.auth;
  if (groups) {
    const { groupIds } = await deps.auth.grants.ofUser(user.userId);
    await Promise.all(groupIds.map((groupId) => groups.removeMember(groupId, user.userId)));
  }
  await deps.auth.grants.deleteAllOf({ kind: 'user', id: user.userId });
};

export interface ExperimentPermissionJson {
  experiment_id: string;
  user_id: number;
  permission: Permission;
}

export interface RegisteredModelPermissionJson {
  name: string;
  user_id: number;
  permission: Permission;
}

/** MLflow's User.to_json: every list kept, empty or not. Cairn serves no scorers, so none has a grant. */
export interface UserJson {
  id: number;
  username: string;
  is_admin: boolean;
  experiment_permissions: ExperimentPermissionJson[];
  registered_model_permissions: RegisteredModelPermissionJson[];
  scorer_permissions: never[];
}

/** A user just created: a new number holds no grant yet, so nothing is read. */
export const newUserToJson = (user: User): UserJson => ({
  id: user.userId,
  username: user.username,
  is_admin: user.isAdmin,
  experiment_permissions: [],
  registered_model_permissions: [],
  scorer_permissions: [],
});

/** Names of registered models by id, shared by the users of one answer. */
export type ModelNames = Map<string, Promise<string | undefined>>;

const modelName = (deps: Pick<AuthApiDeps, 'registry'>, names: ModelNames, modelId: string) => {
  let name = names.get(modelId);
  if (!name) {
    name = deps.registry.getModel(modelId).then((model) => model?.name);
    names.set(modelId, name);
  }
  return name;
};

/**
 * The user with the user's own grants (not the groups'). A model is shown under its current name; a grant on
 * a model deleted since is left out.
 */
export const userToJson = async (
  deps: Pick<AuthApiDeps, 'auth' | 'registry'>,
  user: User,
  names: ModelNames = new Map(),
): Promise<UserJson> => {
  const { grants } = await deps.auth.grants.ofUser(user.userId);
  const of = (kind: Grant['resource']['kind']) => grants.filter((grant) => grant.resource.kind === kind);
  const experiments = of('experiment')
    .map((grant) => ({ experiment_id: grant.resource.id, user_id: user.userId, permission: grant.permission }))
    .sort((a, b) => Number(a.experiment_id) - Number(b.experiment_id) || (a.experiment_id < b.experiment_id ? -1 : 1));
  const models = (
    await Promise.all(
      of('registered_model').map(async (grant) => {
        const name = await modelName(deps, names, grant.resource.id);
        return name === undefined ? [] : [{ name, user_id: user.userId, permission: grant.permission }];
      }),
    )
  )
    .flat()
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...newUserToJson(user), experiment_permissions: experiments, registered_model_permissions: models };
};
