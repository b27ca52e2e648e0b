import { pythonJsonDumps } from '../kernel/python-json.js';

/**
 * JSON text as MLflow's server writes the JSON-in-a-string fields of evaluation datasets (`json.dumps`, Python's
 * defaults), and the canonical form it hashes a record's inputs by (`json.dumps(inputs, sort_keys=True)`).
 */

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Python's `json.dumps(value)`. */
export const pyJson = (value: unknown): string => pythonJsonDumps(value);

/** Python's `json.dumps(value, sort_keys=True)`: keys sorted at every level, so equal dicts give equal text. */
export const pyJsonSorted = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(pyJsonSorted).join(', ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${pythonJsonDumps(key)}: ${pyJsonSorted(value[key])}`).join(', ')}}`;
  }
  return pythonJsonDumps(value);
};

/** A dict of JSON texts (kept in their order) as Python writes the dict: `{"k": <text>, ...}`. */
export const pyJsonEntries = (entries: readonly (readonly [string, string])[]): string =>
  `{${entries.map(([key, text]) => `${pythonJsonDumps(key)}: ${text}`).join(', ')}}`;

/** `str(value)` for the values MLflow turns into tag strings (set_dataset_tags). */
export const pyStr = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonJsonDumps(value);
  return pythonJsonDumps(value);
};

/** The type name MLflow's schema inference gives a value (`_infer_field_type`). */
export const inferFieldType = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  return 'object';
};
