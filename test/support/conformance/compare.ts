/**
 * Structural comparison of an actual JSON value with a recorded template (README section 4, rules 6 to 9):
 * exact key sets, lists in order or as multisets, numbers by value, whole-value and embedded placeholders
 * that check or make bindings. Every mismatch is a human-readable problem naming its JSON path.
 */
import type { JsonValue } from './fixture.js';
import {
  type Bindings,
  type MatchOptions,
  type Placeholder,
  isIdentity,
  isWildcard,
  matchTemplate,
  preview,
  wholePlaceholder,
} from './placeholders.js';

export interface CompareOptions extends MatchOptions {
  /** Paths of lists to compare as multisets: dotted keys from the root, `[*]` for every list element. */
  unordered?: readonly string[];
  /** Name of the root in problem paths (default `body`). */
  root?: string;
}

interface Context {
  bindings: Bindings;
  unordered: ReadonlySet<string>;
  match: MatchOptions;
  /** Budget of element comparisons for the multiset search, shared by one top-level comparison. */
  budget: number;
}

/** How many element comparisons one unordered-list search may make before it settles for a greedy match. */
const UNORDERED_BUDGET = 50_000;

/**
 * Compares `actual` with the template `expected`, making bindings as it goes, and returns the problems
 * (empty when it matches). Bindings made by a failed comparison stay; use `bindings.mark()`/`undo()` around
 * the call to make it tentative.
 */
export function compareJson(expected: JsonValue, actual: unknown, bindings: Bindings, options: CompareOptions = {}): string[] {
  const context: Context = {
    bindings,
    unordered: new Set(options.unordered ?? []),
    match: { bindClientTimestamps: options.bindClientTimestamps },
    budget: UNORDERED_BUDGET,
  };
  return compareValue(expected, actual, options.root ?? 'body', '', context);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
const IDENT_RE = /^[A-Za-z_$][\w$]*$/;
const childPath = (path: string, key: string): string => (IDENT_RE.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function compareValue(expected: JsonValue, actual: unknown, path: string, pattern: string, context: Context): string[] {
  if (typeof expected === 'string') return compareString(expected, actual, path, context);
  if (typeof expected === 'number') {
    if (typeof actual === 'number' && actual === expected) return [];
    return [`${path}: expected ${preview(expected)}, got ${preview(actual)}${typeof actual === 'number' ? '' : ` (${typeName(actual)})`}`];
  }
  if (expected === null || typeof expected === 'boolean') {
    return actual === expected ? [] : [`${path}: expected ${preview(expected)}, got ${preview(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list of ${expected.length}, got ${typeName(actual)} ${preview(actual)}`];
    return context.unordered.has(pattern)
      ? compareUnordered(expected, actual, path, pattern, context)
      : compareOrdered(expected, actual, path, pattern, context);
  }
  if (!isObject(actual)) return [`${path}: expected an object, got ${typeName(actual)} ${preview(actual)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const where = childPath(path, key);
    if (!Object.hasOwn(actual, key)) problems.push(`${where}: missing (expected ${preview(value)})`);
    else problems.push(...compareValue(value as JsonValue, actual[key], where, pattern === '' ? key : `${pattern}.${key}`, context));
  }
  for (const key of Object.keys(actual)) {
    if (!Object.hasOwn(expected, key)) problems.push(`${childPath(path, key)}: unexpected field (got ${preview(actual[key])})`);
  }
  return problems;
}

function compareString(expected: string, actual: unknown, path: string, context: Context): string[] {
  const whole = wholePlaceholder(expected);
  if (whole) return comparePlaceholder(whole, actual, path, context);
  if (typeof actual !== 'string') return [`${path}: expected ${preview(expected)}, got ${typeName(actual)} ${preview(actual)}`];
  const problem = matchTemplate(expected, actual, context.bindings, context.match);
  return problem === undefined ? [] : [`${path}: ${problem}`];
}

/** A whole-value placeholder: wildcards check the type, bound placeholders the value, unbound ones bind. */
export function comparePlaceholder(p: Placeholder, actual: unknown, path: string, context: Pick<Context, 'bindings' | 'match'>): string[] {
  const got = `got ${typeName(actual)} ${preview(actual)}`;
  if (isWildcard(p)) {
    if (p.key === 'any:string') return typeof actual === 'string' ? [] : [`${path}: expected any string (${p.raw}), ${got}`];
    return typeof actual === 'number' && Number.isInteger(actual) ? [] : [`${path}: expected an integer (${p.raw}), ${got}`];
  }
  const bound = context.bindings.get(p.key);
  if (p.kind === 'ts' || p.kind === 'len') {
    if (bound !== undefined) {
      return actual === bound ? [] : [`${path}: expected ${p.raw} = ${bound}, ${got}`];
    }
    if (p.kind === 'ts' && context.match.bindClientTimestamps && typeof actual === 'number' && Number.isInteger(actual)) {
      const problem = context.bindings.bind(p, actual);
      return problem === undefined ? [] : [`${path}: ${problem}`];
    }
    return [
      p.kind === 'len'
        ? `${path}: ${p.raw} refers to exchange ${p.label ?? '?'}, whose request was not sent (${got})`
        : `${path}: ${p.raw} has no value in client_values (${got})`,
    ];
  }
  if (!isIdentity(p)) return [`${path}: unsupported placeholder ${p.raw}`];
  if (bound !== undefined) return actual === bound ? [] : [`${path}: expected ${p.raw} = ${preview(bound)}, ${got}`];
  // A user's id is MLflow's integer (README section 4, rule 7); every other identity a non-empty string.
  if (p.kind === 'user') {
    if (typeof actual !== 'number' || !Number.isInteger(actual)) return [`${path}: expected an integer for ${p.raw}, ${got}`];
  } else if (typeof actual !== 'string' || actual === '') return [`${path}: expected a non-empty string for ${p.raw}, ${got}`];
  const problem = context.bindings.bind(p, actual);
  return problem === undefined ? [] : [`${path}: ${problem}`];
}

function compareOrdered(expected: JsonValue[], actual: unknown[], path: string, pattern: string, context: Context): string[] {
  const problems: string[] = [];
  if (expected.length !== actual.length) {
    const extra =
      actual.length > expected.length
        ? `; unexpected ${actual.slice(expected.length, expected.length + 3).map((v) => preview(v, 80)).join(', ')}`
        : `; missing ${expected.slice(actual.length, actual.length + 3).map((v) => preview(v, 80)).join(', ')}`;
    problems.push(`${path}: expected ${expected.length} elements, got ${actual.length}${extra}${Math.abs(actual.length - expected.length) > 3 ? ', …' : ''}`);
  }
  const common = Math.min(expected.length, actual.length);
  for (let i = 0; i < common; i++) {
    problems.push(...compareValue(expected[i] as JsonValue, actual[i], `${path}[${i}]`, `${pattern}[*]`, context));
  }
  return problems;
}

/**
 * Multiset comparison. Each expected element is tried against each unused actual element; a trial's
 * bindings are undone when the element does not match, or when a later element cannot be matched and the
 * search backtracks. If no complete assignment exists, a greedy assignment is reported instead: each
 * unmatched expected element with the problems of its closest unused actual element, then the leftovers.
 */
function compareUnordered(expected: JsonValue[], actual: unknown[], path: string, pattern: string, context: Context): string[] {
  const { bindings } = context;
  const elementPattern = `${pattern}[*]`;
  const used = new Array<boolean>(actual.length).fill(false);
  const trial = (i: number, j: number): string[] => {
    context.budget--;
    return compareValue(expected[i] as JsonValue, actual[j], `${path}[${j}]`, elementPattern, context);
  };

  if (expected.length === actual.length) {
    const solve = (i: number): boolean => {
      if (i === expected.length) return true;
      for (let j = 0; j < actual.length; j++) {
        if (used[j] || context.budget <= 0) continue;
        const mark = bindings.mark();
        if (trial(i, j).length === 0) {
          used[j] = true;
          if (solve(i + 1)) return true;
          used[j] = false;
        }
        bindings.undo(mark);
      }
      return false;
    };
    if (solve(0)) return [];
    used.fill(false);
  }

  const problems: string[] = [];
  if (expected.length !== actual.length) problems.push(`${path}: expected ${expected.length} elements (any order), got ${actual.length}`);
  const unmatched: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    let found = false;
    for (let j = 0; j < actual.length && !found; j++) {
      if (used[j]) continue;
      const mark = bindings.mark();
      if (trial(i, j).length === 0) {
        used[j] = true;
        found = true;
      } else {
        bindings.undo(mark);
      }
    }
    if (!found) unmatched.push(i);
  }
  for (const i of unmatched) {
    let closest: { j: number; problems: string[] } | undefined;
    for (let j = 0; j < actual.length; j++) {
      if (used[j]) continue;
      const mark = bindings.mark();
      const attempt = trial(i, j);
      bindings.undo(mark);
      if (!closest || attempt.length < closest.problems.length) closest = { j, problems: attempt };
    }
    const head = `${path} (any order): no element matches expected ${preview(expected[i], 100)}`;
    if (!closest) problems.push(`${head}; no unmatched element left`);
    else {
      used[closest.j] = true;
      const shown = closest.problems.slice(0, 3).join('; ');
      problems.push(`${head}; closest is ${path}[${closest.j}]: ${shown}${closest.problems.length > 3 ? '; …' : ''}`);
    }
  }
  for (let j = 0; j < actual.length; j++) {
    if (!used[j]) problems.push(`${path}[${j}]: unexpected element ${preview(actual[j], 100)}`);
  }
  return problems;
}
