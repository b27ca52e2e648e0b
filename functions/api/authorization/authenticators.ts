import type { Context } from 'hono';
import type { Caller } from '../../../shared/domain/auth/access.js';
import { readCredentials } from '../../../shared/domain/auth/authorization-header.js';
import type { CredentialVerifier } from '../../../shared/domain/auth/credentials.js';

/** Who sent the request, or undefined when its credentials do not hold (a 401). */
export type Authenticator = (c: Context) => Promise<Caller | undefined>;

/**
 * `npm start -- --auth`: the app checks the Authorization header itself (Basic with a user's password or a
 * Cairn token, or Bearer with a token), as MLflow's basic-auth app does. In AWS the gateway's authorizer has
 * checked it first and functions/api/gateway-identity.ts reads what it found.
 */
export const headerAuthenticator =
  (verifier: Pick<CredentialVerifier, 'verify'>): Authenticator =>
  async (c) => {
    const credentials = readCredentials(c.req.header('authorization'));
    if (!credentials) return undefined;
    const verified = await verifier.verify(credentials);
    return verified.ok ? { kind: 'user', user: verified.user, principal: verified.principal } : undefined;
  };
