/**
 * What the token authorizer hands the API through API Gateway (`requestContext.authorizer`), and nothing more:
 * who the caller is and which credential proved it. No permission travels this way: API Gateway caches the
 * authorizer's answer for minutes, so the API re-reads the user (and the token) on every request and decides
 * itself (functions/api/gateway-identity.ts). Context values must be strings, numbers or booleans, and REST
 * APIs hand every one of them to the backend as a string.
 */

/** `password:<credentialVersion>` (Basic with the user's password) or `token:<tokenId>` (a Cairn token). */
export type GatewayCredential = { readonly kind: 'password'; readonly version: number } | { readonly kind: 'token'; readonly tokenId: string };

export interface GatewayIdentity {
  /** The Cairn user's name (also the policy's principalId). */
  readonly user: string;
  /**
   * The user's number when the authorizer answered: a user deleted and created again under the same name gets a
   * new one, so an answer API Gateway cached for the old user does not pass for the new one.
   */
  readonly userId: number;
  readonly credential: GatewayCredential;
}

export type AuthorizerContext = { readonly user: string; readonly userId: number; readonly credential: string };

export const formatCredential = (credential: GatewayCredential): string =>
  credential.kind === 'password' ? `password:${credential.version}` : `token:${credential.tokenId}`;

export const parseCredential = (value: unknown): GatewayCredential | undefined => {
  if (typeof value !== 'string') return undefined;
  const password = /^password:(\d{1,15})$/.exec(value);
  if (password?.[1]) return { kind: 'password', version: Number(password[1]) };
  const token = /^token:([0-9a-f]{16})$/.exec(value);
  return token?.[1] ? { kind: 'token', tokenId: token[1] } : undefined;
};

export const toAuthorizerContext = (identity: GatewayIdentity): AuthorizerContext => ({
  user: identity.user,
  userId: identity.userId,
  credential: formatCredential(identity.credential),
});

const wholeNumber = (value: unknown): number | undefined => {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
};

/** The identity in `requestContext.authorizer`; undefined when any part is missing or malformed (refused). */
export const fromAuthorizerContext = (context: unknown): GatewayIdentity | undefined => {
  if (typeof context !== 'object' || context === null) return undefined;
  const fields = context as Record<string, unknown>;
  const user = fields.user;
  const userId = wholeNumber(fields.userId);
  const credential = parseCredential(fields.credential);
  if (typeof user !== 'string' || user === '' || userId === undefined || !credential) return undefined;
  return { user, userId, credential };
};
