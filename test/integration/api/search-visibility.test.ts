/**
 * Searches filtered by permission before paging, on both engines with the real user and grant repositories:
 * a page token walks exactly the caller's readable results across several pages (no duplicate, no gap), and
 * another caller cannot continue it. Experiments are made by their users through the API, so the creator's
 * MANAGE is the one the creation's transaction wrote.
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createAuthPorts } from '../../../shared/config/auth.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { addUser } from '../../support/fakes/users.js';
import { ENGINES, type EngineName } from '../../support/test-api.js';
import { freshTable } from '../webhooks/table.js';

const MLFLOW = '/api/2.0/mlflow';
const CAIRN = '/api/2.0/cairn';
/** Who sends a request here: the user named in this header (checking credentials is another test's matter). */
const USER_HEADER = 'x-test-user';

const apiOn = async (engine: EngineName) => {
  const db = await freshTable(engine);
  const deps = createTrackingDeps({ ...db });
  await ensureDefaultExperiment(deps);
  const ports = createAuthPorts(db, { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 });
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const user = await ports.users.get(c.req.header(USER_HEADER) ?? '');
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const app = createApi(deps, { auth: { ports, authenticate } });
  const users = {
    alice: await addUser(ports.users, 'alice', 'alice-password'),
    bob: await addUser(ports.users, 'bob', 'bob-password'),
    carol: await addUser(ports.users, 'carol', 'carol-password'),
  };
  const call = async (as: string, path: string, body: Record<string, unknown>, method = 'POST') => {
    const query = method === 'GET' ? `?${new URLSearchParams(body as Record<string, string>)}` : '';
    const response = await app.request(`${path}${query}`, {
      method,
      headers: { [USER_HEADER]: as, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return { call, ports, users };
};

type Api = Awaited<ReturnType<typeof apiOn>>;

/** Each user's experiments, made by that user, with `runs` runs each; carol may read alice's first and second. */
const seed = async (api: Api, runs: number) => {
  const made: Record<'alice' | 'bob', string[]> = { alice: [], bob: [] };
  for (const owner of ['alice', 'bob'] as const) {
    for (let i = 0; i < 3; i++) {
      const created = await api.call(owner, `${MLFLOW}/experiments/create`, { name: `${owner}-${i}` });
      expect(created.status).toBe(200);
      const experimentId: string = created.body.experiment_id;
      made[owner].push(experimentId);
      for (let r = 0; r < runs; r++) {
        const run = await api.call(owner, `${MLFLOW}/runs/create`, { experiment_id: experimentId, run_name: `${owner}-${i}-${r}` });
        expect(run.status).toBe(200);
      }
    }
  }
  for (const id of made.alice.slice(0, 2)) {
    await api.ports.grants.put({ subject: { kind: 'user', id: api.users.carol.userId }, resource: { kind: 'experiment', id }, permission: 'READ' }, 'create');
  }
  return made;
};

/** Every page of a search, following its tokens. */
const allPages = async (next: (pageToken?: string) => Promise<{ status: number; body: any }>, list: string) => {
  const pages: any[][] = [];
  let token: string | undefined;
  do {
    const answer = await next(token);
    expect(answer.status).toBe(200);
    pages.push(answer.body[list] ?? []);
    token = answer.body.next_page_token;
  } while (token);
  return pages;
};

describe.each(ENGINES)('searches filtered by permission, before paging (%s)', (engine) => {
  it('runs/search walks the readable runs over several pages, each once; another user cannot continue the token', async () => {
    // Prepare
    const api = await apiOn(engine);
    const made = await seed(api, 3);
    const everyExperiment = [...made.bob, ...made.alice];
    const search = (as: string, path: string, pageToken?: string) =>
      api.call(as, path, { experiment_ids: everyExperiment, max_results: 2, order_by: ['attributes.run_name'], ...(pageToken ? { page_token: pageToken } : {}) });

    // Act
    const alicePages = await allPages((token) => search('alice', `${MLFLOW}/runs/search`, token), 'runs');
    const carolPages = await allPages((token) => search('carol', `${CAIRN}/runs/search`, token), 'runs');
    const first = await search('alice', `${MLFLOW}/runs/search`);
    const replayed = await search('bob', `${MLFLOW}/runs/search`, first.body.next_page_token);
    const ownToken = await search('alice', `${MLFLOW}/runs/search`, first.body.next_page_token);

    // Assess
    const names = (pages: any[][]) => pages.flat().map((run) => run.info.run_name);
    expect(alicePages.length).toBe(5);
    expect(names(alicePages)).toEqual(['alice-0-0', 'alice-0-1', 'alice-0-2', 'alice-1-0', 'alice-1-1', 'alice-1-2', 'alice-2-0', 'alice-2-1', 'alice-2-2']);
    expect(carolPages.length).toBe(3);
    expect(names(carolPages)).toEqual(['alice-0-0', 'alice-0-1', 'alice-0-2', 'alice-1-0', 'alice-1-1', 'alice-1-2']);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(ownToken.body.runs.map((run: any) => run.info.run_name)).toEqual(['alice-0-2', 'alice-1-0']);
  });

  it('search_experiments pages over the experiments each user may read (the creator manages its own)', async () => {
    // Prepare
    const api = await apiOn(engine);
    await seed(api, 0);
    const search = (as: string, pageToken?: string) =>
      api.call(as, `${MLFLOW}/experiments/search`, { max_results: 1, order_by: ['name'], ...(pageToken ? { page_token: pageToken } : {}) });

    // Act
    const bobPages = await allPages((token) => search('bob', token), 'experiments');
    const carolPages = await allPages((token) => search('carol', token), 'experiments');
    const first = await search('bob');
    const replayed = await search('carol', first.body.next_page_token);

    // Assess
    expect(bobPages.map((page) => page.map((e: any) => e.name))).toEqual([['bob-0'], ['bob-1'], ['bob-2']]);
    expect(carolPages.map((page) => page.map((e: any) => e.name))).toEqual([['alice-0'], ['alice-1']]);
    expect(replayed.status).toBe(400);
  });

  it('search_registered_models and search_model_versions page over the models each user may read', async () => {
    // Prepare
    const api = await apiOn(engine);
    for (const [owner, names] of [['alice', ['a-0', 'a-1', 'a-2']], ['bob', ['b-0', 'b-1']]] as const) {
      for (const name of names) {
        expect((await api.call(owner, `${MLFLOW}/registered-models/create`, { name })).status).toBe(200);
        expect((await api.call(owner, `${MLFLOW}/model-versions/create`, { name, source: `s3://bucket/${name}` })).status).toBe(200);
      }
    }
    const page = (as: string, path: string, pageToken?: string) =>
      api.call(as, path, { max_results: '1', ...(pageToken ? { page_token: pageToken } : {}) }, 'GET');

    // Act
    const models = await allPages((token) => page('alice', `${MLFLOW}/registered-models/search`, token), 'registered_models');
    const versions = await allPages((token) => page('bob', `${MLFLOW}/model-versions/search`, token), 'model_versions');
    const first = await page('alice', `${MLFLOW}/registered-models/search`);
    const replayed = await page('bob', `${MLFLOW}/registered-models/search`, first.body.next_page_token);

    // Assess
    expect(models.map((p) => p.map((m: any) => m.name))).toEqual([['a-0'], ['a-1'], ['a-2']]);
    expect(versions.flat().map((v: any) => v.name).sort()).toEqual(['b-0', 'b-1']);
    expect(versions.length).toBe(2);
    expect(replayed.status).toBe(400);
  });
});
