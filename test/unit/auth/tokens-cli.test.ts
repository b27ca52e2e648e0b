import { describe, expect, it } from 'vitest';
import { runTokensCommand } from '../../../functions/tokens/commands.js';
import { createTokenService } from '../../../shared/domain/auth/tokens.js';
import { memoryTokenStore, memoryUserStore } from '../../support/fakes/auth.js';
import { addUser } from '../../support/fakes/users.js';

const run = async (args: string[], tokens = createTokenService(memoryTokenStore(), { now: () => Date.UTC(2026, 0, 5, 10, 15) })) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokensCommand(args, () => tokens, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, tokens };
};

describe('npm run tokens', () => {
  it('create prints the token alone on stdout, and how to use it on stderr', async () => {
    // Act
    const { code, out, err } = await run(['create', 'alice']);

    // Assess
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^cairn_[0-9a-f]{16}_/);
    expect(err.join('\n')).toContain('MLFLOW_TRACKING_USERNAME=alice MLFLOW_TRACKING_PASSWORD=<token>');
  });

  it('create refuses a name no user holds (the token would act as nobody), and creates nothing', async () => {
    // Prepare
    const users = memoryUserStore();
    await addUser(users, 'alice', 'alice-pass-2718');
    const tokens = createTokenService(memoryTokenStore());
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

    // Act
    const refused = await runTokensCommand(['create', 'mallory'], () => tokens, io, () => users);
    const created = await runTokensCommand(['create', 'alice'], () => tokens, io, () => users);

    // Assess
    expect(refused).toBe(1);
    expect(err[0]).toBe("error: No user 'mallory': a token acts as the user of its name. Create the user first (users/create).");
    expect(created).toBe(0);
    expect((await tokens.listTokens()).map((token) => token.name)).toEqual(['alice']);
  });

  it('revoke says the token is refused from the next request on', async () => {
    // Prepare
    const { tokens } = await run(['create', 'alice']);
    const [token] = await tokens.listTokens();

    // Act
    const { code, out, err } = await run(['revoke', token!.tokenId], tokens);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([`Revoked token ${token!.tokenId} ('alice').`]);
    expect(err).toEqual(['Requests with it are refused from the next one on.']);
  });

  it('list shows id, name, times and revocation, never a secret', async () => {
    // Prepare
    const { tokens, out: created } = await run(['create', 'alice']);
    const { info } = await tokens.createToken('ci');
    await run(['revoke', info.tokenId], tokens);

    // Act
    const { code, out } = await run(['list'], tokens);

    // Assess
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^TOKEN ID\s+NAME\s+CREATED\s+LAST USED\s+REVOKED$/);
    expect(out.slice(1).join('\n')).toContain('2026-01-05T10:15:00Z');
    expect(out.find((l) => l.startsWith(info.tokenId))).toMatch(/ci\s+2026-01-05T10:15:00Z\s+-\s+2026-01-05T10:15:00Z$/);
    expect(out.join('\n')).not.toContain(created[0]!.slice(24));
  });

  it('revoke of an unknown id fails with exit code 1 and a one-line message', async () => {
    // Act
    const { code, err } = await run(['revoke', '0000000000000000']);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual(["error: Token with ID '0000000000000000' not found."]);
  });

  it.each([[[]], [['create']], [['revoke']], [['list', 'extra']], [['create', 'a', 'b']], [['rotate', 'x']]])(
    'prints usage with exit code 2 for %j',
    async (args) => {
      // Act
      const { code, err } = await run(args);

      // Assess
      expect(code).toBe(2);
      expect(err.join('\n')).toContain('Usage: npm run -s tokens');
    },
  );

  it('reports a missing setting without a stack trace', async () => {
    // Act
    const err: string[] = [];
    const code = await runTokensCommand(['list'], () => { throw new Error('invalid setting CAIRN_TABLE_NAME: Required'); }, {
      out: () => undefined,
      err: (l) => err.push(l),
    });

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual(['error: Error: invalid setting CAIRN_TABLE_NAME: Required']);
  });
});
