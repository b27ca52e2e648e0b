import type { User } from '../../../shared/domain/auth/entities.js';
import type { UserStore } from '../../../shared/domain/auth/ports.js';
import { hashSecret } from '../../../shared/domain/auth/token-secrets.js';
import { memoryUserStore as plainUserStore } from './auth.js';

/** The in-memory UserStore of fakes/auth.ts, counting reads so tests can see what a check costs. */
export const memoryUserStore = (): ReturnType<typeof plainUserStore> & { reads: number } => {
  const inner = plainUserStore();
  const store = {
    ...inner,
    reads: 0,
    get: (username: string) => {
      store.reads += 1;
      return inner.get(username);
    },
  };
  return store;
};

/** Creates a user with this password in the store, as users/create would. */
export const addUser = async (
  store: UserStore,
  username: string,
  password: string,
  options: { isAdmin?: boolean; createdAt?: number } = {},
): Promise<User> => {
  const user: User = {
    userId: await store.allocateId(),
    username,
    isAdmin: options.isAdmin ?? false,
    passwordHash: await hashSecret(password),
    credentialVersion: 1,
    createdAt: options.createdAt ?? 0,
    grants: new Map(),
    groupIds: [],
  };
  await store.create(user);
  return user;
};
