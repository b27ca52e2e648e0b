/**
 * Comparison building blocks shared by the run, experiment and logged-model searches. Tests are
 * built once per clause; ordering helpers allocate nothing per call.
 */
import { compileLike, type StringMatcher } from './like.js';

export type NumericComparator = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
export type NumberTest = (value: number) => boolean;

/** A test of a number against a literal, with SQL's comparison semantics. */
export const numberTest = (comparator: NumericComparator, literal: number): NumberTest => {
  switch (comparator) {
    case '=':
      return (v) => v === literal;
    case '!=':
      return (v) => v !== literal;
    case '>':
      return (v) => v > literal;
    case '>=':
      return (v) => v >= literal;
    case '<':
      return (v) => v < literal;
    case '<=':
      return (v) => v <= literal;
  }
};

/** A test of a string against a literal (or, for IN / NOT IN, a list of literals). */
export const stringTest = (
  comparator: StringComparator,
  literal: string | readonly string[],
): StringMatcher => {
  if (typeof literal !== 'string') {
    const set = new Set(literal);
    return comparator === 'NOT IN' ? (v) => !set.has(v) : (v) => set.has(v);
  }
  switch (comparator) {
    case '=':
      return (v) => v === literal;
    case '!=':
      return (v) => v !== literal;
    case 'LIKE':
      return compileLike(literal, false);
    case 'ILIKE':
      return compileLike(literal, true);
    case 'IN':
      return (v) => v === literal;
    case 'NOT IN':
      return (v) => v !== literal;
  }
};

/** Binary string order (code unit order), as SQLite's default collation orders ASCII text. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

const DECIMAL = /^\d+$/u;

/**
 * Orders decimal id strings ("2" < "10") numerically without converting them, so ids beyond 2^53
 * keep their order. Non-decimal ids sort after decimal ones, by string.
 */
export const compareDecimalIds = (a: string, b: string): number => {
  const aDecimal = DECIMAL.test(a);
  const bDecimal = DECIMAL.test(b);
  if (aDecimal !== bDecimal) return aDecimal ? -1 : 1;
  if (!aDecimal) return compareStrings(a, b);
  const aTrimmed = stripLeadingZeros(a);
  const bTrimmed = stripLeadingZeros(b);
  if (aTrimmed.length !== bTrimmed.length) return aTrimmed.length - bTrimmed.length;
  return compareStrings(aTrimmed, bTrimmed);
};

const stripLeadingZeros = (digits: string): string => {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
};

/**
 * Orders two optional values with missing ones last in both directions (MLflow sorts a
 * `CASE WHEN value IS NULL THEN 1 ELSE 0 END` column ascending before the value itself).
 */
export const compareOptional = <T>(
  a: T | undefined,
  b: T | undefined,
  ascending: boolean,
  compare: (x: T, y: T) => number,
): number => {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  const order = compare(a, b);
  return ascending ? order : -order;
};

/**
 * A property reader for a plain record that never returns inherited members, so keys such as
 * `constructor` or `__proto__` read as missing. Only keys that exist on Object.prototype pay for
 * the own-property check.
 */
export const ownValueReader = <V>(key: string): ((record: Record<string, V>) => V | undefined) =>
  key in Object.prototype
    ? (record) => (Object.hasOwn(record, key) ? record[key] : undefined)
    : (record) => record[key];
