import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer, stageWideArn } from '../../../functions/authorizer/authorizer.js';
import { readCredentials, type Refusal } from '../../../shared/domain/auth/authorizer.js';
import { hashSecret } from '../../../shared/domain/auth/token-secrets.js';
import { createTokenService, type TokenService } from '../../../shared/domain/auth/tokens.js';
import { authorizerEvent, basicHeader, FIXTURE_TOKEN, memoryTokenStore, withAuthorization } from '../../support/fakes/auth.js';

const STAGE_WIDE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*';

describe('the Lambda REQUEST authorizer', () => {
  let tokens: TokenService;
  let refusals: Refusal[];
  let authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;

  beforeAll(async () => {
    // Prepare: the token the fixtures carry, as the store would hold it
    const store = memoryTokenStore();
    await store.create({
      tokenId: FIXTURE_TOKEN.tokenId,
      name: FIXTURE_TOKEN.name,
      createdAt: 1,
      secretHash: await hashSecret(FIXTURE_TOKEN.secret),
    });
    tokens = createTokenService(store);
    refusals = [];
    authorize = createAuthorizer(tokens, { onRefused: (refusal) => refusals.push(refusal) });
  });

  it.each(['bearer', 'basic', 'root'] as const)(
    'allows every method and path of the stage for a valid token (%s fixture)',
    async (fixture) => {
      // Act
      const result = await authorize(await authorizerEvent(fixture));

      // Assess
      expect(result).toEqual({
        principalId: 'alice',
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: STAGE_WIDE }] },
        context: { tokenId: FIXTURE_TOKEN.tokenId, user: 'alice' },
      });
    },
  );

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
    ['a malformed Bearer token', 'Bearer abc', 'malformed'],
    ['an unknown token', `Bearer cairn_fedcba9876543210_${'A'.repeat(43)}`, 'unknown'],
    ['a wrong secret', `Bearer ${FIXTURE_TOKEN.token.slice(0, -1)}x`, 'wrong-secret'],
    ['Basic with another username', basicHeader('mallory', FIXTURE_TOKEN.token), 'wrong-username'],
    ['Basic with a password that is not a token', basicHeader('alice', 'hunter2'), 'malformed'],
  ])('answers Unauthorized (401) for %s', async (_case, header, reason) => {
    // Prepare
    const event = withAuthorization(await authorizerEvent('bearer'), header);
    refusals.length = 0;

    // Act & Assess
    await expect(authorize(event)).rejects.toThrow(/^Unauthorized$/);
    expect(refusals).toEqual([expect.objectContaining({ reason })]);
    expect(JSON.stringify(refusals)).not.toContain(FIXTURE_TOKEN.secret);
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
