import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createAuthPorts } from '../../../shared/config/auth.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { addUser } from '../../support/fakes/users.js';
import { createTestApi, endpointOf, ENGINES, type EngineName } from '../../support/test-api.js';

/**
 * Issue 13, point 3, for the registry, on the table: a registered model and a model version store the
 * authenticated user who created them (`createdBy`, read back through the codec), whatever the body claims;
 * MLflow's answers are unchanged (MLflow 3.6 answers no `user_id` there, auth.json); with authorization off
 * nothing is stored.
 */

const MLFLOW = '/api/2.0/mlflow';
/** Who sends a request here: the user named in this header (credentials are the authenticator tests' matter). */
const USER_HEADER = 'x-test-user';

/** The app with authorization on, on a fresh table of `engine`, and alice, who may create models. */
const apiWithAuth = async (engine: EngineName) => {
  const client = createDynamoClient({ endpoint: endpointOf(engine) });
  const tableName = `cairn-registry-creator-${randomUUID()}`;
  await ensureTable({ client, tableName });
  const deps: TrackingDeps = createTrackingDeps({ client, tableName });
  const ports = createAuthPorts({ client, tableName }, { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 });
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const user = await ports.users.get(c.req.header(USER_HEADER) ?? '');
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const app = createApi(deps, { auth: { ports, authenticate } });
  await addUser(ports.users, 'alice', 'alice-password');
  const call = async (method: string, path: string, body: Record<string, unknown>) => {
    const get = method === 'GET';
    const response = await app.request(get ? `${path}?${new URLSearchParams(body as Record<string, string>)}` : path, {
      method,
      headers: { [USER_HEADER]: 'alice', ...(get ? {} : { 'content-type': 'application/json' }) },
      ...(get ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return { deps, call };
};

const storedModel = (deps: TrackingDeps, name: string) => deps.registry.getModelByName(name);
const storedVersion = async (deps: TrackingDeps, name: string, version: number) => {
  const model = await deps.registry.getModelByName(name);
  return model && deps.registry.getVersion(model, version);
};

/** Every registered model and model version in MLflow's answers, latest versions included. */
const entitiesIn = (body: Record<string, any>): Record<string, unknown>[] => {
  const models = [body.registered_model, ...(body.registered_models ?? [])].filter(Boolean);
  const versions = [body.model_version, ...(body.model_versions ?? []), ...models.flatMap((m) => m.latest_versions ?? [])].filter(Boolean);
  return [...models, ...versions];
};

describe.each(ENGINES)('registry creations record the authenticated creator on %s', (engine) => {
  let api: Awaited<ReturnType<typeof apiWithAuth>>;
  const answers: Record<string, any>[] = [];

  beforeAll(async () => {
    api = await apiWithAuth(engine);
    const calls: [string, string, Record<string, unknown>][] = [
      ['POST', `${MLFLOW}/registered-models/create`, { name: 'fraud', user_id: 'mallory', created_by: 'mallory' }],
      ['POST', `${MLFLOW}/model-versions/create`, { name: 'fraud', source: 's3://bucket/1', user_id: 'mallory', created_by: 'mallory' }],
      ['POST', `${MLFLOW}/model-versions/transition-stage`, { name: 'fraud', version: '1', stage: 'Staging' }],
      ['GET', `${MLFLOW}/registered-models/get`, { name: 'fraud' }],
      ['GET', `${MLFLOW}/registered-models/search`, {}],
      ['GET', `${MLFLOW}/model-versions/get`, { name: 'fraud', version: '1' }],
      ['GET', `${MLFLOW}/model-versions/search`, {}],
    ];
    for (const [method, path, body] of calls) {
      const answer = await api.call(method, path, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      answers.push(answer.body);
    }
  });

  it('stores the signed-in user as the creator of the model and of its version, not what the body claims', async () => {
    expect((await storedModel(api.deps, 'fraud'))?.createdBy).toBe('alice');
    // A later change to the version (the stage transition) keeps who created it.
    expect(await storedVersion(api.deps, 'fraud', 1)).toMatchObject({ createdBy: 'alice', currentStage: 'Staging' });
  });

  it("leaves MLflow's answers as MLflow's: no user_id and no creator on any model or version", () => {
    const entities = answers.flatMap(entitiesIn);
    expect(entities.length).toBeGreaterThanOrEqual(7);
    for (const entity of entities) {
      expect(entity).not.toHaveProperty('user_id');
      expect(entity).not.toHaveProperty('created_by');
      expect(entity).not.toHaveProperty('createdBy');
    }
    expect(JSON.stringify(answers)).not.toContain('alice');
    expect(JSON.stringify(answers)).not.toContain('mallory');
  });

  it('records nobody with authorization off, even when the body names someone', async () => {
    // Prepare
    const off = await createTestApi(engine);

    // Act
    const model = await off.call('POST', `${MLFLOW}/registered-models/create`, { name: 'open', created_by: 'mallory' });
    const version = await off.call('POST', `${MLFLOW}/model-versions/create`, { name: 'open', source: 's3://bucket/1', created_by: 'mallory' });

    // Assess
    expect([model.status, version.status]).toEqual([200, 200]);
    expect(await storedModel(off.deps, 'open')).not.toHaveProperty('createdBy');
    expect(await storedVersion(off.deps, 'open', 1)).not.toHaveProperty('createdBy');
  });
});
