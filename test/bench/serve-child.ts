/** `BENCH_SERVER=process`: runs `startLocalServer` in a child of the benchmark and stops it when told. */
import { startLocalServer } from '../../functions/local/server.js';
import type { ChildReady } from './server.js';

const dataDir = process.argv[2];
if (!dataDir || !process.send) {
  console.error('serve-child: run by test/bench/server.ts with a data folder');
  process.exit(2);
}

const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
const ready: ChildReady = { type: 'ready', url: server.url, engineKind: server.engine?.kind ?? 'external' };
process.send(ready);
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  void server.stop().finally(() => process.exit(0));
});
process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
