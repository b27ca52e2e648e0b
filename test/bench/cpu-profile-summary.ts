/**
 * `npx tsx test/bench/cpu-profile-summary.ts <file.cpuprofile> [calls] [--functions <n>]`: a V8 CPU profile
 * of the Cairn process (`node --cpu-prof`, see profile-log-metric.ts) as the components of a request's CPU.
 *
 * Each sample goes to the component of the innermost frame on its stack that belongs to one (so node's
 * streams and timers count for whoever called them). Time blocked in `writev` is left out: on a 2-core machine
 * writing to a local socket often lets the receiver (the engine) run before the writer resumes, and V8 counts
 * that wait as the write's. With `calls`, also ms per call; `--functions <n>` adds the heaviest functions
 * (inclusive, a frame counted once per sample however deep it recurses).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const functions = Number(option('--functions') ?? 0);
const [file, callsArg] = args;
if (!file) {
  console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [calls] [--functions <n>]');
  process.exit(2);
}
const calls = callsArg ? Number(callsArg) : undefined;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Components of the request path, by where a frame's code lives; the first that matches wins. */
const COMPONENTS: [string, (url: string) => boolean][] = [
  ['DynamoDB call: wire (JSON, SigV4, node:http client)', (u) => /shared\/data\/(dynamo-wire|sigv4)\.ts/.test(u)],
  ['DynamoDB call: AWS SDK (middleware, serde, signing, handler)', (u) => /node_modules\/@(aws-sdk|smithy)\//.test(u)],
  ['data layer (items, keys, codecs, marshalling)', (u) => /\/shared\/data\//.test(u)],
  ['domain (use case, validation of values)', (u) => /\/shared\/domain\//.test(u)],
  ['validation (zod schemas)', (u) => /node_modules\/zod\/|\/shared\/(schemas\/|http\/validate\.ts)/.test(u)],
  ['request reading (body, JSON, safe fields)', (u) => /\/shared\/http\//.test(u)],
  ['rpc handler and route', (u) => /\/functions\/api\/(rpc\.ts|routes\/)/.test(u)],
  ['Hono routing, middleware, UI wrapper', (u) => /node_modules\/hono\/|\/functions\/api\/|\/functions\/local\//.test(u)],
  ['HTTP server (@hono/node-server, node:http)', (u) => /node_modules\/@hono\/node-server\/|^node:_http_server|^node:_http_incoming/.test(u)],
  ['module loading (tsx, startup)', (u) => /node_modules\/tsx\//.test(u)],
];

const ms = (micros: number) => micros / 1000;
const byComponent = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
let waited = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i] ?? -1);
  if (!node) continue;
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') {
    idle += delta;
    continue;
  }
  if (functionName === 'writev' && !url) {
    waited += delta;
    continue;
  }
  const stack: CallFrame[] = [];
  for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame) stack.push(frame);
  }
  // The profiler's own work (stopping and handing over the profile) is not the server's.
  if (stack.some((frame) => frame.url === 'node:inspector')) continue;
  total += delta;
  const special = functionName === '(garbage collector)' ? 'garbage collection' : functionName === '(program)' ? 'V8 and native, unattributed' : undefined;
  const component =
    special ??
    stack.map((frame) => COMPONENTS.find(([, matches]) => matches(frame.url))?.[0]).find((name) => name !== undefined) ??
    'node internals, unattributed (promises, timers, streams)';
  byComponent.set(component, (byComponent.get(component) ?? 0) + delta);
  if (functions > 0) {
    const seen = new Set(stack.map((frame) => `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(functions|shared|test)\//, '$1/')}:${frame.lineNumber + 1}`));
    for (const name of seen) byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  }
}

const line = (name: string, micros: number) =>
  `  ${name.slice(0, 80).padEnd(80)} ${ms(micros).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%${calls ? `  ${(ms(micros) / calls).toFixed(3)} ms/call` : ''}`;
console.log(`busy ${ms(total).toFixed(0)} ms${calls ? ` (${(ms(total) / calls).toFixed(3)} ms/call)` : ''}; left out: blocked in writev ${ms(waited).toFixed(0)} ms, idle ${ms(idle).toFixed(0)} ms`);
for (const [name, micros] of [...byComponent].sort((a, b) => b[1] - a[1])) console.log(line(name, micros));
if (functions > 0) {
  console.log('heaviest functions (inclusive):');
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, functions)) console.log(line(name, micros));
}
