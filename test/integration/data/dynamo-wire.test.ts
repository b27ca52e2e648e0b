import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetItemCommand,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { toAttributes, transactWrite } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

/** A request as the engine (or the stub) received it. `sdk`: sent by the SDK (it names itself in user-agent). */
interface Seen {
  target: string;
  sdk: boolean;
  attempt: string | undefined;
  body: Record<string, unknown>;
}

const seenOf = (headers: IncomingHttpHeaders, body: Buffer): Seen => ({
  target: String(headers['x-amz-target']).split('.')[1] ?? '',
  sdk: String(headers['user-agent'] ?? '').startsWith('aws-sdk-js'),
  attempt: headers['amz-sdk-request'] as string | undefined,
  body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
});

const servers: Server[] = [];
const clients: DynamoDBClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const listen = async (server: Server): Promise<string> => {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A transparent proxy in front of an engine that records every request, to tell wired calls from SDK ones. */
const recordingProxy = async (endpoint: string) => {
  const seen: Seen[] = [];
  const target = new URL(endpoint);
  const url = await listen(
    createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push(seenOf(incoming.headers, body));
        const forwarded = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        });
        forwarded.end(body);
      });
    }),
  );
  return { url, seen };
};

/** A DynamoDB stand-in for what engines cannot do (throttle, drop a connection): `answer` decides each request. */
const stub = async (answer: (seen: Seen, index: number) => { status: number; body: object } | 'drop') => {
  const seen: Seen[] = [];
  const url = await listen(
    createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const request = seenOf(incoming.headers, Buffer.concat(chunks));
        seen.push(request);
        const reply = answer(request, seen.length - 1);
        if (reply === 'drop') {
          incoming.socket.destroy();
          return;
        }
        const text = JSON.stringify(reply.body);
        outgoing.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': `r${seen.length}` });
        outgoing.end(text);
      });
    }),
  );
  return { url, seen };
};

const clientFor = (endpoint: string) => {
  const client = createDynamoClient({ endpoint });
  clients.push(client);
  return client;
};

const put = (tableName: string, item: Record<string, unknown>, condition?: string): TransactWriteItem => ({
  Put: { TableName: tableName, Item: toAttributes(item), ...(condition ? { ConditionExpression: condition } : {}) },
});

/** An item with every kind of attribute value, binary ones included. */
const everyKind = (pk: string) => ({
  pk,
  sk: 'item',
  s: 'été ☃ \u{1F600}',
  n: 12.5,
  big: 2 ** 53 - 1,
  b: new Uint8Array([0, 1, 2, 250, 255]),
  yes: true,
  nothing: null,
  list: ['a', 1, new Uint8Array([7])],
  // Keys a plain object would not keep as keys: `__proto__` (own, as JSON.parse makes it) and `constructor`.
  map: { nested: { deeper: 'x' }, B: 'a map key named B', ...(JSON.parse('{"__proto__": "own key", "constructor": "c"}') as object) },
  ss: new Set(['x', 'y']),
  ns: new Set([1, 2]),
  bs: new Set([new Uint8Array([1]), new Uint8Array([2, 3])]),
});

describe.each(ENGINES)('the DynamoDB wire on %s', (engine) => {
  const setUp = async () => {
    const proxy = await recordingProxy(endpointOf(engine));
    const client = clientFor(proxy.url);
    const tableName = `wire-${randomUUID()}`;
    await ensureTable({ client, tableName });
    return { proxy, client, db: { client, tableName } };
  };

  it('sends the first transaction through the SDK, later ones itself, and writes what the SDK would', async () => {
    // Prepare
    const { proxy, client, db } = await setUp();
    const viaSdk = everyKind('first');
    const viaWire = everyKind('second');

    // Act
    await transactWrite(db, [put(db.tableName, viaSdk)]);
    await transactWrite(db, [put(db.tableName, viaWire)]);

    // Assess
    const writes = proxy.seen.filter((s) => s.target === 'TransactWriteItems');
    expect(writes.map((s) => s.sdk)).toEqual([true, false]);
    const read = async (pk: string) =>
      (await client.send(new GetItemCommand({ TableName: db.tableName, Key: toAttributes({ pk, sk: 'item' }), ConsistentRead: true }))).Item;
    const first = await read('first');
    const second = await read('second');
    expect({ ...second, pk: first?.pk }).toEqual(first);
    expect(Object.keys(second?.map?.M ?? {}).sort()).toEqual(['B', '__proto__', 'constructor', 'nested']);
  });

  it('fails a cancelled transaction with the same exception as the SDK, after one request to the engine', async () => {
    // Prepare
    const { proxy, client, db } = await setUp();
    await transactWrite(db, [put(db.tableName, { pk: 'taken', sk: 'item' })]);
    const items = [put(db.tableName, { pk: 'free', sk: 'item' }), put(db.tableName, { pk: 'taken', sk: 'item' }, 'attribute_not_exists(pk)')];
    const sdkError = await client.send(new TransactWriteItemsCommand({ TransactItems: items })).catch((error: unknown) => error);
    const before = proxy.seen.length;

    // Act
    const wireError = await transactWrite(db, items).catch((error: unknown) => error);

    // Assess
    expect(proxy.seen.slice(before).map((s) => s.sdk)).toEqual([false]);
    expect(wireError).toBeInstanceOf(TransactionCanceledException);
    expect(sdkError).toBeInstanceOf(TransactionCanceledException);
    const shape = (error: unknown) => {
      const { name, message, $fault, CancellationReasons, $metadata } = error as TransactionCanceledException;
      return { name, message, $fault, CancellationReasons, status: $metadata.httpStatusCode, attempts: $metadata.attempts };
    };
    expect(shape(wireError)).toEqual(shape(sdkError));
    expect((wireError as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
  });
});

describe('the DynamoDB wire when DynamoDB throttles or drops connections', () => {
  const ok = { status: 200, body: {} };
  const throttled = { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' } };
  const db = (url: string) => ({ client: clientFor(url), tableName: 't' });
  const items = [put('t', { pk: 'a', sk: 'b' })];

  it('retries a throttled transaction with the SDK, with the same idempotency token', async () => {
    // Prepare: the first call teaches the wire the endpoint; the next is throttled twice.
    const engine = await stub((_, index) => (index === 1 || index === 2 ? throttled : ok));
    const target = db(engine.url);
    await transactWrite(target, items);

    // Act
    await transactWrite(target, items);

    // Assess
    const retried = engine.seen.slice(1);
    expect(retried.map((s) => [s.sdk, s.attempt])).toEqual([
      [false, undefined],
      [true, 'attempt=2; max=3'],
      [true, 'attempt=3; max=3'],
    ]);
    const tokens = new Set(retried.map((s) => s.body.ClientRequestToken));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers TEMPORARILY_UNAVAILABLE when throttling outlasts the SDK attempts, as without the wire', async () => {
    // Prepare
    const engine = await stub((_, index) => (index === 0 ? ok : throttled));
    const target = db(engine.url);
    await transactWrite(target, items);

    // Act
    const error = await transactWrite(target, items).catch((failure: unknown) => failure);

    // Assess
    expect(MlflowError.is(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
    const cause = (error as MlflowError).cause as ProvisionedThroughputExceededException;
    expect(cause).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(cause.$metadata.attempts).toBe(3);
    expect(engine.seen).toHaveLength(4);
  });

  it('retries with the SDK when the connection drops under the wired attempt', async () => {
    // Prepare
    const engine = await stub((_, index) => (index === 1 ? 'drop' : ok));
    const target = db(engine.url);
    await transactWrite(target, items);

    // Act
    await transactWrite(target, items);

    // Assess
    expect(engine.seen.slice(1).map((s) => [s.sdk, s.attempt])).toEqual([
      [false, undefined],
      [true, 'attempt=2; max=3'],
    ]);
  });
});
