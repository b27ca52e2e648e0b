import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { endpointOf } from '../../support/test-api.js';

/**
 * In AWS authorization is always on: token-tree events carry what the token authorizer established (here the
 * first admin, made at the cold start from CAIRN_ADMIN_*), at `requestContext.authorizer` (REST, v1) or under
 * its `lambda` key (HTTP API, v2). SigV4 events (`/iam`) carry an IAM identity no admin mapped: the
 * unmapped-principal permission (MANAGE for this test of the entry's plumbing) applies.
 */
const ADMIN_CONTEXT = { user: 'admin', userId: '1', credential: 'password:1' };

const event = async (name: string) => {
  const parsed = JSON.parse(await readFile(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  if (name.includes('-iam-')) return parsed;
  const requestContext = (parsed.requestContext ?? {}) as Record<string, unknown>;
  const authorizer = name.startsWith('apigw-v2') ? { lambda: ADMIN_CONTEXT } : ADMIN_CONTEXT;
  return { ...parsed, requestContext: { ...requestContext, authorizer } };
};

const lambdaContext = { functionName: 'cairn-api', awsRequestId: randomUUID() } as unknown as Context;

type LambdaResult = { statusCode: number; body: string; headers?: Record<string, string>; isBase64Encoded?: boolean };

describe('the Lambda entry (functions/api/handler.ts) with API Gateway events', () => {
  let handler: (event: unknown, context: Context) => Promise<LambdaResult>;

  beforeAll(async () => {
    // Prepare: the environment the stack sets, pointing at a fresh table on a local engine
    const endpoint = endpointOf('dynamodb-local');
    const tableName = `cairn-lambda-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
    process.env[ENV.tableName] = tableName;
    process.env[ENV.dynamoEndpoint] = endpoint;
    process.env[ENV.adminUsername] = 'admin';
    process.env[ENV.adminPassword] = `admin-${randomUUID()}`;
    process.env[ENV.unmappedPrincipalPermission] = 'MANAGE';
    ({ handler } = (await import('../../../functions/api/handler.js')) as unknown as { handler: typeof handler });
  });

  it('answers an HTTP API (v2) GET with its query string', async () => {
    // Act
    const result = await handler(await event('apigw-v2-get-experiment'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
  });

  it('decodes a base64 HTTP API (v2) POST body and creates the run', async () => {
    // Act
    const result = await handler(await event('apigw-v2-create-run'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(200);
    // The event's body claims user 'lambda'; the run records the authenticated user.
    expect(JSON.parse(result.body).run.info).toMatchObject({ run_name: 'via-apigw', user_id: 'admin', status: 'RUNNING' });
  });

  it('answers a REST API (v1) GET', async () => {
    // Act
    const result = await handler(await event('apigw-v1-get-experiment-by-name'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).experiment.experiment_id).toBe('0');
  });

  it("answers a REST API (v1) POST that misses a required field with MLflow's 400", async () => {
    // Act
    const result = await handler(await event('apigw-v1-log-batch-bad'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    });
  });
  it('answers a REST API (v1) SigV4 GET under /iam as the same route', async () => {
    // Act
    const result = await handler(await event('apigw-v1-iam-get-experiment-by-name'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).experiment).toMatchObject({ experiment_id: '0', name: 'Default' });
  });

  it('creates through /iam what the token tree then reads, with artifact locations free of the prefix', async () => {
    // Act
    const created = await handler(await event('apigw-v1-iam-create-experiment'), lambdaContext);
    const { experiment_id } = JSON.parse(created.body);
    const plain = await event('apigw-v1-get-experiment-by-name');
    const read = await handler(
      { ...plain, queryStringParameters: { experiment_name: 'via-iam' }, multiValueQueryStringParameters: { experiment_name: ['via-iam'] } },
      lambdaContext,
    );

    // Assess
    expect(created.statusCode).toBe(200);
    expect(JSON.parse(read.body).experiment).toMatchObject({ experiment_id, name: 'via-iam' });
    expect(JSON.parse(read.body).experiment.artifact_location).not.toContain('iam');
  });
});
