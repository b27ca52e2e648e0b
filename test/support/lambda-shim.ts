import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createLambdaHandler } from '../../functions/api/lambda-handler.js';

export interface LambdaShim {
  /** Base URL as a client sees the deployed API: `http://127.0.0.1:<port>/<stage>`. */
  url: string;
  close(): Promise<void>;
}

const lambdaContext = (): Context =>
  ({ functionName: 'cairn-api', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 29_000 }) as unknown as Context;

/**
 * Real HTTP in, API Gateway REST (v1) proxy events out: the Lambda code path of the deployed API (the same
 * handler, built from the same environment the stack sets), served on loopback so MLflow clients, the
 * conformance replayer and tests can talk to it as to API Gateway. Bodies travel base64-encoded, as API
 * Gateway sends them with binary media types `*\/*`.
 */
export const startLambdaShim = async (env: NodeJS.ProcessEnv, stage = 'prod'): Promise<LambdaShim> => {
  const handler = await createLambdaHandler(env);
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const event = toRestEvent(request, body, stage);
      if (!event) {
        response.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Missing Authentication Token"}');
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
