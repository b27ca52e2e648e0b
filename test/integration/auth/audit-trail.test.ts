import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { endpointOf } from '../../support/test-api.js';

/**
 * Issue 13, point 6: every permission change and every refused request is in the audit log (who, principal,
 * action, resource, decision, request id), readable by admins through `GET /api/2.0/cairn/audit/list`, and
 * never a password.
 */

const ADMIN = { username: 'admin', password: `admin-${randomUUID()}` };
const BOB = { username: 'bob', password: 'bob-pass-31415' };

const basic = (user: { username: string; password: string }) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

describe('the audit log of npm start --auth', () => {
  let server: LocalServer;
  const call = async (user: { username: string; password: string } | undefined, method: string, path: string, body?: object) => {
    const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    if (user) headers.authorization = basic(user);
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, json: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpointOf('dynoxide'),
      tableName: `cairn-audit-${randomUUID()}`,
      auth: { adminUsername: ADMIN.username, adminPassword: ADMIN.password },
    });
  });
  afterAll(async () => server?.stop());

  it('records grants, user changes and refusals, with who, what and the request id, and no password', async () => {
    // Prepare: the admin makes bob and an experiment, grants bob READ
    expect((await call(ADMIN, 'POST', '/api/2.0/mlflow/users/create', BOB)).status).toBe(200);
    const { json: created } = await call(ADMIN, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'audited' });
    const experimentId = created.experiment_id as string;
    expect((await call(ADMIN, 'POST', '/api/2.0/mlflow/experiments/permissions/create', { experiment_id: experimentId, username: 'bob', permission: 'READ' })).status).toBe(200);

    // Act: bob tries to delete it (403), somebody tries without credentials (401), bob tries to read the log (403)
    expect((await call(BOB, 'POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: experimentId })).status).toBe(403);
    expect((await call(undefined, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status).toBe(401);
    expect((await call(BOB, 'GET', '/api/2.0/cairn/audit/list')).status).toBe(403);
    const { status, json: log } = await call(ADMIN, 'GET', '/api/2.0/cairn/audit/list?max_results=50');

    // Assess
    expect(status).toBe(200);
    const entries = log.entries as Record<string, unknown>[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'admin', principal: 'basic:admin', action: 'POST /api/2.0/mlflow/users/create', resource: 'user:bob', decision: 'allowed' }),
        expect.objectContaining({
          username: 'admin',
          action: 'POST /api/2.0/mlflow/experiments/permissions/create',
          resource: `experiment:${experimentId}`,
          decision: 'allowed',
          detail: 'username=bob permission=READ',
        }),
        expect.objectContaining({ username: 'bob', principal: 'basic:bob', action: 'POST /api/2.0/mlflow/experiments/delete', resource: `experiment:${experimentId}`, decision: 'denied' }),
        expect.objectContaining({ principal: 'anonymous', action: 'GET /api/2.0/mlflow/experiments/get', decision: 'unauthenticated' }),
        expect.objectContaining({ username: 'bob', action: 'GET /api/2.0/cairn/audit/list', decision: 'denied' }),
      ]),
    );
    for (const entry of entries) expect(typeof entry.request_id === 'string' && entry.request_id !== '').toBe(true);
    expect(JSON.stringify(log)).not.toContain(BOB.password);
    expect(JSON.stringify(log)).not.toContain(ADMIN.password);
  });

  it('records the refusals a handler decides (an experiment named in a body or a header): StartTraceV3 and OTLP export', async () => {
    // Prepare: carol may read the experiment, not edit it
    await call(ADMIN, 'POST', '/api/2.0/mlflow/users/create', { username: 'carol', password: 'carol-pass-27182' });
    const carol = { username: 'carol', password: 'carol-pass-27182' };
    const { json: created } = await call(ADMIN, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'traced-audit' });
    const experimentId = created.experiment_id as string;
    await call(ADMIN, 'POST', '/api/2.0/mlflow/experiments/permissions/create', { experiment_id: experimentId, username: 'carol', permission: 'READ' });

    // Act
    const started = await call(carol, 'POST', '/api/3.0/mlflow/traces', {
      trace: { trace_info: { trace_id: 'tr-audit-1', trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } }, request_time: '2026-01-01T00:00:00Z', state: 'OK' } },
    });
    const exported = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: basic(carol), 'content-type': 'application/json', 'x-mlflow-experiment-id': experimentId },
      body: JSON.stringify({ resourceSpans: [] }),
    });
    const { json: log } = await call(ADMIN, 'GET', '/api/2.0/cairn/audit/list?max_results=100');

    // Assess
    expect(started.status).toBe(403);
    expect(exported.status).toBe(403);
    const denied = (log.entries as Record<string, unknown>[]).filter((entry) => entry.username === 'carol' && entry.decision === 'denied');
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'POST /api/3.0/mlflow/traces', resource: `experiment:${experimentId}`, detail: 'needs EDIT' }),
        expect.objectContaining({ action: 'POST /v1/traces', resource: `experiment:${experimentId}`, detail: 'needs EDIT' }),
      ]),
    );
  });
});
