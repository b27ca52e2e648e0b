/**
 * SQL LIKE / ILIKE as the reference server evaluates them (SQLite with `case_sensitive_like`):
 * `%` matches any run of characters (also empty and across newlines), `_` exactly one character
 * (one code point: an emoji is one character), every other character matches itself. There is no
 * escape character, as in SQLite without an ESCAPE clause. LIKE is case-sensitive; ILIKE compares
 * characters by Unicode simple case folding (what a JavaScript `iu` regular expression does).
 *
 * No regular expression is built from a caller's pattern: a backtracking engine takes time
 * exponential in the number of `%` (`%a%a%a%a%a%a%b` against 60 `a`s took seconds). The pattern is
 * split at `%` into segments of fixed length, and each segment is placed at its leftmost fit,
 * which is always right because a segment's length does not depend on where it lands. A segment
 * without `_` is found in linear time (KMP); one with `_` is tried at each position. The work is at
 * most (value length) × (pattern length) character comparisons, whatever the pattern.
 */
import { invalidParameter } from '../../errors/index.js';

export type StringMatcher = (value: string) => boolean;

/**
 * MLflow puts no limit on a filter; a pattern is bounded here so the worst match stays cheap (the
 * work grows with value length × pattern length). Longer than any useful pattern: names are at most
 * 500 characters, and a longer literal is compared with `=`.
 */
export const MAX_LIKE_PATTERN_LENGTH = 1000;

/** A character of a segment: a code point (case-folded for ILIKE), or ANY_ONE for `_`. */
const ANY_ONE = -1;

/** Counts character comparisons when given; tests use it to bound the work. */
export interface LikeMeter {
  comparisons: number;
}

/** Compiles a LIKE (`caseInsensitive = false`) or ILIKE pattern into a matcher. */
export const compileLike = (pattern: string, caseInsensitive: boolean, meter?: LikeMeter): StringMatcher => {
  if (pattern.length > MAX_LIKE_PATTERN_LENGTH) {
    throw invalidParameter(
      `Invalid ${caseInsensitive ? 'ILIKE' : 'LIKE'} pattern: it has ${pattern.length} characters, the most allowed is ${MAX_LIKE_PATTERN_LENGTH}.`,
    );
  }
  if (!caseInsensitive && !meter) {
    const fast = fastCaseSensitiveMatcher(pattern);
    if (fast) return fast;
  }
  const fold = caseInsensitive ? foldCase : identity;
  const parsed = parsePattern(pattern, fold);
  return (value) => matchSegments(parsed, codePoints(value, fold), meter);
};

interface ParsedPattern {
  /** The pattern's pieces between `%`s; a pattern without `%` has one. */
  readonly segments: readonly Int32Array[];
  readonly hasPercent: boolean;
}

const parsePattern = (pattern: string, fold: (codePoint: number) => number): ParsedPattern => {
  const segments: Int32Array[] = [];
  let current: number[] = [];
  for (const ch of pattern) {
    if (ch === '%') {
      segments.push(Int32Array.from(current));
      current = [];
    } else {
      current.push(ch === '_' ? ANY_ONE : fold(ch.codePointAt(0) ?? 0));
    }
  }
  segments.push(Int32Array.from(current));
  return { segments, hasPercent: segments.length > 1 };
};

const codePoints = (value: string, fold: (codePoint: number) => number): Int32Array => {
  const out = new Int32Array(value.length);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const cp = value.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++;
    out[n++] = fold(cp);
  }
  return out.subarray(0, n);
};

const matchSegments = ({ segments, hasPercent }: ParsedPattern, value: Int32Array, meter?: LikeMeter): boolean => {
  const first = segments[0] as Int32Array;
  if (!hasPercent) return first.length === value.length && fitsAt(first, value, 0, meter);
  const last = segments[segments.length - 1] as Int32Array;
  const lastStart = value.length - last.length;
  if (lastStart < first.length || !fitsAt(first, value, 0, meter)) return false;
  let position = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s] as Int32Array;
    const found = leftmostFit(segment, value, position, lastStart - segment.length, meter);
    if (found < 0) return false;
    position = found + segment.length;
  }
  return fitsAt(last, value, lastStart, meter);
};

/** The first start in [from, to] where `segment` fits, or -1. */
const leftmostFit = (segment: Int32Array, value: Int32Array, from: number, to: number, meter?: LikeMeter): number => {
  if (!segment.includes(ANY_ONE)) return leftmostOccurrence(segment, value, from, to, meter);
  for (let start = from; start <= to; start++) if (fitsAt(segment, value, start, meter)) return start;
  return -1;
};

/**
 * Knuth-Morris-Pratt for a segment without `_`: linear in the value, so `%aaaa…ab%` against a long
 * run of `a`s does not compare the whole segment at every position.
 */
const leftmostOccurrence = (
  segment: Int32Array,
  value: Int32Array,
  from: number,
  to: number,
  meter?: LikeMeter,
): number => {
  if (segment.length === 0) return from <= to ? from : -1;
  const fallback = failureTable(segment);
  let matched = 0;
  let steps = 0;
  const end = to + segment.length;
  for (let i = from; i < end; i++) {
    const ch = value[i];
    while (matched > 0 && segment[matched] !== ch) {
      matched = fallback[matched - 1] as number;
      steps++;
    }
    steps++;
    if (segment[matched] === ch) matched++;
    if (matched === segment.length) {
      if (meter) meter.comparisons += steps;
      return i - segment.length + 1;
    }
  }
  if (meter) meter.comparisons += steps;
  return -1;
};

const failureTable = (segment: Int32Array): Int32Array => {
  const table = new Int32Array(segment.length);
  let k = 0;
  for (let i = 1; i < segment.length; i++) {
    while (k > 0 && segment[i] !== segment[k]) k = table[k - 1] as number;
    if (segment[i] === segment[k]) k++;
    table[i] = k;
  }
  return table;
};

const fitsAt = (segment: Int32Array, value: Int32Array, start: number, meter?: LikeMeter): boolean => {
  let i = 0;
  while (i < segment.length) {
    const expected = segment[i] as number;
    if (expected !== ANY_ONE && expected !== value[start + i]) break;
    i++;
  }
  if (meter) meter.comparisons += Math.min(i + 1, segment.length);
  return i === segment.length;
};

const identity = (codePoint: number): number => codePoint;

const foldCache = new Map<number, number>();
const FOLD_CACHE_SIZE = 65_536;

/**
 * A code point's representative under case-insensitive comparison. JavaScript exposes no simple
 * case folding, so candidates from toUpperCase/toLowerCase are kept only if an `iu` regular
 * expression (one fixed code point, no caller input in it) agrees they are the same letter: `ı`
 * must not become `i`, while `K` (Kelvin) and `ſ` fold to `k` and `s`.
 */
const foldCase = (codePoint: number): number => {
  if (codePoint < 0x80) return codePoint >= 0x41 && codePoint <= 0x5a ? codePoint + 0x20 : codePoint;
  const cached = foldCache.get(codePoint);
  if (cached !== undefined) return cached;
  const folded = computeFold(codePoint);
  if (foldCache.size < FOLD_CACHE_SIZE) foldCache.set(codePoint, folded);
  return folded;
};

/** Pairs that simple case folding joins (Unicode 15.1) but no case mapping reaches. */
const FOLDED_WITHOUT_MAPPING: ReadonlyMap<number, number> = new Map([
  [0x1fd3, 0x390],
  [0x1fe3, 0x3b0],
  [0xfb05, 0xfb06],
]);

const computeFold = (codePoint: number): number => {
  const ch = String.fromCodePoint(codePoint);
  const sameLetter = new RegExp(`^\\u{${codePoint.toString(16)}}$`, 'iu');
  const extra = FOLDED_WITHOUT_MAPPING.get(codePoint);
  const candidates = [ch.toUpperCase().toLowerCase(), ch.toLowerCase()];
  if (extra !== undefined) candidates.unshift(String.fromCodePoint(extra));
  for (const candidate of candidates) {
    const folded = candidate.codePointAt(0);
    const single = folded !== undefined && candidate.length === (folded > 0xffff ? 2 : 1);
    if (single && folded !== codePoint && sameLetter.test(candidate)) return folded;
  }
  return codePoint;
};

const hasWildcard = (text: string): boolean => text.includes('%') || text.includes('_');

/** Exact, prefix, suffix and infix patterns compare strings directly. */
const fastCaseSensitiveMatcher = (pattern: string): StringMatcher | undefined => {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const inner = pattern.replace(/^%+/u, '').replace(/%+$/u, '');
  if (hasWildcard(inner)) return undefined;
  const leading = pattern.startsWith('%');
  const trailing = pattern.endsWith('%') && pattern.length > (leading ? 1 : 0);
  if (leading && trailing) return (value) => value.includes(inner);
  if (leading) return (value) => value.endsWith(inner);
  return (value) => value.startsWith(inner);
};
