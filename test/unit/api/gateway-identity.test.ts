import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatewayAuthenticator, type GatewayRefusal } from '../../../functions/api/gateway-identity.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { PrincipalMapping, User } from '../../../shared/domain/auth/entities.js';
import type { PrincipalStore } from '../../../shared/domain/auth/ports.js';
import { hashSecret } from '../../../shared/domain/auth/token-secrets.js';
import { FIXTURE_TOKEN, fixtureEvent, memoryTokenStore } from '../../support/fakes/auth.js';
import { addUser, memoryUserStore } from '../../support/fakes/users.js';

/** The role and session test/fixtures/events/apigw-v1-iam-*.json were signed by. */
const ROLE_ID = 'AROAEXAMPLEROLEID1234';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ml-engineer';

const memoryPrincipalStore = (): PrincipalStore => {
  const items = new Map<string, PrincipalMapping>();
  return {
    get: async (principalId) => items.get(principalId),
    put: async (mapping) => void items.set(mapping.principalId, mapping),
    delete: async (principalId) => items.delete(principalId),
    list: async () => [...items.values()],
  };
};

type Event = { requestContext: Record<string, unknown> } & Record<string, unknown>;

describe('the caller of a request that came through API Gateway', () => {
  let users: ReturnType<typeof memoryUserStore>;
  let tokens: ReturnType<typeof memoryTokenStore>;
  let principals: PrincipalStore;
  let alice: User;
  let refusals: GatewayRefusal[];
  let serve: ReturnType<typeof handle>;

  /** What the app sees of the caller, run through hono/aws-lambda as the API's Lambda runs it. */
  const callerOf = async (event: Event): Promise<Caller | null> => {
    const result = (await serve(event as never)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    return JSON.parse(result.body) as Caller | null;
  };
  const authorized = async (context: Record<string, unknown>): Promise<Event> => {
    const event = await fixtureEvent<Event>('apigw-v1-authorized-get-experiment-by-name');
    return { ...event, requestContext: { ...event.requestContext, authorizer: { ...(event.requestContext.authorizer as object), ...context } } };
  };
  const signed = async (identity: Record<string, unknown> = {}): Promise<Event> => {
    const event = await fixtureEvent<Event>('apigw-v1-iam-get-experiment-by-name');
    return { ...event, requestContext: { ...event.requestContext, identity: { ...(event.requestContext.identity as object), ...identity } } };
  };
  const asUser = (user: User, principal: string) => ({ kind: 'user', user: JSON.parse(JSON.stringify(user)), principal });

  beforeEach(async () => {
    // Prepare: alice (user 1, created at 100) holding the fixtures' token (created at 200)
    users = memoryUserStore();
    alice = await addUser(users, 'alice', 'alice-pass', { createdAt: 100 });
    tokens = memoryTokenStore();
    await tokens.create({ tokenId: FIXTURE_TOKEN.tokenId, name: 'alice', createdAt: 200, secretHash: await hashSecret(FIXTURE_TOKEN.secret) });
    principals = memoryPrincipalStore();
    refusals = [];
    const authenticate = gatewayAuthenticator({ users, principals }, tokens, { onRefused: ({ reason }) => refusals.push(reason) });
    serve = handle(new Hono().all('*', async (c) => c.json((await authenticate(c)) ?? null)));
  });

  describe('on the token tree (requestContext.authorizer, values as strings)', () => {
    it('is the user of a live token, named by the token', async () => {
      // Act
      const caller = await callerOf(await fixtureEvent<Event>('apigw-v1-authorized-get-experiment-by-name'));

      // Assess
      expect(caller).toEqual(asUser(alice, `token:${FIXTURE_TOKEN.tokenId}`));
    });

    it("is the user of a password still at the authorizer's version (numbers as numbers too)", async () => {
      // Act
      const caller = await callerOf(await authorized({ userId: 1, credential: 'password:1' }));

      // Assess
      expect(caller).toEqual(asUser(alice, 'basic:alice'));
      expect(refusals).toEqual([]);
    });

    it('reads the user and token again on every request (the authorizer answer is cached by API Gateway)', async () => {
      // Prepare
      const event = await fixtureEvent<Event>('apigw-v1-authorized-get-experiment-by-name');
      const before = users.reads;

      // Act
      await callerOf(event);
      await callerOf(event);

      // Assess
      expect(users.reads - before).toBe(2);
    });

    it.each<[string, (event: Event) => Promise<unknown>, Record<string, unknown>, GatewayRefusal]>([
      ['the user was deleted', () => users.delete('alice'), { credential: 'password:1' }, 'user-missing'],
      [
        'the name now belongs to a new user',
        async () => {
          await users.delete('alice');
          await addUser(users, 'alice', 'alice-pass', { createdAt: 300 });
        },
        { credential: 'password:1' },
        'user-replaced',
      ],
      ['the password changed since', async () => users.setPassword('alice', await hashSecret('new-pass')), { credential: 'password:1' }, 'password-changed'],
      ['the token was revoked', () => tokens.revoke(FIXTURE_TOKEN.tokenId, 300), {}, 'token-revoked'],
      ['the token does not exist', async () => undefined, { credential: 'token:fedcba9876543210' }, 'token-revoked'],
      [
        "the token is another user's",
        async () => {
          await addUser(users, 'bob', 'bob-pass', { createdAt: 100 });
          await tokens.create({ tokenId: 'fedcba9876543210', name: 'bob', createdAt: 200, secretHash: await hashSecret('x') });
        },
        { credential: 'token:fedcba9876543210' },
        'token-not-the-users',
      ],
    ])('is nobody once %s', async (_case, change, context, reason) => {
      // Prepare
      const event = await authorized(context);
      await change(event);

      // Act
      const caller = await callerOf(event);

      // Assess
      expect(caller).toBeNull();
      expect(refusals).toEqual([reason]);
    });

    it('is nobody for a token made for an earlier holder of the name, even with a fresh authorizer answer', async () => {
      // Prepare: alice deleted and made again (user 2, created at 300); the old token names her still
      await users.delete('alice');
      await addUser(users, 'alice', 'alice-pass', { createdAt: 300 });

      // Act
      const caller = await callerOf(await authorized({ userId: '2' }));

      // Assess
      expect(caller).toBeNull();
      expect(refusals).toEqual(['token-not-the-users']);
    });

    it.each([
      ['no credential', { credential: undefined }],
      ['an unknown credential kind', { credential: 'admin:1' }],
      ['a token id of another shape', { credential: 'token:XYZ' }],
      ['no user number', { userId: undefined }],
      ['a user number that is not one', { userId: '1; admin' }],
      ['an empty user', { user: '' }],
    ])('refuses a context with %s, whatever the request identity says', async (_case, context) => {
      // Prepare: a signer in identity too, which must not be read instead
      const event = await authorized(context);
      const withSigner = { ...event, requestContext: { ...event.requestContext, identity: (await signed()).requestContext.identity } };
      await principals.put({ principalId: ROLE_ID, arn: ROLE_ARN, userId: alice.userId, username: 'alice', createdAt: 1 });

      // Act
      const caller = await callerOf(withSigner);

      // Assess
      expect(caller).toBeNull();
      expect(refusals).toEqual(['malformed-authorizer-context']);
    });
  });

  describe('on the IAM tree (requestContext.identity)', () => {
    it('is the user the signing role is mapped to, whatever the session name', async () => {
      // Prepare
      await principals.put({ principalId: ROLE_ID, arn: ROLE_ARN, userId: alice.userId, username: 'alice', createdAt: 1 });

      // Act
      const caller = await callerOf(await signed({ user: `${ROLE_ID}:job-42`, userArn: 'arn:aws:sts::123456789012:assumed-role/ml-engineer/job-42' }));

      // Assess
      expect(caller).toEqual(asUser(alice, `iam:${ROLE_ID}`));
    });

    it('is the unmapped-principal caller for a role no admin mapped, named by its role ARN', async () => {
      // Act
      const caller = await callerOf(await signed());

      // Assess
      expect(caller).toEqual({ kind: 'unmapped-principal', principal: `iam:${ROLE_ID}`, arn: ROLE_ARN });
    });

    it('is the unmapped-principal caller when the mapped user was deleted', async () => {
      // Prepare
      await principals.put({ principalId: ROLE_ID, arn: ROLE_ARN, userId: alice.userId, username: 'alice', createdAt: 1 });
      await users.delete('alice');

      // Act
      const caller = await callerOf(await signed());

      // Assess
      expect(caller).toMatchObject({ kind: 'unmapped-principal' });
    });

    it('is nobody for a signer Cairn does not map (the account root)', async () => {
      // Act
      const caller = await callerOf(await signed({ user: '123456789012', userArn: 'arn:aws:iam::123456789012:root' }));

      // Assess
      expect(caller).toBeNull();
      expect(refusals).toEqual(['unsupported-signer']);
    });
  });

  it('is anonymous on an open method (no authorizer, no signer)', async () => {
    // Act
    const caller = await callerOf(await fixtureEvent<Event>('apigw-v1-get-experiment-by-name'));

    // Assess
    expect(caller).toBeNull();
    expect(refusals).toEqual([]);
  });

  it('is anonymous off Lambda (no event in the environment: local mode authenticates itself)', async () => {
    // Prepare
    const authenticate = gatewayAuthenticator({ users, principals }, tokens);
    const app = new Hono().all('*', async (c) => c.json((await authenticate(c)) ?? null));

    // Act
    const response = await app.request('/api/2.0/mlflow/experiments/search', { headers: { authorization: `Bearer ${FIXTURE_TOKEN.token}` } });

    // Assess
    expect(await response.json()).toBeNull();
  });
});
