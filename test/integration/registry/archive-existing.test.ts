/**
 * transition-stage with archive_existing_versions over more versions than one transaction holds (about 29 with
 * the catalog): archived in steps before the move (shared/domain/registry/stage-moves.ts). On both engines: 150
 * versions in Production; two transitions at once while tags are set; a transition cut off between its steps
 * and sent again. After each, the table, the catalog (a fresh process's copy and its searches) and the event log
 * agree: every version in one stage, every archive recorded once, the shard's changes numbered with no gap.
 */
import { describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { catalogPartition, catalogShardOf, catalogHeadKey } from '../../../shared/data/catalog/keys.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { expression, getItem, queryAll } from '../../../shared/data/dynamo-ops.js';
import { createRegistryRepository } from '../../../shared/data/registry/repository.js';
import { createRegistryEventLog } from '../../../shared/data/registry-events/repository.js';
import { createTestApi, ENGINES, type EngineName } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

type Call = (method: string, path: string, body?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

/** A Cairn process on the table: its own client (or the one given), its own catalog copy, the MLflow API. */
const processOn = (engine: EngineName, endpoint: string, tableName: string, client: DynamoDBClient = createDynamoClient({ endpoint })) => {
  const deps = createTrackingDeps({ client, tableName });
  const app = createApi(deps);
  const call: Call = async (method, path, body) => {
    const query = method === 'GET' && body ? `?${new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
    const response = await app.request(`${path}${query}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { engine, deps, db: { client, tableName }, call };
};

const ok = async (answer: Promise<{ status: number; body: any }>) => {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
};

const transition = (call: Call, name: string, version: number, stage: string, archive: boolean) =>
  call('POST', `${API}/model-versions/transition-stage`, { name, version: String(version), stage, archive_existing_versions: archive });

/** A model with `total` versions, 1..inStage of them in `stage`. */
const modelWith = async (call: Call, name: string, total: number, inStage: number, stage = 'Production') => {
  await ok(call('POST', `${API}/registered-models/create`, { name }));
  for (let v = 1; v <= total; v++) await ok(call('POST', `${API}/model-versions/create`, { name, source: `s3://bucket/${v}` }));
  for (let v = 1; v <= inStage; v++) await ok(transition(call, name, v, stage, false));
};

/**
 * The model's versions as the table, a fresh process's catalog, its search_model_versions and its event log
 * show them; asserts the four agree and the catalog shard's changes are numbered 1..head.
 */
const agreedState = async (engine: EngineName, endpoint: string, tableName: string, name: string) => {
  const fresh = processOn(engine, endpoint, tableName);
  const model = await fresh.deps.registry.getModelByName(name);
  if (!model) throw new Error(`${name} is missing`);
  const table = new Map((await fresh.deps.registry.listVersions(model)).map((v) => [v.version, { stage: v.currentStage, tags: v.tags }]));

  const catalog = await createRegistryRepository(fresh.db, Date.now).catalog();
  const inCatalog = new Map(catalog.versionsOf(model.modelId).map((v) => [v.version, { stage: v.currentStage, tags: v.tags }]));
  expect(inCatalog).toEqual(table);

  const searched = await ok(fresh.call('GET', `${API}/model-versions/search`, { filter: `name='${name}'`, max_results: 1000 }));
  const bySearch = new Map((searched.model_versions as any[]).map((v) => [Number(v.version), v.current_stage as string]));
  expect(bySearch).toEqual(new Map([...table].map(([v, { stage }]) => [v, stage])));

  // The event log replayed: positions 1..n, each transition from the stage the version was in; ends as the table.
  const events = await createRegistryEventLog(fresh.db).forModel(model.modelId);
  expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
  const replayed = new Map<number, string>();
  for (const event of events) {
    const version = Number(event.version);
    if (event.type === 'MODEL_VERSION_CREATED') replayed.set(version, 'None');
    if (event.type !== 'MODEL_VERSION_STAGE_TRANSITIONED') continue;
    expect(event.data.from_stage, `event ${event.position} of version ${version}`).toBe(replayed.get(version));
    replayed.set(version, String(event.data.to_stage));
  }
  expect(replayed).toEqual(new Map([...table].map(([v, { stage }]) => [v, stage])));

  const shard = catalogShardOf(model.modelId);
  const changes = await queryAll(fresh.db, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
    ConsistentRead: true,
    ...expression({}, { ':pk': catalogPartition('REG', shard), ':l': 'L#' }),
  });
  const head = Number((await getItem(fresh.db, catalogHeadKey('REG', shard)))?.seq ?? 0);
  expect(changes.map((c) => Number(c.seq))).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  return { table, events, stagesOf: (stage: string) => [...table].filter(([, v]) => v.stage === stage).map(([v]) => v) };
};

/** A client whose `nth` TransactWriteItems fails: before it is sent, or after it landed (its answer lost). */
const failingClient = (endpoint: string, nth: number, when: 'before' | 'after') => {
  // Without the wire (dynamo-wire.ts), every call goes through the `send` replaced here.
  const client = createDynamoClient({ endpoint, wire: false });
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let writes = 0;
  (client as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = async (...args) => {
    if ((args[0] as object).constructor.name !== 'TransactWriteItemsCommand' || ++writes !== nth) return send(...args);
    if (when === 'before') throw new Error('injected: connection lost before the transaction was sent');
    await send(...args);
    throw new Error('injected: connection lost after the transaction landed');
  };
  return client;
};

describe.each(ENGINES)('transition-stage archiving many versions (%s)', (engine) => {
  it('archives 150 versions in Production and moves the 151st there; catalog, searches and events agree', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await modelWith(api.call, 'big', 151, 150);
    const before = (await agreedState(engine, api.endpoint, api.tableName, 'big')).events.length;
    const warm = processOn(engine, api.endpoint, api.tableName);
    await ok(warm.call('GET', `${API}/model-versions/search`, { filter: "name='big'" }));

    // Act
    const moved = await ok(transition(api.call, 'big', 151, 'Production', true));

    // Assess: the answer, a warm process's search, and a fresh process's view of everything
    expect(moved.model_version).toMatchObject({ name: 'big', version: '151', current_stage: 'Production' });
    const seen = await ok(warm.call('GET', `${API}/model-versions/search`, { filter: "name='big'" }));
    expect((seen.model_versions as any[]).filter((v) => v.current_stage === 'Production').map((v) => v.version)).toEqual(['151']);
    const state = await agreedState(engine, api.endpoint, api.tableName, 'big');
    expect(state.stagesOf('Production')).toEqual([151]);
    expect(state.stagesOf('Archived')).toHaveLength(150);
    const added = state.events.slice(before);
    expect(added).toHaveLength(151);
    expect(added.filter((e) => e.data.to_stage === 'Archived').map((e) => Number(e.version)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    const latest = await ok(api.call('POST', `${API}/registered-models/get-latest-versions`, { name: 'big', stages: ['Production', 'Archived'] }));
    expect((latest.model_versions as any[]).map((v) => [v.version, v.current_stage])).toEqual([
      ['150', 'Archived'],
      ['151', 'Production'],
    ]);
  });

  it('two transitions to Production at once, while tags are set: the later alone in Production, nothing lost', async () => {
    // Prepare: 60 versions in Production, 61 and 62 to move there from two processes
    const api = await createTestApi(engine);
    await modelWith(api.call, 'raced', 62, 60);
    const [first, second, tagger] = [0, 1, 2].map(() => processOn(engine, api.endpoint, api.tableName));

    // Act
    const answers = await Promise.all([
      transition(first!.call, 'raced', 61, 'Production', true),
      transition(second!.call, 'raced', 62, 'Production', true),
      ...Array.from({ length: 20 }, (_, i) =>
        tagger!.call('POST', `${API}/model-versions/set-tag`, { name: 'raced', version: String((i * 7) % 62 + 1), key: `k${i}`, value: `v${i}` }),
      ),
    ]);

    // Assess: both answered; one of 61 and 62 in Production (the one moved last), every other version archived
    expect(answers.map((a) => a.status)).toEqual(Array(22).fill(200));
    const state = await agreedState(engine, api.endpoint, api.tableName, 'raced');
    const production = state.stagesOf('Production');
    expect(production).toHaveLength(1);
    expect([61, 62]).toContain(production[0]);
    expect(state.stagesOf('Archived')).toHaveLength(61);
    const lastMove = state.events.filter((e) => e.data.to_stage === 'Production').at(-1);
    expect(Number(lastMove?.version)).toBe(production[0]);
    for (let i = 0; i < 20; i++) expect(state.table.get((i * 7) % 62 + 1)?.tags[`k${i}`]).toBe(`v${i}`);
  });

  it('a change planned before a change without events landed is planned again, not written over it', async () => {
    // Prepare: a deployment's version tags are written with no event (shared/domain/deployments/version-tags.ts)
    const api = await createTestApi(engine);
    await modelWith(api.call, 'quiet', 1, 1);
    const registry = processOn(engine, api.endpoint, api.tableName).deps.registry;
    const model = await registry.getModelByName('quiet');
    if (!model) throw new Error('quiet is missing');
    let plans = 0;

    // Act: an archive planned on version 1, and a tag change without events landing between its plan and its write
    await registry.change(model.modelId, async (current) => {
      const version = await registry.getVersion(current ?? model, 1);
      if (!version) throw new Error('version 1 is missing');
      const { name: _, ...stored } = version;
      if (++plans === 1) {
        await registry.change(model.modelId, () => ({
          versions: [{ version: { ...stored, tags: { ...stored.tags, 'cairn.deployment.status': 'IN_SERVICE' } }, isNew: false }],
          events: [],
          result: undefined,
        }));
      }
      return {
        versions: [{ version: { ...stored, currentStage: 'Archived' as const }, isNew: false }],
        events: [{ type: 'MODEL_VERSION_STAGE_TRANSITIONED' as const, version: 1, data: { name: 'quiet', version: '1', from_stage: 'Production', to_stage: 'Archived' } }],
        result: undefined,
      };
    });

    // Assess: planned twice, both writes kept
    expect(plans).toBe(2);
    const state = await agreedState(engine, api.endpoint, api.tableName, 'quiet');
    expect(state.table.get(1)).toEqual({ stage: 'Archived', tags: { 'cairn.deployment.status': 'IN_SERVICE' } });
  });

  it.each(['before', 'after'] as const)(
    'a transition cut off at its 3rd transaction (%s it is sent) is completed by the same request again',
    async (when) => {
      // Prepare: 100 versions in Production (four steps: three of archives, then the move with the rest)
      const api = await createTestApi(engine);
      await modelWith(api.call, 'cut', 101, 100);
      const before = (await agreedState(engine, api.endpoint, api.tableName, 'cut')).events.length;
      const failing = processOn(engine, api.endpoint, api.tableName, failingClient(api.endpoint, 3, when));

      // Act
      const cut = await transition(failing.call, 'cut', 101, 'Production', true);
      const between = await agreedState(engine, api.endpoint, api.tableName, 'cut');
      const again = await transition(failing.call, 'cut', 101, 'Production', true);

      // Assess: cut off with part archived and the version not moved; the retry finishes; each archive once
      expect(cut.status).toBe(500);
      expect(between.stagesOf('Production')).toHaveLength(when === 'before' ? 100 - 64 : 100 - 96);
      expect(between.table.get(101)?.stage).toBe('None');
      expect(again.status).toBe(200);
      expect(again.body.model_version).toMatchObject({ version: '101', current_stage: 'Production' });
      const state = await agreedState(engine, api.endpoint, api.tableName, 'cut');
      expect(state.stagesOf('Production')).toEqual([101]);
      expect(state.stagesOf('Archived')).toHaveLength(100);
      const archived = state.events.slice(before).filter((e) => e.data.to_stage === 'Archived').map((e) => Number(e.version));
      expect(archived.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    },
  );
});
