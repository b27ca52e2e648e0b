import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createTestApi, endpointOf } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** A body sent as a stream of chunks, so it carries no Content-Length (chunked transfer). */
const streamOf = (text: string, chunkSize = 64 * 1024) => {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += chunkSize)));
    },
  });
};

const newRun = async (api: Awaited<ReturnType<typeof createTestApi>>) =>
  (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;

describe('hostile request bodies at the edge', () => {
  it('refuses a lone surrogate in a stored string with 400 and stores nothing', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = await newRun(api);

    // Act
    const refused = await api.request(`${API}/runs/set-tag`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: `{"run_id":"${runId}","key":"k","value":"a\\ud800b"}`,
    });
    const run = await api.call('GET', `${API}/runs/get`, { run_id: runId });

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid value for parameter 'value' supplied: the text is not valid Unicode (it holds a lone UTF-16 surrogate).",
    });
    expect(run.body.run.data.tags ?? []).not.toContainEqual(expect.objectContaining({ key: 'k' }));
  });

  it('refuses 20,000 levels of nesting with 400, and the server goes on answering', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = await newRun(api);
    const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;

    // Act
    const refused = await api.request(`${API}/runs/log-parameter`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: `{"run_id":"${runId}","key":"k","value":${deep}}`,
    });
    const health = await api.request('/health');

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Invalid request: JSON nested deeper than 64 levels.',
    });
    expect(health.status).toBe(200);
  });

  it('refuses a body over the route limit with 413 in MLflow form, by its declared length', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const body = JSON.stringify({ name: 'x', padding: 'p'.repeat(2 * 1024 * 1024) });

    // Act
    const refused = await api.request(`${API}/experiments/create`, { method: 'POST', headers: JSON_HEADERS, body });

    // Assess
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'The request body is too large: this endpoint accepts at most 1048576 bytes.',
    });
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const body = streamOf(JSON.stringify({ name: 'never-created', padding: 'p'.repeat(3 * 1024 * 1024) }));

    // Act
    const refused = await api.request(`${API}/experiments/create`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body,
      duplex: 'half',
    } as RequestInit);
    const lookup = await api.call('GET', `${API}/experiments/get-by-name`, { experiment_name: 'never-created' });

    // Assess
    expect(refused.status).toBe(413);
    expect(lookup.status).toBe(404);
  });

  it('accepts a log-batch larger than the default limit (100 tags of 8000 characters, escaped)', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = await newRun(api);
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'é'.repeat(8000) }));
    // Python's json.dumps escapes every non-ASCII character: 6 bytes each, about 4.8 MB in all.
    const body = JSON.stringify({ run_id: runId, tags }).replace(/é/g, '\\u00e9');

    // Act
    const logged = await api.request(`${API}/runs/log-batch`, { method: 'POST', headers: JSON_HEADERS, body });

    // Assess
    expect(body.length).toBeGreaterThan(1024 * 1024);
    expect(logged.status).toBe(200);
  });

  it('cuts a huge bad value in the error message to 1,000 characters', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = await newRun(api);
    const value = Array.from({ length: 100_000 }, () => 1);

    // Act
    const refused = await api.call('POST', `${API}/runs/log-parameter`, { run_id: runId, key: 'k', value });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.message.length).toBeLessThan(1200);
    expect(refused.body.message).toMatch(/^Invalid value \[1,1,1.*… for parameter 'value' supplied\. Hint: Value was of type 'list'/s);
  });

  it('answers a Content-Type with a control character in MLflow form (in-process; npm start: test/unit/http/client-errors)', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const refused = await api.request(`${API}/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json\u0001' },
      body: '{"name":"x"}',
    });

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Bad Request. Content-Type must be one of ['application/json'].",
    });
  });
});

describe('the same limits through the Lambda entry (functions/api/handler.ts)', () => {
  it('refuses a body over the limit with 413 in MLflow form, and deep JSON with 400', async () => {
    // Prepare: the environment the stack sets, pointing at a fresh table on a local engine
    const endpoint = endpointOf('dynoxide');
    const tableName = `cairn-lambda-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
    process.env[ENV.tableName] = tableName;
    process.env[ENV.dynamoEndpoint] = endpoint;
    // Authorization is always on in AWS: the requests come as the first admin, as the token authorizer names it.
    process.env[ENV.adminUsername] = 'admin';
    process.env[ENV.adminPassword] = `admin-${randomUUID()}`;
    const { handler } = (await import('../../../functions/api/handler.js')) as unknown as {
      handler: (event: unknown, context: Context) => Promise<{ statusCode: number; body: string }>;
    };
    const fixture = JSON.parse(
      await readFile(new URL('../../fixtures/events/apigw-v1-log-batch-bad.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const requestContext = { ...(fixture.requestContext as object), authorizer: { user: 'admin', userId: '1', credential: 'password:1' } };
    const post = (path: string, body: string) => ({ ...fixture, requestContext, path, pathParameters: { proxy: path.slice(1) }, body });
    const context = { functionName: 'cairn-api', awsRequestId: randomUUID() } as unknown as Context;

    // Act
    const large = await handler(post(`${API}/experiments/create`, JSON.stringify({ name: 'x', pad: 'p'.repeat(2 * 1024 * 1024) })), context);
    const deep = await handler(post(`${API}/experiments/create`, `{"name":${'['.repeat(100)}${']'.repeat(100)}}`), context);

    // Assess
    expect(large.statusCode).toBe(413);
    expect(JSON.parse(large.body)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'The request body is too large: this endpoint accepts at most 1048576 bytes.',
    });
    expect(deep.statusCode).toBe(400);
    expect(JSON.parse(deep.body).message).toBe('Invalid request: JSON nested deeper than 64 levels.');
  });
});
