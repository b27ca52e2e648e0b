import { createTokensFromEnv } from '../../shared/config/tokens.js';
import { runTokensCommand } from './commands.js';

// `npm run tokens -- create <name> | list | revoke <id>`. The service is built only for a command, so the
// usage text shows even without CAIRN_TABLE_NAME.
process.exitCode = await runTokensCommand(process.argv.slice(2), () => createTokensFromEnv(process.env), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
