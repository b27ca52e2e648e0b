/**
 * `npm run bench:auth`: what authorization costs (issue 13, items 4 and 8), in one process on an embedded engine
 * (the default one, as `npm start`), every app on the same table and the same tracking deps, so the data and
 * the caches are the same and only authorization differs. Requests go in process (`app.request`): no HTTP
 * around them to dilute the difference.
 *
 *   1. search_runs (the user's granted experiments) and search_experiments (all, filtered to the readable
 *      before paging) by a user holding BENCH_AUTH_GRANTS grants among BENCH_AUTH_EXPERIMENTS experiments,
 *      with authorization on (Basic credentials, remembered) vs off; warm, interleaved; p50/p95 and the ratio
 *      (target: at most 1.2x).
 *   2. Requests per second of an authenticated read (experiments/get) with the password verification memo,
 *      without it (scrypt on every request, as MLflow's #9684), and with authorization off.
 *
 * Figures only: it never fails on time (exit 1 only when an answer is wrong).
 */
import type { Hono } from 'hono';
import { headerAuthenticator } from '../../functions/api/authorization/authenticators.js';
import { createApi } from '../../functions/api/create-api.js';
import { createAuthorization } from '../../shared/config/authorization.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { createCredentialVerifier } from '../../shared/domain/auth/credentials.js';
import { loadAccess } from '../../shared/domain/auth/access.js';
import { hashSecret } from '../../shared/domain/auth/token-secrets.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { fmt, fmtMs, log, stopwatch, summarize } from './report.js';

const sizeFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
};

const SIZES = {
  experiments: sizeFrom('BENCH_AUTH_EXPERIMENTS', 300),
  grants: sizeFrom('BENCH_AUTH_GRANTS', 100),
  runsPerExperiment: sizeFrom('BENCH_AUTH_RUNS', 2),
  searches: sizeFrom('BENCH_AUTH_SEARCHES', 200),
  seconds: sizeFrom('BENCH_AUTH_SECONDS', 3),
};
if (process.argv.includes('--help')) {
  console.log('Usage: npm run bench:auth\nEnvironment: BENCH_AUTH_EXPERIMENTS (300), BENCH_AUTH_GRANTS (100), BENCH_AUTH_RUNS per granted experiment (2), BENCH_AUTH_SEARCHES (200), BENCH_AUTH_SECONDS per throughput figure (3)');
  process.exit(0);
}

const M = '/api/2.0/mlflow';
const USER = { username: 'bench-reader', password: 'bench-reader-password' };
const BASIC = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;

type App = Hono;

const send = async (app: App, authorization: string | undefined, method: string, path: string, body?: unknown) => {
  const response = await app.request(`http://cairn.bench${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as any;
};

const engine = await startDynamoEngine({ kind: 'auto' });
const client = createDynamoClient({ endpoint: engine.endpoint });
let failed = false;
try {
  const tableName = 'cairn-bench-auth';
  await ensureTable({ client, tableName });
  const deps = createTrackingDeps({ client, tableName });
  await ensureDefaultExperiment(deps);
  const authorization = createAuthorization({
    client,
    tableName,
    settings: { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 },
  });
  const { ports } = authorization;
  const scryptEveryTime = createCredentialVerifier(ports.users, authorization.tokens, { memoMs: 0 });
  const off = createApi(deps);
  const on = createApi(deps, { auth: { ports, authenticate: headerAuthenticator(authorization.verifier) } });
  const onWithoutMemo = createApi(deps, { auth: { ports, authenticate: headerAuthenticator(scryptEveryTime) } });

  // Data: every third experiment granted to the user (READ) until it holds SIZES.grants, runs in those.
  const seeding = stopwatch();
  const user = { userId: await ports.users.allocateId(), username: USER.username, isAdmin: false, passwordHash: await hashSecret(USER.password), credentialVersion: 1, createdAt: Date.now() };
  await ports.users.create(user);
  const granted: string[] = [];
  for (let i = 0; i < SIZES.experiments; i++) {
    const { experiment_id: id } = await send(off, undefined, 'POST', `${M}/experiments/create`, { name: `bench-auth-${String(i).padStart(4, '0')}` });
    if (i % 3 !== 0 || granted.length >= SIZES.grants) continue;
    granted.push(id);
    await ports.grants.put({ subject: { kind: 'user', id: user.userId }, resource: { kind: 'experiment', id }, permission: 'READ' }, 'create');
    for (let r = 0; r < SIZES.runsPerExperiment; r++) await send(off, undefined, 'POST', `${M}/runs/create`, { experiment_id: id, run_name: `run-${r}` });
  }
  log(`seeded ${SIZES.experiments} experiments, ${granted.length} granted to ${USER.username} with ${SIZES.runsPerExperiment} runs each, in ${fmt(seeding() / 1000, 1)} s (engine ${engine.kind})`);

  // 1. Searches, on vs off, interleaved after a warm-up.
  const searches: [string, string, string, Record<string, unknown>, (answer: any) => number][] = [
    ['search_runs', 'POST', `${M}/runs/search`, { experiment_ids: granted, max_results: 100 }, (a) => a.runs?.length ?? 0],
    ['search_experiments', 'POST', `${M}/experiments/search`, { max_results: 100 }, (a) => a.experiments?.length ?? 0],
  ];
  console.log('');
  console.log(`Searches by a user with ${granted.length} grants, authorization on (Basic, remembered) vs off, ${SIZES.searches} each, warm, interleaved`);
  for (const [name, method, path, body, count] of searches) {
    const onCount = count(await send(on, BASIC, method, path, body));
    const offCount = count(await send(off, undefined, method, path, body));
    if (onCount !== Math.min(100, name === 'search_runs' ? offCount : granted.length)) throw new Error(`${name}: ${onCount} answered with authorization on`);
    for (let i = 0; i < 20; i++) await Promise.all([send(on, BASIC, method, path, body), send(off, undefined, method, path, body)]);
    const times = { on: [] as number[], off: [] as number[] };
    for (let i = 0; i < SIZES.searches; i++) {
      for (const mode of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const clock = stopwatch();
        await (mode === 'on' ? send(on, BASIC, method, path, body) : send(off, undefined, method, path, body));
        times[mode].push(clock());
      }
    }
    const a = summarize(times.on);
    const b = summarize(times.off);
    console.log(
      `  ${name.padEnd(19)} on  p50 ${fmtMs(a.p50).padStart(9)}  p95 ${fmtMs(a.p95).padStart(9)}  (${onCount} answered)\n` +
        `  ${''.padEnd(19)} off p50 ${fmtMs(b.p50).padStart(9)}  p95 ${fmtMs(b.p95).padStart(9)}  (${offCount} answered)\n` +
        `  ${''.padEnd(19)} ratio p50 ${fmt(a.p50 / b.p50, 2)}x, p95 ${fmt(a.p95 / b.p95, 2)}x (target <= 1.2x)`,
    );
  }

  // 2. Requests per second of one authenticated read.
  const read = `${M}/experiments/get?experiment_id=${granted[0]}`;
  const throughput = async (app: App, authorization: string | undefined) => {
    await send(app, authorization, 'GET', read);
    const clock = stopwatch();
    let done = 0;
    while (clock() < SIZES.seconds * 1000) {
      await send(app, authorization, 'GET', read);
      done++;
    }
    return (done * 1000) / clock();
  };
  console.log('');
  console.log(`Requests per second of GET experiments/get, sequential, ${SIZES.seconds} s each`);
  const checksBefore = { memo: authorization.verifier.hashChecks(), scrypt: scryptEveryTime.hashChecks() };
  const offRate = await throughput(off, undefined);
  const memoRate = await throughput(on, BASIC);
  const memoChecks = authorization.verifier.hashChecks() - checksBefore.memo;
  const scryptRate = await throughput(onWithoutMemo, BASIC);
  const scryptChecks = scryptEveryTime.hashChecks() - checksBefore.scrypt;
  console.log(`  authorization off                        ${fmt(offRate).padStart(8)} req/s`);
  console.log(`  Basic, verification remembered          ${fmt(memoRate).padStart(8)} req/s  (${memoChecks} scrypt checks)`);
  console.log(`  Basic, scrypt on every request          ${fmt(scryptRate).padStart(8)} req/s  (${scryptChecks} scrypt checks)`);
  console.log(`  the memo makes Basic ${fmt(memoRate / scryptRate, 1)}x faster; Basic with it runs at ${fmt((memoRate / offRate) * 100, 0)}% of authorization off`);

  // Where the fixed per-request cost goes: the credential check (one GetItem, which brings the user's grants) and
  // working out the caller's access from them (no read for a user in no group).
  const parts = { verify: [] as number[], access: [] as number[] };
  const stored = await ports.users.get(USER.username);
  if (!stored) throw new Error(`${USER.username} is missing`);
  const caller = { kind: 'user', user: stored, principal: `basic:${user.username}` } as const;
  for (let i = 0; i < SIZES.searches; i++) {
    let clock = stopwatch();
    await authorization.verifier.verify({ scheme: 'basic', username: USER.username, password: USER.password });
    parts.verify.push(clock());
    clock = stopwatch();
    await loadAccess(ports, caller);
    parts.access.push(clock());
  }
  console.log('');
  console.log(`Per request with authorization on: ${fmtMs(1000 / memoRate - 1000 / offRate)} more than off, of which (p50)`);
  console.log(`  the remembered Basic check (the user's item)      ${fmtMs(summarize(parts.verify).p50)}`);
  console.log(`  the caller's access (${granted.length} grants in the user's item) ${fmtMs(summarize(parts.access).p50)}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  client.destroy();
  await engine.stop();
}
process.exitCode = failed ? 1 : 0;
