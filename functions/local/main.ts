import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startLocalServer } from './server.js';

// `npm start`: flags win over CAIRN_* variables, which win over the defaults.
const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage: npm start -- [--host 127.0.0.1] [--port 5000] [--data-dir ./.cairn]
Environment: CAIRN_HOST, CAIRN_PORT, CAIRN_DATA_DIR`);
  process.exit(0);
}

const host = values.host ?? process.env.CAIRN_HOST ?? '127.0.0.1';
const port = Number(values.port ?? process.env.CAIRN_PORT ?? 5000);
const dataDir = resolve(values['data-dir'] ?? process.env.CAIRN_DATA_DIR ?? '.cairn');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`cairn: invalid port ${String(values.port ?? process.env.CAIRN_PORT)}`);
  process.exit(2);
}

const server = await startLocalServer({ host, port, dataDir }).catch((error: unknown) => {
  console.error(`cairn: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`Cairn is serving MLflow's tracking API (metadata: ${server.engine?.kind ?? 'external'} in ${dataDir}).`);
console.log(`Track to it with:\n  export MLFLOW_TRACKING_URI=${server.url}`);
console.log(`Open the web UI at ${server.url}/ (the links the MLflow client prints land there).`);

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
