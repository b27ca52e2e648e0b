import { randomBytes } from 'node:crypto';

/**
 * JSON with integers beyond 2^53 kept digit for digit, both ways. Span times are nanoseconds since the epoch
 * (19 digits) and MLflow writes them as JSON numbers (its message_to_json turns 64-bit fields into numbers,
 * Python's json keeps every digit); JavaScript's JSON would round them.
 */

/** A number written as these digits, not as a JavaScript number. */
export class RawNumber {
  constructor(readonly digits: string) {}
}

// A per-process marker no caller can predict, so no string a client sent is mistaken for one of ours.
const NONCE = randomBytes(6).toString('hex');
const OUT_MARK = `\u0000${NONCE}#`;
const OUT_PATTERN = new RegExp(`"\\\\u0000${NONCE}#(-?[0-9][0-9.eE+-]*|NaN|Infinity|-Infinity)\\\\u0000"`, 'g');

/**
 * JSON.stringify that writes RawNumber and bigint values as bare numbers, and non-finite numbers as MLflow does
 * ("NaN", "Infinity", "-Infinity" strings).
 */
export const stringifyJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawNumber) return `${OUT_MARK}${v.digits}\u0000`;
    if (typeof v === 'bigint') return `${OUT_MARK}${v.toString()}\u0000`;
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return v;
  }).replace(OUT_PATTERN, (_match, digits: string) => digits);

const IN_MARK = `\u0001${NONCE}#`;

/**
 * JSON.parse that reads integer literals of more than 15 digits as bigint (decimal fractions and exponents stay
 * numbers). Text that is not JSON throws SyntaxError, as JSON.parse does.
 */
export const parseJsonKeepingBigInts = (text: string): unknown => {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end] ?? '')) end++;
      const literal = text.slice(i, end);
      if (/^-?\d{16,}$/.test(literal)) {
        out += `${text.slice(last, i)}"\\u0001${NONCE}#${literal}"`;
        last = end;
      }
      i = end - 1;
    }
  }
  const marked = out + text.slice(last);
  return JSON.parse(marked, (_key, v: unknown) =>
    typeof v === 'string' && v.startsWith(IN_MARK) ? BigInt(v.slice(IN_MARK.length)) : v,
  );
};
