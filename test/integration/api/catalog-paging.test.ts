/**
 * Catalog searches (experiments, registered models, model versions) while writers continue: paging through with
 * two processes taking turns (two apps on one table, each with its own copy of the catalog), every item that
 * existed when paging began is answered exactly once, whether it was renamed or updated across the pages
 * already answered, the other way, or not at all; and a search sees every write acknowledged before it, even one
 * made through the other process.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

type Call = (method: string, path: string, body?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

/** A second process on the test's table: its own deps, so its own catalog copies. */
const otherProcess = (api: TestApi): Call => {
  const app = createApi(createTrackingDeps({ client: createDynamoClient({ endpoint: api.endpoint }), tableName: api.tableName }));
  return async (method, path, body) => {
    const query = Object.entries(body ?? {}).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]));
    const response =
      method === 'GET'
        ? await app.request(`${path}?${new URLSearchParams(query)}`)
        : await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
};

const ok = async (answer: Promise<{ status: number; body: any }>) => {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`answered ${status}: ${JSON.stringify(body)}`);
  return body;
};

/**
 * Pages through `search` (max_results `size`), the two processes taking turns, running `between(page)` after each
 * page and `background` writes all along (two writers); answers every id answered, in order, repeats included.
 */
const pageThrough = async (
  calls: Call[],
  [method, path]: [string, string],
  request: Record<string, unknown>,
  idsOf: (body: any) => string[],
  between: (page: number) => Promise<void>,
  background: () => Promise<void>,
): Promise<string[]> => {
  let done = false;
  const writers = Array.from({ length: 2 }, async () => {
    while (!done) await background();
  });
  const ids: string[] = [];
  try {
    let token: string | undefined;
    let page = 0;
    do {
      const call = calls[page % calls.length] as Call;
      const body = await ok(call(method, path, { ...request, ...(token ? { page_token: token } : {}) }));
      ids.push(...idsOf(body));
      token = body.next_page_token;
      await between(page++);
    } while (token);
  } finally {
    done = true;
    await Promise.all(writers);
  }
  return ids;
};

const repeated = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe.each(ENGINES)('catalog searches while writers continue (%s)', (engine) => {
  it('search_experiments answers every experiment that existed once, renamed across the pages or tagged meanwhile', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const calls: Call[] = [api.call, otherProcess(api)];
    const ids: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      const name = `e-${String(i).padStart(2, '0')}`;
      ids[name] = (await ok(api.call('POST', `${API}/experiments/create`, { name }))).experiment_id;
    }
    const existing = [...Object.values(ids), '0'];
    let created = 0;
    let tagged = 0;
    const background = async () => {
      const n = created++;
      // New names fall among the pages, before and after the cursor.
      await ok(api.call('POST', `${API}/experiments/create`, { name: `e-${String((n * 7) % 30).padStart(2, '0')}-new-${n}` }));
      await ok(api.call('POST', `${API}/experiments/set-experiment-tag`, { experiment_id: existing[tagged++ % existing.length], key: 'k', value: `v${tagged}` }));
    };
    // After each page: one experiment already answered moves after the cursor, one not yet answered moves before it
    // (by name; by last update, both move to the front).
    const between = (round: string) => async (page: number) => {
      const answered = ids[`e-${String(page * 4).padStart(2, '0')}`];
      const ahead = ids[`e-${String(29 - page).padStart(2, '0')}`];
      if (answered) await ok(calls[1]!('POST', `${API}/experiments/update`, { experiment_id: answered, new_name: `z-${round}-${page}` }));
      if (ahead) await ok(calls[1]!('POST', `${API}/experiments/update`, { experiment_id: ahead, new_name: `a-${round}-${page}` }));
    };
    const idsOf = (body: any): string[] => (body.experiments ?? []).map((e: any) => e.experiment_id);

    // Act
    const byName = await pageThrough(calls, ['POST', `${API}/experiments/search`], { max_results: 4, order_by: ['name ASC'] }, idsOf, between('n'), background);
    const byDefault = await pageThrough(calls, ['POST', `${API}/experiments/search`], { max_results: 5 }, idsOf, between('d'), background);
    const byUpdate = await pageThrough(calls, ['POST', `${API}/experiments/search`], { max_results: 6, order_by: ['last_update_time DESC'] }, idsOf, between('u'), background);

    // Assess
    for (const answered of [byName, byDefault, byUpdate]) {
      expect(repeated(answered)).toEqual([]);
      expect(existing.filter((id) => !answered.includes(id))).toEqual([]);
    }
  });

  it('a search sees every write acknowledged before it, made through another process with its own copy', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const other = otherProcess(api);
    await ok(other('POST', `${API}/experiments/search`, {}));
    await ok(other('GET', `${API}/registered-models/search`, {}));
    await ok(other('GET', `${API}/model-versions/search`, {}));

    // Act
    const seen: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const id = (await ok(api.call('POST', `${API}/experiments/create`, { name: `fresh-${i}` }))).experiment_id;
      await ok(api.call('POST', `${API}/experiments/set-experiment-tag`, { experiment_id: id, key: 'round', value: String(i) }));
      const experiments = (await ok(other('POST', `${API}/experiments/search`, { filter: `tags.round = '${i}'` }))).experiments ?? [];
      seen.push(experiments.length === 1 && experiments[0].experiment_id === id);
      await ok(api.call('POST', `${API}/registered-models/create`, { name: `fresh-model-${i}` }));
      await ok(api.call('POST', `${API}/model-versions/create`, { name: `fresh-model-${i}`, source: 's3://b/m' }));
      const models = (await ok(other('GET', `${API}/registered-models/search`, { filter: `name = 'fresh-model-${i}'` }))).registered_models ?? [];
      seen.push(models.length === 1 && models[0].latest_versions?.[0]?.version === '1');
      const versions = (await ok(other('GET', `${API}/model-versions/search`, { filter: `name = 'fresh-model-${i}'` }))).model_versions ?? [];
      seen.push(versions.length === 1);
    }
    await ok(api.call('DELETE', `${API}/registered-models/delete`, { name: 'fresh-model-0' }));
    const gone = (await ok(other('GET', `${API}/model-versions/search`, { filter: "name = 'fresh-model-0'" }))).model_versions ?? [];

    // Assess
    expect(seen).toEqual(Array(15).fill(true));
    expect(gone).toEqual([]);
  });

  it('search_registered_models and search_model_versions answer every item that existed once, renamed or updated meanwhile', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const calls: Call[] = [api.call, otherProcess(api)];
    const names: string[] = [];
    for (let i = 0; i < 16; i++) {
      const name = `m-${String(i).padStart(2, '0')}`;
      names.push(name);
      await ok(api.call('POST', `${API}/registered-models/create`, { name }));
      for (let v = 0; v < 2; v++) await ok(api.call('POST', `${API}/model-versions/create`, { name, source: `s3://b/${name}/${v}` }));
    }
    const current = new Map(names.map((n) => [n, n]));
    let created = 0;
    let tagged = 0;
    const background = async () => {
      const n = created++;
      const name = `m-${String((n * 5) % 16).padStart(2, '0')}-new-${n}`;
      await ok(api.call('POST', `${API}/registered-models/create`, { name }));
      await ok(api.call('POST', `${API}/model-versions/create`, { name, source: 's3://b/new' }));
      // The model may be renamed meanwhile: a tag on the name it just left is refused, and that is all.
      const target = current.get(names[tagged++ % names.length] as string) as string;
      const { status } = await api.call('POST', `${API}/registered-models/set-tag`, { name: target, key: 'k', value: `v${tagged}` });
      expect([200, 404]).toContain(status);
    };
    // Registered models by name: one answered model renamed after the cursor, one ahead renamed before it.
    const renames = async (page: number) => {
      for (const [original, to] of [
        [names[page * 3], `z-moved-${page}`],
        [names[15 - page], `a-moved-${page}`],
      ] as const) {
        const from = original && current.get(original);
        if (!original || !from || from !== original) continue;
        await ok(calls[1]!('POST', `${API}/registered-models/rename`, { name: from, new_name: to }));
        current.set(original, to);
      }
    };
    // Versions by last update: one version not yet answered moves to the front (stage transition), one answered is described.
    let bumped = 0;
    const updates = async () => {
      const name = current.get(names[15 - (bumped % 16)] as string) as string;
      const first = current.get(names[bumped % 16] as string) as string;
      bumped++;
      await ok(calls[1]!('POST', `${API}/model-versions/transition-stage`, { name, version: '1', stage: 'Staging', archive_existing_versions: false }));
      await ok(calls[1]!('PATCH', `${API}/model-versions/update`, { name: first, version: '2', description: `d${bumped}` }));
    };

    // Act
    const models = await pageThrough(calls, ['GET', `${API}/registered-models/search`], { max_results: 3 }, (b) => (b.registered_models ?? []).map((m: any) => m.name), renames, background);
    const modelsNow = new Set((await ok(api.call('GET', `${API}/registered-models/search`, { max_results: 1000 }))).registered_models.map((m: any) => m.name));
    // Models are answered by their name at the time: each answer maps back to the model it was created as.
    const original = (name: string) => [...current].find(([, now]) => now === name)?.[0] ?? name;
    const versions = await pageThrough(
      calls,
      ['GET', `${API}/model-versions/search`],
      { max_results: 5 },
      (b) => (b.model_versions ?? []).map((v: any) => `${original(v.name)}#${v.version}`),
      updates,
      background,
    );

    // Assess
    const answeredModels = models.map(original);
    expect(repeated(answeredModels)).toEqual([]);
    expect(names.filter((n) => !answeredModels.includes(n))).toEqual([]);
    expect([...current.values()].every((n) => modelsNow.has(n))).toBe(true);
    expect(repeated(versions)).toEqual([]);
    expect(names.flatMap((n) => [`${n}#1`, `${n}#2`]).filter((id) => !versions.includes(id))).toEqual([]);
  });

  it('search_logged_models pages each model once in order while models are created and updated, by default and by name', async () => {
    // Prepare: 45 models over 5 creation times, so models of one millisecond span the index's pages.
    const api = await createTestApi(engine);
    const experimentId = (await ok(api.call('POST', `${API}/experiments/create`, { name: 'models-home' }))).experiment_id;
    const existing: { modelId: string; name: string; created: number }[] = [];
    for (let i = 0; i < 45; i++) {
      const created = 1_700_000_000_000 + (i % 5) * 1000;
      const modelId = `m-${String(i * 7919 % 45).padStart(2, '0')}${'0'.repeat(30)}`;
      const name = `lm-${String(i).padStart(2, '0')}`;
      await api.deps.loggedModels.create({
        modelId, experimentId, name, artifactUri: `s3://b/${i}`, status: 'LOGGED_MODEL_READY',
        creationTimestampMs: created, lastUpdatedTimestampMs: created, tags: {}, params: {}, metrics: [], lifecycleStage: 'active',
      });
      existing.push({ modelId, name, created });
    }
    const calls: Call[] = [api.call, otherProcess(api)];
    let n = 0;
    const background = async () => {
      const i = n++;
      await ok(api.call('POST', `${API}/logged-models`, { experiment_id: experimentId, name: `new-${i}` }));
      await ok(api.call('PATCH', `${API}/logged-models/${existing[i % 45]!.modelId}/tags`, { tags: [{ key: 'k', value: `v${i}` }] }));
    };
    const idsOf = (body: any): string[] => (body.models ?? []).map((m: any) => m.info.model_id);

    // Act
    const newest = await pageThrough(calls, ['POST', `${API}/logged-models/search`], { experiment_ids: [experimentId], max_results: 4 }, idsOf, async () => undefined, background);
    const byName = await pageThrough(
      calls,
      ['POST', `${API}/logged-models/search`],
      { experiment_ids: [experimentId], max_results: 7, order_by: [{ field_name: 'name', ascending: true }] },
      idsOf,
      async () => undefined,
      background,
    );

    // Assess
    const expected = [...existing].sort((a, b) => b.created - a.created || (a.modelId < b.modelId ? -1 : 1)).map((m) => m.modelId);
    const known = new Set(expected);
    expect(repeated(newest)).toEqual([]);
    expect(newest.filter((id) => known.has(id))).toEqual(expected);
    expect(repeated(byName)).toEqual([]);
    expect(byName.filter((id) => known.has(id))).toEqual([...existing].sort((a, b) => (a.name < b.name ? -1 : 1)).map((m) => m.modelId));
  });
});
