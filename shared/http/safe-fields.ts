import { echoText, invalidParameter } from '../errors/index.js';

/**
 * How deeply a request body may nest. MLflow's deepest request (a logged-model search's order_by) nests
 * four levels; the limit keeps every walk over a request (zod's, the error message's) far from the stack's end.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses JSON text that nests deeper than MAX_JSON_DEPTH, by one pass over the text before it is parsed,
 * so no deep structure is ever built. Brackets inside strings do not count. Malformed text is let through
 * (the lenient parser reads it as `{}`).
 */
export const assertShallowJson = (text: string): void => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
};

const tooDeep = () => invalidParameter(`Invalid request: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);

/** A lone surrogate: with the `u` flag, a character class of surrogates matches only unpaired ones. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` is valid UTF-16, which is what DynamoDB (and any UTF-8 store) can hold. */
export const isWellFormedText = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * Refuses a request whose fields hold a string that is not valid UTF-16 (JSON's `"\ud800"`): DynamoDB
 * cannot store it, and no MLflow client sends one. Walks every value at any depth; the depth is bounded
 * by assertShallowJson for bodies, and query and path fields are flat.
 * @returns the fields, unchanged
 */
export const assertSafeFields = <T>(fields: T): T => {
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > MAX_JSON_DEPTH) throw tooDeep();
    if (typeof value === 'string') {
      if (!isWellFormedText(value)) throw malformedText(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, path ? `${path}.${index}` : String(index), depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!isWellFormedText(key)) throw malformedText(path ? `${path}.<key>` : '<key>');
        walk(item, path ? `${path}.${key}` : key, depth + 1);
      }
    }
  };
  walk(fields, '', 0);
  return fields;
};

const malformedText = (path: string) =>
  invalidParameter(
    `Invalid value for parameter '${echoText(path)}' supplied: the text is not valid Unicode (it holds a lone UTF-16 surrogate).`,
  );
