import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The API paths CloudFront sends to API Gateway (infra/constructs/ui-distribution.ts UI_API_PATHS), less the open probes. */
const GUARDED = [/^\/api\//, /^\/ajax-api\//, /^\/get-artifact/, /^\/model-versions\/get-artifact/];

export interface GatewayCall {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
}

export interface AuthGateway {
  url: string;
  /** Every guarded call, in order. */
  calls: GatewayCall[];
  /** The token accepted from now on (a rotated or revoked token makes the old one answer 401). */
  setToken(token: string): void;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Stands in front of `npm start`'s server as API Gateway's token authorizer does in AWS: the UI's files pass,
 * API calls without `Authorization: Bearer <token>` (or Basic `<user>:<token>`) get a 401 in MLflow's JSON
 * form, with no `WWW-Authenticate` (CloudFront's API header policy strips it so the browser shows no dialog).
 */
export const startAuthGateway = async (upstream: string, options: { token: string; user: string }): Promise<AuthGateway> => {
  let token = options.token;
  const calls: GatewayCall[] = [];
  const accepted = (authorization: string | undefined) =>
    authorization === `Bearer ${token}` || authorization === `Basic ${Buffer.from(`${options.user}:${token}`).toString('base64')}`;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '/';
      const authorization = request.headers.authorization;
      const guarded = GUARDED.some((pattern) => pattern.test(path));
      if (guarded && !accepted(authorization)) {
        calls.push({ method: request.method ?? 'GET', path, authorization, status: 401 });
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error_code: 'UNAUTHENTICATED', message: 'Unauthorized' }));
        return;
      }
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || name === 'host' || name === 'connection') continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const answer = await fetch(`${upstream}${path}`, { method: request.method, headers, body, redirect: 'manual' });
      if (guarded) calls.push({ method: request.method ?? 'GET', path, authorization, status: answer.status });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        // fetch has already decoded the body.
        if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value;
      });
      response.writeHead(answer.status, out);
      response.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 'BAD_GATEWAY', message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setToken: (next) => {
      token = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
