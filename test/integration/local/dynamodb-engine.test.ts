import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import {
  resolveDynoxideBinary,
  startDynamoEngine,
  type DynamoEngine,
  type EngineKind,
} from '../../../shared/local/dynamodb-engine.js';
import { assertLoopbackEndpoint } from '../../support/loopback.js';

const TIMEOUT = 60_000;
const TABLE = 'cairn-engine-test';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-engine-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(kind: EngineKind, dataDir?: string): Promise<DynamoEngine> {
  const engine = await startDynamoEngine({ kind, ...(dataDir ? { dataDir } : {}) });
  cleanups.push(() => engine.stop());
  assertLoopbackEndpoint(engine.endpoint);
  expect(engine.kind).toBe(kind);
  return engine;
}

function clientFor(engine: DynamoEngine): DynamoDBClient {
  const client = createDynamoClient({ endpoint: engine.endpoint });
  cleanups.push(async () => client.destroy());
  return client;
}

async function canListTables(endpoint: string): Promise<boolean> {
  const client = createDynamoClient({ endpoint });
  try {
    await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

describe.each<EngineKind>(['dynoxide', 'dynamodb-local'])('%s engine', (kind) => {
  it(
    'persists data in dataDir across a stop and a restart',
    async () => {
      const dataDir = await tempDir();

      const first = await start(kind, dataDir);
      const client1 = clientFor(first);
      await client1.send(
        new CreateTableCommand({
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      await client1.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'EXP#1' }, sk: { S: 'META' }, name: { S: 'persisted' }, n: { N: '42' } },
        }),
      );
      client1.destroy();
      await first.stop();
      expect(await canListTables(first.endpoint)).toBe(false);
      expect((await readdir(dataDir)).length).toBeGreaterThan(0);

      const second = await start(kind, dataDir);
      const client2 = clientFor(second);
      const tables = await client2.send(new ListTablesCommand({}));
      expect(tables.TableNames).toContain(TABLE);
      const got = await client2.send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'EXP#1' }, sk: { S: 'META' } }, ConsistentRead: true }),
      );
      expect(got.Item).toEqual({ pk: { S: 'EXP#1' }, sk: { S: 'META' }, name: { S: 'persisted' }, n: { N: '42' } });
    },
    TIMEOUT,
  );

  it(
    'stop() is idempotent',
    async () => {
      const engine = await start(kind);
      expect(await canListTables(engine.endpoint)).toBe(true);
      const concurrent = [engine.stop(), engine.stop()];
      await Promise.all(concurrent);
      await engine.stop();
      expect(await canListTables(engine.endpoint)).toBe(false);
    },
    TIMEOUT,
  );
});

describe('dynamodb-local in memory', () => {
  it(
    'answers ListTables and starts empty',
    async () => {
      const engine = await start('dynamodb-local');
      const client = clientFor(engine);
      const tables = await client.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('engine selection', () => {
  it(
    "'auto' prefers dynoxide when its binary is installed, else DynamoDB Local",
    async () => {
      const engine = await startDynamoEngine({});
      cleanups.push(() => engine.stop());
      expect(engine.kind).toBe(resolveDynoxideBinary() ? 'dynoxide' : 'dynamodb-local');
      expect(await canListTables(engine.endpoint)).toBe(true);
    },
    TIMEOUT,
  );
});
