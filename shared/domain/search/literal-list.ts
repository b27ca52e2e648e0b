/**
 * The value of `IN (...)` / `NOT IN (...)`: MLflow evaluates the parenthesis with Python's
 * `ast.literal_eval` and requires a non-empty tuple of str. This parser accepts the same forms
 * (single or double quotes, backslash escapes, adjacent literals concatenated, optional trailing
 * comma) and raises MLflow's messages otherwise.
 */
import { emptyList, illFormedList, nonStringInList } from './messages.js';

const NON_STRING_LITERAL = /^(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|True|False|None)$/u;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/**
 * @param raw the parenthesis token, brackets included, e.g. `('a', "b")`
 * @throws MlflowError INVALID_PARAMETER_VALUE when the list is empty, malformed or holds non-strings
 */
export const parseStringList = (raw: string): string[] => {
  const text = raw.slice(1, -1);
  const values: string[] = [];
  let nonString = false;
  let at = skipSpace(text, 0);
  if (at === text.length) throw emptyList();
  while (at < text.length) {
    const ch = text[at];
    if (ch === "'" || ch === '"') {
      let value = '';
      while (text[at] === "'" || text[at] === '"') {
        const literal = readPythonString(text, at);
        value += literal.value;
        at = skipSpace(text, literal.end);
      }
      values.push(value);
    } else {
      const comma = text.indexOf(',', at);
      const end = comma < 0 ? text.length : comma;
      if (!NON_STRING_LITERAL.test(text.slice(at, end).trim())) throw illFormedList();
      nonString = true;
      at = end;
    }
    if (at === text.length) break;
    if (text[at] !== ',') throw illFormedList();
    at = skipSpace(text, at + 1);
  }
  if (nonString) throw nonStringInList(raw);
  return values;
};

const skipSpace = (text: string, at: number): number => {
  while (at < text.length && /\s/u.test(text[at] ?? '')) at++;
  return at;
};

/** Reads one Python string literal starting at the quote `text[start]`. */
const readPythonString = (text: string, start: number): { value: string; end: number } => {
  const quote = text[start];
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const ch = text[at] ?? '';
    if (ch === quote) return { value, end: at + 1 };
    if (ch === '\\' && at + 1 < text.length) {
      const next = text[at + 1] ?? '';
      value += ESCAPES[next] ?? `\\${next}`;
      at++;
      continue;
    }
    value += ch;
  }
  throw illFormedList();
};
