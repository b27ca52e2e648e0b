/**
 * `BENCH_SERVER=process`: runs `startLocalServer` in a child of the benchmark and stops it when told. Also
 * records a V8 CPU profile of itself between `cpu-profile-start` and `cpu-profile-stop` messages (see
 * profile-log-metric.ts), so a profile holds the measured calls only.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
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

let profiler: Session | undefined;
const profile = async (message: { type?: string; file?: string }) => {
  if (message.type === 'cpu-profile-start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    process.send?.({ type: 'cpu-profile-started' });
  }
  if (message.type === 'cpu-profile-stop' && profiler && message.file) {
    const { profile: recorded } = await profiler.post('Profiler.stop');
    await writeFile(message.file, JSON.stringify(recorded));
    profiler.disconnect();
    profiler = undefined;
    process.send?.({ type: 'cpu-profile-written' });
  }
};

process.on('message', (message: { type?: string; file?: string }) => {
  if (message.type === 'stop') {
    void server.stop().finally(() => process.exit(0));
    return;
  }
  void profile(message);
});
process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
