/**
 * Trace search and assessments with authorization on (both engines, real user and grant repositories): searches
 * answer only traces of experiments the caller may read, and assessments are checked on their trace's experiment,
 * as MLflow's auth app checks them (READ to read, EDIT to write).
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createAuthPorts } from '../../../shared/config/auth.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { addUser } from '../../support/fakes/users.js';
import { ENGINES, type EngineName } from '../../support/test-api.js';
import { freshTable } from '../webhooks/table.js';
import { V2, V3 } from './trace-search-support.js';

const USER_HEADER = 'x-test-user';

const apiOn = async (engine: EngineName) => {
  const db = await freshTable(engine);
  const deps = createTrackingDeps({ ...db });
  await ensureDefaultExperiment(deps);
  const ports = createAuthPorts(db, { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 });
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const user = await ports.users.get(c.req.header(USER_HEADER) ?? '');
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const app = createApi(deps, { auth: { ports, authenticate } });
  const users = {
    alice: await addUser(ports.users, 'alice', 'alice-password'),
    bob: await addUser(ports.users, 'bob', 'bob-password'),
    carol: await addUser(ports.users, 'carol', 'carol-password'),
  };
  const call = async (as: string, method: string, path: string, body: Record<string, unknown> = {}) => {
    const query = method === 'GET' ? `?${new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, String(x)]) : [[k, String(v)] as [string, string]])))}` : '';
    const response = await app.request(`${path}${query}`, {
      method,
      headers: { [USER_HEADER]: as, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // Refusals are MLflow's plain-text `Permission denied`; everything else is JSON.
    return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as any };
  };
  return { call, ports, users };
};

const locations = (ids: string[]) => ids.map((id) => ({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: id } }));

describe.each(ENGINES)('trace search and assessments with authorization (%s)', (engine) => {
  it('answers only readable experiments, and checks assessments on the trace’s experiment', async () => {
    // Prepare: alice's and bob's experiments with a trace each; carol may read alice's
    const api = await apiOn(engine);
    const experiments: Record<string, string> = {};
    for (const owner of ['alice', 'bob']) {
      experiments[owner] = (await api.call(owner, 'POST', `${V2}/experiments/create`, { name: `${owner}-traces` })).body.experiment_id;
      for (const [suffix, time] of [['', '2026-01-01T00:00:01Z'], ['-old', '2026-01-01T00:00:00Z']]) {
        const started = await api.call(owner, 'POST', `${V3}/traces`, {
          trace: {
            trace_info: {
              trace_id: `tr-${owner}${suffix}`,
              trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experiments[owner] } },
              request_time: time,
              state: 'OK',
            },
          },
        });
        expect(started.status).toBe(200);
      }
    }
    const alice = experiments.alice as string;
    const bob = experiments.bob as string;
    await api.ports.grants.put({ subject: { kind: 'user', id: api.users.carol.userId }, resource: { kind: 'experiment', id: alice }, permission: 'READ' }, 'create');
    const made = await api.call('alice', 'POST', `${V3}/traces/tr-alice/assessments`, {
      assessment: { assessment_name: 'quality', source: { source_type: 'HUMAN', source_id: 'alice' }, feedback: { value: 'good' } },
    });
    const assessmentPath = `${V3}/traces/tr-alice/assessments/${made.body.assessment.assessment_id}`;

    // Act
    const carolSearch = await api.call('carol', 'POST', `${V3}/traces/search`, { locations: locations([alice, bob]), max_results: 1 });
    const carolV2 = await api.call('carol', 'GET', `${V2}/traces`, { experiment_ids: [alice, bob] });
    const carolCorrelation = await api.call('carol', 'POST', `${V3}/traces/calculate-filter-correlation`, {
      experiment_ids: [alice, bob],
      filter_string1: "status = 'OK'",
      filter_string2: "feedback.quality = 'good'",
    });
    const carolOwnCorrelation = await api.call('carol', 'POST', `${V3}/traces/calculate-filter-correlation`, {
      experiment_ids: [alice],
      filter_string1: "status = 'OK'",
      filter_string2: "feedback.quality = 'good'",
    });
    const carolReads = await api.call('carol', 'GET', assessmentPath);
    const carolWrites = await api.call('carol', 'POST', `${V3}/traces/tr-alice/assessments`, {
      assessment: { assessment_name: 'quality', feedback: { value: 'bad' } },
    });
    const carolDeletes = await api.call('carol', 'DELETE', assessmentPath);
    const bobReads = await api.call('bob', 'GET', assessmentPath);
    const aliceUsesCarolsToken = await api.call('alice', 'POST', `${V3}/traces/search`, {
      locations: locations([alice, bob]),
      max_results: 1,
      page_token: carolSearch.body.next_page_token,
    });
    const carolNextPage = await api.call('carol', 'POST', `${V3}/traces/search`, {
      locations: locations([alice, bob]),
      max_results: 1,
      page_token: carolSearch.body.next_page_token,
    });
    const aliceSearch = await api.call('alice', 'POST', `${V3}/traces/search`, { locations: locations([alice, bob]) });

    // Assess
    expect(made.status).toBe(200);
    expect(carolSearch.status).toBe(200);
    expect(carolSearch.body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(['tr-alice']);
    expect(carolSearch.body.traces[0].assessments.map((a: { assessment_name: string }) => a.assessment_name)).toEqual(['quality']);
    expect([carolV2.status, carolV2.body]).toEqual([403, 'Permission denied']);
    expect(carolCorrelation.status).toBe(403);
    expect(carolOwnCorrelation.body).toMatchObject({ total_count: 2, filter1_count: 2, filter2_count: 1, joint_count: 1 });
    expect(carolReads.status).toBe(200);
    expect([carolWrites.status, carolDeletes.status, bobReads.status]).toEqual([403, 403, 403]);
    expect(carolNextPage.body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(['tr-alice-old']);
    expect([aliceUsesCarolsToken.status, aliceUsesCarolsToken.body.message]).toEqual([
      400,
      'Invalid page token: it belongs to a different request; send the same parameters as the request that returned it.',
    ]);
    expect(aliceSearch.body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(['tr-alice', 'tr-alice-old']);
  });
});
