import { randomUUID } from 'node:crypto';
import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { signJsonPost, type SigningCredentials, type SigningScope } from './sigv4.js';

/**
 * DynamoDB's JSON protocol without the AWS SDK's per-call machinery, for the calls on the request path.
 *
 * The SDK spends about a millisecond of CPU on each call, whatever its size: it builds a middleware stack,
 * resolves the endpoint, serializes through schemas, signs with a fresh signer, arms four timers and parses
 * through schemas again. That is most of a `log-metric`'s CPU in Cairn. A wired call does the same request
 * itself: the JSON body (binary values as base64), SigV4 (sigv4.ts), a POST on the client's own kept-alive
 * agents, and `JSON.parse` of a 200 answer.
 *
 * Everything else stays the SDK's, so behaviour is the SDK's:
 * - where to send and how to sign (endpoint, region, service) is read from the SDK's own first call of each
 *   operation, which goes through the SDK entirely; credentials come from the client's provider chain, the
 *   clock from its skew correction;
 * - any answer but a 200, and any network error, is handed to the SDK as the first attempt of the same call
 *   (same input, same idempotency token): the SDK builds the same exception (TransactionCanceledException
 *   with its reasons, ConditionalCheckFailedException...), retries throttling and transient failures with
 *   its backoff and retry quota, and corrects a skewed clock, exactly as if it had sent the first attempt.
 */

/** The same call through the SDK, e.g. `(input) => client.send(new TransactWriteItemsCommand(input))`. */
export type ViaSdk<Input, Output> = (input: Input) => Promise<Output>;

export interface DynamoWire {
  /** `operation` (e.g. `TransactWriteItems`) with `input`, as `viaSdk` would do it. */
  send<Input extends object, Output>(operation: string, input: Input, viaSdk: ViaSdk<Input, Output>): Promise<Output>;
}

/** Where the SDK sent an operation and how it signed it. */
interface Target {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  host: string;
  scope: SigningScope;
}

/** What a wired attempt got, for the SDK to take as its own first attempt. */
type Outcome = { response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } } | { error: unknown };

interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** As createDynamoClient's request handler: a connection not made within 5 s fails (a transient error, retried). */
const CONNECTION_TIMEOUT_MS = 5_000;
/** Operations whose SDK command fills in an idempotency token when the caller gives none. */
const IDEMPOTENT = new Set(['TransactWriteItems']);

const wires = new WeakMap<DynamoDBClient, DynamoWire>();

/** The wire of a client made by createDynamoClient; absent for other clients (they go through the SDK). */
export const wireOf = (client: DynamoDBClient): DynamoWire | undefined => wires.get(client);

/** Runs `operation` through the client's wire when it has one, else through the SDK. */
export const sendWired = <Input extends object, Output>(
  client: DynamoDBClient,
  operation: string,
  input: Input,
  viaSdk: ViaSdk<Input, Output>,
): Promise<Output> => {
  const wire = wires.get(client);
  return wire ? wire.send(operation, input, viaSdk) : viaSdk(input);
};

/** Gives `client` a wire over `agents` (the ones its request handler uses, so both share the kept-alive sockets). */
export const attachDynamoWire = (client: DynamoDBClient, agents: { http: HttpAgent; https: HttpsAgent }): DynamoWire => {
  const targets = new Map<string, Target>();
  const outcomes = new WeakMap<object, Outcome>();

  // Innermost in the SDK's stack (after signing and the deserializer, before the request handler): learns where
  // each operation goes, and answers an attempt that the wire already made with what the wire got.
  client.middlewareStack.add(
    (next) => async (args) => {
      const outcome = outcomes.get(args.input);
      if (outcome) {
        outcomes.delete(args.input);
        if ('error' in outcome) throw outcome.error;
        return { response: outcome.response, output: undefined as never };
      }
      learnTarget(targets, args.request);
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'cairnDynamoWire' },
  );

  const credentials = (): Promise<SigningCredentials> => (client.config.credentials as () => Promise<SigningCredentials>)();
  const clockOffset = () => (client.config as { systemClockOffset?: number }).systemClockOffset ?? 0;

  const wire: DynamoWire = {
    async send<Input extends object, Output>(operation: string, input: Input, viaSdk: ViaSdk<Input, Output>): Promise<Output> {
      const target = targets.get(operation);
      if (!target) return viaSdk(input);
      const sent: Input = IDEMPOTENT.has(operation) && !('ClientRequestToken' in input) ? { ...input, ClientRequestToken: randomUUID() } : input;
      let outcome: Outcome;
      try {
        const body = JSON.stringify(toWireJson(sent));
        const headers = { 'content-type': CONTENT_TYPE, host: target.host, 'x-amz-target': `${TARGET_PREFIX}${operation}` };
        signJsonPost(headers, '/', body, await credentials(), target.scope, new Date(Date.now() + clockOffset()));
        const answer = await post(target, target.protocol === 'https:' ? agents.https : agents.http, headers, body);
        if (answer.statusCode === 200) return outputOf(answer) as Output;
        outcome = { response: { statusCode: answer.statusCode, headers: flatHeaders(answer.headers), body: new Uint8Array(answer.body) } };
      } catch (error) {
        outcome = { error };
      }
      outcomes.set(sent, outcome);
      return viaSdk(sent);
    },
  };
  wires.set(client, wire);
  return wire;
};

/** Records the endpoint and signing scope of a plain POST the SDK is about to send (DynamoDB's only form). */
const learnTarget = (targets: Map<string, Target>, request: unknown) => {
  const { method, protocol, hostname, port, path, query, headers } = (request ?? {}) as {
    method?: string;
    protocol?: string;
    hostname?: string;
    port?: number;
    path?: string;
    query?: Record<string, unknown>;
    headers?: Record<string, string>;
  };
  const operation = headers?.['x-amz-target']?.startsWith(TARGET_PREFIX) ? headers['x-amz-target'].slice(TARGET_PREFIX.length) : undefined;
  if (!operation || targets.has(operation) || method !== 'POST' || path !== '/' || Object.keys(query ?? {}).length > 0) return;
  if ((protocol !== 'http:' && protocol !== 'https:') || !hostname || !headers?.host) return;
  // `Credential=<key id>/<day>/<region>/<service>/aws4_request`: the scope the SDK signed with.
  const credential = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  if (!credential?.[1] || !credential[2]) return;
  targets.set(operation, { protocol, hostname, port, host: headers.host, scope: { region: credential[1], service: credential[2] } });
};

/** The SDK's input as DynamoDB's JSON: binary values (`B`, `BS`) as base64, everything else as JSON.stringify has it. */
const toWireJson = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toWireJson);
  // Null-prototype, so that a key `__proto__` (a tag may be named so) is a key and not the object's prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = toWireJson((value as Record<string, unknown>)[key]);
  return out;
};

/**
 * A 200 answer as the SDK's output: attribute values' `B` and `BS` decoded to bytes (an object whose only key is
 * `B` with a string, or `BS` with an array, can only be an attribute value: an item's attributes hold objects).
 */
const outputOf = (answer: Answer): Record<string, unknown> => {
  const output = answer.body.length > 0 ? (decodeBinary(JSON.parse(answer.body.toString('utf8'))) as Record<string, unknown>) : {};
  output.$metadata = {
    httpStatusCode: 200,
    requestId: answer.headers['x-amzn-requestid'],
    attempts: 1,
    totalRetryDelay: 0,
  };
  return output;
};

const decodeBinary = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeBinary(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.B === 'string') return { B: Buffer.from(record.B, 'base64') };
  if (keys.length === 1 && Array.isArray(record.BS)) return { BS: (record.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  for (const key of keys) record[key] = decodeBinary(record[key]);
  return record;
};

const flatHeaders = (headers: IncomingHttpHeaders): Record<string, string> => {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
};

const post = (target: Target, agent: HttpAgent | HttpsAgent, headers: Record<string, string>, body: string): Promise<Answer> =>
  new Promise<Answer>((resolve, reject) => {
    const options = { agent, host: target.hostname, port: target.port, method: 'POST', path: '/', headers: { ...headers, 'content-length': Buffer.byteLength(body) } };
    const onResponse = (response: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) }));
    };
    const request = target.protocol === 'https:' ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
    request.on('error', reject);
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => {
        request.destroy(Object.assign(new Error(`no connection to DynamoDB within ${CONNECTION_TIMEOUT_MS} ms`), { name: 'TimeoutError' }));
      }, CONNECTION_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    request.end(body);
  });
