/**
 * The lexer and clause grouper behind every search filter and order_by clause. MLflow feeds these
 * strings to `sqlparse` and reads back identifiers, comparison operators and literals; this module
 * reproduces the parts of that behaviour MLflow depends on:
 *
 * - identifiers are dot-joined parts, each a word, a "double-quoted" or a `backticked` name
 *   (`tags.mlflow.runName`, ``metrics.`my key` ``, `params."a b"`); the raw text is kept so callers
 *   can split it the way MLflow does (at the first dot);
 * - strings are single-quoted, kept raw (no unescaping, as MLflow only trims the quotes);
 * - numbers follow sqlparse's integer and float forms (`1`, `-2.5`, `.5`, `1e-3`);
 * - comparators are runs of `<>=~!` plus LIKE, ILIKE, RLIKE, REGEXP, optionally after NOT;
 * - a parenthesis is one token holding its raw text (used by IN lists);
 * - AND, OR, NOT, IN, IS, NULL, TRUE, FALSE, ... are keywords.
 */
import { invalidOrderByClause, invalidOrderingKey } from './messages.js';

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'parenthesis'
  | 'comparator'
  | 'keyword'
  | 'punctuation'
  | 'other';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token, exactly as written. */
  readonly text: string;
  /** For identifiers: true when the identifier is one unquoted word without dots. */
  readonly bare?: boolean;
}

/** One `identifier comparator value` clause as written (comparator upper-cased). */
export interface RawComparison {
  readonly left: Token;
  readonly comparator: string;
  readonly right: Token;
}

export interface ScannedFilter {
  /** Number of `;`-separated statements (MLflow rejects more than one). */
  readonly statements: number;
  readonly comparisons: readonly RawComparison[];
  /** Tokens that are neither part of a comparison nor AND, in order. */
  readonly invalid: readonly Token[];
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'BETWEEN', 'EXISTS', 'ASC', 'DESC']);
const WORD_COMPARATORS = new Set(['LIKE', 'ILIKE', 'RLIKE', 'REGEXP']);

const WHITESPACE = /\s+/uy;
const SINGLE_QUOTED = /'(?:''|\\'|[^'])*'/uy;
const DOUBLE_QUOTED = /"(?:""|\\"|[^"])*"/uy;
const BACKTICKED = /`(?:``|[^`])*`/uy;
const NUMBER = /-?(?:\d+(?:\.\d+)?[eE]-?\d+|\d+\.\d*|\.\d+|\d+)(?![\p{L}\p{N}_$#])/uy;
const WORD = /[\p{L}\p{N}_][\p{L}\p{N}_$#]*/uy;
const COMPARATOR = /[<>=~!]+/uy;
const PART_START = /[\p{L}\p{N}_"`]/u;

const matchAt = (regex: RegExp, text: string, at: number): string | undefined => {
  regex.lastIndex = at;
  return regex.exec(text)?.[0];
};

/** Splits a filter or order_by string into tokens; whitespace is dropped. */
export const lex = (text: string): Token[] => {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const ch = text[at] ?? '';
    const space = matchAt(WHITESPACE, text, at);
    if (space) {
      at += space.length;
      continue;
    }
    if (ch === "'") {
      const quoted = matchAt(SINGLE_QUOTED, text, at);
      if (quoted) {
        tokens.push({ kind: 'string', text: quoted });
        at += quoted.length;
      } else {
        tokens.push({ kind: 'other', text: ch });
        at += 1;
      }
      continue;
    }
    const number = matchAt(NUMBER, text, at);
    if (number) {
      tokens.push({ kind: 'number', text: number });
      at += number.length;
      continue;
    }
    if (PART_START.test(ch)) {
      const identifierEnd = scanIdentifier(text, at);
      if (identifierEnd > at) {
        at = pushWordOrIdentifier(tokens, text, at, identifierEnd);
        continue;
      }
    }
    if (ch === '(') {
      const close = findClosingParenthesis(text, at);
      if (close > at) {
        tokens.push({ kind: 'parenthesis', text: text.slice(at, close + 1) });
        at = close + 1;
        continue;
      }
    }
    const comparator = matchAt(COMPARATOR, text, at);
    if (comparator) {
      tokens.push({ kind: 'comparator', text: comparator });
      at += comparator.length;
      continue;
    }
    const codePoint = String.fromCodePoint(text.codePointAt(at) ?? 0);
    tokens.push({ kind: ';,.)[]:'.includes(codePoint) ? 'punctuation' : 'other', text: codePoint });
    at += codePoint.length;
  }
  return tokens;
};

/** End offset of the dot-joined identifier starting at `start` (== start when none). */
const scanIdentifier = (text: string, start: number): number => {
  let at = scanPart(text, start);
  if (at === start) return start;
  while (text[at] === '.' && PART_START.test(text[at + 1] ?? '')) {
    const next = scanPart(text, at + 1);
    if (next === at + 1) break;
    at = next;
  }
  return at;
};

const scanPart = (text: string, at: number): number => {
  const ch = text[at];
  const regex = ch === '"' ? DOUBLE_QUOTED : ch === '`' ? BACKTICKED : WORD;
  return at + (matchAt(regex, text, at)?.length ?? 0);
};

/** Pushes an identifier, keyword or word comparator (merging `NOT LIKE`); returns the new offset. */
const pushWordOrIdentifier = (tokens: Token[], text: string, start: number, end: number): number => {
  const raw = text.slice(start, end);
  const bare = matchAt(WORD, text, start)?.length === raw.length;
  const upper = raw.toUpperCase();
  if (bare && WORD_COMPARATORS.has(upper)) {
    tokens.push({ kind: 'comparator', text: raw });
    return end;
  }
  if (bare && upper === 'NOT') {
    const space = matchAt(WHITESPACE, text, end);
    const following = space ? matchAt(WORD, text, end + space.length) : undefined;
    if (space && following && WORD_COMPARATORS.has(following.toUpperCase())) {
      const stop = end + space.length + following.length;
      tokens.push({ kind: 'comparator', text: text.slice(start, stop) });
      return stop;
    }
  }
  if (bare && KEYWORDS.has(upper)) {
    tokens.push({ kind: 'keyword', text: raw });
    return end;
  }
  tokens.push({ kind: 'identifier', text: raw, bare });
  return end;
};

/** Offset of the `)` closing the `(` at `open`, skipping quoted text; -1 when unbalanced. */
const findClosingParenthesis = (text: string, open: number): number => {
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    const ch = text[at];
    if (ch === "'" || ch === '"' || ch === '`') {
      const close = text.indexOf(ch, at + 1);
      if (close < 0) return -1;
      at = close;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) return at;
    }
  }
  return -1;
};

const isOperand = (token: Token | undefined): boolean =>
  token !== undefined &&
  (token.kind === 'identifier' ||
    token.kind === 'string' ||
    token.kind === 'number' ||
    token.kind === 'parenthesis' ||
    (token.kind === 'keyword' && token.text.toUpperCase() === 'NULL'));

const isKeyword = (token: Token | undefined, word: string): boolean =>
  token?.kind === 'keyword' && token.text.toUpperCase() === word;

/**
 * Groups a filter's tokens into comparisons, as sqlparse plus MLflow's `_join_in_comparison_tokens`
 * do: `operand comparator operand`, `identifier IN (...)` and `identifier NOT IN (...)`. AND
 * keywords are dropped; anything else is reported in `invalid`.
 */
export const scanFilter = (filter: string): ScannedFilter => {
  const tokens = lex(filter);
  const comparisons: RawComparison[] = [];
  const invalid: Token[] = [];
  let statements = 0;
  let pending = false;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    const third = tokens[i + 2];
    pending = true;
    if (isOperand(token) && next?.kind === 'comparator' && isOperand(third)) {
      comparisons.push({ left: token, comparator: next.text.toUpperCase(), right: third as Token });
      i += 3;
    } else if (token.kind === 'identifier' && isKeyword(next, 'IN') && third?.kind === 'parenthesis') {
      comparisons.push({ left: token, comparator: 'IN', right: third });
      i += 3;
    } else if (
      token.kind === 'identifier' &&
      isKeyword(next, 'NOT') &&
      isKeyword(third, 'IN') &&
      tokens[i + 3]?.kind === 'parenthesis'
    ) {
      comparisons.push({ left: token, comparator: 'NOT IN', right: tokens[i + 3] as Token });
      i += 4;
    } else {
      if (token.kind === 'punctuation' && token.text === ';') {
        statements++;
        pending = false;
      }
      if (!isKeyword(token, 'AND')) invalid.push(token);
      i += 1;
    }
  }
  if (pending) statements++;
  return { statements, comparisons, invalid };
};

/** One order_by clause: the identifier text to resolve and the direction (ASC by default). */
export interface OrderByClause {
  readonly identifier: string;
  readonly ascending: boolean;
}

/**
 * Parses `"<identifier> [ASC|DESC]"` as MLflow's `_parse_order_by_string` does. When a direction
 * is given MLflow re-reads the identifier with shlex (quotes removed); without one it keeps the
 * raw text. Surrounding whitespace is tolerated (the reference rejects it).
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for anything else.
 */
export const parseOrderByClause = (clause: string): OrderByClause => {
  const tokens = lex(clause.trim());
  const [first, second] = tokens;
  if (first?.kind !== 'identifier' || tokens.length > 2) throw invalidOrderByClause(clause);
  if (second === undefined) return { identifier: first.text, ascending: true };
  const direction = second.text.toLowerCase();
  if (direction === 'asc' || direction === 'desc') {
    return { identifier: removeShellQuotes(first.text), ascending: direction === 'asc' };
  }
  if (second.kind === 'identifier' && second.bare) throw invalidOrderingKey(clause);
  throw invalidOrderByClause(clause);
};

/** shlex-style unquoting of MLflow (backticks are first turned into double quotes). */
const removeShellQuotes = (text: string): string => text.replace(/["`]/gu, '');
