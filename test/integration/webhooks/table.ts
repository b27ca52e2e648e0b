import { randomBytes, randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { toAttributes } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { toRegistryEventItem } from '../../../shared/data/registry-events/codec.js';
import type { RegistryEvent } from '../../../shared/domain/registry/events.js';
import { createWebhooks, type CreateWebhooksOptions } from '../../../shared/config/webhooks.js';
import { createGuardedHttpPost } from '../../../functions/webhooks/http-post.js';
import { endpointOf, type EngineName } from '../../support/test-api.js';

/** A fresh table on a local engine. */
export const freshTable = async (engine: EngineName): Promise<DbContext> => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-test-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

/** Writes an event into the registry's log as the registry's transactions do. */
export const writeRegistryEvent = async (db: DbContext, event: RegistryEvent): Promise<void> => {
  await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(toRegistryEventItem(event)) }));
};

export const SECRET_KEY = randomBytes(32);

/** Webhooks wired as a local server wires them, with short retry waits; a new call is a new process. */
export const webhooksOn = (db: DbContext, overrides: Partial<CreateWebhooksOptions> = {}) =>
  createWebhooks({
    db,
    secretKey: SECRET_KEY,
    httpPost: createGuardedHttpPost,
    allowPrivateTargets: true,
    retry: { baseDelayMs: 20, jitterMs: 0 },
    lagMs: 2000,
    logError: () => undefined,
    ...overrides,
  });
