import { describe, expect, it } from 'vitest';
import { AUDIT_LOG_MESSAGE, powertoolsAuditSink } from '../../../functions/api/audit-logger.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import {
  auditSinks,
  listAuditEntries,
  permissionChangeEntry,
  refusedRequestEntry,
  type AuditSink,
} from '../../../shared/domain/auth/audit.js';
import type { AuditEntry, User } from '../../../shared/domain/auth/entities.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { memoryAuditLog } from '../../support/fakes/auth.js';

const NOW = 1_767_600_000_000;

const alice: User = {
  userId: 2,
  username: 'alice',
  isAdmin: false,
  passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: 's', hash: 'h' },
  credentialVersion: 1,
  createdAt: NOW,
  grants: new Map(),
  groupIds: [],
};
const aliceByToken: Caller = { kind: 'user', user: alice, principal: 'token:0123456789abcdef' };
const unmapped: Caller = { kind: 'unmapped-principal', principal: 'iam:AROAEXAMPLEROLE123456', arn: 'arn:aws:iam::123456789012:role/x' };

const entry = (at: number, requestId: string): AuditEntry => ({ at, requestId, principal: 'anonymous', action: 'GET /x', decision: 'unauthenticated' });

const errorOf = async (promise: Promise<unknown>): Promise<MlflowError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof MlflowError)) throw new Error(`expected an MlflowError, got ${String(error)}`);
  return error;
};

describe('audit entries', () => {
  it('records a denied request with the user, how it signed in, the resource and the level it lacked', () => {
    // Act
    const built = refusedRequestEntry(
      { requestId: 'req-1', at: NOW, caller: aliceByToken },
      { method: 'post', path: '/api/2.0/mlflow/experiments/delete', decision: 'denied', resource: { kind: 'experiment', id: '12' }, needed: 'MANAGE' },
    );

    // Assess
    expect(built).toEqual({
      at: NOW,
      requestId: 'req-1',
      username: 'alice',
      principal: 'token:0123456789abcdef',
      action: 'POST /api/2.0/mlflow/experiments/delete',
      resource: 'experiment:12',
      decision: 'denied',
      detail: 'needs MANAGE',
    });
  });

  it('records an unauthenticated request as anonymous, and an unmapped principal by its id alone', () => {
    // Act
    const anonymous = refusedRequestEntry(
      { requestId: 'req-2', at: NOW, caller: undefined },
      { method: 'GET', path: '/api/2.0/mlflow/experiments/search', decision: 'unauthenticated', detail: 'wrong password' },
    );
    const principal = refusedRequestEntry(
      { requestId: 'req-3', at: NOW, caller: unmapped },
      { method: 'POST', path: '/api/2.0/mlflow/runs/create', decision: 'denied', resource: { kind: 'experiment', id: '3' }, needed: 'EDIT', detail: 'unmapped' },
    );

    // Assess
    expect(anonymous).toEqual({
      at: NOW,
      requestId: 'req-2',
      principal: 'anonymous',
      action: 'GET /api/2.0/mlflow/experiments/search',
      decision: 'unauthenticated',
      detail: 'wrong password',
    });
    expect(principal).toMatchObject({ principal: 'iam:AROAEXAMPLEROLE123456', detail: 'needs EDIT; unmapped' });
    expect(principal).not.toHaveProperty('username');
  });

  it('records a permission change as allowed, by its maker', () => {
    // Act
    const built = permissionChangeEntry(
      { requestId: 'req-4', at: NOW, caller: aliceByToken },
      { action: 'experiments/permissions/create', resource: 'experiment:12', detail: 'user=bob permission=EDIT' },
    );

    // Assess
    expect(built).toEqual({
      at: NOW,
      requestId: 'req-4',
      username: 'alice',
      principal: 'token:0123456789abcdef',
      action: 'experiments/permissions/create',
      resource: 'experiment:12',
      decision: 'allowed',
      detail: 'user=bob permission=EDIT',
    });
  });
});

describe('audit sinks', () => {
  it('hands every entry to the log and each sink, and lists from the log', async () => {
    // Prepare
    const log = memoryAuditLog();
    const seen: AuditEntry[] = [];
    const combined = auditSinks(log, [{ record: (e) => void seen.push(e) }]);

    // Act
    await combined.record(entry(NOW, 'a'));
    const listed = await combined.list({ limit: 10 });

    // Assess
    expect(seen).toEqual([entry(NOW, 'a')]);
    expect(listed.entries).toEqual([entry(NOW, 'a')]);
  });

  it('reports a sink that fails and still records the entry everywhere else', async () => {
    // Prepare
    const log = memoryAuditLog();
    const errors: unknown[] = [];
    const seen: AuditEntry[] = [];
    const failing: AuditSink = {
      record: () => {
        throw new Error('sink down');
      },
    };
    const combined = auditSinks(log, [failing, { record: async (e) => void seen.push(e) }], (error) => errors.push(error));

    // Act
    await combined.record(entry(NOW, 'b'));

    // Assess
    expect(errors).toEqual([new Error('sink down')]);
    expect(seen).toHaveLength(1);
    expect(log.entries).toHaveLength(1);
  });

  it('logs refusals as warnings and changes as info, under one message, with Powertools', () => {
    // Prepare
    const lines: [string, string, unknown][] = [];
    const logger = {
      info: (message: string, extra: unknown) => void lines.push(['info', message, extra]),
      warn: (message: string, extra: unknown) => void lines.push(['warn', message, extra]),
    };
    const sink = powertoolsAuditSink(logger as never);
    const change = permissionChangeEntry({ requestId: 'r', at: NOW, caller: aliceByToken }, { action: 'users/create', resource: 'user:bob' });

    // Act
    void sink.record(entry(NOW, 'c'));
    void sink.record(change);

    // Assess
    expect(lines).toEqual([
      ['warn', AUDIT_LOG_MESSAGE, { audit: entry(NOW, 'c') }],
      ['info', AUDIT_LOG_MESSAGE, { audit: change }],
    ]);
  });
});

describe('listing the audit log (GET /api/2.0/cairn/audit/list)', () => {
  const filled = async (count: number) => {
    const log = memoryAuditLog();
    for (let i = 0; i < count; i++) await log.record(entry(NOW + i, `req-${i}`));
    return log;
  };

  it('answers 100 entries by default, newest first, with a token for the rest', async () => {
    // Prepare
    const log = await filled(150);

    // Act
    const first = await listAuditEntries(log, {});
    const second = await listAuditEntries(log, { pageToken: first.next_page_token });

    // Assess
    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]).toEqual({ timestamp: NOW + 149, request_id: 'req-149', principal: 'anonymous', action: 'GET /x', decision: 'unauthenticated' });
    expect(second.entries.map((e) => e.request_id)).toEqual(Array.from({ length: 50 }, (_, i) => `req-${49 - i}`));
    expect(second).not.toHaveProperty('next_page_token');
  });

  it('binds a token to its since, and refuses another request\'s token', async () => {
    // Prepare
    const log = await filled(5);
    const page = await listAuditEntries(log, { since: NOW + 1, maxResults: 2 });

    // Act
    const error = await errorOf(listAuditEntries(log, { since: NOW + 2, maxResults: 2, pageToken: page.next_page_token }));
    const next = await listAuditEntries(log, { since: NOW + 1, maxResults: 2, pageToken: page.next_page_token });

    // Assess
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain('Invalid page token');
    expect([...page.entries, ...next.entries].map((e) => e.timestamp)).toEqual([NOW + 4, NOW + 3, NOW + 2, NOW + 1]);
  });

  it.each([
    [{ maxResults: 0 }, 'Invalid value 0 for max_results: expected an integer from 1 to 1000.'],
    [{ maxResults: 1001 }, 'Invalid value 1001 for max_results: expected an integer from 1 to 1000.'],
    [{ since: -1 }, 'Invalid value -1 for since: expected milliseconds since the epoch.'],
    [{ pageToken: 'not a token' }, 'Invalid page token: it is not base64.'],
  ])('refuses %o', async (request, message) => {
    // Prepare
    const log = await filled(1);

    // Act
    const error = await errorOf(listAuditEntries(log, request));

    // Assess
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe(message);
  });
});
