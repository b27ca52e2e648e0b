/**
 * How MLflow's messages print a number the caller sent. MLflow quotes the Python value of the JSON it parsed:
 * `9.0` is the float 9.0, printed `9.0` and typed 'float', where JSON.parse leaves only the number 9; a big
 * integer keeps every digit. The request's JSON text is kept aside (per request, only for its error path) so that
 * a message can read the number as it was written.
 */

const SOURCES = new WeakMap<object, string>();

/** Remembers the JSON text `fields` was parsed from. */
export const rememberJsonSource = (fields: object, text: string): void => {
  SOURCES.set(fields, text);
};

/** The JSON text `fields` was parsed from, if it came from a JSON body. */
export const jsonSourceOf = (fields: object): string | undefined => SOURCES.get(fields);

/** A number as Python prints it (its `json.dumps`) and Python's name of its type. */
export interface PythonNumber {
  readonly text: string;
  readonly typeName: 'int' | 'float';
}

/** The number literal at `path` in the JSON `text` (the last one, as duplicate keys go), as Python reads it. */
export const pythonNumberAt = (text: string, path: readonly PropertyKey[]): PythonNumber | undefined => {
  const literal = literalAt(text, path.map((segment) => (typeof segment === 'number' ? segment : String(segment))));
  if (literal === undefined) return undefined;
  if (!/[.eE]/.test(literal)) return { text: literal.replace(/^-0+(?=\d)/, '-').replace(/^0+(?=\d)/, ''), typeName: 'int' };
  return { text: pythonFloatRepr(Number(literal)), typeName: 'float' };
};

/**
 * Python's `repr` of a float: the shortest digits that read back the same (as JavaScript's), written plainly
 * for decimal exponents from -4 to 15 with at least one digit after the point, and as `d.ddde+XX` otherwise.
 */
export const pythonFloatRepr = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
};

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /true|false|null/y;

/** A small walk over JSON text (already known to parse) that answers the raw literal at one path. */
const literalAt = (text: string, target: readonly (string | number)[]): string | undefined => {
  let at = 0;
  let found: string | undefined;
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] ?? '')) at++;
  };
  const readString = (): string => {
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    const raw = text.slice(at, end + 1);
    at = end + 1;
    return JSON.parse(raw) as string;
  };
  const onPath = (path: readonly (string | number)[]) =>
    path.length <= target.length && path.every((segment, index) => segment === target[index]);
  const readValue = (path: (string | number)[]): void => {
    skipSpace();
    const open = text[at];
    if (open === '{' || open === '[') {
      at++;
      skipSpace();
      if (text[at] === (open === '{' ? '}' : ']')) {
        at++;
        return;
      }
      for (let index = 0; ; index++) {
        skipSpace();
        let segment: string | number = index;
        if (open === '{') {
          segment = readString();
          skipSpace();
          at++; // ':'
        }
        readValue([...path, segment]);
        skipSpace();
        const separator = text[at++];
        if (separator !== ',') return;
      }
    }
    if (open === '"') {
      readString();
      return;
    }
    for (const pattern of [NUMBER, WORD]) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (!match) continue;
      at += match[0].length;
      if (pattern === NUMBER && path.length === target.length && onPath(path)) found = match[0];
      return;
    }
    at = text.length; // not JSON after all: stop
  };
  try {
    readValue([]);
  } catch {
    return undefined;
  }
  return found;
};
