import { loadSettings } from '../../shared/config/env.js';
import { createTokensFromEnv } from '../../shared/config/tokens.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createUserRepository } from '../../shared/data/users/repository.js';
import { runTokensCommand } from './commands.js';

const usersFromEnv = () => {
  const settings = loadSettings(process.env);
  return createUserRepository({ client: createDynamoClient({ endpoint: settings.dynamoEndpoint }), tableName: settings.tableName });
};

// `npm run tokens -- create <name> | list | revoke <id>`. The service is built only for a command, so the
// usage text shows even without CAIRN_TABLE_NAME.
process.exitCode = await runTokensCommand(
  process.argv.slice(2),
  () => createTokensFromEnv(process.env),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  usersFromEnv,
);
