import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizer, stageWideArn } from '../../../functions/authorizer/authorizer.js';
import { readCredentials, type Refusal } from '../../../shared/domain/auth/authorizer.js';
import { fromAuthorizerContext } from '../../../shared/domain/auth/authorizer-context.js';
import { createCredentialVerifier, type CredentialVerifier } from '../../../shared/domain/auth/credentials.js';
import { hashSecret } from '../../../shared/domain/auth/token-secrets.js';
import { createTokenService, type TokenService } from '../../../shared/domain/auth/tokens.js';
import { authorizerEvent, basicHeader, FIXTURE_TOKEN, memoryTokenStore, withAuthorization } from '../../support/fakes/auth.js';
import { addUser, memoryUserStore } from '../../support/fakes/users.js';

const STAGE_WIDE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*';
const ALICE_PASSWORD = 'alice-pass-2718';

describe('the Lambda REQUEST authorizer', () => {
  let users: ReturnType<typeof memoryUserStore>;
  let tokenStore: ReturnType<typeof memoryTokenStore>;
  let tokens: TokenService;
  let verifier: CredentialVerifier;
  let refusals: Refusal[];
  let authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;
  const withHeader = async (header: string | undefined) => withAuthorization(await authorizerEvent('bearer'), header);
  const contextOf = (result: unknown) => (result as { context: unknown }).context;

  beforeEach(async () => {
    // Prepare: user alice (number 1) and the token the fixtures carry, bound to her by its name
    users = memoryUserStore();
    await addUser(users, 'alice', ALICE_PASSWORD);
    tokenStore = memoryTokenStore();
    await tokenStore.create({
      tokenId: FIXTURE_TOKEN.tokenId,
      name: FIXTURE_TOKEN.name,
      createdAt: 1,
      secretHash: await hashSecret(FIXTURE_TOKEN.secret),
    });
    tokens = createTokenService(tokenStore);
    verifier = createCredentialVerifier(users, tokens);
    refusals = [];
    authorize = createAuthorizer(verifier, { onRefused: (refusal) => refusals.push(refusal) });
  });

  it.each(['bearer', 'basic', 'root'] as const)(
    'allows every method and path of the stage for a token bound to a user, passing only who (%s fixture)',
    async (fixture) => {
      // Act
      const result = await authorize(await authorizerEvent(fixture));

      // Assess
      expect(result).toEqual({
        principalId: 'alice',
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: STAGE_WIDE }] },
        context: { user: 'alice', userId: 1, credential: `token:${FIXTURE_TOKEN.tokenId}` },
      });
    },
  );

  it("allows a user's password (Basic), naming the password's version", async () => {
    // Act
    const result = await authorize(await withHeader(basicHeader('alice', ALICE_PASSWORD)));

    // Assess
    expect(result).toMatchObject({ principalId: 'alice', context: { user: 'alice', userId: 1, credential: 'password:1' } });
    expect(fromAuthorizerContext(contextOf(result))).toEqual({ user: 'alice', userId: 1, credential: { kind: 'password', version: 1 } });
  });

  it('reads the header whatever its case (HTTP/2 sends it in lower case)', async () => {
    // Prepare
    const event = withAuthorization(await authorizerEvent('bearer'), `bearer ${FIXTURE_TOKEN.token}`, 'authorization');

    // Act & Assess
    await expect(authorize(event)).resolves.toMatchObject({ principalId: 'alice' });
  });

  it.each([
    ['no header', undefined, 'no-credentials'],
    ['an empty header', '', 'no-credentials'],
    ['another scheme', `Digest ${FIXTURE_TOKEN.token}`, 'no-credentials'],
    ['Basic that is not base64', 'Basic !!!', 'no-credentials'],
    ['Basic without a colon', `Basic ${Buffer.from('alice').toString('base64')}`, 'no-credentials'],
    ['a malformed Bearer token', 'Bearer abc', 'bad-token'],
    ['an unknown token', `Bearer cairn_fedcba9876543210_${'A'.repeat(43)}`, 'bad-token'],
    ['a wrong secret', `Bearer ${FIXTURE_TOKEN.token.slice(0, -1)}x`, 'bad-token'],
    ['Basic with a token and another username', basicHeader('mallory', FIXTURE_TOKEN.token), 'bad-token'],
    ['a wrong password', basicHeader('alice', 'hunter2'), 'wrong-password'],
    ['an unknown user', basicHeader('mallory', ALICE_PASSWORD), 'unknown-user'],
    ['an empty password', basicHeader('alice', ''), 'wrong-password'],
  ])('answers Unauthorized (401) for %s', async (_case, header, reason) => {
    // Act & Assess
    await expect(authorize(await withHeader(header))).rejects.toThrow(/^Unauthorized$/);
    expect(refusals).toEqual([expect.objectContaining({ reason })]);
    expect(JSON.stringify(refusals)).not.toContain(FIXTURE_TOKEN.secret);
    expect(JSON.stringify(refusals)).not.toContain(ALICE_PASSWORD);
  });

  it('refuses a revoked token, by either scheme', async () => {
    // Prepare
    await tokens.revokeToken(FIXTURE_TOKEN.tokenId);

    // Act & Assess
    await expect(authorize(await authorizerEvent('bearer'))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(await authorizerEvent('basic'))).rejects.toThrow(/^Unauthorized$/);
    expect(refusals.map((refusal) => refusal.reason)).toEqual(['bad-token', 'bad-token']);
  });

  it('refuses a valid token whose user does not exist', async () => {
    // Prepare: a token for a name no user holds
    const { token } = await tokens.createToken('ghost');

    // Act & Assess
    await expect(authorize(await withHeader(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(await withHeader(basicHeader('ghost', token)))).rejects.toThrow(/^Unauthorized$/);
    expect(refusals.map((refusal) => refusal.reason)).toEqual(['token-without-user', 'token-without-user']);
  });

  it("refuses a deleted user's password and tokens", async () => {
    // Prepare: both accepted first, so a remembered check is in place
    await authorize(await withHeader(basicHeader('alice', ALICE_PASSWORD)));
    await authorize(await authorizerEvent('bearer'));
    await users.delete('alice');

    // Act & Assess
    await expect(authorize(await withHeader(basicHeader('alice', ALICE_PASSWORD)))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(await authorizerEvent('bearer'))).rejects.toThrow(/^Unauthorized$/);
    expect(refusals.map((refusal) => refusal.reason)).toEqual(['unknown-user', 'token-without-user']);
  });

  it('refuses the old password at once after a change, even though its check was remembered, and names the new version', async () => {
    // Prepare
    await authorize(await withHeader(basicHeader('alice', ALICE_PASSWORD)));
    await users.setPassword('alice', await hashSecret('alice-new-pass'));

    // Act
    const old = await authorize(await withHeader(basicHeader('alice', ALICE_PASSWORD))).catch((error: unknown) => error);
    const renewed = await authorize(await withHeader(basicHeader('alice', 'alice-new-pass')));

    // Assess
    expect(old).toEqual(new Error('Unauthorized'));
    expect(refusals).toEqual([expect.objectContaining({ reason: 'wrong-password' })]);
    expect(contextOf(renewed)).toEqual({ user: 'alice', userId: 1, credential: 'password:2' });
  });

  it('hashes a password once for repeated requests, yet reads the user every time', async () => {
    // Prepare
    const event = await withHeader(basicHeader('alice', ALICE_PASSWORD));
    const readsBefore = users.reads;

    // Act
    for (let i = 0; i < 5; i += 1) await authorize(event);

    // Assess
    expect(verifier.hashChecks()).toBe(1);
    expect(users.reads - readsBefore).toBe(5);
  });

  it('hashes again for a wrong password every time (failures are never remembered)', async () => {
    // Prepare
    const event = await withHeader(basicHeader('alice', 'guess'));

    // Act
    for (let i = 0; i < 3; i += 1) await authorize(event).catch(() => undefined);

    // Assess
    expect(verifier.hashChecks()).toBe(3);
  });

  it('fails with a server error, not a 401, on a method ARN it cannot read', async () => {
    // Prepare
    const event = { ...(await authorizerEvent('bearer')), methodArn: 'not-an-arn' };

    // Act & Assess
    await expect(authorize(event)).rejects.toThrow(/method ARN/);
  });
});

describe('authorizer helpers', () => {
  it('keeps the partition, region, account, API and stage of the method ARN', () => {
    // Act & Assess
    expect(stageWideArn('arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/dev/DELETE/api/2.0/mlflow/runs/delete')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/dev/*/*',
    );
  });

  it('splits Basic credentials at the first colon, as RFC 7617 does', () => {
    // Act & Assess
    expect(readCredentials(basicHeader('alice', 'a:b'))).toEqual({ scheme: 'basic', username: 'alice', password: 'a:b' });
    expect(readCredentials('  Bearer   tok  ')).toEqual({ scheme: 'bearer', token: 'tok' });
  });
});
