/**
 * The domain states its rules in its own words and owns its ports: nothing under shared/domain may import the
 * data layer, the request schemas, the AWS SDK or Lambda's types, or read the environment. Adapters implement
 * the domain's ports; composition roots (functions/* and shared/config) wire them. This test reads every
 * import of every domain file, so a new one that breaks the rule fails here with its file and line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOMAIN = join(ROOT, 'shared/domain');

/** Modules the domain must not depend on, as resolved paths (relative to the repo) or package names. */
const FORBIDDEN_PATHS = ['shared/data/', 'shared/schemas/', 'shared/config/', 'shared/local/', 'shared/storage/', 'functions/'];
const FORBIDDEN_PACKAGES = [/^@aws-sdk\//, /^aws-lambda$/, /^@aws-lambda-powertools\//, /^hono(\/|$)/, /^@smithy\//];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const listTs = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listTs(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    }),
  );
  return nested.flat();
};

interface Finding {
  file: string;
  line: number;
  what: string;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

const findingsOf = (file: string, text: string): Finding[] => {
  const findings: Finding[] = [];
  const at = relative(ROOT, file);
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? '';
    const line = lineOf(text, match.index + (match[0].startsWith('\n') ? 1 : 0));
    if (specifier.startsWith('.')) {
      const target = relative(ROOT, resolve(dirname(file), specifier));
      const forbidden = FORBIDDEN_PATHS.find((path) => target.startsWith(path));
      if (forbidden) findings.push({ file: at, line, what: `imports ${target}` });
    } else if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) {
      findings.push({ file: at, line, what: `imports ${specifier}` });
    }
  }
  for (const match of text.matchAll(/process\.env/g)) {
    findings.push({ file: at, line: lineOf(text, match.index), what: 'reads process.env' });
  }
  return findings;
};

/** Import edges between domain files, for the cycle check. */
const edgesOf = (file: string, text: string): string[] =>
  [...text.matchAll(IMPORT)]
    .map((match) => match[1] ?? match[2] ?? '')
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));

const findCycle = (graph: Map<string, string[]>): string[] | undefined => {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
};

const files = await listTs(DOMAIN);
const texts = new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));

describe('the domain depends on nothing outside it but shared/errors and Node', () => {
  it('reads the domain files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports no data layer, schemas, configuration, AWS SDK, Lambda types or HTTP framework, and reads no environment', () => {
    const findings = [...texts].flatMap(([file, text]) => findingsOf(file, text));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
  });

  it('has no import cycle between domain files', () => {
    // Type-only imports count too: a circle of types is a circle a reader has to hold in their head.
    const graph = new Map([...texts].map(([file, text]) => [file, edgesOf(file, text).filter((t) => t.startsWith(DOMAIN))]));
    expect(findCycle(graph)?.map((file) => relative(ROOT, file))).toBeUndefined();
  });

  it('catches what it is meant to catch', () => {
    const sample = [
      "import type { X } from '../data/runs/repository.js';",
      "import { Y } from '@aws-sdk/client-dynamodb';",
      "import type { Z } from 'aws-lambda';",
      'const table = process.env.TABLE;',
      "import { ok } from '../errors/index.js';",
    ].join('\n');
    const findings = findingsOf(join(DOMAIN, 'runs.ts'), sample).map((f) => f.what);
    expect(findings).toEqual(['imports shared/data/runs/repository.js', 'imports @aws-sdk/client-dynamodb', 'imports aws-lambda', 'reads process.env']);
  });
});
