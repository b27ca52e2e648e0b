import type { Credentials } from './authorization-header.js';
import type { User } from './entities.js';
import type { UserStore } from './ports.js';
import { createVerifiedSecrets } from './token-secrets.js';
import type { TokenService } from './tokens.js';

/**
 * Checks a request's credentials against the users and tokens in the table: a user's password (Basic), or a
 * Cairn token bound to a user (Bearer, or Basic with the token as password). The user is read on every call
 * (one strongly consistent GetItem), so a deleted user or changed password stops working at once; what is
 * remembered for a short while is only the expensive part, the scrypt check of a password that held
 * (MLflow hashes on every request, #9684, which made auth 40-90x slower). The memo is keyed by a digest of
 * the stored hash and the password sent: a password change stores a new salted hash, so every verification
 * remembered under the old one stops matching.
 */

export type Verified =
  | { readonly ok: true; readonly user: User; readonly principal: string }
  | { readonly ok: false; readonly reason: 'unknown-user' | 'wrong-password' | 'bad-token' | 'token-without-user' };

export interface CredentialVerifierOptions {
  /** How long a successful password check is remembered (default 60 s). */
  readonly memoMs?: number;
  /** At most this many remembered checks (default 10,000); the oldest go first. */
  readonly memoSize?: number;
  readonly now?: () => number;
}

export interface CredentialVerifier {
  verify(credentials: Credentials): Promise<Verified>;
  /** How many scrypt checks of passwords were run (for tests and the bench). */
  readonly hashChecks: () => number;
}

/** Cairn's tokens start with this; anything else sent as a Basic password is a user's password. */
const looksLikeToken = (secret: string) => secret.startsWith('cairn_');

export const createCredentialVerifier = (
  users: Pick<UserStore, 'get'>,
  tokens: Pick<TokenService, 'verifyBearer' | 'verifyBasic'> | undefined,
  options: CredentialVerifierOptions = {},
): CredentialVerifier => {
  const secrets = createVerifiedSecrets({
    ...(options.memoMs !== undefined ? { memoMs: options.memoMs } : {}),
    ...(options.memoSize !== undefined ? { size: options.memoSize } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

  const userOfToken = async (verification: Awaited<ReturnType<TokenService['verifyBearer']>>): Promise<Verified> => {
    if (!verification.ok) return { ok: false, reason: 'bad-token' };
    const user = await users.get(verification.name);
    // A token made before its user was belongs to an earlier holder of the name (deleted since): not this user's.
    if (!user || verification.createdAt < user.createdAt) return { ok: false, reason: 'token-without-user' };
    return { ok: true, user, principal: `token:${verification.tokenId}` };
  };

  return {
    hashChecks: secrets.hashChecks,
    async verify(credentials) {
      if (credentials.scheme === 'bearer') {
        return tokens ? userOfToken(await tokens.verifyBearer(credentials.token)) : { ok: false, reason: 'bad-token' };
      }
      if (looksLikeToken(credentials.password) && tokens) {
        return userOfToken(await tokens.verifyBasic(credentials.username, credentials.password));
      }
      const user = await users.get(credentials.username);
      if (!user) return { ok: false, reason: 'unknown-user' };
      return (await secrets.holds(credentials.password, user.passwordHash))
        ? { ok: true, user, principal: `basic:${user.username}` }
        : { ok: false, reason: 'wrong-password' };
    },
  };
};
