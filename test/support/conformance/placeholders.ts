/**
 * Placeholders (README section 3): parsing, the binding table, substitution into requests, and matching of
 * templates that embed placeholders in longer strings (README section 4, rule 8).
 */
import type { JsonValue } from './fixture.js';

export type IdentityKind = 'run' | 'exp' | 'model' | 'name' | 'token' | 'user';
export type PlaceholderKind = IdentityKind | 'ts' | 'any' | 'len';

export interface Placeholder {
  /** The placeholder as written, e.g. `{{run:1}}`. */
  raw: string;
  kind: PlaceholderKind;
  /** `1` for `{{run:1}}`, `int`/`string` for `{{any:…}}`, undefined for `{{ts}}`. */
  label: string | undefined;
  /** The binding-table key, e.g. `run:1`, `ts:3`, `len:14`; for wildcards the raw text without braces. */
  key: string;
}

/** A parsed template: literal text and placeholders, in order. */
export type Segment = string | Placeholder;

const PLACEHOLDER_RE = /\{\{([a-z]+)(?::([A-Za-z0-9]+))?\}\}/g;
const IDENTITY_KINDS: ReadonlySet<string> = new Set(['run', 'exp', 'model', 'name', 'token', 'user']);
/** Kinds whose different labels must never bind the same value (tokens are exempt). */
const INJECTIVE_KINDS: ReadonlySet<string> = new Set(['run', 'exp', 'model', 'name', 'user']);

function makePlaceholder(raw: string, kind: string, label: string | undefined): Placeholder {
  const valid =
    (IDENTITY_KINDS.has(kind) && label !== undefined) ||
    kind === 'ts' ||
    (kind === 'any' && (label === 'int' || label === 'string')) ||
    (kind === 'len' && label !== undefined && /^\d+$/.test(label));
  if (!valid) throw new Error(`malformed placeholder ${raw}`);
  return { raw, kind: kind as PlaceholderKind, label, key: label === undefined ? kind : `${kind}:${label}` };
}

const templateCache = new Map<string, Segment[]>();

/** Splits a string into literals and placeholders. Throws on a malformed placeholder such as `{{run}}`. */
export function parseTemplate(text: string): Segment[] {
  const cached = templateCache.get(text);
  if (cached) return cached;
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER_RE)) {
    if (match.index > last) segments.push(text.slice(last, match.index));
    segments.push(makePlaceholder(match[0], match[1] ?? '', match[2]));
    last = match.index + match[0].length;
  }
  if (last < text.length || segments.length === 0) segments.push(text.slice(last));
  if (templateCache.size < 50_000) templateCache.set(text, segments);
  return segments;
}

export function hasPlaceholder(text: string): boolean {
  return text.includes('{{') && parseTemplate(text).some((s) => typeof s !== 'string');
}

/** The placeholder when `text` is exactly one placeholder (a whole-value placeholder), else undefined. */
export function wholePlaceholder(text: string): Placeholder | undefined {
  if (!text.startsWith('{{')) return undefined;
  const segments = parseTemplate(text);
  const only = segments.length === 1 ? segments[0] : undefined;
  return typeof only === 'object' ? only : undefined;
}

export const isIdentity = (p: Placeholder): boolean => IDENTITY_KINDS.has(p.kind);
/** `{{ts}}`, `{{any:int}}`, `{{any:string}}`: never bound. */
export const isWildcard = (p: Placeholder): boolean => p.kind === 'any' || (p.kind === 'ts' && p.label === undefined);
/** Whole-value `ts`, `len` and `any:int` stand for JSON numbers; every other placeholder for a string. */
export const isNumeric = (p: Placeholder): boolean => p.kind === 'ts' || p.kind === 'len' || p.key === 'any:int';

export type BoundValue = string | number;

/**
 * One binding table per replay. Bindings are recorded on a trail so that tentative ones (an element of an
 * unordered list that turned out not to match) can be undone with `mark()` / `undo(mark)`.
 */
export class Bindings {
  private readonly values = new Map<string, BoundValue>();
  private readonly owners = new Map<string, string>();
  private readonly trail: string[] = [];

  get(key: string): BoundValue | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The key already bound to `value` for an injective kind, if any. */
  ownerOf(kind: PlaceholderKind, value: BoundValue): string | undefined {
    return INJECTIVE_KINDS.has(kind) ? this.owners.get(`${kind}\u0000${String(value)}`) : undefined;
  }

  /**
   * Binds an unbound placeholder. Returns a reason when that would break injectivity or the placeholder is
   * already bound to something else; binding the same value again is a no-op.
   */
  bind(placeholder: Placeholder, value: BoundValue): string | undefined {
    const current = this.values.get(placeholder.key);
    if (current !== undefined) {
      return current === value ? undefined : `${placeholder.raw} is already bound to ${JSON.stringify(current)}`;
    }
    const owner = this.ownerOf(placeholder.kind, value);
    if (owner !== undefined) {
      return `${placeholder.raw} would bind ${JSON.stringify(value)}, which is already bound to {{${owner}}}`;
    }
    this.values.set(placeholder.key, value);
    if (INJECTIVE_KINDS.has(placeholder.kind)) this.owners.set(`${placeholder.kind}\u0000${String(value)}`, placeholder.key);
    this.trail.push(placeholder.key);
    return undefined;
  }

  /** Sets a value that is known up front (client timestamps, request lengths); not undoable. */
  preset(key: string, value: BoundValue): void {
    this.values.set(key, value);
  }

  mark(): number {
    return this.trail.length;
  }

  /** Undoes every `bind` made since `mark`. */
  undo(mark: number): void {
    while (this.trail.length > mark) {
      const key = this.trail.pop() as string;
      const value = this.values.get(key);
      this.values.delete(key);
      const kind = key.slice(0, key.indexOf(':'));
      if (value !== undefined && INJECTIVE_KINDS.has(kind)) this.owners.delete(`${kind}\u0000${String(value)}`);
    }
  }

  entries(): Array<[string, BoundValue]> {
    return [...this.values.entries()];
  }
}

/** Substitutes bound placeholders into a string; the raw text of unbound ones is kept and reported. */
export function substituteText(text: string, bindings: Bindings, unbound: string[]): string {
  if (!text.includes('{{')) return text;
  return parseTemplate(text)
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      const value = bindings.get(segment.key);
      if (value === undefined || isWildcard(segment)) {
        unbound.push(segment.raw);
        return segment.raw;
      }
      return String(value);
    })
    .join('');
}

/** Substitutes into a JSON value. Whole-value numeric placeholders (`{{ts:N}}`, `{{len:S}}`) become numbers. */
export function substituteJson(value: JsonValue, bindings: Bindings, unbound: string[]): JsonValue {
  if (typeof value === 'string') {
    const whole = wholePlaceholder(value);
    if (whole && !isWildcard(whole)) {
      const bound = bindings.get(whole.key);
      if (bound === undefined) {
        unbound.push(whole.raw);
        return value;
      }
      return isNumeric(whole) ? Number(bound) : String(bound);
    }
    return substituteText(value, bindings, unbound);
  }
  if (Array.isArray(value)) return value.map((item) => substituteJson(item, bindings, unbound));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteJson(item as JsonValue, bindings, unbound);
    return out;
  }
  return value;
}

/** Options for matching: the fake server of the self test learns client timestamps from requests. */
export interface MatchOptions {
  /** Let an unbound `{{ts:N}}` bind to the actual integer (default: it is a fixture error). */
  bindClientTimestamps?: boolean;
}

const MAX_MATCH_STEPS = 200_000;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Matches `actual` against a template with embedded placeholders: literals match themselves, bound
 * placeholders their value, an unbound identity placeholder the shortest non-empty run of characters that
 * lets the whole string match (the same text wherever it repeats, injective per kind), `{{ts}}` digits,
 * `{{any:int}}` an optional minus and digits, `{{any:string}}` any text. On a match the new bindings are
 * made and undefined is returned; otherwise a reason.
 */
export function matchTemplate(template: string, actual: string, bindings: Bindings, options: MatchOptions = {}): string | undefined {
  const segments = parseTemplate(template);
  if (segments.length === 1 && typeof segments[0] === 'string') {
    return template === actual ? undefined : describeMismatch(template, actual, bindings);
  }
  const local = new Map<string, string>();
  let steps = 0;
  let exhausted = false;

  const fixedValue = (p: Placeholder): string | undefined => {
    if (isWildcard(p)) return undefined;
    const bound = bindings.get(p.key);
    return bound !== undefined ? String(bound) : local.get(p.key);
  };
  const acceptable = (p: Placeholder, candidate: string): boolean => {
    const owner = bindings.ownerOf(p.kind, candidate);
    if (owner !== undefined && owner !== p.key) return false;
    if (!INJECTIVE_KINDS.has(p.kind)) return true;
    for (const [key, value] of local) if (key !== p.key && key.startsWith(`${p.kind}:`) && value === candidate) return false;
    return true;
  };

  const go = (index: number, pos: number): boolean => {
    if (++steps > MAX_MATCH_STEPS) exhausted = true;
    if (exhausted) return false;
    const segment = segments[index];
    if (segment === undefined) return pos === actual.length;
    if (typeof segment === 'string') return actual.startsWith(segment, pos) && go(index + 1, pos + segment.length);
    const fixed = fixedValue(segment);
    if (fixed !== undefined) return actual.startsWith(fixed, pos) && go(index + 1, pos + fixed.length);
    const bindable = isIdentity(segment) || (segment.kind === 'ts' && segment.label !== undefined && options.bindClientTimestamps === true);
    if (!bindable && !isWildcard(segment)) return false; // an unbound len:S or ts:N cannot match anything
    const next = segments[index + 1];
    const minEnd = segment.key === 'any:string' ? pos : pos + 1;
    const numeric = segment.kind === 'ts' || segment.key === 'any:int';
    for (let end = minEnd; end <= actual.length; end++) {
      if (numeric) {
        const last = actual[end - 1];
        const sign = segment.key === 'any:int' && end - 1 === pos && last === '-';
        if (!isDigit(last) && !sign) break;
        if (sign) continue;
      }
      if (typeof next === 'string' && !actual.startsWith(next, end)) continue;
      if (!bindable) {
        if (go(index + 1, end)) return true;
        continue;
      }
      const candidate = actual.slice(pos, end);
      if (!acceptable(segment, candidate)) continue;
      local.set(segment.key, candidate);
      if (go(index + 1, end)) return true;
      local.delete(segment.key);
    }
    return false;
  };

  if (!go(0, 0)) {
    if (exhausted) return `template is too ambiguous to match (${template.length} chars)`;
    return describeMismatch(template, actual, bindings);
  }
  const mark = bindings.mark();
  for (const [key, value] of local) {
    const placeholder = segments.find((s): s is Placeholder => typeof s === 'object' && s.key === key) as Placeholder;
    const problem = bindings.bind(placeholder, placeholder.kind === 'ts' ? Number(value) : value);
    if (problem !== undefined) {
      bindings.undo(mark);
      return problem;
    }
  }
  return undefined;
}

export const preview = (value: unknown, max = 120): string => {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** Expected (bound placeholders substituted) vs actual, quoting the first difference of long strings. */
function describeMismatch(template: string, actual: string, bindings: Bindings): string {
  const expected = substituteText(template, bindings, []);
  if (expected.length <= 160 && actual.length <= 160) return `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const from = Math.max(0, at - 30);
  return (
    `strings differ at offset ${at} (expected ${expected.length} chars, got ${actual.length}): ` +
    `expected …${JSON.stringify(expected.slice(from, at + 50))}…, got …${JSON.stringify(actual.slice(from, at + 50))}…`
  );
}
