import type { RefusalReason, TokenService } from './tokens.js';

/**
 * Who a request is, from its `Authorization` header: `Bearer <token>` or `Basic base64(<name>:<token>)`, as
 * the MLflow client sends them. The API Gateway adapter (functions/authorizer/authorizer.ts) turns the answer
 * into an IAM policy; this module knows nothing of API Gateway's event shapes.
 */

export type Credentials =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The credentials of an Authorization header value; undefined when it is neither usable form. */
export const readCredentials = (header: string | undefined): Credentials | undefined => {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return { scheme, token: match[2] };
  if (scheme !== 'basic' || !BASE64.test(match[2])) return undefined;
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { scheme, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};

export interface Refusal {
  readonly reason: RefusalReason | 'no-credentials';
  readonly scheme?: Credentials['scheme'];
  readonly tokenId?: string;
}

export interface AuthorizerOptions {
  /** Called for every refused request (never with the secret), for the logs. */
  readonly onRefused?: (refusal: Refusal) => void;
}

/** Who the caller is, when the credentials hold. */
export interface Identity {
  readonly user: string;
  readonly tokenId: string;
}

/**
 * Verifies the header's credentials: the caller's identity, or a refusal (reported through `onRefused`,
 * never with the secret) and undefined.
 */
export const identify = async (
  tokens: Pick<TokenService, 'verifyBearer' | 'verifyBasic'>,
  authorization: string | undefined,
  options: AuthorizerOptions = {},
): Promise<Identity | undefined> => {
  const credentials = readCredentials(authorization);
  if (!credentials) {
    options.onRefused?.({ reason: 'no-credentials' });
    return undefined;
  }
  const verified =
    credentials.scheme === 'bearer'
      ? await tokens.verifyBearer(credentials.token)
      : await tokens.verifyBasic(credentials.username, credentials.password);
  if (!verified.ok) {
    options.onRefused?.({
      reason: verified.reason,
      scheme: credentials.scheme,
      ...(verified.tokenId ? { tokenId: verified.tokenId } : {}),
    });
    return undefined;
  }
  return { user: verified.name, tokenId: verified.tokenId };
};
