import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { identify, type AuthorizerOptions } from '../../shared/domain/auth/authorizer.js';
import { toAuthorizerContext } from '../../shared/domain/auth/authorizer-context.js';
import type { CredentialVerifier } from '../../shared/domain/auth/credentials.js';

/**
 * The API Gateway (REST) Lambda REQUEST authorizer of the token tree (`/{proxy+}`). The `/iam/{proxy+}` tree
 * uses AWS_IAM instead and never reaches this code. It establishes identity only (`identify`: a user's password
 * or a Cairn token bound to a user) and allows the whole stage; what the caller may do is decided by the API on
 * every request, so a revoked password, token or grant holds at once whatever API Gateway cached.
 */

/** The one error message API Gateway turns into a 401 (any other error is a 500). */
export const UNAUTHORIZED = 'Unauthorized';

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

export const createAuthorizer =
  (verifier: Pick<CredentialVerifier, 'verify'>, options: AuthorizerOptions = {}) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const resource = stageWideArn(event.methodArn);
    const identity = await identify(verifier, authorizationHeader(event), options);
    if (!identity) throw new Error(UNAUTHORIZED);
    return {
      principalId: identity.user,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
      },
      // Reaches the API as event.requestContext.authorizer.{user,userId,credential} (gateway-identity.ts).
      context: toAuthorizerContext(identity),
    };
  };
