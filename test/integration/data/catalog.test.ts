/**
 * The catalog (shared/data/catalog) on both engines: built once from items written without it, while a writer
 * changes one of them; a copy whose changes expired loads its shard again; a write held on the wire longer than
 * any window is seen by every search that starts after it is acknowledged; a shard's changes are numbered with
 * no gap however many writers race.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { catalogHeadKey, catalogPartition, CATALOG_SHARDS } from '../../../shared/data/catalog/keys.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { expression, getItem, queryAll, toAttributes, type Item } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { toExperimentItem, toNameGuardItem } from '../../../shared/data/experiments/codec.js';
import { createExperimentRepository } from '../../../shared/data/experiments/repository.js';
import { newRegisteredModelAttributes, toModelVersionItem, toNameGuardItem as toModelNameGuardItem } from '../../../shared/data/registry/codec.js';
import { registeredModelKey, registeredModelListingKey } from '../../../shared/data/registry/keys.js';
import { createRegistryRepository } from '../../../shared/data/registry/repository.js';
import type { DbContext } from '../../../shared/data/db-context.js';
import type { Experiment } from '../../../shared/domain/tracking/entities.js';
import { slowWire } from '../../support/slow-wire.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const freshTable = async (endpoint: string): Promise<DbContext> => {
  const db = { client: createDynamoClient({ endpoint }), tableName: `cairn-catalog-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

const putAll = async (db: DbContext, items: Item[]) => {
  for (let offset = 0; offset < items.length; offset += 25) {
    let pending = items.slice(offset, offset + 25).map((item) => ({ PutRequest: { Item: toAttributes(item) } }));
    while (pending.length > 0) {
      const result = await db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: pending } }));
      pending = (result.UnprocessedItems?.[db.tableName] ?? []) as typeof pending;
    }
  }
};

const experiment = (i: number): Experiment => ({
  experimentId: String(i),
  name: `old-${String(i).padStart(4, '0')}`,
  artifactLocation: `mlflow-artifacts:/${i}`,
  lifecycleStage: 'active',
  creationTime: 1000 + i,
  lastUpdateTime: 1000 + i,
  tags: { i: String(i) },
});

const everyExperiment = async (db: DbContext) => {
  const snapshot = await createExperimentRepository(db).catalog();
  return new Map([...snapshot.items].map((item) => [item.value.experimentId, item.value]));
};

describe.each(ENGINES)('catalog (%s)', (engine) => {
  it('is built once from experiments and registry items written without it, a rename during the build kept', async () => {
    // Prepare: 800 experiments (about 100 a shard, more than one change holds) and 30 models of 2 versions,
    // written as a table from before the catalog holds them
    const db = await freshTable(endpointOf(engine));
    await putAll(db, Array.from({ length: 800 }, (_, i) => [toExperimentItem(experiment(i + 1)), toNameGuardItem(experiment(i + 1).name, String(i + 1))]).flat());
    await putAll(
      db,
      Array.from({ length: 30 }, (_, i) => {
        const modelId = `model${String(i).padStart(27, '0')}`;
        const name = `model-${i}`;
        const versions = [1, 2].map((v) =>
          toModelVersionItem({ modelId, version: v, creationTimestamp: v, lastUpdatedTimestamp: v, currentStage: v === 2 ? 'Production' : 'None', source: `s3://b/${v}`, tags: {}, deleted: false }),
        );
        const model = { ...registeredModelKey(modelId), ...registeredModelListingKey(name), ...newRegisteredModelAttributes(modelId), name, creationTimestamp: 1, lastUpdatedTimestamp: 2, tags: {}, aliases: {}, latestVersion: 2, eventSeq: 3 };
        return [model, toModelNameGuardItem(name, modelId), ...versions];
      }).flat(),
    );
    const experiments = createExperimentRepository(db);
    const renamed = { ...experiment(7) };

    // Act: the first search builds the catalog while experiment 7 is renamed through the repository
    const [built] = await Promise.all([everyExperiment(db), experiments.rename(renamed, 'renamed-7', 5000)]);
    const after = await everyExperiment(db);
    const registry = await createRegistryRepository(db, Date.now).catalog();
    const again = await everyExperiment(db);

    // Assess
    expect(built.size).toBe(800);
    expect(after.size).toBe(800);
    expect(after.get('7')?.name).toBe('renamed-7');
    expect(after.get('800')).toMatchObject({ name: 'old-0800', tags: { i: '800' } });
    expect(registry.models).toHaveLength(30);
    expect(registry.versions).toHaveLength(60);
    expect(registry.versionsOf(`model${'0'.repeat(27)}`).map((v) => `${v.name}#${v.version}`).sort()).toEqual(['model-0#1', 'model-0#2']);
    expect(again).toEqual(after);
    expect(await getItem(db, { pk: 'CAT#EXP', sk: 'BUILT' })).toBeDefined();
  });

  it('a copy whose changes have expired loads its shards again, and still holds every write', async () => {
    // Prepare: a warm copy, then changes through another process's repository
    const db = await freshTable(endpointOf(engine));
    const warm = createExperimentRepository(db);
    const writer = createExperimentRepository(db);
    for (let i = 1; i <= 20; i++) await writer.create(experiment(i));
    await warm.catalog();
    for (let i = 1; i <= 20; i++) await writer.setTag(String(i), 'late', 'yes');

    // Act: every change item goes, as TTL would take them
    for (let shard = 0; shard < CATALOG_SHARDS; shard++) {
      const changes = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
        ...expression({}, { ':pk': catalogPartition('EXP', shard), ':l': 'L#' }),
      });
      for (const change of changes) {
        await db.client.send(new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes({ pk: change.pk, sk: change.sk }) }));
      }
    }
    const snapshot = await warm.catalog();

    // Assess
    const values = [...snapshot.items].map((item) => item.value);
    expect(values).toHaveLength(20);
    expect(values.every((e) => e.tags.late === 'yes')).toBe(true);
  });

  it('a write held on the wire for 1.5 s is in every search that starts after it is acknowledged; changes are numbered with no gap', async () => {
    // Prepare
    const db = await freshTable(endpointOf(engine));
    const wire = await slowWire(endpointOf(engine));
    const slowRepository = createExperimentRepository({ client: createDynamoClient({ endpoint: wire.endpoint }), tableName: db.tableName });
    const fast = createExperimentRepository(db);
    const reader = createExperimentRepository(db);
    for (let i = 1; i <= 16; i++) await fast.create(experiment(i));
    await reader.catalog();
    const headsBefore = await Promise.all(Array.from({ length: CATALOG_SHARDS }, (_, s) => getItem(db, catalogHeadKey('EXP', s))));

    // Act: the slow write, 16 fast tag writes racing it on every shard, and searches all along
    wire.delay.ms = 1500;
    const slow = slowRepository.setTag('1', 'slow', 'landed');
    const racing = Promise.all(Array.from({ length: 16 }, (_, i) => fast.setTag(String(i + 1), 'fast', 'yes')));
    // Searches run all along, so the reader's copy is refreshed while the slow write is in flight.
    const searching = (async () => {
      for (let i = 0; i < 5; i++) {
        await reader.catalog();
        await sleep(100);
      }
    })();
    await Promise.all([slow, racing, searching]);
    const after = new Map([...(await reader.catalog()).items].map((item) => [item.value.experimentId, item.value]));
    const headsAfter = await Promise.all(Array.from({ length: CATALOG_SHARDS }, (_, s) => getItem(db, catalogHeadKey('EXP', s))));
    wire.close();

    // Assess
    expect(after.get('1')?.tags).toMatchObject({ slow: 'landed', fast: 'yes' });
    expect([...after.values()].every((e) => e.tags.fast === 'yes')).toBe(true);
    const numbered = headsAfter.reduce((sum, head, s) => sum + Number(head?.seq ?? 0) - Number(headsBefore[s]?.seq ?? 0), 0);
    expect(numbered).toBe(17);
    const changes = (
      await Promise.all(
        Array.from({ length: CATALOG_SHARDS }, (_, s) =>
          queryAll(db, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)', ConsistentRead: true, ...expression({}, { ':pk': catalogPartition('EXP', s), ':l': 'L#' }) }),
        ),
      )
    ).map((items) => items.map((item) => Number(item.seq)));
    for (const seqs of changes) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
