import type { CredentialVerifier, Verified } from './credentials.js';
import type { GatewayIdentity } from './authorizer-context.js';

/**
 * Who a request is, from its `Authorization` header: `Basic base64(<user>:<password>)` with a Cairn user's
 * password, or a Cairn token bound to a user, sent as `Bearer <token>` or `Basic base64(<user>:<token>)` (as the
 * MLflow client sends MLFLOW_TRACKING_TOKEN and MLFLOW_TRACKING_USERNAME/PASSWORD). The API Gateway adapter
 * (functions/authorizer/authorizer.ts) turns the answer into an IAM policy; this module knows nothing of API
 * Gateway's event shapes.
 */

export { readCredentials, type Credentials } from './authorization-header.js';
import { readCredentials, type Credentials } from './authorization-header.js';

export interface Refusal {
  readonly reason: Extract<Verified, { ok: false }>['reason'] | 'no-credentials';
  readonly scheme?: Credentials['scheme'];
}

export interface AuthorizerOptions {
  /** Called for every refused request (never with the secret), for the logs. */
  readonly onRefused?: (refusal: Refusal) => void;
}

/** The identity the authorizer passes on: the user and the credential that proved it (authorizer-context.ts). */
const identityOf = (verified: Extract<Verified, { ok: true }>): GatewayIdentity => {
  const { user, principal } = verified;
  const credential = principal.startsWith('token:')
    ? ({ kind: 'token', tokenId: principal.slice('token:'.length) } as const)
    : ({ kind: 'password', version: user.credentialVersion } as const);
  return { user: user.username, userId: user.userId, credential };
};

/**
 * Verifies the header's credentials (the shared verifier: one read of the user, a password's scrypt check
 * remembered briefly): the caller's identity, or a refusal (reported through `onRefused`, never with the
 * secret) and undefined.
 */
export const identify = async (
  verifier: Pick<CredentialVerifier, 'verify'>,
  authorization: string | undefined,
  options: AuthorizerOptions = {},
): Promise<GatewayIdentity | undefined> => {
  const credentials = readCredentials(authorization);
  if (!credentials) {
    options.onRefused?.({ reason: 'no-credentials' });
    return undefined;
  }
  const verified = await verifier.verify(credentials);
  if (!verified.ok) {
    options.onRefused?.({ reason: verified.reason, scheme: credentials.scheme });
    return undefined;
  }
  return identityOf(verified);
};
