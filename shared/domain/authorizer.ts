import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { RefusalReason, TokenService } from './tokens.js';

/**
 * The API Gateway (REST) Lambda REQUEST authorizer of the token tree (`/{proxy+}`): `Authorization: Bearer
 * <token>` or `Basic base64(<name>:<token>)`, as the MLflow client sends them. The `/iam/{proxy+}` tree uses
 * AWS_IAM instead and never reaches this code.
 */

/** The one error message API Gateway turns into a 401 (any other error is a 500). */
export const UNAUTHORIZED = 'Unauthorized';

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

/** Header names are case-insensitive, and HTTP/2 clients send them in lower case. */
const authorizationHeader = (event: APIGatewayRequestAuthorizerEvent): string | undefined => {
  const find = <V>(headers: Record<string, V | undefined> | null): V | undefined =>
    Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return find(event.headers) ?? find(event.multiValueHeaders)?.[0];
};

/**
 * `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/*\/*` from the method ARN of this request.
 * The answer is cached per Authorization header for the TTL and reused for every path and method, so it has
 * to allow them all; allowing only the method ARN would refuse the token's next, different call.
 */
export const stageWideArn = (methodArn: string): string => {
  const parts = methodArn.split(':');
  const [apiId, stage] = (parts[5] ?? '').split('/');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'execute-api' || !apiId || !stage) {
    throw new Error(`not an execute-api method ARN: ${methodArn}`);
  }
  return `${parts.slice(0, 5).join(':')}:${apiId}/${stage}/*/*`;
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

export const createAuthorizer =
  (tokens: Pick<TokenService, 'verifyBearer' | 'verifyBasic'>, options: AuthorizerOptions = {}) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const resource = stageWideArn(event.methodArn);
    const credentials = readCredentials(authorizationHeader(event));
    if (!credentials) {
      options.onRefused?.({ reason: 'no-credentials' });
      throw new Error(UNAUTHORIZED);
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
      throw new Error(UNAUTHORIZED);
    }
    return {
      principalId: verified.name,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
      },
      // Reaches the API as event.requestContext.authorizer.{tokenId,user}.
      context: { tokenId: verified.tokenId, user: verified.name },
    };
  };
