import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import { ensureFirstAdmin } from '../../../shared/domain/auth/bootstrap.js';
import type { UserStore } from '../../../shared/domain/auth/ports.js';
import { verifySecret } from '../../../shared/domain/auth/token-secrets.js';
import { addUser } from '../../support/fakes/users.js';
import { endpointOf } from '../../support/test-api.js';

const ADMIN = { username: 'admin', password: 'generated-by-secrets-manager-1' };

describe('the first admin, on DynamoDB Local', () => {
  let users: UserStore;
  const ports = () => ({ users, now: () => 1_700_000_000_000 });

  beforeEach(async () => {
    // Prepare: a fresh table, as a new deployment has
    const db = { client: createDynamoClient({ endpoint: endpointOf('dynamodb-local') }), tableName: `cairn-bootstrap-${randomUUID()}` };
    await ensureTable(db);
    users = createUserRepository(db);
  });

  it('is created as an admin with the given password when no user has the name', async () => {
    // Act
    const outcome = await ensureFirstAdmin(ports(), ADMIN);

    // Assess
    const admin = await users.get('admin');
    expect(outcome).toBe('created');
    expect(admin).toMatchObject({ username: 'admin', isAdmin: true, credentialVersion: 1, createdAt: 1_700_000_000_000 });
    expect(await verifySecret(ADMIN.password, admin!.passwordHash)).toBe(true);
  });

  it('is created once when several cold starts race for it', async () => {
    // Act
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => ensureFirstAdmin(ports(), ADMIN)));

    // Assess
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'exists')).toHaveLength(5);
    expect((await users.list()).map((user) => user.username)).toEqual(['admin']);
  });

  it('leaves a user of that name alone: a changed password or a removed admin flag stays', async () => {
    // Prepare
    const existing = await addUser(users, 'admin', 'changed-since-the-secret', { createdAt: 5 });

    // Act
    const outcome = await ensureFirstAdmin(ports(), ADMIN);

    // Assess
    expect(outcome).toBe('exists');
    expect(await users.get('admin')).toEqual(existing);
  });

  it('refuses a password shorter than users/create accepts, creating nothing', async () => {
    // Act & Assess
    await expect(ensureFirstAdmin(ports(), { username: 'admin', password: 'short' })).rejects.toThrow(/longer than 12 characters/);
    expect(await users.list()).toEqual([]);
  });
});
