/**
 * JSON text exactly as Python's `json.dumps(value)` writes it with its defaults (`", "` and `": "`
 * separators, `ensure_ascii=True`), so a delivered body is byte for byte what MLflow's server sends:
 * receivers that re-serialize before checking the signature (against advice) still agree with it.
 */
export const pythonJsonDumps = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiString(value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
};

// JSON.stringify already escapes quotes, backslashes and control characters as Python does (short forms for
// \b \f \n \r \t, lower-case \u00XX otherwise); ensure_ascii also escapes DEL and everything above it.
const asciiString = (text: string): string =>
  JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const pythonNumber = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(value);
};
