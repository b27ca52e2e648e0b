/**
 * Evaluation datasets and scorers through the deployed code path: HTTP into the API Gateway shim, the token
 * authorizer, the API's Lambda handler built from the stack's environment, DynamoDB Local (authorization on, as
 * always in AWS). The creator recorded is the signed-in user, whatever `mlflow.user` the client sends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { basicHeader } from '../../support/fakes/auth.js';
import { startFauxqs, S3_PREFIX, type Fauxqs } from '../../support/fauxqs.js';
import { startLambdaShim, type LambdaShim } from '../../support/lambda-shim.js';
import { endpointOf } from '../../support/test-api.js';

const ADMIN = { username: 'evaluator', password: randomBytes(24).toString('base64url') };

describe('evaluation datasets and scorers on the Lambda path', () => {
  let fauxqs: Fauxqs;
  let shim: LambdaShim;
  beforeAll(async () => {
    fauxqs = await startFauxqs();
    const endpoint = endpointOf('dynamodb-local');
    const tableName = `cairn-eval-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
    shim = await startLambdaShim(
      {
        [ENV.tableName]: tableName,
        [ENV.dynamoEndpoint]: endpoint,
        [ENV.artifactBucket]: await fauxqs.createBucket(),
        [ENV.artifactPrefix]: S3_PREFIX,
        [ENV.s3Endpoint]: fauxqs.endpoint,
        [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
        [ENV.adminUsername]: ADMIN.username,
        [ENV.adminPassword]: ADMIN.password,
      },
      { defaultAuthorization: basicHeader(ADMIN.username, ADMIN.password) },
    );
  });
  afterAll(async () => {
    await shim?.close();
    await fauxqs?.close();
  });

  const call = async (method: string, path: string, body?: Record<string, unknown>) => {
    const query = method === 'GET' && body ? `?${new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
    const response = await fetch(`${shim.url}/api/3.0/mlflow${path}${query}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('round-trips a dataset, its records and a scorer', async () => {
    // Act
    const created = await call('POST', '/datasets/create', { name: 'lambda-ds', experiment_ids: ['0'], tags: JSON.stringify({ 'mlflow.user': 'someone-else' }) });
    const id = created.body.dataset.dataset_id;
    const upserted = await call('POST', `/datasets/${id}/records`, {
      records: JSON.stringify([{ inputs: { q: 'a' }, expectations: { answer: 'A' } }, { inputs: { q: 'b' }, tags: { 'mlflow.user': 'someone-else' } }]),
    });
    const records = await call('GET', `/datasets/${id}/records`, { max_results: 1000 });
    const found = await call('POST', '/datasets/search', { experiment_ids: ['0'], max_results: 1000 });
    const registered = await call('POST', '/scorers/register', { experiment_id: '0', name: 'judge', serialized_scorer: '{"name": "judge"}' });
    const scorer = await call('GET', '/scorers/get', { experiment_id: '0', name: 'judge' });

    // Assess
    expect(created.status).toBe(200);
    expect(created.body.dataset).toMatchObject({ name: 'lambda-ds', created_by: ADMIN.username, experiment_ids: ['0'] });
    expect(JSON.parse(created.body.dataset.tags)).toEqual({ 'mlflow.user': ADMIN.username });
    expect(upserted.body).toEqual({ inserted_count: 2, updated_count: 0 });
    const parsed = JSON.parse(records.body.records);
    expect(parsed.map((r: any) => r.inputs.q).sort()).toEqual(['a', 'b']);
    expect(parsed.find((r: any) => r.inputs.q === 'b').created_by).toBe(ADMIN.username);
    expect(found.body.datasets.map((d: any) => d.dataset_id)).toEqual([id]);
    expect(registered.body).toMatchObject({ version: 1, name: 'judge', experiment_id: '0' });
    expect(scorer.body.scorer).toMatchObject({ experiment_id: 0, scorer_name: 'judge', scorer_version: 1, serialized_scorer: '{"name": "judge"}' });
  });
});
