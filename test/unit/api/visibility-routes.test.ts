/**
 * Authorization in the handlers, through the whole app (createApi with `auth`) on in-memory ports: searches
 * answer only what the caller may read (filtered before paging), creations record the authenticated user
 * whatever the client claims, and the creator of an experiment or registered model gets MANAGE. The decision
 * table itself (403s) is tested with the middleware; here every request passes it.
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { Grant } from '../../../shared/domain/auth/entities.js';
import type { Permission } from '../../../shared/domain/auth/permissions.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { memoryAuditLog, memoryGrantStore, memoryGroupStore, memoryPrincipalStore, memoryUserStore } from '../../support/fakes/auth.js';
import { createMemoryRegistry } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';
import { addUser } from '../../support/fakes/users.js';

const MLFLOW = '/api/2.0/mlflow';
const CAIRN = '/api/2.0/cairn';

/** Who sends a request in these tests: the user named in this header (credentials are another test's matter). */
const USER_HEADER = 'x-test-user';

const apiWithAuth = async (options: { auth?: boolean } = {}) => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const memory = createMemoryRegistry({ now: tracking.ports.now });
  const deps: TrackingDeps = { ...tracking.ports, registry: memory.registry, registryEvents: memory.registryEvents };
  const users = memoryUserStore();
  const grants = memoryGrantStore(users);
  const ports: AuthPorts = {
    users,
    grants,
    groups: memoryGroupStore(grants),
    principals: memoryPrincipalStore(),
    audit: memoryAuditLog(),
    settings: { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 90 },
    now: tracking.ports.now,
  };
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const user = await users.get(c.req.header(USER_HEADER) ?? '');
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const api = createApi(deps, options.auth === false ? {} : { auth: { ports, authenticate } });
  const admin = await addUser(users, 'admin', 'admin-password', { isAdmin: true });
  const alice = await addUser(users, 'alice', 'alice-password');
  const bob = await addUser(users, 'bob', 'bob-password');

  const call = async (as: string, method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }> => {
    const query = method === 'GET' && body ? `?${new URLSearchParams(body as Record<string, string>)}` : '';
    const response = await api.request(`${path}${query}`, {
      method,
      headers: { [USER_HEADER]: as, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
  };
  const grant = async (userId: number, resource: Grant['resource'], permission: Permission = 'READ') =>
    grants.put({ subject: { kind: 'user', id: userId }, resource, permission }, 'create');
  return { call, grant, tracking, memory, admin, alice, bob };
};

type Api = Awaited<ReturnType<typeof apiWithAuth>>;

/** Experiments "a-0".."a-3" alice may read and "b-0", "b-1" she may not, created by the admin with a run each. */
const seedExperiments = async (api: Api) => {
  const readable: string[] = [];
  const hidden: string[] = [];
  for (const [names, ids] of [[['a-0', 'a-1', 'a-2', 'a-3'], readable], [['b-0', 'b-1'], hidden]] as const) {
    for (const name of names) {
      const id: string = (await api.call('admin', 'POST', `${MLFLOW}/experiments/create`, { name })).body.experiment_id;
      ids.push(id);
      await api.call('admin', 'POST', `${MLFLOW}/runs/create`, { experiment_id: id, run_name: `run-of-${name}` });
      await api.call('admin', 'POST', `${MLFLOW}/logged-models`, { experiment_id: id, name: `model-of-${name}` });
    }
  }
  for (const id of readable) await api.grant(api.alice.userId, { kind: 'experiment', id });
  return { readable, hidden };
};

/** An experiment the admin made and the user may edit (the in-memory stores keep creators' grants apart). */
const editableBy = async (api: Api, userId: number): Promise<string> => {
  const id: string = (await api.call('admin', 'POST', `${MLFLOW}/experiments/create`, { name: `editable-by-${userId}` })).body.experiment_id;
  await api.grant(userId, { kind: 'experiment', id }, 'EDIT');
  return id;
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

describe('searches answer only what the caller may read', () => {
  it('search_experiments pages through the readable experiments, and another user cannot continue with the token', async () => {
    // Prepare
    const api = await apiWithAuth();
    await seedExperiments(api);
    const search = (as: string, pageToken?: string) =>
      api.call(as, 'POST', `${MLFLOW}/experiments/search`, { max_results: 1, order_by: ['name'], ...(pageToken ? { page_token: pageToken } : {}) });

    // Act
    const pages = await allPages((token) => search('alice', token), 'experiments');
    const first = await search('alice');
    const replayed = await search('bob', first.body.next_page_token);
    const everything = await api.call('admin', 'POST', `${MLFLOW}/experiments/search`, {});
    const nothing = await api.call('bob', 'POST', `${MLFLOW}/experiments/search`, {});

    // Assess
    expect(pages.map((page) => page.map((e: any) => e.name))).toEqual([['a-0'], ['a-1'], ['a-2'], ['a-3']]);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(everything.body.experiments).toHaveLength(7);
    expect(nothing).toEqual({ status: 200, body: {} });
  });

  it("runs/search and Cairn's run search leave out unreadable experiment ids, and answer empty when none is left", async () => {
    // Prepare
    const api = await apiWithAuth();
    const { readable, hidden } = await seedExperiments(api);
    const request = { experiment_ids: [hidden[0], readable[0], hidden[1], readable[1]], order_by: ['attributes.run_name'] };

    // Act
    const mlflow = await api.call('alice', 'POST', `${MLFLOW}/runs/search`, request);
    const cairn = await api.call('alice', 'POST', `${CAIRN}/runs/search`, request);
    const onlyHidden = await api.call('alice', 'POST', `${MLFLOW}/runs/search`, { experiment_ids: hidden });
    const asAdmin = await api.call('admin', 'POST', `${MLFLOW}/runs/search`, request);

    // Assess
    expect(mlflow.body.runs.map((r: any) => r.info.run_name)).toEqual(['run-of-a-0', 'run-of-a-1']);
    expect(cairn.body.runs.map((r: any) => r.info.run_name)).toEqual(['run-of-a-0', 'run-of-a-1']);
    expect(onlyHidden).toEqual({ status: 200, body: {} });
    expect(asAdmin.body.runs).toHaveLength(4);
  });

  it('logged-models/search leaves out unreadable experiments', async () => {
    // Prepare
    const api = await apiWithAuth();
    const { readable, hidden } = await seedExperiments(api);

    // Act
    const found = await api.call('alice', 'POST', `${MLFLOW}/logged-models/search`, { experiment_ids: [readable[2], hidden[0]] });
    const none = await api.call('alice', 'POST', `${MLFLOW}/logged-models/search`, { experiment_ids: hidden });

    // Assess
    expect(found.body.models.map((m: any) => m.info.name)).toEqual(['model-of-a-2']);
    expect(none).toEqual({ status: 200, body: {} });
  });

  it('search_registered_models and search_model_versions answer only readable models (by id: a rename keeps them)', async () => {
    // Prepare
    const api = await apiWithAuth();
    for (const name of ['m-open', 'm-hidden']) {
      await api.call('admin', 'POST', `${MLFLOW}/registered-models/create`, { name });
      await api.call('admin', 'POST', `${MLFLOW}/model-versions/create`, { name, source: `s3://b/${name}/1` });
    }
    const open = (await api.memory.registry.getModelByName('m-open'))!;
    await api.grant(api.alice.userId, { kind: 'registered_model', id: open.modelId });
    await api.call('admin', 'POST', `${MLFLOW}/registered-models/rename`, { name: 'm-open', new_name: 'm-renamed' });

    // Act
    const models = await api.call('alice', 'GET', `${MLFLOW}/registered-models/search`, {});
    const versions = await api.call('alice', 'GET', `${MLFLOW}/model-versions/search`, {});
    const hiddenVersions = await api.call('alice', 'GET', `${MLFLOW}/model-versions/search`, { filter: "name = 'm-hidden'" });
    const bobs = await api.call('bob', 'GET', `${MLFLOW}/registered-models/search`, {});

    // Assess
    expect(models.body.registered_models.map((m: any) => m.name)).toEqual(['m-renamed']);
    expect(versions.body.model_versions.map((v: any) => [v.name, v.version])).toEqual([['m-renamed', '1']]);
    expect(hiddenVersions).toEqual({ status: 200, body: {} });
    expect(bobs).toEqual({ status: 200, body: {} });
  });
});

describe('creations record the authenticated user', () => {
  it("runs/create records the signed-in user as user_id and mlflow.user, whatever the client claims", async () => {
    // Prepare
    const api = await apiWithAuth();
    const experimentId = await editableBy(api, api.alice.userId);

    // Act
    const claimed = await api.call('alice', 'POST', `${MLFLOW}/runs/create`, {
      experiment_id: experimentId,
      user_id: 'mallory',
      tags: [{ key: 'mlflow.user', value: 'mallory' }],
    });
    const unclaimed = await api.call('alice', 'POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId });

    // Assess
    for (const created of [claimed, unclaimed]) {
      expect(created.status).toBe(200);
      expect(created.body.run.info.user_id).toBe('alice');
      expect(created.body.run.data.tags.filter((t: any) => t.key === 'mlflow.user')).toEqual([{ key: 'mlflow.user', value: 'alice' }]);
    }
  });

  it('an mlflow.user tag set later (set-tag, log-batch) names the user who wrote it, not another', async () => {
    // Prepare
    const api = await apiWithAuth();
    const experimentId = await editableBy(api, api.alice.userId);
    const runId: string = (await api.call('alice', 'POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId })).body.run.info.run_id;
    const userTag = async () =>
      (await api.call('alice', 'GET', `${MLFLOW}/runs/get`, { run_id: runId })).body.run.data.tags.find((t: any) => t.key === 'mlflow.user')?.value;

    // Act
    await api.call('alice', 'POST', `${MLFLOW}/runs/set-tag`, { run_id: runId, key: 'mlflow.user', value: 'mallory' });
    const afterSetTag = await userTag();
    await api.call('alice', 'POST', `${MLFLOW}/runs/log-batch`, { run_id: runId, tags: [{ key: 'mlflow.user', value: 'mallory' }, { key: 'team', value: 'ml' }] });
    const afterBatch = await userTag();

    // Assess
    expect([afterSetTag, afterBatch]).toEqual(['alice', 'alice']);
  });

  it('logged-models/create tags the model with the signed-in user', async () => {
    // Prepare
    const api = await apiWithAuth();
    const experimentId = await editableBy(api, api.alice.userId);

    // Act
    const created = await api.call('alice', 'POST', `${MLFLOW}/logged-models`, {
      experiment_id: experimentId,
      tags: [{ key: 'mlflow.user', value: 'mallory' }, { key: 'flavor', value: 'sklearn' }],
    });

    // Assess
    expect(created.status).toBe(200);
    expect(created.body.model.info.tags).toEqual(
      expect.arrayContaining([{ key: 'mlflow.user', value: 'alice' }, { key: 'flavor', value: 'sklearn' }]),
    );
    expect(created.body.model.info.tags.filter((t: any) => t.key === 'mlflow.user')).toHaveLength(1);
  });

  it('with authorization off the client says who it is, as in MLflow', async () => {
    // Prepare
    const api = await apiWithAuth({ auth: false });

    // Act
    const created = await api.call('', 'POST', `${MLFLOW}/runs/create`, {
      experiment_id: '0',
      user_id: 'mallory',
      tags: [{ key: 'mlflow.user', value: 'mallory' }],
    });

    // Assess
    expect(created.body.run.info.user_id).toBe('mallory');
    expect(created.body.run.data.tags).toContainEqual({ key: 'mlflow.user', value: 'mallory' });
  });
});

describe('creators get MANAGE', () => {
  it('the creator of an experiment or registered model is granted MANAGE with the creation, and nobody without authorization', async () => {
    // Prepare
    const api = await apiWithAuth();
    const off = await apiWithAuth({ auth: false });

    // Act
    const experimentId: string = (await api.call('alice', 'POST', `${MLFLOW}/experiments/create`, { name: 'alices' })).body.experiment_id;
    await api.call('alice', 'POST', `${MLFLOW}/registered-models/create`, { name: 'alices-model' });
    await off.call('', 'POST', `${MLFLOW}/experiments/create`, { name: 'anyones' });
    await off.call('', 'POST', `${MLFLOW}/registered-models/create`, { name: 'anyones-model' });

    // Assess
    const model = (await api.memory.registry.getModelByName('alices-model'))!;
    expect(api.tracking.experiments.creatorGrants).toEqual([
      { subject: { kind: 'user', id: api.alice.userId }, resource: { kind: 'experiment', id: experimentId }, permission: 'MANAGE' },
    ]);
    expect(api.memory.grants).toEqual([
      { subject: { kind: 'user', id: api.alice.userId }, resource: { kind: 'registered_model', id: model.modelId }, permission: 'MANAGE' },
    ]);
    expect(off.tracking.experiments.creatorGrants).toEqual([]);
    expect(off.memory.grants).toEqual([]);
  });
});
