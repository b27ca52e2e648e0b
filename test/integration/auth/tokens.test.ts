import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createTokensFromEnv } from '../../../shared/config/tokens.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { getItem } from '../../../shared/data/dynamo-ops.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { tokenKey } from '../../../shared/data/tokens/keys.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import type { User } from '../../../shared/domain/auth/entities.js';
import type { UserStore } from '../../../shared/domain/auth/ports.js';
import { hashSecret } from '../../../shared/domain/auth/token-secrets.js';
import type { TokenService } from '../../../shared/domain/auth/tokens.js';
import { authorizerEvent, basicHeader, withAuthorization } from '../../support/fakes/auth.js';
import { endpointOf } from '../../support/test-api.js';
import { addUser } from '../../support/fakes/users.js';

const run = promisify(execFile);

describe('users and tokens on DynamoDB Local, through the authorizer Lambda entry (functions/authorizer/handler.ts)', () => {
  let env: NodeJS.ProcessEnv;
  let tokens: TokenService;
  let users: UserStore;
  const named: Record<string, User> = {};
  let authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  let db: { client: ReturnType<typeof createDynamoClient>; tableName: string };

  beforeAll(async () => {
    // Prepare: the environment the stack sets on the authorizer, pointing at a fresh table
    const endpoint = endpointOf('dynamodb-local');
    db = { client: createDynamoClient({ endpoint }), tableName: `cairn-auth-${randomUUID()}` };
    await ensureTable(db);
    env = { [ENV.tableName]: db.tableName, [ENV.dynamoEndpoint]: endpoint };
    Object.assign(process.env, env, { POWERTOOLS_LOG_LEVEL: 'ERROR' }); // refusals are expected here
    tokens = createTokensFromEnv(env);
    users = createUserRepository(db);
    // Tokens are bound to users by name: each name used below is a user first.
    for (const name of ['alice', 'bob', 'carol', 'dave']) named[name] = await addUser(users, name, `${name}-pass-2718`, { createdAt: Date.now() });
    ({ handler: authorize } = (await import('../../../functions/authorizer/handler.js')) as unknown as {
      handler: typeof authorize;
    });
  });

  it('allows a new token as Bearer and as Basic, records its use, and refuses it once revoked', async () => {
    // Prepare
    const { token, info } = await tokens.createToken('alice');
    const bearer = withAuthorization(await authorizerEvent('bearer'), `Bearer ${token}`);
    const basic = withAuthorization(await authorizerEvent('basic'), basicHeader('alice', token));

    // Act
    const allowedBearer = await authorize(bearer);
    const allowedBasic = await authorize(basic);
    const used = await getItem(db, tokenKey(info.tokenId));
    await tokens.revokeToken(info.tokenId);
    // Settled at once: a rejection left waiting for its assertion counts as unhandled.
    const refusedBearer = await authorize(bearer).then(() => undefined, (error: unknown) => error);
    const refusedBasic = await authorize(basic).then(() => undefined, (error: unknown) => error);

    // Assess
    for (const allowed of [allowedBearer, allowedBasic]) {
      expect(allowed).toMatchObject({
        principalId: 'alice',
        policyDocument: { Statement: [{ Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*' }] },
        context: { user: 'alice', userId: named.alice!.userId, credential: `token:${info.tokenId}` },
      });
    }
    expect(used?.lastUsedAt).toEqual(expect.any(Number));
    expect(refusedBearer).toEqual(new Error('Unauthorized'));
    expect(refusedBasic).toEqual(new Error('Unauthorized'));
  });

  it("allows a user's password, naming its version, and refuses it once changed", async () => {
    // Prepare
    const event = withAuthorization(await authorizerEvent('bearer'), basicHeader('dave', 'dave-pass-2718'));

    // Act
    const allowed = await authorize(event);
    await users.setPassword('dave', await hashSecret('dave-new-pass-1'));
    const refused = await authorize(event).then(() => undefined, (error: unknown) => error);
    const renewed = await authorize(withAuthorization(await authorizerEvent('bearer'), basicHeader('dave', 'dave-new-pass-1')));

    // Assess
    expect(allowed).toMatchObject({ principalId: 'dave', context: { user: 'dave', userId: named.dave!.userId, credential: 'password:1' } });
    expect(refused).toEqual(new Error('Unauthorized'));
    expect(renewed).toMatchObject({ context: { credential: 'password:2' } });
  });

  it('refuses a live token whose user does not exist', async () => {
    // Prepare
    const { token } = await tokens.createToken('nobody');

    // Act & Assess
    await expect(authorize(withAuthorization(await authorizerEvent('bearer'), `Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  });

  it('keeps nothing of a revoked secret, and lists revoked tokens with their revocation time', async () => {
    // Prepare
    const { info } = await tokens.createToken('ci-nightly');
    const before = await getItem(db, tokenKey(info.tokenId));

    // Act
    await tokens.revokeToken(info.tokenId);
    const after = await getItem(db, tokenKey(info.tokenId));
    const listed = (await tokens.listTokens()).find((t) => t.tokenId === info.tokenId);

    // Assess
    expect(before?.secretHash).toMatchObject({ kdf: 'scrypt' });
    expect(after?.secretHash).toBeUndefined();
    expect(listed).toEqual({ tokenId: info.tokenId, name: 'ci-nightly', createdAt: info.createdAt, revokedAt: expect.any(Number) });
    expect(listed).not.toHaveProperty('secretHash');
  });

  it('refuses a token of another table (unknown id) and a wrong secret of a live one', async () => {
    // Prepare
    const { token } = await tokens.createToken('bob');

    // Act & Assess
    await expect(authorize(withAuthorization(await authorizerEvent('bearer'), `Bearer ${token.slice(0, -2)}zz`))).rejects.toThrow(
      /^Unauthorized$/,
    );
    await expect(
      authorize(withAuthorization(await authorizerEvent('bearer'), `Bearer cairn_0123456789abcdef_${'B'.repeat(43)}`)),
    ).rejects.toThrow(/^Unauthorized$/);
  });

  it('npm run tokens: create prints a token the authorizer accepts; list shows it; revoke ends it', async () => {
    // Prepare
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'functions/tokens/cli.ts', ...args], { env: { ...process.env, ...env } });

    // Act
    const created = await cli('create', 'carol');
    const token = created.stdout.trim();
    const allowed = await authorize(withAuthorization(await authorizerEvent('bearer'), `Bearer ${token}`));
    const tokenId = token.split('_')[1]!;
    const listed = await cli('list');
    const revoked = await cli('revoke', tokenId);

    // Assess
    expect(token).toMatch(/^cairn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(allowed.principalId).toBe('carol');
    expect(listed.stdout).toMatch(new RegExp(`^${tokenId}\\s+carol\\s`, 'm'));
    expect(listed.stdout).not.toContain(token.slice(24));
    expect(revoked.stdout).toContain(`Revoked token ${tokenId} ('carol').`);
    await expect(authorize(withAuthorization(await authorizerEvent('bearer'), `Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  });
});
