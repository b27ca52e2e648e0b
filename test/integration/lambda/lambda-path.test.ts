import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { formatReport, httpTarget, loadTrackingFixtures } from '../../support/conformance/index.js';
import { startFauxqs, S3_PREFIX, type Fauxqs } from '../../support/fauxqs.js';
import { startLambdaShim } from '../../support/lambda-shim.js';
import { endpointOf } from '../../support/test-api.js';
import { basicHeader } from '../../support/fakes/auth.js';
import { replayWithKnownGaps } from '../../conformance/known-gaps.js';

const fixtures = await loadTrackingFixtures();
let fauxqs: Fauxqs;

beforeAll(async () => {
  fauxqs = await startFauxqs();
});
afterAll(async () => {
  await fauxqs?.close();
});

/** The first admin, as the stack's secret would hold it. The replays run as this user, named as the client that recorded them. */
const ADMIN = { username: 'conformance', password: randomBytes(24).toString('base64url') };
const AS_ADMIN = { defaultAuthorization: basicHeader(ADMIN.username, ADMIN.password) };

/** The environment the stack gives the API function, pointed at local engines and a fresh table and bucket. */
const stackEnvironment = async (downloads: 'stream' | 'redirect'): Promise<NodeJS.ProcessEnv> => {
  const endpoint = endpointOf('dynamodb-local');
  const tableName = `cairn-lambda-${randomUUID()}`;
  await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
  return {
    [ENV.tableName]: tableName,
    [ENV.dynamoEndpoint]: endpoint,
    [ENV.artifactBucket]: await fauxqs.createBucket(),
    [ENV.artifactPrefix]: S3_PREFIX,
    [ENV.s3Endpoint]: fauxqs.endpoint,
    [ENV.artifactDownloads]: downloads,
    [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
    [ENV.adminUsername]: ADMIN.username,
    [ENV.adminPassword]: ADMIN.password,
  };
};

describe('the Lambda code path over HTTP (API Gateway REST events, DynamoDB Local, S3 on fauxqs)', () => {
  it.each(fixtures.map((fixture) => [fixture.flow, fixture] as const))(
    'replays %s as the reference server answered it',
    async (flow, fixture) => {
      // Prepare: downloads stream, since the fixtures record bodies (redirects are checked below)
      const shim = await startLambdaShim(await stackEnvironment('stream'), AS_ADMIN);

      // Act
      const { report, unexpected } = await replayWithKnownGaps(fixture, httpTarget, shim.url).finally(() => shim.close());

      // Assess
      expect(unexpected, formatReport(report)).toEqual([]);
    },
  );

  it('answers a download with a redirect to a presigned S3 URL that serves the bytes, as deployed', async () => {
    // Prepare
    const shim = await startLambdaShim(await stackEnvironment('redirect'), AS_ADMIN);
    const post = (path: string, body: unknown) =>
      fetch(`${shim.url}/api/2.0/mlflow${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    const { run } = await post('/runs/create', { experiment_id: '0' });
    const path = `${shim.url}/api/2.0/mlflow-artifacts/artifacts/0/${run.info.run_id}/artifacts/weights.bin`;
    const bytes = randomBytes(200_000);
    await fetch(path, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });

    // Act
    const redirect = await fetch(path, { redirect: 'manual' });
    const followed = await fetch(path);

    // Assess
    await shim.close();
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toContain(fauxqs.endpoint);
    expect(Buffer.from(await followed.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
