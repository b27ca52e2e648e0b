/**
 * `npx tsx test/bench/cpu-profile-summary.ts <file.cpuprofile> [calls]`: a V8 CPU profile (`node --cpu-prof`)
 * summed by component: self time by package or project folder, and inclusive time of the request path's
 * stages (a frame counts once per sample however deep it recurses). With `calls`, also ms per call.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
/** Only samples with a frame of this function name on their stack (e.g. `logMetric`). */
const under = option('--under');
/** Also the inclusive time of the heaviest functions (name and file). */
const functions = Number(option('--functions') ?? 0);
const [file, callsArg] = args;
if (!file) {
  console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [calls] [--under <function>] [--functions <n>]');
  process.exit(2);
}
const calls = callsArg ? Number(callsArg) : undefined;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Where a frame's code lives: a package, a project folder, node's internals, or V8's own pseudo-frames. */
const componentOf = ({ url, functionName }: ProfileNode['callFrame']): string => {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const project = /\/(functions|shared|test)\/(.*)$/.exec(url);
  if (project) {
    const parts = (project[2] ?? '').split('/');
    return `${project[1]}/${parts.length > 1 ? `${parts[0]}/` : ''}${parts.length > 1 ? parts.slice(1).join('/') : parts[0]}`;
  }
  return url;
};

/** Stages of the request path, by the first matching frame on the stack (from the root). */
const STAGES: [string, (frame: ProfileNode['callFrame']) => boolean][] = [
  ['AWS SDK + smithy (whole client.send)', (f) => /@aws-sdk\/|@smithy\//.test(f.url) && f.functionName === 'send'],
  ['hono-node-server (HTTP in/out)', (f) => f.url.includes('@hono/node-server')],
  ['hono (routing, middleware)', (f) => /node_modules\/hono\//.test(f.url)],
  ['zod', (f) => f.url.includes('node_modules/zod/')],
];

const ms = (micros: number) => micros / 1000;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i] ?? -1);
  if (!node) continue;
  const stack: ProfileNode['callFrame'][] = [];
  for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame) stack.push(frame);
  }
  if (under && !stack.some((frame) => frame.functionName === under)) continue;
  total += delta;
  const component = componentOf(node.callFrame);
  self.set(component, (self.get(component) ?? 0) + delta);
  const seen = new Set<string>();
  const seenFunctions = new Set<string>();
  for (const frame of stack) {
    for (const [stage, matches] of STAGES) if (matches(frame)) seen.add(stage);
    if (frame.url) seen.add(`~ ${componentOf(frame)}`);
    if (functions > 0) seenFunctions.add(`${frame.functionName || '(anonymous)'} ${componentOf(frame)}:${frame.lineNumber + 1}`);
  }
  for (const stage of seen) inclusive.set(stage, (inclusive.get(stage) ?? 0) + delta);
  for (const name of seenFunctions) byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
}

const line = (name: string, micros: number) =>
  `  ${name.slice(0, 90).padEnd(90)} ${ms(micros).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%${calls ? `  ${(ms(micros) / calls).toFixed(3)} ms/call` : ''}`;
console.log(`total sampled ${ms(total).toFixed(0)} ms`);
console.log('self time by component:');
for (const [name, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(line(name, micros));
console.log('inclusive time (stages, and ~ component anywhere on the stack):');
for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(line(name, micros));
if (functions > 0) {
  console.log('inclusive time by function:');
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, functions)) console.log(line(name, micros));
}
