import { badRequest } from '../../errors/index.js';
import {
  isTensorSchema,
  type ColumnSpec,
  type ModelSignature,
  type ParamSpec,
  type ScalarType,
  type TensorSpec,
  type ValueType,
} from './mlmodel.js';
import type { ScoringPayload } from './payload.js';

/**
 * Checks a parsed scoring payload against a model version's signature, the way MLflow's `_enforce_schema`
 * and `_enforce_params_schema` would once the request reached the endpoint, so a mismatch is answered by
 * Cairn with a 400 naming the input, the row and the expected type instead of a model-side stack trace.
 * Without a signature anything goes, as in MLflow. Where MLflow would coerce silently and the value is
 * clearly wrong (numbers as strings, booleans as numbers, fractions for integer columns), this refuses.
 * @throws BAD_REQUEST on the first mismatch.
 */
export const checkPayloadAgainstSignature = (payload: ScoringPayload, signature: ModelSignature | undefined): void => {
  if (!signature) return;
  const inputs = signature.inputs;
  if (inputs && inputs.length > 0) {
    if (isTensorSchema(inputs)) checkTensorInputs(payload, inputs);
    else checkColumnInputs(payload, inputs);
  }
  // Without a params schema MLflow drops params with a warning, so they are not refused here either.
  if (signature.params) checkParams(payload.params ?? {}, signature.params);
};

/** A table as pandas would hold it: named columns, or positions (numbers) when the payload names none. */
type Table = { columns: (string | number)[]; rows: unknown[][] };

const checkColumnInputs = (payload: ScoringPayload, schema: ColumnSpec[]): void => {
  const table = tableOf(payload, schema);
  if (schema[0]?.name === undefined) {
    if (table.columns.length < schema.length) {
      throw badRequest(
        `Model inference is missing inputs. The model signature declares ${schema.length} inputs but the provided value only has ${table.columns.length} inputs. Note: the inputs were not named in the signature so we can only verify their count.`,
      );
    }
    schema.forEach((spec, position) => checkColumn(position, spec, table, position));
    return;
  }
  const names = schema.map((spec) => spec.name as string);
  requireInputs(schema.filter((spec) => spec.required).map((spec) => spec.name as string), names, table.columns);
  for (const spec of schema) {
    const position = table.columns.indexOf(spec.name as string);
    if (position >= 0) checkColumn(spec.name as string, spec, table, position);
  }
};

const tableOf = (payload: ScoringPayload, schema: ColumnSpec[]): Table => {
  if (payload.rows) return { columns: payload.columns ?? positions(payload.rows), rows: payload.rows };
  const value = payload.tensor;
  const single = schema.length === 1 ? schema[0]?.name : undefined;
  if (isRecord(value)) return tableFromDict(value, schema);
  if (Array.isArray(value)) {
    // MLflow binds a bare list to the only named column; otherwise pandas reads it as rows or one column.
    if (single !== undefined && !value.some(isRecord)) return { columns: [single], rows: value.map((cell) => [cell]) };
    if (value.length > 0 && value.every(Array.isArray)) return { columns: positions(value), rows: value };
    return { columns: [0], rows: value.map((cell) => [cell]) };
  }
  return { columns: [0], rows: [[value]] };
};

// MLflow reads a dict as one row when its values are single values or the schema has array/object columns,
// and otherwise as columns of equal length.
const tableFromDict = (dict: Record<string, unknown>, schema: ColumnSpec[]): Table => {
  const columns = Object.keys(dict);
  const values = Object.values(dict);
  if (!values.some(Array.isArray) || schema.some((spec) => spec.type === 'array' || spec.type === 'object')) {
    return { columns, rows: [values] };
  }
  const lengths = values.flatMap((v) => (Array.isArray(v) ? [v.length] : []));
  if (new Set(lengths).size > 1) {
    const detail = columns.map((c, i) => `'${c}': ${Array.isArray(values[i]) ? (values[i] as unknown[]).length : 1}`).join(', ');
    throw badRequest(`Invalid input. The length of values for each input/column name are not the same (${detail}).`);
  }
  const rows = Array.from({ length: lengths[0] ?? 0 }, (_, r) => values.map((v) => (Array.isArray(v) ? v[r] : v)));
  return { columns, rows };
};

const checkColumn = (label: string | number, spec: ColumnSpec, table: Table, position: number): void => {
  const column = typeof label === 'string' ? `'${label}'` : String(label);
  table.rows.forEach((row, r) => {
    const cell = row[position];
    if (cell === undefined || cell === null) {
      if (!spec.required) return;
      const held = position >= row.length
        ? `row ${r} has only ${row.length} values (the input has ${table.columns.length} columns)`
        : cell === null ? `row ${r} holds null` : `row ${r} has no value for it`;
      throw badRequest(`Incompatible input types for column ${column}. It is a required ${describe(spec)} column but ${held}.`);
    }
    const problem = mismatch(cell, spec);
    if (problem) throw badRequest(`Incompatible input types for column ${column}. Row ${r}: ${problem}.`);
  });
};

const requireInputs = (required: string[], declared: string[], actual: (string | number)[]): void => {
  const missing = required.filter((name) => !actual.includes(name));
  if (missing.length === 0) return;
  const extra = actual.filter((column) => typeof column === 'number' || !declared.includes(column));
  const note = extra.length > 0 ? ` Note that there were extra inputs: ${pythonList(extra)}` : '';
  throw badRequest(`Model is missing inputs ${pythonList(missing)}.${note}`);
};

/** Why `value` does not fit `type`, or undefined when it does. */
const mismatch = (value: unknown, type: ValueType, at = ''): string | undefined => {
  const fail = () => `${show(value)}${at ? ` at ${at}` : ''} can not be safely converted to ${describe(type)}`;
  switch (type.type) {
    case 'any':
      return undefined;
    case 'array':
    case 'sparkml_vector': {
      if (!Array.isArray(value)) return fail();
      const items = type.items ?? { type: type.type === 'array' ? 'any' : 'double' };
      for (const [i, item] of value.entries()) {
        const problem = item === null ? `the value at ${at}[${i}] is null` : mismatch(item, items, `${at}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'map':
      if (!isRecord(value)) return fail();
      for (const [key, item] of Object.entries(value)) {
        const problem = item === null ? `the value at ${at}['${key}'] is null` : mismatch(item, type.values ?? { type: 'any' }, `${at}['${key}']`);
        if (problem) return problem;
      }
      return undefined;
    case 'object': {
      if (!isRecord(value)) return fail();
      const properties = type.properties ?? {};
      const missing = Object.keys(properties).filter((key) => properties[key]?.required && value[key] == null);
      const where = `the object${at ? ` at ${at}` : ''}`;
      if (missing.length > 0) return `${where} is missing required properties ${pythonList(missing)}`;
      const unknown = Object.keys(value).filter((key) => !Object.hasOwn(properties, key));
      if (unknown.length > 0) return `${where} has properties not defined in the schema: ${pythonList(unknown)}`;
      for (const [key, item] of Object.entries(value)) {
        const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
        const problem = item === null || property === undefined ? undefined : mismatch(item, property, `${at}['${key}']`);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return SCALAR_FITS[type.type](value) ? undefined : fail();
  }
};

// JSON numbers carry no width: integers fit every numeric type, fractions only the floating ones.
const SCALAR_FITS: Record<ScalarType, (value: unknown) => boolean> = {
  double: (v) => typeof v === 'number',
  float: (v) => typeof v === 'number',
  long: (v) => Number.isSafeInteger(v),
  integer: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  binary: (v) => typeof v === 'string', // base64 text, which MLflow decodes
  datetime: (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v))) || Number.isInteger(v),
};

const checkTensorInputs = (payload: ScoringPayload, schema: TensorSpec[]): void => {
  const [first] = schema;
  if (first === undefined) return;
  if (first.name === undefined) {
    if (payload.rows) {
      const single = positions(payload.rows).length === 1;
      checkTensor('the input', single ? payload.rows.map((row) => row[0]) : payload.rows, first, single);
    } else if (isRecord(payload.tensor)) {
      throw badRequest(
        'This model contains a tensor-based model signature with no input names, which suggests a single n-dimensional array or a single value as input, but a dict was found.',
      );
    } else {
      checkTensor('the input', payload.tensor, first, false);
    }
    return;
  }
  const named = namedTensors(payload, schema);
  const names = schema.map((spec) => spec.name as string);
  requireInputs(names, names, named.columns);
  for (const spec of schema) {
    checkTensor(`input '${spec.name}'`, named.values[spec.name as string], spec, named.fromTable);
  }
};

const namedTensors = (payload: ScoringPayload, schema: TensorSpec[]) => {
  const { rows, tensor } = payload;
  if (rows) {
    const columns: (string | number)[] = payload.columns ?? positions(rows);
    const values = Object.fromEntries(columns.map((column, i) => [column, rows.map((row) => row[i])]));
    return { columns, values, fromTable: true };
  }
  if (isRecord(tensor)) return { columns: Object.keys(tensor), values: tensor, fromTable: false };
  const only = schema.length === 1 ? schema[0]?.name : undefined;
  if (only !== undefined && Array.isArray(tensor)) return { columns: [only], values: { [only]: tensor }, fromTable: false };
  throw badRequest(
    `This model contains a tensor-based model signature with input names, which suggests a dictionary input mapping input name to tensor, but an input of type ${jsonType(tensor)} was found.`,
  );
};

/**
 * Checks a nested list against a tensor spec: rank, fixed dimensions (-1 is any size) and element dtype.
 * A table column of single values may also stand for a `(-1, 1)` tensor, as MLflow reshapes it.
 */
const checkTensor = (label: string, value: unknown, spec: TensorSpec, column: boolean): void => {
  const { dtype, shape: expected } = spec['tensor-spec'];
  const fits = DTYPE_FITS.find(([pattern]) => pattern.test(dtype))?.[1];
  if (!fits && expected.length === 1 && expected[0] === -1) return;
  const actual = shapeOf(value);
  if (actual === 'ragged') {
    if (!expected.slice(1).includes(-1)) {
      throw badRequest(`Shape of ${label} does not match expected shape ${pythonTuple(expected)}: its nested lists have different lengths.`);
    }
  } else {
    const shape = column && actual.length === 1 && expected.length === 2 && expected[1] === 1 ? [actual[0] as number, 1] : actual;
    if (shape.length !== expected.length || expected.some((dim, i) => dim !== -1 && dim !== shape[i])) {
      throw badRequest(`Shape of ${label} ${pythonTuple(actual)} does not match expected shape ${pythonTuple(expected)}.`);
    }
  }
  const bad = fits && firstLeaf(value, (leaf) => !fits(leaf));
  if (bad) {
    const at = bad.path.length > 0 ? ` at index [${bad.path.join(', ')}]` : '';
    throw badRequest(`dtype of ${label} does not match expected dtype ${dtype}: ${show(bad.leaf)}${at}.`);
  }
};

// Names as numpy writes them (`np.dtype(...).name`); dtypes without a JSON counterpart (object, datetime64)
// are not checked, and an object tensor of shape (-1,) takes anything, as in MLflow.
const DTYPE_FITS: [RegExp, (leaf: unknown) => boolean][] = [
  [/^bool_?$/, (v) => typeof v === 'boolean'],
  [/^uint\d*$/, (v) => Number.isSafeInteger(v) && (v as number) >= 0],
  [/^int\d*$/, (v) => Number.isSafeInteger(v)],
  [/^float\d*$/, (v) => typeof v === 'number' || v === null], // numpy reads null as NaN
  [/^(str|bytes|unicode)\d*$/, (v) => typeof v === 'string'],
];

const shapeOf = (value: unknown): number[] | 'ragged' => {
  if (!Array.isArray(value)) return [];
  const inner = value.map(shapeOf);
  const [first] = inner;
  if (first === undefined) return [0];
  const same = inner.every((s) => s !== 'ragged' && first !== 'ragged' && s.join() === first.join());
  return same && first !== 'ragged' ? [value.length, ...first] : 'ragged';
};

const firstLeaf = (value: unknown, bad: (leaf: unknown) => boolean, path: number[] = []): { leaf: unknown; path: number[] } | undefined => {
  if (!Array.isArray(value)) return bad(value) ? { leaf: value, path } : undefined;
  for (const [i, item] of value.entries()) {
    const found = firstLeaf(item, bad, [...path, i]);
    if (found) return found;
  }
  return undefined;
};

const checkParams = (params: Record<string, unknown>, specs: ParamSpec[]): void => {
  const supported = specs.map((spec) => spec.name);
  const unknown = Object.keys(params).filter((name) => !supported.includes(name));
  if (unknown.length > 0) {
    throw badRequest(`Unrecognized params ${pythonList(unknown)} are not defined in the model signature. Supported params are: ${pythonList(supported)}.`);
  }
  const problems = specs.flatMap((spec) => {
    const problem = Object.hasOwn(params, spec.name) ? paramProblem(params[spec.name], spec) : undefined;
    return problem ? [`'${spec.name}': ${problem}`] : [];
  });
  if (problems.length > 0) throw badRequest(`Invalid parameters found: ${problems.join('; ')}.`);
};

const paramProblem = (value: unknown, spec: ParamSpec): string | undefined => {
  if (value === null) return undefined;
  const type: ValueType = { type: spec.type, ...(spec.properties && { properties: spec.properties }) };
  if (spec.shape === null) return Array.isArray(value) ? `expected a single ${describe(type)}, got a list` : mismatch(value, type);
  if (!Array.isArray(value) || value.some(Array.isArray)) return `expected a 1D list of ${describe(type)} (shape (-1,)), got ${show(value)}`;
  for (const [i, item] of value.entries()) {
    const problem = item === null ? undefined : mismatch(item, type, `[${i}]`);
    if (problem) return problem;
  }
  return undefined;
};

const describe = (type: ValueType): string => {
  if (type.type === 'array') return `array of ${describe(type.items ?? { type: 'any' })}`;
  if (type.type === 'map') return `map of ${describe(type.values ?? { type: 'any' })}`;
  return type.type;
};

// pandas makes a frame as wide as its longest row.
const positions = (rows: unknown[][]): number[] =>
  Array.from({ length: rows.reduce((width, row) => Math.max(width, row.length), 0) }, (_, i) => i);

const jsonType = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
};

const show = (value: unknown): string => {
  if (value === undefined) return 'a missing value';
  const text = JSON.stringify(value);
  return `${text.length > 60 ? `${text.slice(0, 57)}...` : text} (a JSON ${jsonType(value)})`;
};

const pythonList = (items: (string | number)[]): string =>
  `[${items.map((item) => (typeof item === 'number' ? String(item) : `'${item}'`)).join(', ')}]`;

const pythonTuple = (dims: number[]): string => (dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
