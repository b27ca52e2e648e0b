import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { User } from '../../../shared/domain/auth/entities.js';
import {
  createPrincipalMapping,
  deletePrincipalMapping,
  listPrincipalMappings,
  parseIamIdentity,
  principalOf,
  resolvePrincipal,
  type IamIdentity,
} from '../../../shared/domain/auth/principals.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { memoryAuditLog, memoryPrincipalStore, memoryUserStore } from '../../support/fakes/auth.js';

const ACCOUNT = '123456789012';
const ROLE_ID = 'AROAEXAMPLEROLE123456';
const USER_ID = 'AIDAEXAMPLEUSER123456';
const NOW = 1_767_600_000_000;

const assumed = (session: string, role = 'trainer', id = ROLE_ID): IamIdentity => ({
  user: `${id}:${session}`,
  userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
  accountId: ACCOUNT,
});

const user = (username: string, userId: number): User => ({
  userId,
  username,
  isAdmin: false,
  passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: 's', hash: 'h' },
  credentialVersion: 1,
  createdAt: NOW,
  grants: new Map(),
  groupIds: [],
});

const errorOf = async (promise: Promise<unknown>): Promise<MlflowError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof MlflowError)) throw new Error(`expected an MlflowError, got ${String(error)}`);
  return error;
};

describe('reading a SigV4 identity (API Gateway REST requestContext.identity)', () => {
  it('folds an assumed role to its role ARN, keyed by the role id, whatever the session', () => {
    // Act
    const first = principalOf(assumed('job-42'));
    const second = principalOf(assumed('botocore-session-1767600000'));

    // Assess
    expect(first).toEqual({ principalId: ROLE_ID, arn: `arn:aws:iam::${ACCOUNT}:role/trainer` });
    expect(second).toEqual(first);
  });

  it('keeps an IAM user as it is, path included', () => {
    // Act
    const parsed = principalOf({ user: USER_ID, userArn: `arn:aws:iam::${ACCOUNT}:user/ci/deployer`, accountId: ACCOUNT });

    // Assess
    expect(parsed).toEqual({ principalId: USER_ID, arn: `arn:aws:iam::${ACCOUNT}:user/ci/deployer` });
  });

  it('reads other partitions (aws-cn, aws-us-gov)', () => {
    // Act
    const china = principalOf({ user: `${ROLE_ID}:s1`, userArn: `arn:aws-cn:sts::${ACCOUNT}:assumed-role/trainer/s1` });
    const govCloud = principalOf({ user: USER_ID, userArn: `arn:aws-us-gov:iam::${ACCOUNT}:user/bob` });

    // Assess
    expect(china?.arn).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/trainer`);
    expect(govCloud?.arn).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:user/bob`);
  });

  it('takes the unique id up to the first colon, so a session name holding colons changes nothing', () => {
    // Act
    const parsed = principalOf(assumed('a:b:AROAOTHERROLE0000000'));

    // Assess
    expect(parsed).toEqual({ principalId: ROLE_ID, arn: `arn:aws:iam::${ACCOUNT}:role/trainer` });
  });

  it('takes the role as the first segment, so a session name holding slashes cannot pass for another role', () => {
    // Act
    const parsed = principalOf(assumed('admin/../admin-role'));

    // Assess
    expect(parsed).toEqual({ principalId: ROLE_ID, arn: `arn:aws:iam::${ACCOUNT}:role/trainer` });
  });

  it('keys a role made again under the same name by its new id', () => {
    // Act
    const before = principalOf(assumed('s', 'trainer', ROLE_ID));
    const after = principalOf(assumed('s', 'trainer', 'AROANEWROLEID00000000'));

    // Assess
    expect(before?.arn).toBe(after?.arn);
    expect(before?.principalId).not.toBe(after?.principalId);
  });

  it('sees no SigV4 identity on a request without one', () => {
    // Act & Assess
    expect(parseIamIdentity(undefined)).toEqual({ kind: 'none' });
    expect(parseIamIdentity(null)).toEqual({ kind: 'none' });
    expect(parseIamIdentity({ user: null, userArn: null, accountId: null })).toEqual({ kind: 'none' });
    expect(parseIamIdentity({ user: '', userArn: '' })).toEqual({ kind: 'none' });
  });

  it.each([
    ['the account root', { user: ACCOUNT, userArn: `arn:aws:iam::${ACCOUNT}:root` }],
    ['a federated user', { user: `${ACCOUNT}:alice`, userArn: `arn:aws:sts::${ACCOUNT}:federated-user/alice` }],
    ['an ARN without its id', { user: null, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s` }],
    ['an id without its ARN', { user: `${ROLE_ID}:s`, userArn: null }],
    ['a user id with an assumed-role ARN', { user: `${USER_ID}:s`, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s` }],
    ['a role id with a user ARN', { user: ROLE_ID, userArn: `arn:aws:iam::${ACCOUNT}:user/bob` }],
    ['a user id with a session', { user: `${USER_ID}:s`, userArn: `arn:aws:iam::${ACCOUNT}:user/bob` }],
    ['an assumed role without a session in its id', { user: ROLE_ID, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s` }],
    ['sessions that disagree', { user: `${ROLE_ID}:other`, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s` }],
    ['an id in lower case', { user: `${ROLE_ID.toLowerCase()}:s`, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s` }],
    ['an account that disagrees', { ...assumed('s'), accountId: '210987654321' }],
    ['a role ARN where STS puts an assumed role', { user: `${ROLE_ID}:s`, userArn: `arn:aws:iam::${ACCOUNT}:role/trainer` }],
    ['an ARN of another service', { user: `${ROLE_ID}:s`, userArn: `arn:aws:s3:::bucket/assumed-role/trainer/s` }],
    ['a short account', { user: `${ROLE_ID}:s`, userArn: 'arn:aws:sts::1234:assumed-role/trainer/s' }],
    ['an ARN with a trailing line', { user: USER_ID, userArn: `arn:aws:iam::${ACCOUNT}:user/bob\nx` }],
  ])('refuses %s as unsupported, never as unsigned', (_, identity) => {
    // Act
    const parsed = parseIamIdentity(identity);

    // Assess
    expect(parsed.kind).toBe('unsupported');
    expect(principalOf(identity)).toBeUndefined();
  });
});

describe('resolving a principal to its user', () => {
  const setup = async () => {
    const users = memoryUserStore();
    const principals = memoryPrincipalStore();
    await users.create(user('trainer-bot', 7));
    const principal = { principalId: ROLE_ID, arn: `arn:aws:iam::${ACCOUNT}:role/trainer` };
    return { ports: { users, principals }, principal };
  };

  it('answers the mapped user, named as iam:<principal id>', async () => {
    // Prepare
    const { ports, principal } = await setup();
    await ports.principals.put({ ...principal, userId: 7, username: 'trainer-bot', createdAt: NOW });

    // Act
    const caller = await resolvePrincipal(ports, principal);

    // Assess
    expect(caller).toMatchObject({ kind: 'user', user: { userId: 7, username: 'trainer-bot' }, principal: `iam:${ROLE_ID}` });
  });

  it('answers unmapped for a principal without a mapping', async () => {
    // Prepare
    const { ports, principal } = await setup();

    // Act
    const caller = await resolvePrincipal(ports, principal);

    // Assess
    expect(caller).toEqual<Caller>({ kind: 'unmapped-principal', principal: `iam:${ROLE_ID}`, arn: principal.arn });
  });

  it('answers unmapped once the user is deleted, and still once a new user takes the name', async () => {
    // Prepare
    const { ports, principal } = await setup();
    await ports.principals.put({ ...principal, userId: 7, username: 'trainer-bot', createdAt: NOW });

    // Act
    await ports.users.delete('trainer-bot');
    const deleted = await resolvePrincipal(ports, principal);
    await ports.users.create(user('trainer-bot', 8));
    const recreated = await resolvePrincipal(ports, principal);

    // Assess
    expect(deleted.kind).toBe('unmapped-principal');
    expect(recreated.kind).toBe('unmapped-principal');
  });
});

describe('principal mapping use cases', () => {
  const admin: Caller = { kind: 'user', user: user('admin', 1), principal: 'basic:admin' };
  const request = { requestId: 'req-1', caller: admin };
  const setup = async () => {
    const users = memoryUserStore();
    await users.create(user('trainer-bot', 7));
    const ports = { users, principals: memoryPrincipalStore(), audit: memoryAuditLog(), now: () => NOW };
    return ports;
  };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/service-role/trainer`;

  it('maps a role id to a user, and records who did it', async () => {
    // Prepare
    const ports = await setup();

    // Act
    const mapping = await createPrincipalMapping(ports, { principalId: ROLE_ID, arn: roleArn, username: 'trainer-bot' }, request);

    // Assess
    expect(mapping).toEqual({ principalId: ROLE_ID, arn: roleArn, userId: 7, username: 'trainer-bot', createdAt: NOW });
    expect(await ports.principals.get(ROLE_ID)).toEqual(mapping);
    expect(ports.audit.entries).toEqual([
      {
        at: NOW,
        requestId: 'req-1',
        username: 'admin',
        principal: 'basic:admin',
        action: 'principals/create',
        resource: `principal:${ROLE_ID}`,
        decision: 'allowed',
        detail: `arn=${roleArn} user=trainer-bot`,
      },
    ]);
  });

  it('re-points a mapped principal to another user', async () => {
    // Prepare
    const ports = await setup();
    await ports.users.create(user('eval-bot', 9));
    await createPrincipalMapping(ports, { principalId: ROLE_ID, arn: roleArn, username: 'trainer-bot' }, request);

    // Act
    await createPrincipalMapping(ports, { principalId: ROLE_ID, arn: roleArn, username: 'eval-bot' }, request);

    // Assess
    expect(await ports.principals.list()).toEqual([expect.objectContaining({ principalId: ROLE_ID, userId: 9, username: 'eval-bot' })]);
  });

  it.each([
    ['a principal id that is not a role or user id', 'AKIAEXAMPLEKEY123456', roleArn, "Invalid principal_id 'AKIAEXAMPLEKEY123456'"],
    ['a principal id in lower case', ROLE_ID.toLowerCase(), roleArn, 'Invalid principal_id'],
    ['a role id with a user ARN', ROLE_ID, `arn:aws:iam::${ACCOUNT}:user/bob`, 'maps the role\'s own ARN'],
    ['a user id with a role ARN', USER_ID, roleArn, 'maps the user\'s own ARN'],
    ['an assumed-role session ARN', ROLE_ID, `arn:aws:sts::${ACCOUNT}:assumed-role/trainer/s`, 'not a session'],
    ['an ARN with a wildcard', ROLE_ID, `arn:aws:iam::${ACCOUNT}:role/*`, 'Invalid arn'],
  ])('refuses %s, storing nothing', async (_, principalId, arn, message) => {
    // Prepare
    const ports = await setup();

    // Act
    const error = await errorOf(createPrincipalMapping(ports, { principalId, arn, username: 'trainer-bot' }, request));

    // Assess
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain(message);
    expect(await ports.principals.list()).toEqual([]);
    expect(ports.audit.entries).toEqual([]);
  });

  it('refuses a user that does not exist with MLflow\'s message', async () => {
    // Prepare
    const ports = await setup();

    // Act
    const error = await errorOf(createPrincipalMapping(ports, { principalId: USER_ID, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, username: 'carol' }, request));

    // Assess
    expect(error.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(error.message).toBe('User with username=carol not found');
    expect(await ports.principals.list()).toEqual([]);
  });

  it('lists mappings with whether their user still exists as mapped', async () => {
    // Prepare
    const ports = await setup();
    await createPrincipalMapping(ports, { principalId: ROLE_ID, arn: roleArn, username: 'trainer-bot' }, request);
    await ports.users.create(user('bob', 9));
    await createPrincipalMapping(ports, { principalId: USER_ID, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, username: 'bob' }, request);
    await ports.users.delete('bob');
    await ports.users.create(user('bob', 10));

    // Act
    const listed = await listPrincipalMappings(ports);

    // Assess
    expect(listed.map(({ mapping, userExists }) => [mapping.principalId, mapping.username, userExists])).toEqual([
      [USER_ID, 'bob', false],
      [ROLE_ID, 'trainer-bot', true],
    ]);
  });

  it('deletes a mapping and records it; a missing one is RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const ports = await setup();
    await createPrincipalMapping(ports, { principalId: ROLE_ID, arn: roleArn, username: 'trainer-bot' }, request);

    // Act
    await deletePrincipalMapping(ports, ROLE_ID, { requestId: 'req-2', caller: admin });
    const again = await errorOf(deletePrincipalMapping(ports, ROLE_ID, { requestId: 'req-3', caller: admin }));

    // Assess
    expect(await ports.principals.get(ROLE_ID)).toBeUndefined();
    expect(again.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(again.message).toBe(`Principal mapping with principal_id=${ROLE_ID} not found`);
    expect(ports.audit.entries.map((e) => [e.requestId, e.action, e.detail])).toEqual([
      ['req-2', 'principals/delete', `arn=${roleArn} user=trainer-bot`],
      ['req-1', 'principals/create', `arn=${roleArn} user=trainer-bot`],
    ]);
  });
});
