import { randomUUID } from 'node:crypto';
import type { Grant, User } from '../../../shared/domain/auth/entities.js';
import type { Permission } from '../../../shared/domain/auth/permissions.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { hashSecret, type SecretHash } from '../../../shared/domain/auth/token-secrets.js';
import { buildFuzzApp, FUZZ_ADMIN, prepareTable } from '../../fuzz/app.js';
import { basicHeader } from '../../support/fakes/auth.js';
import { endpointOf, TEST_BASE_URL, type EngineName } from '../../support/test-api.js';

/**
 * A server for the authorization matrix and the escalation tests: the app with every optional part and
 * authorization on (as `npm start -- --auth` builds it, test/fuzz/app.ts) on a fresh table, NO_PERMISSIONS as
 * the default, called in process with real Basic credentials through the real credential verifier; or any API
 * on a table (the Lambda path behind its shim) through matrixClient.
 */

/** Every caller of the matrix, least privileged first (see route-matrix.test.ts for why the order matters). */
export const CALLERS = ['anonymous', 'unknown', 'noPermissions', 'other', 'reader', 'editor', 'manager', 'admin'] as const;
export type CallerName = (typeof CALLERS)[number];

/** The grant each signed-in non-admin caller holds on every resource of a world (none: the default applies). */
export const WORLD_GRANTS: Partial<Record<CallerName, Permission>> = {
  noPermissions: 'NO_PERMISSIONS',
  reader: 'READ',
  editor: 'EDIT',
  manager: 'MANAGE',
};

export const DEFAULT_PERMISSION: Permission = 'NO_PERMISSIONS';
export const PASSWORD = 'matrix-password';

export interface SentRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** JSON (an object) or bytes. */
  body?: Record<string, unknown> | string;
  contentType?: string;
}

export interface Answer {
  status: number;
  contentType: string | null;
  wwwAuthenticate: string | null;
  text: string;
  json: any;
}

export type MatrixClient = Awaited<ReturnType<typeof matrixClient>>;
export type MatrixServer = Awaited<ReturnType<typeof startMatrixServer>>;

export interface MatrixClientOptions {
  /** Sends a request (path and query) to the API, as in-process `app.request` or as HTTP to a shim. */
  readonly transport: (path: string, init: RequestInit) => Promise<Response>;
  readonly ports: AuthPorts;
  readonly deps: TrackingDeps;
  readonly admin: { readonly username: string; readonly password: string };
}

/**
 * Callers for the matrix on any API that shares its table with `ports` and `deps`: a user for each signed-in
 * caller but the admin (made straight in the store; users/create is tested elsewhere), and requests as any of them.
 */
export const matrixClient = async (options: MatrixClientOptions) => {
  const { ports } = options;
  // One scrypt hash for every user made here (salted once): users are cheap to make, each is still checked for real.
  const passwordHash: SecretHash = await hashSecret(PASSWORD);
  const makeUser = async (username: string, isAdmin = false): Promise<User> => {
    const user: User = { userId: await ports.users.allocateId(), username, isAdmin, passwordHash, credentialVersion: 1, createdAt: ports.now(), grants: new Map(), groupIds: [] };
    await ports.users.create(user);
    return user;
  };
  const grant = (user: User, resource: Grant['resource'], permission: Permission) =>
    ports.grants.put({ subject: { kind: 'user', id: user.userId }, resource, permission }, 'upsert');

  const headerOf = new Map<string, string>([['admin', basicHeader(options.admin.username, options.admin.password)]]);
  const users = new Map<string, User>();
  for (const name of CALLERS) {
    if (name === 'anonymous' || name === 'admin') continue;
    // `unknown` sends credentials of nobody: no user is made for it.
    if (name !== 'unknown') users.set(name, await makeUser(name));
    headerOf.set(name, basicHeader(name, PASSWORD));
  }

  /** Sends a request as a caller (`anonymous`: no credentials) or as any user made here, by name. */
  const send = async (as: string, request: SentRequest): Promise<Answer> => {
    const header = as === 'anonymous' ? undefined : (headerOf.get(as) ?? basicHeader(as, PASSWORD));
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const contentType = request.contentType ?? (typeof request.body === 'object' ? 'application/json' : undefined);
    const response = await options.transport(request.path, {
      method: request.method,
      headers: { ...(header ? { authorization: header } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, contentType: response.headers.get('content-type'), wwwAuthenticate: response.headers.get('www-authenticate'), text, json };
  };

  /** JSON RPC as a caller: GET with a query, anything else with a JSON body. */
  const call = (as: string, method: string, path: string, fields: Record<string, unknown> = {}) =>
    send(as, method === 'GET' ? { method, path: `${path}${queryOf(fields)}` } : { method, path, body: fields });

  /** Like `call` as the admin, failing on anything but a 200. */
  const must = async (method: string, path: string, fields: Record<string, unknown> = {}) => {
    const answer = await call('admin', method, path, fields);
    if (answer.status !== 200) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer.json;
  };

  return { ports, deps: options.deps, users, makeUser, grant, send, call, must };
};

/** The app with every part and authorization on a fresh table of `engine`, called in process. */
export const startMatrixServer = async (engine: EngineName) => {
  const endpoint = endpointOf(engine);
  const tableName = `cairn-matrix-${randomUUID()}`;
  await prepareTable(endpoint, tableName, FUZZ_ADMIN);
  const built = await buildFuzzApp({ endpoint, tableName, baseUrl: () => TEST_BASE_URL, auth: { defaultPermission: DEFAULT_PERMISSION } });
  const client = await matrixClient({
    transport: async (path, init) => built.app.request(`${TEST_BASE_URL}${path}`, init),
    ports: built.auth!.ports,
    deps: built.deps,
    admin: FUZZ_ADMIN,
  });
  return { ...client, app: built.app, stop: () => built.client.destroy() };
};

/** A query string; arrays become repeated parameters. */
export const queryOf = (fields: Record<string, unknown>): string => {
  const pairs = Object.entries(fields).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => [key, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
  );
  return pairs.length > 0 ? `?${new URLSearchParams(pairs)}` : '';
};

/** How the decision point answered: MLflow's 401 (text/html, Basic challenge), its 403 `Permission denied`, or not at all. */
export type Decision = 'unauthenticated' | 'denied' | 'allowed';

export const decisionOf = (answer: Answer): Decision | 'malformed refusal' => {
  if (answer.status === 401) {
    const mlflows = answer.contentType === 'text/html; charset=utf-8' && answer.wwwAuthenticate === 'Basic realm="mlflow"';
    return mlflows ? 'unauthenticated' : 'malformed refusal';
  }
  if (answer.status === 403) return answer.text === 'Permission denied' && answer.contentType === 'text/html; charset=utf-8' ? 'denied' : 'malformed refusal';
  return 'allowed';
};

/**
 * Behind API Gateway a request whose credentials the token authorizer refuses is answered by the gateway itself
 * (the stack's gateway response, played by test/support/lambda-shim.ts) in Cairn's JSON form: a 401 too.
 */
export const decisionBehindGateway = (answer: Answer): Decision | 'malformed refusal' => {
  const gateways = answer.status === 401 && answer.json?.error_code === 'UNAUTHENTICATED' && (answer.wwwAuthenticate ?? '').startsWith('Basic ');
  return gateways ? 'unauthenticated' : decisionOf(answer);
};
