/**
 * A subset of the authorization matrix (test/integration/auth/route-matrix.test.ts) through the deployed code
 * path: HTTP into the API Gateway shim, the real token authorizer (its answer cached per header), the API's
 * Lambda handler built from the stack's environment, DynamoDB Local and S3 on fauxqs. The routes are one of each
 * kind of row and of each way a row finds its resource (experiment, run, logged model by path parameter,
 * artifact path, presigned owner, registered model, a version's source, a user, admin-only, public); the
 * expected answers are derived exactly as in the full matrix. A refusal of the credentials is API Gateway's 401.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_POLICY } from '../../../functions/api/authorization/route-policy.js';
import { createAuthPorts } from '../../../shared/config/auth.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { routeId, ROUTES } from '../../fuzz/routes.js';
import { startFauxqs, S3_PREFIX, type Fauxqs } from '../../support/fauxqs.js';
import { startLambdaShim, type LambdaShim } from '../../support/lambda-shim.js';
import { endpointOf } from '../../support/test-api.js';
import { CALLERS, DEFAULT_PERMISSION, decisionBehindGateway, matrixClient, WORLD_GRANTS, type CallerName, type MatrixClient } from '../auth/matrix-server.js';
import { expectedDecision, makeShared, makeWorld, requestFor, type Shared } from '../auth/matrix-world.js';

const M = '/api/2.0/mlflow';
const SUBSET = [
  'GET /health',
  `POST ${M}/experiments/create`,
  `GET ${M}/experiments/get`,
  `POST ${M}/experiments/delete`,
  `POST ${M}/runs/log-batch`,
  `POST ${M}/runs/search`,
  `GET ${M}/logged-models/:model_id`,
  'GET /api/2.0/mlflow-artifacts/artifacts/*',
  'PUT /api/2.0/mlflow-artifacts/artifacts/*',
  `POST ${M}/artifacts/presigned-download-url`,
  `POST ${M}/registered-models/alias`,
  `DELETE ${M}/registered-models/delete`,
  `POST ${M}/model-versions/create`,
  `POST ${M}/experiments/permissions/create`,
  `GET ${M}/users/get`,
  `GET ${M}/webhooks`,
];

const USERS = CALLERS.filter((caller): caller is Exclude<CallerName, 'anonymous' | 'unknown' | 'admin'> => caller in WORLD_GRANTS || caller === 'other');

describe('the authorization matrix on the Lambda path, a subset (dynamodb-local, fauxqs)', () => {
  const admin = { username: 'lambda-admin', password: randomBytes(24).toString('base64url') };
  let fauxqs: Fauxqs;
  let shim: LambdaShim;
  let client: MatrixClient;
  let shared: Shared;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    const endpoint = endpointOf('dynamodb-local');
    const tableName = `cairn-lambda-matrix-${randomUUID()}`;
    const dynamo = createDynamoClient({ endpoint });
    await ensureTable({ client: dynamo, tableName });
    shim = await startLambdaShim({
      [ENV.tableName]: tableName,
      [ENV.dynamoEndpoint]: endpoint,
      [ENV.artifactBucket]: await fauxqs.createBucket(),
      [ENV.artifactPrefix]: S3_PREFIX,
      [ENV.s3Endpoint]: fauxqs.endpoint,
      [ENV.artifactDownloads]: 'stream',
      [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
      [ENV.adminUsername]: admin.username,
      [ENV.adminPassword]: admin.password,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    // The test's own view of the same table: to make users and grants, and read a model's id.
    const settings = { defaultPermission: DEFAULT_PERMISSION, unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 } as const;
    client = await matrixClient({
      transport: (path, init) => fetch(`${shim.url}${path}`, init),
      ports: createAuthPorts({ client: dynamo, tableName }, settings),
      deps: createTrackingDeps({ client: dynamo, tableName }),
      admin,
    });
    shared = await makeShared(client);
  });
  afterAll(async () => {
    await shim?.close();
    await fauxqs?.close();
  });

  it.each(SUBSET)('%s', async (key) => {
    // Prepare
    const requirement = ROUTE_POLICY[key]!;
    const route = ROUTES.find((r) => routeId(r) === key)!;
    const world = await makeWorld(client);
    const request = requestFor(route, world, shared, world.subject);

    // Act
    const observed: string[] = [];
    for (const caller of CALLERS) observed.push(`${caller}: ${decisionBehindGateway(await client.send(caller, request))}`);
    const selves: string[] = [];
    if (requirement.kind === 'self-or-admin') {
      for (const caller of USERS) selves.push(`${caller} naming herself: ${decisionBehindGateway(await client.send(caller, requestFor(route, world, shared, caller)))}`);
    }

    // Assess
    expect(observed).toEqual(CALLERS.map((caller) => `${caller}: ${expectedDecision(requirement, caller)}`));
    expect(selves).toEqual(requirement.kind === 'self-or-admin' ? USERS.map((caller) => `${caller} naming herself: allowed`) : []);
  });
});
