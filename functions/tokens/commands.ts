import { MlflowError } from '../../shared/errors/index.js';
import type { UserStore } from '../../shared/domain/auth/ports.js';
import type { ApiToken, TokenService } from '../../shared/domain/auth/tokens.js';

export interface Io {
  /** Results: the new token alone on `create`, so `$(npm run -s tokens -- create ci)` captures just it. */
  out(line: string): void;
  /** Explanations and errors. */
  err(line: string): void;
}

export const USAGE = `Usage: npm run -s tokens -- <command>

  create <name>   create a token for user <name>; prints it once (it is stored only as a hash)
  list            list tokens: id, name, created, last used, revoked
  revoke <id>     revoke a token

Reads CAIRN_TABLE_NAME (and CAIRN_DYNAMODB_ENDPOINT for a local engine); against AWS it uses the default
credential chain (AWS_PROFILE, AWS_REGION, ...).`;

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

const table = (tokens: ApiToken[]): string[] => {
  const rows = [
    ['TOKEN ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [t.tokenId, t.name, iso(t.createdAt), iso(t.lastUsedAt), iso(t.revokedAt)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
};

const describe = (error: unknown): string => {
  if (error instanceof MlflowError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
};

/**
 * Runs one command of `npm run tokens`; answers the exit code (0 done, 1 refused, 2 usage). A token acts as the
 * user of its name, so with `users` given, `create` refuses a name no user holds (the token would be refused).
 */
export const runTokensCommand = async (
  args: string[],
  tokens: () => TokenService,
  io: Io,
  users?: () => Pick<UserStore, 'get'>,
): Promise<number> => {
  const [command, argument, ...extra] = args;
  const needsArgument = command === 'create' || command === 'revoke';
  if (!command || !['create', 'list', 'revoke'].includes(command) || (needsArgument ? !argument || extra.length > 0 : argument !== undefined)) {
    io.err(USAGE);
    return command === 'help' || command === '--help' || command === '-h' ? 0 : 2;
  }
  try {
    if (command === 'create') {
      if (users && !(await users().get(argument!))) {
        io.err(`error: No user '${argument}': a token acts as the user of its name. Create the user first (users/create).`);
        return 1;
      }
      const { token, info } = await tokens().createToken(argument!);
      io.out(token);
      io.err(`Created token ${info.tokenId} for '${info.name}'. Keep it now: it cannot be shown again. Use it as`);
      io.err(`  MLFLOW_TRACKING_TOKEN=<token>`);
      io.err(`  or MLFLOW_TRACKING_USERNAME=${info.name} MLFLOW_TRACKING_PASSWORD=<token>`);
    } else if (command === 'list') {
      const all = await tokens().listTokens();
      if (all.length === 0) io.err('No tokens.');
      else table(all).forEach((line) => io.out(line));
    } else {
      const revoked = await tokens().revokeToken(argument!);
      io.out(`Revoked token ${revoked.tokenId} ('${revoked.name}').`);
      // The API re-reads the token on every request, whatever API Gateway's authorizer cache still holds.
      io.err('Requests with it are refused from the next one on.');
    }
    return 0;
  } catch (error) {
    // A refusal (bad name, unknown id), a missing setting or missing AWS credentials: one line, not a stack.
    io.err(`error: ${describe(error)}`);
    return 1;
  }
};
