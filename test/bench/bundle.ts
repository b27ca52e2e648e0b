import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { ENV } from '../../shared/config/env.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { fmt, infoRow, log, stopwatch, type WorkloadResult } from './report.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const COLD_STARTS = 5;

/**
 * (g) The API Lambda as deployed: bundled with esbuild the way the stack bundles it (ESM, minified, Node
 * 22, AWS SDK included), its size and gzipped size (about the zip Lambda stores), and its cold import time:
 * a fresh Node process loading the bundle and building the app, which reads the table once (the default
 * experiment check) against a local engine.
 */
export const lambdaBundle = async (): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bundle-'));
  const engine = await startDynamoEngine({ kind: 'auto' });
  try {
    log('(g) bundling functions/api/handler.ts with esbuild');
    const outfile = join(dir, 'index.mjs');
    await build({
      entryPoints: [join(ROOT, 'functions/api/handler.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      outfile,
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: 'silent',
    });
    const size = (await stat(outfile)).size;
    const gzipped = gzipSync(await readFile(outfile)).length;
    const tableName = 'cairn-bundle';
    await ensureTable({ client: createDynamoClient({ endpoint: engine.endpoint }), tableName });
    const probe = join(dir, 'probe.mjs');
    await writeFile(
      probe,
      `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`,
    );
    const times: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const { stdout } = await run(process.execPath, [probe], {
        env: { ...process.env, [ENV.tableName]: tableName, [ENV.dynamoEndpoint]: engine.endpoint, AWS_REGION: 'us-east-1' },
      });
      times.push(Number(stdout.trim().split('\n').pop()));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    return {
      name: '(g) Lambda bundle',
      rows: [
        infoRow('(g) API Lambda bundle (esbuild, minified)', 'KiB', fmt(size / 1024)),
        infoRow('(g) API Lambda bundle, gzipped', 'KiB', fmt(gzipped / 1024)),
        infoRow('(g) API Lambda cold import + app init', 'ms (median)', fmt(median)),
      ],
      details: [`(g) cold imports: ${times.map((t) => fmt(t)).join(', ')} ms (fresh node process each, init reads the table once)`],
      phaseMs: phase(),
    };
  } finally {
    await engine.stop();
    await rm(dir, { recursive: true, force: true });
  }
};
