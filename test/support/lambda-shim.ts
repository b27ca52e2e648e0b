import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { createLambdaHandler } from '../../functions/api/lambda-handler.js';
import { createAuthorizer } from '../../functions/authorizer/authorizer.js';
import { createVerifierFromEnv } from '../../functions/authorizer/from-env.js';
import type { IamIdentity } from '../../shared/domain/auth/principals.js';

export interface LambdaShim {
  /** Base URL as a client sees the deployed API: `http://127.0.0.1:<port>/<stage>`. */
  url: string;
  close(): Promise<void>;
}

export interface LambdaShimOptions {
  /** @default 'prod' */
  readonly stage?: string;
  /**
   * The Authorization header of a request that carries none, as a client configured with credentials sends it
   * (the conformance replays, which record no credentials, run as this caller).
   */
  readonly defaultAuthorization?: string;
  /**
   * How long an accepted Authorization header's answer is reused without asking the authorizer again, as API
   * Gateway caches it. @default 5 minutes, the stack's AUTHORIZER_CACHE_TTL (infra/constructs/rest-api.ts, not
   * imported here: it would load the CDK into every process that starts a shim)
   */
  readonly authorizerCacheMs?: number;
  /** Who signed requests to `/iam/...` (the shim checks no signature); without it they get API Gateway's 403. */
  readonly iamIdentity?: IamIdentity;
}

const lambdaContext = (): Context =>
  ({ functionName: 'cairn-api', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 29_000 }) as unknown as Context;

/** API Gateway's answers of its own (infra/constructs/rest-api.ts: gateway responses). */
const GATEWAY_UNAUTHORIZED = {
  status: 401,
  headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="cairn"' },
  body: '{"error_code":"UNAUTHENTICATED","message":"Unauthorized"}',
};
const MISSING_TOKEN = { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Missing Authentication Token"}' };

/**
 * Real HTTP in, API Gateway REST (v1) proxy events out: the Lambda code path of the deployed API (the same
 * handler, built from the same environment the stack sets), served on loopback so MLflow clients, the
 * conformance replayer and tests can talk to it as to API Gateway. Bodies travel base64-encoded, as API
 * Gateway sends them with binary media types `*\/*`.
 *
 * As the stage does, the token tree runs the real token authorizer (functions/authorizer) on the Authorization
 * header and caches an accepted answer per header value for the TTL, handing its context to the API in
 * `requestContext.authorizer`; `GET /health` and `GET /version` are open; `/iam/...` carries `iamIdentity`.
 */
export const startLambdaShim = async (env: NodeJS.ProcessEnv, options: LambdaShimOptions = {}): Promise<LambdaShim> => {
  const stage = options.stage ?? 'prod';
  // The API first: its cold start creates the first admin the authorizer may then be asked about.
  const handler = await createLambdaHandler(env);
  const authorize = createAuthorizer(createVerifierFromEnv(env));
  const cacheMs = options.authorizerCacheMs ?? 5 * 60_000;
  const cache = new Map<string, { until: number; result: APIGatewayAuthorizerResult }>();

  /** The authorizer's answer for this header, from the cache while it holds; undefined when refused. */
  const authorizerAnswer = async (event: APIGatewayProxyEvent, header: string | undefined) => {
    const cached = header === undefined ? undefined : cache.get(header);
    if (cached && cached.until > Date.now()) return cached.result;
    const request = {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-west-1:123456789012:shim/${stage}/${event.httpMethod}${event.path}`,
      headers: header === undefined ? {} : { Authorization: header },
      multiValueHeaders: header === undefined ? {} : { Authorization: [header] },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    const result = await authorize(request).catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Unauthorized') return undefined;
      throw error;
    });
    if (result && header !== undefined) cache.set(header, { until: Date.now() + cacheMs, result });
    return result;
  };

  /** What API Gateway does before the integration: undefined to go on, or its own answer. */
  const gateway = async (event: APIGatewayProxyEvent, request: IncomingMessage) => {
    const iam = event.path === '/iam' || event.path.startsWith('/iam/');
    if (iam) {
      if (!options.iamIdentity) return MISSING_TOKEN;
      event.resource = '/iam/{proxy+}';
      event.requestContext.resourcePath = '/iam/{proxy+}';
      Object.assign(event.requestContext.identity, options.iamIdentity);
      return undefined;
    }
    if (event.httpMethod === 'GET' && (event.path === '/health' || event.path === '/version')) return undefined;
    const header = request.headers.authorization ?? options.defaultAuthorization;
    if (header !== undefined && request.headers.authorization === undefined) {
      event.headers.Authorization = header;
      event.multiValueHeaders.Authorization = [header];
    }
    const answer = await authorizerAnswer(event, header);
    if (!answer) return GATEWAY_UNAUTHORIZED;
    // API Gateway hands every context value to the integration as a string.
    const context = Object.fromEntries(Object.entries(answer.context ?? {}).map(([key, value]) => [key, String(value)]));
    event.requestContext.authorizer = { principalId: answer.principalId, integrationLatency: 0, ...context };
    return undefined;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const event = toRestEvent(request, body, stage);
      const refused = event ? await gateway(event, request) : MISSING_TOKEN;
      if (!event || refused) {
        const answer = refused ?? MISSING_TOKEN;
        response.writeHead(answer.status, answer.headers).end(answer.body);
        return;
      }
      const result = (await handler(event as unknown as Parameters<typeof handler>[0], lambdaContext())) as APIGatewayProxyResult;
      const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
      response.writeHead(result.statusCode, headers);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${stage}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The event API Gateway would send for this request to the stage's `/{proxy+}` resource; undefined off the stage. */
const toRestEvent = (request: IncomingMessage, body: Buffer, stage: string): APIGatewayProxyEvent | undefined => {
  const url = new URL(request.url ?? '/', 'http://shim');
  if (url.pathname !== `/${stage}` && !url.pathname.startsWith(`/${stage}/`)) return undefined;
  const path = url.pathname.slice(stage.length + 1) || '/';
  // Maps without a prototype: a header or query key such as `constructor` is a key like any other.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    const value = request.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      stage,
      path: url.pathname,
      httpMethod: request.method ?? 'GET',
      requestId: randomUUID(),
      resourcePath: '/{proxy+}',
      identity: { sourceIp: '127.0.0.1' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    body: body.length > 0 ? body.toString('base64') : null,
    isBase64Encoded: body.length > 0,
  };
};
