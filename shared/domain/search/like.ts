/**
 * SQL LIKE / ILIKE as the reference server evaluates them (SQLite with `case_sensitive_like`):
 * `%` matches any run of characters (also empty and across newlines), `_` exactly one character,
 * every other character matches itself. There is no escape character, as in SQLite without an
 * ESCAPE clause. LIKE is case-sensitive; ILIKE ignores case.
 *
 * Patterns are compiled once, at parse time, into a matcher; simple shapes avoid regular expressions.
 */

export type StringMatcher = (value: string) => boolean;

// Characters with a meaning in a `u`-mode regular expression; escaping anything else is a syntax error.
const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/gu;

const hasWildcard = (text: string): boolean => text.includes('%') || text.includes('_');

/** Compiles a LIKE (`caseInsensitive = false`) or ILIKE pattern into a matcher. */
export const compileLike = (pattern: string, caseInsensitive: boolean): StringMatcher => {
  if (!caseInsensitive) {
    const fast = fastCaseSensitiveMatcher(pattern);
    if (fast) return fast;
  }
  const regex = likeToRegExp(pattern, caseInsensitive);
  return (value) => regex.test(value);
};

/** The regular expression equivalent to a LIKE pattern, anchored at both ends. */
export const likeToRegExp = (pattern: string, caseInsensitive: boolean): RegExp => {
  let source = '^';
  let previousWasPercent = false;
  for (const ch of pattern) {
    if (ch === '%') {
      if (!previousWasPercent) source += '[\\s\\S]*';
      previousWasPercent = true;
      continue;
    }
    previousWasPercent = false;
    source += ch === '_' ? '[\\s\\S]' : ch.replace(REGEX_SYNTAX, '\\$&');
  }
  return new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u');
};

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
