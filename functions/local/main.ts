import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startLocalServer, type LocalServerOptions } from './server.js';
import { loadAuthSettings } from '../../shared/config/auth-settings.js';

// `npm start`: flags win over CAIRN_* variables, which win over the defaults.
const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    auth: { type: 'boolean' },
    'default-permission': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage: npm start -- [--host 127.0.0.1] [--port 5000] [--data-dir ./.cairn] [--auth [--default-permission NO_PERMISSIONS]]
  --auth                 users, permissions and the audit log (MLflow's basic-auth API); off by default
  --default-permission   READ, EDIT, MANAGE or NO_PERMISSIONS: a user's permission where no grant says otherwise
Environment: CAIRN_HOST, CAIRN_PORT, CAIRN_DATA_DIR, CAIRN_AUTH=true, CAIRN_DEFAULT_PERMISSION,
  CAIRN_ADMIN_USERNAME (default admin), CAIRN_ADMIN_PASSWORD (generated and printed once when not set)`);
  process.exit(0);
}

const host = values.host ?? process.env.CAIRN_HOST ?? '127.0.0.1';
const port = Number(values.port ?? process.env.CAIRN_PORT ?? 5000);
const dataDir = resolve(values['data-dir'] ?? process.env.CAIRN_DATA_DIR ?? '.cairn');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`cairn: invalid port ${String(values.port ?? process.env.CAIRN_PORT)}`);
  process.exit(2);
}

const authOn = values.auth ?? ['1', 'true', 'yes'].includes((process.env.CAIRN_AUTH ?? '').toLowerCase());
let auth: LocalServerOptions['auth'];
if (authOn) {
  try {
    const settings = loadAuthSettings({ ...process.env, ...(values['default-permission'] ? { CAIRN_DEFAULT_PERMISSION: values['default-permission'] } : {}) });
    auth = {
      defaultPermission: settings.defaultPermission,
      auditRetentionDays: settings.auditRetentionDays,
      ...(process.env.CAIRN_ADMIN_USERNAME ? { adminUsername: process.env.CAIRN_ADMIN_USERNAME } : {}),
      ...(process.env.CAIRN_ADMIN_PASSWORD ? { adminPassword: process.env.CAIRN_ADMIN_PASSWORD } : {}),
    };
  } catch (error) {
    console.error(`cairn: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

const server = await startLocalServer({ host, port, dataDir, ...(auth ? { auth } : {}) }).catch((error: unknown) => {
  console.error(`cairn: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`Cairn is serving MLflow's tracking API (metadata: ${server.engine?.kind ?? 'external'} in ${dataDir}).`);
console.log(`Track to it with:\n  export MLFLOW_TRACKING_URI=${server.url}`);
console.log(`Open the web UI at ${server.url}/ (the links the MLflow client prints land there).`);
if (server.admin) {
  console.log(`Authorization is on (default permission ${auth?.defaultPermission}); the first admin is '${server.admin.username}'.`);
  if (server.admin.generatedPassword) {
    console.log(`Its password, generated now and shown only this once:\n  ${server.admin.generatedPassword}`);
    console.log(`Sign in with:\n  export MLFLOW_TRACKING_USERNAME=${server.admin.username} MLFLOW_TRACKING_PASSWORD=<the password>`);
  }
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\ncairn: ${signal}, stopping`);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
