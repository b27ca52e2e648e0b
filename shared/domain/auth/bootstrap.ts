import type { NewUser } from './entities.js';
import { UserNameTaken, type AuthPorts } from './ports.js';
import { hashSecret } from './token-secrets.js';
import { validatePassword, validateUsername } from './users.js';

/**
 * The first admin of a deployment, so nobody needs a well-known password: in AWS its credentials come from a
 * Secrets Manager secret the stack generates; locally from CAIRN_ADMIN_USERNAME / CAIRN_ADMIN_PASSWORD. It is
 * created only when no user holds the name, and left alone otherwise: a password changed through the API or an
 * admin flag taken away stays as it is, whatever the secret says. Every cold start may race another: the name
 * is claimed by a conditional put, so the loser sees UserNameTaken and nothing is done twice (it only spends
 * a user number, which are never reused anyway).
 */
export type AdminBootstrap = 'created' | 'exists';

export const ensureFirstAdmin = async (
  ports: Pick<AuthPorts, 'users' | 'now'>,
  admin: { readonly username: string; readonly password: string },
): Promise<AdminBootstrap> => {
  validateUsername(admin.username);
  validatePassword(admin.password);
  if (await ports.users.get(admin.username)) return 'exists';
  const user: NewUser = {
    userId: await ports.users.allocateId(),
    username: admin.username,
    isAdmin: true,
    passwordHash: await hashSecret(admin.password),
    credentialVersion: 1,
    createdAt: ports.now(),
  };
  try {
    await ports.users.create(user);
    return 'created';
  } catch (error) {
    if (error instanceof UserNameTaken) return 'exists';
    throw error;
  }
};
