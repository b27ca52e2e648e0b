import type { Context } from 'hono';
import type { Caller } from '../../shared/domain/auth/access.js';
import { fromAuthorizerContext, type GatewayIdentity } from '../../shared/domain/auth/authorizer-context.js';
import type { AuthPorts } from '../../shared/domain/auth/ports.js';
import { parseIamIdentity, resolvePrincipal, type IamIdentity } from '../../shared/domain/auth/principals.js';
import type { TokenStore } from '../../shared/domain/auth/tokens.js';

/**
 * Who sent a request that came through API Gateway (REST, v1 events), as the app's Caller. Nothing here comes
 * from the client: API Gateway fills `requestContext` after its own checks.
 *
 *   token tree (`/{proxy+}`)    `requestContext.authorizer`: what the token authorizer established (user, user
 *                                number, credential). API Gateway caches that answer for minutes, so it is
 *                                re-checked here against the table on every request: the user still exists
 *                                with the same number, a password's version is still the user's, a token is
 *                                still live. A revoked password or token stops working at once.
 *   IAM tree (`/iam/{proxy+}`)  `requestContext.identity` (the SigV4 signer) mapped to a user through the
 *                                principal mappings, or the unmapped-principal caller.
 *   neither (`/health`, `/version`, local mode)  undefined: anonymous.
 *
 * A context that is present but malformed is refused (undefined), never read as something else.
 */

/** Why a gateway request got no caller (for the logs; the client sees a 401 either way). */
export type GatewayRefusal =
  | 'malformed-authorizer-context'
  | 'user-missing'
  | 'user-replaced'
  | 'password-changed'
  | 'token-revoked'
  | 'token-not-the-users'
  | 'unsupported-signer';

export interface GatewayAuthenticatorOptions {
  readonly onRefused?: (refusal: { readonly reason: GatewayRefusal; readonly user?: string; readonly principal?: string }) => void;
}

type TokenLookup = Pick<TokenStore, 'get'>;
type IdentityPorts = Pick<AuthPorts, 'users' | 'principals'>;

interface RequestContextFields {
  readonly authorizer?: unknown;
  readonly identity?: unknown;
}

/** `requestContext` of the Lambda event hono/aws-lambda put in `c.env`; undefined off Lambda (local mode). */
export const requestContextOf = (c: Context): RequestContextFields | undefined => {
  const env = c.env as { event?: { requestContext?: unknown } } | undefined;
  const requestContext = env?.event?.requestContext;
  return typeof requestContext === 'object' && requestContext !== null ? (requestContext as RequestContextFields) : undefined;
};

/** The token authorizer's context carries `user`; API Gateway's own fields (principalId, integrationLatency) alone do not count. */
const isTokenAuthorizerContext = (authorizer: unknown): boolean =>
  typeof authorizer === 'object' && authorizer !== null && ('user' in authorizer || 'credential' in authorizer);

const recheck = async (
  ports: IdentityPorts,
  tokens: TokenLookup,
  identity: GatewayIdentity,
  refuse: (reason: GatewayRefusal) => undefined,
): Promise<Caller | undefined> => {
  const { credential } = identity;
  const [user, token] = await Promise.all([
    ports.users.get(identity.user),
    credential.kind === 'token' ? tokens.get(credential.tokenId) : undefined,
  ]);
  if (!user) return refuse('user-missing');
  if (user.userId !== identity.userId) return refuse('user-replaced');
  if (credential.kind === 'password') {
    return user.credentialVersion === credential.version ? { kind: 'user', user, principal: `basic:${user.username}` } : refuse('password-changed');
  }
  if (!token || token.revokedAt !== undefined || !token.secretHash) return refuse('token-revoked');
  // A token is bound to its user by name; one made before the user was (an earlier holder of the name, deleted
  // since) is not this user's: a user made again under a name inherits nothing.
  if (token.name !== user.username || token.createdAt < user.createdAt) return refuse('token-not-the-users');
  return { kind: 'user', user, principal: `token:${credential.tokenId}` };
};

/** The Caller of one API Gateway `requestContext` (see the module comment). */
export const callerOfRequestContext = async (
  ports: IdentityPorts,
  tokens: TokenLookup,
  requestContext: RequestContextFields | undefined,
  options: GatewayAuthenticatorOptions = {},
): Promise<Caller | undefined> => {
  if (!requestContext) return undefined;
  // An HTTP API (v2) puts a Lambda authorizer's context under `lambda`; a REST API (v1) at the top.
  const v2 = (requestContext.authorizer as { lambda?: unknown } | undefined)?.lambda;
  const authorizer = typeof v2 === 'object' && v2 !== null ? v2 : requestContext.authorizer;
  if (isTokenAuthorizerContext(authorizer)) {
    const identity = fromAuthorizerContext(authorizer);
    const refuse = (reason: GatewayRefusal, user?: string) => {
      options.onRefused?.({ reason, ...(user ? { user } : {}) });
      return undefined;
    };
    if (!identity) return refuse('malformed-authorizer-context');
    return recheck(ports, tokens, identity, (reason) => refuse(reason, identity.user));
  }
  const signer = parseIamIdentity(requestContext.identity as IamIdentity | null | undefined);
  if (signer.kind === 'none') return undefined;
  if (signer.kind === 'unsupported') {
    options.onRefused?.({ reason: 'unsupported-signer', principal: signer.arn });
    return undefined;
  }
  return resolvePrincipal(ports, { principalId: signer.principalId, arn: signer.arn });
};

/**
 * What the authorization middleware (functions/api/authorization.ts) calls per request in AWS: the request's
 * Caller, or undefined (anonymous: refused with a 401 wherever a route needs a caller).
 */
export const gatewayAuthenticator =
  (ports: IdentityPorts, tokens: TokenLookup, options: GatewayAuthenticatorOptions = {}) =>
  (c: Context): Promise<Caller | undefined> =>
    callerOfRequestContext(ports, tokens, requestContextOf(c), options);
