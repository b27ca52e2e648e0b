import { randomUUID } from 'node:crypto';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../shared/data/audit/repository.js';
import { auditDayPartition } from '../../../shared/data/audit/keys.js';
import type { DbContext } from '../../../shared/data/db-context.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { expression, getItem, queryAll } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { principalKey } from '../../../shared/data/principals/keys.js';
import { createPrincipalRepository } from '../../../shared/data/principals/repository.js';
import type { AuditEntry, PrincipalMapping } from '../../../shared/domain/auth/entities.js';
import type { AuditLog } from '../../../shared/domain/auth/ports.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { ENGINES, endpointOf } from '../../support/test-api.js';

const DAY = 86_400_000;
/** 2026-01-05T12:00:00Z */
const NOON = Date.UTC(2026, 0, 5, 12);

const mapping = (principalId: string, username: string, userId: number): PrincipalMapping => ({
  principalId,
  arn: `arn:aws:iam::123456789012:role/${username}`,
  userId,
  username,
  createdAt: NOON,
});

const entry = (at: number, requestId: string, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  at,
  requestId,
  principal: 'anonymous',
  action: 'GET /api/2.0/mlflow/experiments/get',
  decision: 'unauthenticated',
  ...fields,
});

/** Every page of a listing, following cursors. */
const allPages = async (log: AuditLog, options: { since?: number; limit: number }) => {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await log.list({ ...options, ...(cursor === undefined ? {} : { cursor }) });
    pages.push(page.entries.map((e) => e.requestId));
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
};

describe.each(ENGINES)('principal mappings and the audit log on %s', (engine) => {
  let db: DbContext;

  beforeAll(async () => {
    db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-audit-${randomUUID()}` };
    await ensureTable(db);
  });

  describe('principal repository', () => {
    it('stores, replaces, lists by id and deletes mappings', async () => {
      // Prepare
      const principals = createPrincipalRepository(db);
      const a = mapping('AROAAAAAAAAAAAAAAAAAA', 'trainer', 7);
      const b = mapping('AIDABBBBBBBBBBBBBBBBB', 'deployer', 8);

      // Act
      await principals.put(b);
      await principals.put(a);
      await principals.put({ ...a, userId: 9, username: 'evaluator' });
      const listed = await principals.list();
      const got = await principals.get(a.principalId);
      const deleted = await principals.delete(b.principalId);
      const deletedAgain = await principals.delete(b.principalId);

      // Assess
      expect(listed).toEqual([b, { ...a, userId: 9, username: 'evaluator' }]);
      expect(got).toEqual({ ...a, userId: 9, username: 'evaluator' });
      expect([deleted, deletedAgain]).toEqual([true, false]);
      expect(await principals.get(b.principalId)).toBeUndefined();
      expect(await principals.list()).toEqual([{ ...a, userId: 9, username: 'evaluator' }]);
      expect(await getItem(db, principalKey(a.principalId))).toMatchObject({
        pk: `PRINCIPAL#${a.principalId}`,
        sk: 'PRINCIPAL',
        gsi1pk: 'PRINCIPALS',
        gsi1sk: a.principalId,
        _et: 'principal-mapping',
      });
    });
  });

  describe('audit log', () => {
    let auditDb: DbContext;
    // Listings span months of days: each test gets a table of its own, so no test reads another's entries.
    beforeEach(async () => {
      auditDb = { client: db.client, tableName: `cairn-audit-${randomUUID()}` };
      await ensureTable(auditDb);
    });
    const logAt = (now: number, retentionDays = 90) => createAuditLog(auditDb, { retentionDays, now: () => now });

    it('turns TTL on for expiresAt when ensureTable makes the table, and accepts a second ensureTable', async () => {
      // Act
      await ensureTable(auditDb);
      const { TimeToLiveDescription } = await auditDb.client.send(new DescribeTimeToLiveCommand({ TableName: auditDb.tableName }));

      // Assess
      expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    });

    it('stores each entry in its UTC day with expiresAt at its time plus the retention', async () => {
      // Prepare
      const at = Date.UTC(2025, 2, 1, 23, 59, 59, 999);
      const log = logAt(at, 30);

      // Act
      await log.record(entry(at, 'same-request', { username: 'alice', principal: 'basic:alice', decision: 'denied', resource: 'experiment:1', detail: 'needs EDIT' }));
      await log.record(entry(at, 'same-request'));
      const items = await queryAll(auditDb, { KeyConditionExpression: 'pk = :pk', ...expression({}, { ':pk': auditDayPartition('2025-03-01') }) });

      // Assess
      expect(items).toHaveLength(2);
      for (const item of items) {
        expect(item.sk).toMatch(new RegExp(`^${String(at).padStart(15, '0')}#same-request#[0-9a-f]{8}$`));
        expect(item.expiresAt).toBe(Math.floor(at / 1000) + 30 * 86_400);
        expect(item._et).toBe('audit-entry');
      }
      expect((await log.list({ limit: 10 })).entries).toEqual(
        expect.arrayContaining([
          entry(at, 'same-request'),
          entry(at, 'same-request', { username: 'alice', principal: 'basic:alice', decision: 'denied', resource: 'experiment:1', detail: 'needs EDIT' }),
        ]),
      );
    });

    it('lists newest first across days, page by page, with no cursor after the last page', async () => {
      // Prepare: entries today, yesterday and three days ago (the day between is empty)
      const now = Date.UTC(2025, 4, 10, 12);
      const log = logAt(now);
      const ats = [now - 3 * DAY, now - 3 * DAY + 1, now - DAY, now - 60_000, now - 1000];
      for (const [i, at] of ats.entries()) await log.record(entry(at, `r${i}`));

      // Act
      const pages = await allPages(log, { limit: 2 });
      const whole = await log.list({ limit: 5 });

      // Assess
      expect(pages).toEqual([['r4', 'r3'], ['r2', 'r1'], ['r0']]);
      expect(whole.entries.map((e) => e.requestId)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
      expect(whole.cursor).toBeUndefined();
    });

    it('reads no further back than since, even within a day', async () => {
      // Prepare
      const now = Date.UTC(2025, 5, 10, 12);
      const log = logAt(now);
      for (const [i, at] of [now - 2 * DAY, now - DAY - 1, now - DAY, now - 5].entries()) await log.record(entry(at, `s${i}`));

      // Act
      const listed = await log.list({ since: now - DAY, limit: 10 });
      const paged = await allPages(log, { since: now - DAY, limit: 1 });

      // Assess
      expect(listed.entries.map((e) => e.requestId)).toEqual(['s3', 's2']);
      expect(paged).toEqual([['s3'], ['s2']]);
    });

    it('stops at the retention, though TTL has not deleted the older entries yet', async () => {
      // Prepare
      const now = Date.UTC(2025, 6, 20, 12);
      const log = logAt(now, 7);
      await log.record(entry(now - 8 * DAY, 'too-old'));
      await log.record(entry(now - 6 * DAY, 'kept'));

      // Act
      const listed = await log.list({ limit: 10 });
      const withEarlierSince = await log.list({ since: now - 30 * DAY, limit: 10 });

      // Assess
      expect(listed.entries.map((e) => e.requestId)).toEqual(['kept']);
      expect(withEarlierSince.entries.map((e) => e.requestId)).toEqual(['kept']);
    });

    it('finds entries weeks apart in a sparse log, and one stamped just past midnight by a clock ahead', async () => {
      // Prepare
      const now = Date.UTC(2025, 8, 30, 23, 59);
      const log = logAt(now, 365);
      await log.record(entry(now - 200 * DAY, 'long-ago'));
      await log.record(entry(now - 40 * DAY, 'weeks-ago'));
      await log.record(entry(now + 2 * 60_000, 'ahead'));

      // Act
      const pages = await allPages(log, { limit: 1 });

      // Assess
      expect(pages).toEqual([['ahead'], ['weeks-ago'], ['long-ago']]);
    });

    it('refuses a cursor it never made, or one from past its own start', async () => {
      // Prepare
      const now = Date.UTC(2025, 9, 1);
      const log = logAt(now);
      const errorOf = (cursor: string) => log.list({ limit: 10, cursor }).then(() => undefined, (e: unknown) => e);

      // Act
      const errors = await Promise.all([
        errorOf('AUDIT#2025-10-01'),
        errorOf(`${String(now).padStart(15, '0')}#x#zz`),
        errorOf(`${String(now + 400 * DAY).padStart(15, '0')}#x#0123abcd`),
        errorOf(`999999999999999#x#0123abcd`),
      ]);

      // Assess
      for (const error of errors) {
        expect(error).toBeInstanceOf(MlflowError);
        expect((error as MlflowError).errorCode).toBe('INVALID_PARAMETER_VALUE');
      }
    });

    it('never throws when a write fails: the error goes to logError', async () => {
      // Prepare
      const errors: unknown[] = [];
      const missingTable = createAuditLog({ ...auditDb, tableName: `cairn-missing-${randomUUID()}` }, { retentionDays: 7, logError: (e) => errors.push(e) });

      // Act
      await missingTable.record(entry(NOON, 'lost'));

      // Assess
      expect(errors).toHaveLength(1);
    });
  });
});
