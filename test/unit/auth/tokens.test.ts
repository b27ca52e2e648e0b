import { describe, expect, it } from 'vitest';
import { MlflowError } from '../../../shared/errors/index.js';
import { hashSecret, parseToken, verifySecret } from '../../../shared/domain/auth/token-secrets.js';
import { createTokenService } from '../../../shared/domain/auth/tokens.js';
import { memoryTokenStore } from '../../support/fakes/auth.js';

const service = (now = () => 1_767_600_000_000) => {
  const store = memoryTokenStore();
  return { store, tokens: createTokenService(store, { now, logError: () => undefined }) };
};

describe('API tokens', () => {
  it('creates cairn_<id>_<secret> once, and stores only a salted scrypt hash of the secret', async () => {
    // Prepare
    const { store, tokens } = service();

    // Act
    const { token, info } = await tokens.createToken('alice');

    // Assess
    const parsed = parseToken(token);
    expect(token).toMatch(/^cairn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parsed?.tokenId).toBe(info.tokenId);
    const stored = store.items.get(info.tokenId);
    expect(stored).toMatchObject({ name: 'alice', createdAt: 1_767_600_000_000, secretHash: { kdf: 'scrypt', N: 16384 } });
    expect(JSON.stringify(stored)).not.toContain(parsed?.secret);
    expect(await tokens.listTokens()).toEqual([{ tokenId: info.tokenId, name: 'alice', createdAt: 1_767_600_000_000 }]);
  });

  it('salts each hash, so one secret hashes differently twice', async () => {
    // Act
    const [a, b] = await Promise.all([hashSecret('same-secret'), hashSecret('same-secret')]);

    // Assess
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifySecret('same-secret', a)).toBe(true);
    expect(await verifySecret('other-secret', a)).toBe(false);
  });

  it('accepts the token as Bearer, and as Basic with the name as username', async () => {
    // Prepare
    const { tokens } = service();
    const { token, info } = await tokens.createToken('ci-nightly');

    // Act & Assess
    expect(await tokens.verifyBearer(token)).toEqual({ ok: true, tokenId: info.tokenId, name: 'ci-nightly', createdAt: info.createdAt });
    expect(await tokens.verifyBasic('ci-nightly', token)).toEqual({ ok: true, tokenId: info.tokenId, name: 'ci-nightly', createdAt: info.createdAt });
  });

  it.each([
    ['not a token', 'malformed'],
    ['cairn_0123456789abcdef_short', 'malformed'],
    [`cairn_0123456789abcdef_${'A'.repeat(43)}`, 'unknown'],
  ])('refuses %s (%s)', async (token, reason) => {
    // Prepare
    const { tokens } = service();

    // Act & Assess
    expect(await tokens.verifyBearer(token)).toMatchObject({ ok: false, reason });
  });

  it('refuses a wrong secret, a wrong Basic username and a revoked token', async () => {
    // Prepare
    const { tokens } = service();
    const { token, info } = await tokens.createToken('alice');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    // Act
    const wrongSecret = await tokens.verifyBearer(tampered);
    const wrongUser = await tokens.verifyBasic('bob', token);
    await tokens.revokeToken(info.tokenId);
    const revoked = await tokens.verifyBearer(token);

    // Assess
    expect(wrongSecret).toEqual({ ok: false, reason: 'wrong-secret', tokenId: info.tokenId });
    expect(wrongUser).toEqual({ ok: false, reason: 'wrong-username', tokenId: info.tokenId });
    expect(revoked).toEqual({ ok: false, reason: 'revoked', tokenId: info.tokenId });
  });

  it('keeps the first revocation time, drops the hash, and refuses unknown ids', async () => {
    // Prepare
    let now = 1_000;
    const { store, tokens } = service(() => now);
    const { info } = await tokens.createToken('alice');

    // Act
    now = 2_000;
    await tokens.revokeToken(info.tokenId);
    now = 3_000;
    const again = await tokens.revokeToken(info.tokenId);

    // Assess
    expect(again).toEqual({ tokenId: info.tokenId, name: 'alice', createdAt: 1_000, revokedAt: 2_000 });
    expect(store.items.get(info.tokenId)?.secretHash).toBeUndefined();
    await expect(tokens.revokeToken('ffffffffffffffff')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(tokens.revokeToken('../../x')).rejects.toBeInstanceOf(MlflowError);
  });

  it.each(['', 'has space', 'a:b', '-leading', 'x'.repeat(65)])('refuses the name %j', async (name) => {
    // Prepare
    const { tokens } = service();

    // Act & Assess
    await expect(tokens.createToken(name)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it('records lastUsedAt at most once a minute, and a failed write refuses nothing', async () => {
    // Prepare
    let now = 10_000_000;
    const store = memoryTokenStore();
    const tokens = createTokenService(store, { now: () => now, logError: () => undefined });
    const { token, info } = await tokens.createToken('alice');

    // Act
    await tokens.verifyBearer(token);
    now += 30_000;
    await tokens.verifyBearer(token);
    now += 40_000;
    await tokens.verifyBearer(token);
    store.touch = async () => {
      throw new Error('throttled');
    };
    now += 60_000;
    const despiteFailure = await tokens.verifyBearer(token);

    // Assess
    expect(store.touches).toBe(2);
    expect(store.items.get(info.tokenId)?.lastUsedAt).toBe(10_070_000);
    expect(despiteFailure.ok).toBe(true);
  });

  it('remembers a secret that held, yet a revocation refuses the very next request and a wrong secret is never remembered', async () => {
    // Prepare
    const { tokens } = service();
    const { token, info } = await tokens.createToken('alice');
    const wrong = `${token.slice(0, -4)}AAAA`;

    // Act
    const first = await tokens.verifyBearer(token);
    const second = await tokens.verifyBearer(token);
    const forged = await tokens.verifyBearer(wrong);
    await tokens.revokeToken(info.tokenId);
    const afterRevocation = await tokens.verifyBearer(token);

    // Assess
    expect(first).toMatchObject({ ok: true, name: 'alice' });
    expect(second).toMatchObject({ ok: true, name: 'alice' });
    expect(forged).toMatchObject({ ok: false, reason: 'wrong-secret' });
    expect(afterRevocation).toMatchObject({ ok: false, reason: 'revoked' });
  });
});
