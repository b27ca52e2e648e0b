import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the UI when `ui/dist` is missing or older than its sources, so `npm install && npm start` serves
 * the UI on a fresh clone and a pull that changes the UI is picked up, while a fresh build costs only a
 * walk over file times.
 */
const UI = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'];

const newestTime = (path: string): number => {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestTime(join(path, name)));
  return newest;
};

export const uiBuildIsStale = (): boolean => {
  const built = newestTime(join(UI, 'dist', 'index.html'));
  if (built === 0) return true;
  return SOURCES.some((source) => newestTime(join(UI, source)) > built);
};

export const ensureUiBuilt = (options: { failHard?: boolean } = {}): boolean => {
  if (!uiBuildIsStale()) return true;
  console.log('cairn: building the web UI (ui/dist is missing or older than ui/src)…');
  const vite = join(UI, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(UI, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (result.status === 0) return true;
  const message = 'cairn: the web UI could not be built; the API still works (run `npm run build:ui` to see why)';
  if (options.failHard) throw new Error(message);
  console.error(message);
  return false;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureUiBuilt();
