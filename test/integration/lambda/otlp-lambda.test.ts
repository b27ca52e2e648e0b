import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { basicHeader } from '../../support/fakes/auth.js';
import { startFauxqs, S3_PREFIX, type Fauxqs } from '../../support/fauxqs.js';
import { startLambdaShim, type LambdaShim } from '../../support/lambda-shim.js';
import { endpointOf } from '../../support/test-api.js';
import { protobufRequest, protoSpan, wrapSpans } from '../api/otlp-support.js';

/**
 * One trace through the deployed code path: API Gateway's part played by the shim (bodies base64-encoded, as the
 * stack's binary media types make them), the API's Lambda handler from the stack's environment, DynamoDB Local,
 * S3 on fauxqs; authorization on, as in AWS.
 */
describe('traces through the Lambda path (OTLP protobuf, StartTraceV3, traces/get, tags, assessments, search, deletion)', () => {
  const admin = { username: 'admin', password: randomBytes(24).toString('base64url') };
  const asAdmin = basicHeader(admin.username, admin.password);
  const asBob = basicHeader('bob', 'bob-password-123');
  let fauxqs: Fauxqs;
  let shim: LambdaShim;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    const endpoint = endpointOf('dynamodb-local');
    const tableName = `cairn-lambda-otlp-${randomUUID()}`;
    await ensureTable({ client: createDynamoClient({ endpoint }), tableName });
    shim = await startLambdaShim({
      [ENV.tableName]: tableName,
      [ENV.dynamoEndpoint]: endpoint,
      [ENV.artifactBucket]: await fauxqs.createBucket(),
      [ENV.artifactPrefix]: S3_PREFIX,
      [ENV.s3Endpoint]: fauxqs.endpoint,
      [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
      [ENV.adminUsername]: admin.username,
      [ENV.adminPassword]: admin.password,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
  });
  afterAll(async () => {
    await shim?.close();
    await fauxqs?.close();
  });

  it('stores the spans of an OTLP export, merges StartTraceV3, serves the trace, and checks EDIT and READ on its experiment', async () => {
    // Prepare
    const json = (authorization: string, method: string, path: string, body?: unknown) =>
      fetch(`${shim.url}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    await json(asAdmin, 'POST', '/api/2.0/mlflow/users/create', { username: 'bob', password: 'bob-password-123' });
    const experimentId = ((await (await json(asAdmin, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'agents' })).json()) as { experiment_id: string })
      .experiment_id;
    const traceHex = randomBytes(16).toString('hex');
    const rootId = randomBytes(8).toString('hex');
    const start = 1_741_064_767_890_123_456n;
    const body = protobufRequest(
      wrapSpans([
        protoSpan(traceHex, rootId, undefined, 'agent', start, start + 3_000_000_000n),
        protoSpan(traceHex, randomBytes(8).toString('hex'), rootId, 'llm', start + 1_000n, start + 2_000_000_000n),
      ]),
      { gzip: true },
    );
    const exportAs = (authorization: string) =>
      fetch(`${shim.url}/v1/traces`, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
          'x-mlflow-experiment-id': experimentId,
        },
        body,
      });

    // Act
    const refused = await exportAs(asBob);
    const exported = await exportAs(asAdmin);
    const started = await json(asAdmin, 'POST', '/api/3.0/mlflow/traces', {
      trace: {
        trace_info: {
          trace_id: `tr-${traceHex}`,
          trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
          request_time: '2025-03-04T05:06:07.890Z',
          execution_duration: '3s',
          state: 'OK',
        },
      },
    });
    const startedBody = (await started.json()) as { trace: { trace_info: { tags: Record<string, string> } } };
    const trace = await json(asAdmin, 'GET', `/api/3.0/mlflow/traces/get?trace_id=tr-${traceHex}`);
    const traceBody = (await trace.json()) as { trace: { spans: { name: string }[] } };
    const bobReads = await json(asBob, 'GET', `/api/3.0/mlflow/traces/get?trace_id=tr-${traceHex}`);

    // Assess
    expect(refused.status).toBe(403);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/x-protobuf');
    expect(started.status).toBe(200);
    expect(startedBody.trace.trace_info.tags['mlflow.trace.spansLocation']).toBe('TRACKING_STORE');
    expect(trace.status).toBe(200);
    expect(traceBody.trace.spans.map((span) => span.name).sort()).toEqual(['agent', 'llm']);
    expect(bobReads.status).toBe(403);
  });

  it('tags, assesses, searches, links and deletes traces through the Lambda path, as MLflow 3 clients call them', async () => {
    // Prepare: two traces started the way clients before 3.4 do (StartTraceV3), in one experiment
    const json = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${shim.url}${path}`, {
        method,
        headers: { authorization: asAdmin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, any> };
    };
    const experimentId = (await json('POST', '/api/2.0/mlflow/experiments/create', { name: 'agents-lifecycle' })).body.experiment_id as string;
    const runId = (await json('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).body.run.info.run_id as string;
    const location = { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } };
    const ids = [`tr-${randomBytes(16).toString('hex')}`, `tr-${randomBytes(16).toString('hex')}`];
    for (const [i, traceId] of ids.entries()) {
      const started = await json('POST', '/api/3.0/mlflow/traces', {
        trace: { trace_info: { trace_id: traceId, trace_location: location, request_time: `2025-03-04T05:06:0${i}.000Z`, execution_duration: `${i + 1}s`, state: 'OK' } },
      });
      expect(started.status).toBe(200);
    }

    // Act
    const tagged = await json('PATCH', `/api/3.0/mlflow/traces/${ids[0]}/tags`, { key: 'team', value: 'search' });
    const assessed = await json('POST', `/api/3.0/mlflow/traces/${ids[0]}/assessments`, {
      assessment: { trace_id: ids[0], assessment_name: 'correct', source: { source_type: 'HUMAN', source_id: 'ada' }, feedback: { value: true }, rationale: 'checked' },
    });
    const linked = await json('POST', '/api/2.0/mlflow/traces/link-to-run', { trace_ids: [ids[1]], run_id: runId });
    const byTag = await json('POST', '/api/3.0/mlflow/traces/search', { locations: [location], filter: "tag.team = 'search'" });
    const byFeedback = await json('POST', '/api/3.0/mlflow/traces/search', { locations: [location], filter: "feedback.correct = 'true'" });
    const byRun = await json('POST', '/api/3.0/mlflow/traces/search', { locations: [location], filter: `run_id = '${runId}'` });
    const slowestFirst = await json('POST', '/api/3.0/mlflow/traces/search', { locations: [location], order_by: ['execution_time DESC'] });
    const info = await json('GET', `/api/3.0/mlflow/traces/${ids[0]}`);
    const deleted = await json('POST', '/api/3.0/mlflow/traces/delete-traces', { experiment_id: experimentId, request_ids: [ids[0]] });
    const afterDelete = await json('POST', '/api/3.0/mlflow/traces/search', { locations: [location] });

    // Assess
    expect(tagged.status).toBe(200);
    expect(assessed.status).toBe(200);
    expect(linked.status).toBe(200);
    const traceIds = (answer: { body: Record<string, any> }) => (answer.body.traces ?? []).map((trace: { trace_id: string }) => trace.trace_id);
    expect(traceIds(byTag)).toEqual([ids[0]]);
    expect(traceIds(byFeedback)).toEqual([ids[0]]);
    expect(traceIds(byRun)).toEqual([ids[1]]);
    expect(traceIds(slowestFirst)).toEqual([ids[1], ids[0]]);
    expect(info.body.trace.trace_info.tags.team).toBe('search');
    expect(info.body.trace.trace_info.assessments).toEqual([expect.objectContaining({ assessment_name: 'correct', feedback: { value: true }, rationale: 'checked' })]);
    expect(deleted.body).toEqual({ traces_deleted: 1 });
    expect(traceIds(afterDelete)).toEqual([ids[1]]);
  });
});
