import type { Pools } from './arbitraries.js';
import { sendRaw } from './http.js';
import { encodeComponent } from './render.js';

/** Long stored values for LIKE patterns to run against: as long as the server accepts (it may cap them). */
const LONG_LENGTHS = [5000, 2000, 1000, 500, 250, 100];

type Call = (method: string, path: string, fields?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

const caller =
  (url: string, authorization: string | undefined): Call =>
  async (method, path, fields = {}) => {
    const query = Object.entries(fields).map(([k, v]) => `${k}=${encodeComponent(String(v))}`);
    const auth: [string, string][] = authorization === undefined ? [] : [['Authorization', authorization]];
    const response = await sendRaw(
      url,
      method === 'GET'
        ? { method, target: query.length > 0 ? `${path}?${query.join('&')}` : path, headers: auth }
        : { method, target: path, headers: [...auth, ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(fields)) },
      30_000,
    );
    const text = response.body.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  };

const M = '/api/2.0/mlflow';
const M3 = '/api/3.0/mlflow';
const C = '/api/2.0/cairn';

/** Creates with the longest accepted value of `field` (first that answers 2xx). */
const createLong = async (call: Call, path: string, field: string, fields: Record<string, unknown>, make: (n: number) => string) => {
  for (const n of LONG_LENGTHS) {
    const answer = await call('POST', path, { ...fields, [field]: make(n) });
    if (answer.status === 200) return answer.body;
  }
  return undefined;
};

/**
 * A small world for the fuzzer through the API itself: experiments, runs with params, tags and metric
 * history, registered models with versions and an alias, a logged model, a webhook, a deployment policy and
 * deployment, an artifact, long names for LIKE patterns, users with grants, a role with a permission and a
 * member, a principal mapping, and page tokens harvested from paged answers (to be sent later to other
 * requests). Steps the server refuses are skipped: the pools keep what exists. Requests carry
 * `authorization` (an admin's) when given; the admin itself is in no pool, so the fuzzer never locks itself out.
 */
export const seedWorld = async (url: string, authorization?: string): Promise<Pools> => {
  const call = caller(url, authorization);
  const add = (pools: Pools, pool: keyof Pools, value: unknown) => {
    if (typeof value === 'string' && value !== '') (pools[pool] ??= []).includes(value) || pools[pool]!.push(value);
  };
  const pools: Pools = { experimentId: ['0'], experimentName: ['Default'], tagKey: ['t', 'mlflow.runName'], metricKey: ['m'] };

  const experiment = await call('POST', `${M}/experiments/create`, { name: 'fuzz-experiment', tags: [{ key: 't', value: 'v' }] });
  add(pools, 'experimentId', experiment.body?.experiment_id);
  add(pools, 'experimentName', 'fuzz-experiment');
  const long = await createLong(call, `${M}/experiments/create`, 'name', {}, (n) => 'a'.repeat(n));
  add(pools, 'experimentId', long?.experiment_id);

  for (const experimentId of pools.experimentId!.slice(0, 2)) {
    for (const runName of ['fuzz-run', undefined]) {
      const fields = { experiment_id: experimentId };
      const run = runName
        ? (await call('POST', `${M}/runs/create`, { ...fields, run_name: runName })).body
        : await createLong(call, `${M}/runs/create`, 'run_name', fields, (n) => 'a'.repeat(n));
      const runId: string | undefined = run?.run?.info?.run_id;
      if (!runId) continue;
      add(pools, 'runId', runId);
      await call('POST', `${M}/runs/log-batch`, {
        run_id: runId,
        params: [{ key: 'p', value: 'a'.repeat(6000) }],
        tags: [{ key: 't', value: 'a'.repeat(5000) }],
        metrics: [1, 2, 3].map((step) => ({ key: 'm', value: step, timestamp: 1000 + step, step })),
      });
      await call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/file.txt`, {});
      add(pools, 'artifactPath', 'model/file.txt');
      add(pools, 'proxyPath', `${experimentId}/${runId}/artifacts/model/file.txt`);
      add(pools, 'proxyPath', `${experimentId}/${runId}/artifacts`);
    }
  }
  add(pools, 'artifactPath', 'model');

  for (const name of ['fuzz-logged-model', undefined]) {
    const fields = { experiment_id: pools.experimentId![1] ?? '0' };
    const logged = name
      ? (await call('POST', `${M}/logged-models`, { ...fields, name })).body
      : await createLong(call, `${M}/logged-models`, 'name', fields, (n) => 'a'.repeat(n));
    add(pools, 'loggedModelId', logged?.model?.info?.model_id);
  }

  await call('POST', `${M}/registered-models/create`, { name: 'fuzz-model', description: 'seed' });
  const longModel = await createLong(call, `${M}/registered-models/create`, 'name', {}, (n) => 'a'.repeat(n));
  for (const name of ['fuzz-model', longModel?.registered_model?.name]) {
    if (!name) continue;
    add(pools, 'modelName', name);
    for (let i = 0; i < 2; i++) {
      const version = await call('POST', `${M}/model-versions/create`, { name, source: 'models:/m/1', run_id: pools.runId?.[0] });
      add(pools, 'version', version.body?.model_version?.version);
    }
  }
  add(pools, 'alias', 'champion');
  add(pools, 'modelUri', 'models:/fuzz-model@champion');
  await call('POST', '/api/2.0/cairn/registered-models/deployment-policy', {
    name: 'fuzz-model',
    aliases: ['champion'],
    endpoint_name: 'cairn-fuzz-endpoint',
    instance_type: 'ml.m5.large',
    approval_required: true,
  });
  await call('POST', `${M}/registered-models/alias`, { name: 'fuzz-model', alias: 'champion', version: '1' });
  await call('POST', `${M}/registered-models/alias`, { name: 'fuzz-model', alias: 'champion', version: '2' });
  const deployments = await call('GET', '/api/2.0/cairn/deployments/list', { name: 'fuzz-model' });
  for (const d of deployments.body?.deployments ?? []) add(pools, 'deploymentId', d.deployment_id);

  const hook = await call('POST', `${M}/webhooks`, {
    name: 'fuzz-hook',
    url: 'https://hooks.example.com/x',
    events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
  });
  add(pools, 'webhookId', hook.body?.webhook?.webhook_id);
  add(pools, 'webhookUrl', 'https://hooks.example.com/y');

  for (const filter of ["name LIKE 'a%'", "attributes.run_name ILIKE '%a%'", "params.p LIKE 'a%'", "tags.t = 'v'", "name = 'fuzz-model'"]) {
    add(pools, 'filter', filter);
  }
  await seedAuthorization(call, pools, add);

  add(pools, 'orderBy', 'name DESC');
  add(pools, 'orderBy', 'attributes.start_time ASC');

  // Tokens from every paged read, to be sent with other requests.
  const firstPages: [string, string, Record<string, unknown>][] = [
    ['GET', `${M}/experiments/search`, { max_results: 1 }],
    ['POST', `${M}/runs/search`, { experiment_ids: pools.experimentId, max_results: 1 }],
    ['GET', `${M}/registered-models/search`, { max_results: 1 }],
    ['GET', `${M}/model-versions/search`, { max_results: 1 }],
    ['POST', `${M}/logged-models/search`, { experiment_ids: pools.experimentId, max_results: 1 }],
    ['GET', `${M}/metrics/get-history`, { run_id: pools.runId?.[0] ?? '', metric_key: 'm', max_results: 1 }],
    ['GET', '/api/2.0/cairn/deployments/list', { name: 'fuzz-model', max_results: 1 }],
    ['GET', `${M}/webhooks`, { max_results: 1 }],
    ['GET', `${C}/audit/list`, { max_results: 1 }],
  ];
  for (const [method, path, fields] of firstPages) {
    const page = await call(method, path, method === 'GET' ? fields : fields);
    add(pools, 'pageToken', page.body?.next_page_token);
  }
  return pools;
};

/** Users with grants on the seeded experiment and model, a role with a permission and a member, a principal mapping. */
const seedAuthorization = async (call: Call, pools: Pools, add: (pools: Pools, pool: keyof Pools, value: unknown) => void) => {
  for (const permission of ['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS']) add(pools, 'permission', permission);
  for (const type of ['experiment', 'registered_model']) add(pools, 'resourceType', type);
  // Several of each: the fuzzer deletes some early in a run, and the rest keep the success paths reachable.
  for (const username of ['fuzz-user', 'fuzz-other', 'fuzz-third', 'fuzz-fourth']) {
    const created = await call('POST', `${M}/users/create`, { username, password: `${username}-password` });
    add(pools, 'username', created.body?.user?.username);
  }
  await call('POST', `${M}/experiments/permissions/create`, { experiment_id: pools.experimentId?.[1] ?? '0', username: 'fuzz-user', permission: 'EDIT' });
  await call('POST', `${M}/registered-models/permissions/create`, { name: 'fuzz-model', username: 'fuzz-user', permission: 'READ' });
  for (const [name, member] of [['fuzz-role', 'fuzz-other'], ['fuzz-role-2', 'fuzz-third']] as const) {
    const role = await call('POST', `${M3}/roles/create`, { name, description: 'seed' });
    const roleId = role.body?.role?.id;
    if (roleId === undefined) continue;
    add(pools, 'roleId', String(roleId));
    const permission = await call('POST', `${M3}/roles/permissions/add`, {
      role_id: roleId,
      resource_type: 'experiment',
      resource_pattern: pools.experimentId?.[1] ?? '0',
      permission: 'READ',
    });
    add(pools, 'rolePermissionId', permission.body?.role_permission?.id);
    await call('POST', `${M3}/roles/assign`, { role_id: roleId, username: member });
  }
  const principal = { principal_id: 'AROAFUZZFUZZFUZZFUZZ', arn: 'arn:aws:iam::123456789012:role/fuzz-training' };
  const mapping = await call('POST', `${C}/principals/create`, { ...principal, username: 'fuzz-user' });
  add(pools, 'principalId', mapping.body?.principal_mapping?.principal_id);
  add(pools, 'roleArn', principal.arn);
};
