import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../../functions/api/lambda-handler.js';
import { ENV } from '../../../shared/config/env.js';
import { createTokensFromEnv } from '../../../shared/config/tokens.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { basicHeader } from '../../support/fakes/auth.js';
import { startLambdaShim, type LambdaShim } from '../../support/lambda-shim.js';
import { endpointOf } from '../../support/test-api.js';

/** The role test/fixtures/events/apigw-v1-iam-*.json were signed by, as API Gateway puts it in requestContext.identity. */
const ROLE = {
  principalId: 'AROAEXAMPLEROLEID1234',
  arn: 'arn:aws:iam::123456789012:role/ml-engineer',
  identity: { accountId: '123456789012', user: 'AROAEXAMPLEROLEID1234:job-7', userArn: 'arn:aws:sts::123456789012:assumed-role/ml-engineer/job-7' },
};

const MLFLOW_401_TEXT =
  'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.';

/**
 * Authorization through the deployed code path: API Gateway's part played by the shim (the real token
 * authorizer, its answer cached per Authorization header for the stack's 5 minutes, the SigV4 tree's signer),
 * the API's Lambda handler built from the environment the stack sets, DynamoDB Local. The cache is the point:
 * a changed password, a revoked token or a deleted user must stop working at the next request, although the
 * gateway still holds an Allow for them.
 */
describe('authorization on the Lambda path, behind the token authorizer and its cache', () => {
  const admin = { username: 'admin', password: randomBytes(24).toString('base64url') };
  const asAdmin = basicHeader(admin.username, admin.password);
  let env: NodeJS.ProcessEnv;
  let shim: LambdaShim;

  const call = (method: string, path: string, authorization: string | undefined, body?: unknown, tree = '') =>
    fetch(`${shim.url}${tree}${path}`, {
      method,
      headers: { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });
  const createUser = async (username: string, password: string) =>
    expect((await call('POST', '/api/2.0/mlflow/users/create', asAdmin, { username, password })).status).toBe(200);
  const createExperiment = async (authorization: string, name: string) =>
    (await json(await call('POST', '/api/2.0/mlflow/experiments/create', authorization, { name }))).body.experiment_id as string;
  const getExperiment = (authorization: string | undefined, id: string, tree = '') =>
    call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`, authorization, undefined, tree);

  beforeAll(async () => {
    // Prepare: the stack's environment on a fresh table; the first admin as its secret holds it
    const endpoint = endpointOf('dynamodb-local');
    const tableName = `cairn-lambda-auth-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
    env = {
      [ENV.tableName]: tableName,
      [ENV.dynamoEndpoint]: endpoint,
      [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
      [ENV.adminUsername]: admin.username,
      [ENV.adminPassword]: admin.password,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    shim = await startLambdaShim(env, { iamIdentity: ROLE.identity });
  });
  afterAll(async () => {
    await shim?.close();
  });

  it('answers 401 at the gateway without credentials or with wrong ones, and leaves /health open', async () => {
    // Act
    const anonymous = await call('POST', '/api/2.0/mlflow/experiments/search', undefined, {});
    const wrong = await call('POST', '/api/2.0/mlflow/experiments/search', basicHeader('admin', 'not-the-password'), {});
    const health = await call('GET', '/health', undefined);

    // Assess
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(wrong.status).toBe(401);
    expect(health.status).toBe(200);
  });

  it('lets the first admin in with the password from its secret, and checks grants per request', async () => {
    // Prepare
    await createUser('alice', 'alice-pass-2718');
    await createUser('bob', 'bob-pass-31415');
    const alice = basicHeader('alice', 'alice-pass-2718');
    const bob = basicHeader('bob', 'bob-pass-31415');
    const id = await createExperiment(alice, `alice-${randomUUID()}`);

    // Act
    const bobBefore = await getExperiment(bob, id);
    await call('POST', '/api/2.0/mlflow/experiments/permissions/create', alice, { experiment_id: id, username: 'bob', permission: 'READ' });
    const bobAfter = await getExperiment(bob, id);
    const bobDeletes = await call('POST', '/api/2.0/mlflow/experiments/delete', bob, { experiment_id: id });

    // Assess: a 403 of the app, worded as MLflow's auth app words it
    expect(bobBefore.status).toBe(403);
    expect(bobBefore.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await bobBefore.text()).toBe('Permission denied');
    expect(bobAfter.status).toBe(200);
    expect(bobDeletes.status).toBe(403);
  });

  it('refuses an old password at the next request after a change, though the gateway cached its Allow', async () => {
    // Prepare: carol's password accepted once, so the gateway caches the authorizer's answer for it
    await createUser('carol', 'carol-pass-16180');
    const old = basicHeader('carol', 'carol-pass-16180');
    const id = await createExperiment(old, `carol-${randomUUID()}`);

    // Act
    await call('PATCH', '/api/2.0/mlflow/users/update-password', asAdmin, { username: 'carol', password: 'carol-pass-14142' });
    const withOld = await getExperiment(old, id);
    const withNew = await getExperiment(basicHeader('carol', 'carol-pass-14142'), id);

    // Assess: the app's 401, in MLflow's words
    expect(withOld.status).toBe(401);
    expect(await withOld.text()).toBe(MLFLOW_401_TEXT);
    expect(withOld.headers.get('www-authenticate')).toBe('Basic realm="mlflow"');
    expect(withNew.status).toBe(200);
  });

  it('refuses a revoked token at the next request, though the gateway cached its Allow', async () => {
    // Prepare
    await createUser('dave', 'dave-pass-27182');
    const tokens = createTokensFromEnv(env);
    const { token, info } = await tokens.createToken('dave');
    const id = await createExperiment(`Bearer ${token}`, `dave-${randomUUID()}`);
    const before = await getExperiment(`Bearer ${token}`, id);

    // Act
    await tokens.revokeToken(info.tokenId);
    const after = await getExperiment(`Bearer ${token}`, id);

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it("refuses a deleted user's cached password and tokens; a new user of the same name gets neither them nor the old grants", async () => {
    // Prepare
    await createUser('erin', 'erin-pass-11235');
    const old = basicHeader('erin', 'erin-pass-11235');
    const id = await createExperiment(old, `erin-${randomUUID()}`);
    // A token of the old erin's, never used yet: the gateway has nothing cached for it
    const { token } = await createTokensFromEnv(env).createToken('erin');

    // Act
    await call('DELETE', '/api/2.0/mlflow/users/delete', asAdmin, { username: 'erin' });
    const afterDelete = await getExperiment(old, id);
    await createUser('erin', 'erin-pass-81321');
    const oldAgain = await getExperiment(old, id);
    const newErin = await getExperiment(basicHeader('erin', 'erin-pass-81321'), id);
    const oldToken = await call('POST', '/api/2.0/mlflow/experiments/search', `Bearer ${token}`, {});

    // Assess: the gateway's cached answer names the old user's number; the new user holds no grant of the old one
    expect(afterDelete.status).toBe(401);
    expect(oldAgain.status).toBe(401);
    expect(newErin.status).toBe(403);
    expect(oldToken.status).toBe(401);
  });

  it('gives an unmapped SigV4 role nothing, and a mapped one what its user may do', async () => {
    // Prepare
    await createUser('frank', 'frank-pass-4669');
    const id = await createExperiment(basicHeader('frank', 'frank-pass-4669'), `frank-${randomUUID()}`);

    // Act
    const unmapped = await getExperiment(undefined, id, '/iam');
    const mapped = await call('POST', '/api/2.0/cairn/principals/create', asAdmin, { principal_id: ROLE.principalId, arn: ROLE.arn, username: 'frank' });
    const asFrank = await getExperiment(undefined, id, '/iam');

    // Assess
    expect(unmapped.status).toBe(403);
    expect(mapped.status).toBe(200);
    expect(asFrank.status).toBe(200);
    expect(((await asFrank.json()) as any).experiment.experiment_id).toBe(id);
  });

  it("stops a cold start whose first admin users/create would refuse, naming the setting", async () => {
    // Prepare: a table without that admin
    const tableName = `cairn-lambda-auth-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint: env[ENV.dynamoEndpoint] }), tableName });

    // Act & Assess
    await expect(createLambdaHandler({ ...env, [ENV.tableName]: tableName, [ENV.adminUsername]: 'root', [ENV.adminPassword]: 'short' })).rejects.toThrow(
      /^invalid setting CAIRN_ADMIN_USERNAME\/CAIRN_ADMIN_PASSWORD .*longer than 12 characters/,
    );
  });
});
