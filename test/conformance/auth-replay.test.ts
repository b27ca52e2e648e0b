import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';
import { formatReport, httpTarget, loadFixtures, type Exchange, type LoadedFixture } from '../support/conformance/index.js';
import { isAuthFixture } from '../support/conformance/fixture.js';
import { endpointOf, ENGINES } from '../support/test-api.js';
import { replayWithKnownGaps } from './known-gaps.js';

/**
 * auth.json (MLflow 3.6's basic-auth app driven by its own client) replayed over HTTP against exactly what the
 * issue names: `npm start -- --auth` with CAIRN_ADMIN_USERNAME / CAIRN_ADMIN_PASSWORD set, and READ as the
 * default permission, as the reference ran (the fixture's `auth.default_permission`). Each exchange carries
 * the credentials of its `auth` identity (the fixture README, section 11).
 */

const ADMIN = { username: 'admin', password: `admin-${randomUUID()}` };

const fixture = (await loadFixtures()).find(isAuthFixture) as LoadedFixture & {
  auth: { default_permission: 'READ'; identities: Record<string, { username: string; password: string }> };
};

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** What the reference's client sent for an exchange: the admin's, nobody's, or a named identity's credentials. */
const authorizationOf = (exchange: Exchange): string | undefined => {
  if (exchange.auth === undefined || exchange.auth === 'anonymous') return undefined;
  if (exchange.auth === 'admin') return basic(ADMIN.username, ADMIN.password);
  const identity = fixture.auth.identities[exchange.auth];
  if (!identity) throw new Error(`exchange ${exchange.n} names an unknown identity ${exchange.auth}`);
  return basic(identity.username, identity.password);
};

describe.each(ENGINES)('auth.json replayed against npm start --auth (%s)', (engine) => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpointOf(engine),
      tableName: `cairn-auth-${randomUUID()}`,
      auth: { defaultPermission: fixture.auth.default_permission, adminUsername: ADMIN.username, adminPassword: ADMIN.password },
    });
  });
  afterAll(async () => server?.stop());

  it('answers every exchange as MLflow 3.6 auth app did, for each exchange\'s user', async () => {
    // Act
    const { report, unexpected, nowPassing } = await replayWithKnownGaps(fixture, httpTarget, server.url, authorizationOf);

    // Assess
    expect(unexpected, formatReport(report)).toEqual([]);
    expect(nowPassing, 'listed in expectedFailures but passing now: remove them from known-gaps.ts').toEqual([]);
    expect(report.results.length + report.skipped.length).toBe(fixture.exchanges.length);
  });
});
