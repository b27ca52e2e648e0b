import { parse } from 'yaml';
import { invalidParameter } from '../../errors/index.js';

/** MLflow's `DataType` names: the scalar column types a signature may declare. */
export const SCALAR_TYPES = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** MLflow's composite schema types (`Array`, `Object`, `Map`, `AnyType`, Spark ML vectors). */
export const COMPOSITE_TYPES = ['array', 'object', 'map', 'any', 'sparkml_vector'] as const;
export type CompositeType = (typeof COMPOSITE_TYPES)[number];

export type ValueTypeName = ScalarType | CompositeType;

/**
 * A value's declared type, in the JSON shape MLflow writes: `items` for arrays, `properties` for objects,
 * `values` for maps. Nested parts MLflow may add later are kept as `any` rather than refused.
 */
export interface ValueType {
  type: ValueTypeName;
  items?: ValueType;
  properties?: Record<string, PropertySpec>;
  values?: ValueType;
}

export type PropertySpec = ValueType & { required: boolean };

/** A `ColSpec`: `required` defaults to true, as in MLflow. */
export type ColumnSpec = ValueType & { name?: string; required: boolean };

export interface TensorSpec {
  type: 'tensor';
  name?: string;
  'tensor-spec': { dtype: string; shape: number[] };
}

/** A signature's input or output schema: all column specs or all tensor specs, never both. */
export type InputSchema = ColumnSpec[] | TensorSpec[];

export type ParamTypeName = Exclude<ScalarType, 'binary'> | 'object';

/** A `ParamSpec`: `shape` is null for a scalar and `[-1]` for a 1-D list. */
export interface ParamSpec {
  name: string;
  type: ParamTypeName;
  default: unknown;
  shape: number[] | null;
  properties?: Record<string, PropertySpec>;
}

export interface ModelSignature {
  inputs?: InputSchema;
  outputs?: InputSchema;
  params?: ParamSpec[];
}

export interface MlModel {
  flavors: Record<string, unknown>;
  signature?: ModelSignature;
  hasPyfunc: boolean;
}

const PYFUNC_FLAVOR = 'python_function';

export const isTensorSchema = (schema: InputSchema): schema is TensorSpec[] => schema[0]?.type === 'tensor';

/**
 * Reads an MLmodel file. MLflow stores each signature part as a JSON string inside the YAML, so those strings
 * are parsed a second time into typed specs.
 * @throws INVALID_PARAMETER_VALUE when the YAML or the signature is malformed.
 */
export const parseMlModel = (text: string): MlModel => {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw invalidParameter(`Invalid MLmodel file: ${(error as Error).message}`);
  }
  if (!isRecord(document)) throw invalidParameter('Invalid MLmodel file: expected a YAML mapping at the top level.');
  const flavors = document['flavors'] ?? {};
  if (!isRecord(flavors)) throw invalidParameter("Invalid MLmodel file: 'flavors' must be a mapping of flavor names.");
  const signature = document['signature'] == null ? undefined : parseSignature(document['signature']);
  return { flavors, ...(signature && { signature }), hasPyfunc: Object.hasOwn(flavors, PYFUNC_FLAVOR) };
};

const parseSignature = (raw: unknown): ModelSignature => {
  if (!isRecord(raw)) throw malformed("'signature' must be a mapping with 'inputs', 'outputs' and 'params'");
  const inputs = signaturePart(raw, 'inputs');
  const outputs = signaturePart(raw, 'outputs');
  const params = signaturePart(raw, 'params');
  return {
    ...(inputs !== undefined && { inputs: parseSchema(inputs, 'inputs') }),
    ...(outputs !== undefined && { outputs: parseSchema(outputs, 'outputs') }),
    ...(params !== undefined && { params: parseParams(params) }),
  };
};

// MLflow writes JSON text; a list written as plain YAML is accepted too, since it means the same.
const signaturePart = (signature: Record<string, unknown>, key: string): unknown[] | undefined => {
  const value = signature[key];
  if (value == null) return undefined;
  let decoded: unknown = value;
  if (typeof value === 'string') {
    try {
      decoded = JSON.parse(value);
    } catch (error) {
      throw malformed(`'${key}' is not valid JSON (${(error as Error).message})`);
    }
  }
  if (decoded === null) return undefined;
  if (!Array.isArray(decoded)) throw malformed(`'${key}' must be a JSON list of specs`);
  return decoded;
};

const parseSchema = (specs: unknown[], part: string): InputSchema => {
  const parsed = specs.map((spec, i) => parseInputSpec(spec, `${part}[${i}]`));
  const tensors = parsed.filter((spec): spec is TensorSpec => spec.type === 'tensor');
  if (tensors.length > 0 && tensors.length < parsed.length) {
    throw malformed(`'${part}' mixes column specs and tensor specs, which MLflow does not allow`);
  }
  const named = parsed.filter((spec) => spec.name !== undefined).length;
  if (named > 0 && named < parsed.length) {
    throw malformed(`'${part}' mixes named and unnamed inputs, which MLflow does not allow`);
  }
  return tensors.length > 0 ? tensors : (parsed as ColumnSpec[]);
};

const parseInputSpec = (raw: unknown, where: string): ColumnSpec | TensorSpec => {
  if (!isRecord(raw)) throw malformed(`${where} must be a JSON object`);
  const name = raw['name'];
  if (name !== undefined && name !== null && typeof name !== 'string') throw malformed(`${where}.name must be a string`);
  const named = typeof name === 'string' ? { name } : {};
  if (raw['type'] === 'tensor') return { type: 'tensor', ...named, 'tensor-spec': parseTensorInfo(raw['tensor-spec'], where) };
  const required = raw['required'] ?? true;
  if (typeof required !== 'boolean') throw malformed(`${where}.required must be a boolean`);
  return { ...parseValueType(raw, where), ...named, required };
};

const parseTensorInfo = (raw: unknown, where: string): TensorSpec['tensor-spec'] => {
  if (!isRecord(raw) || typeof raw['dtype'] !== 'string' || raw['dtype'] === '' || !Array.isArray(raw['shape'])) {
    throw malformed(`${where} is a tensor spec without a 'tensor-spec' holding 'dtype' and 'shape'`);
  }
  const shape = raw['shape'];
  if (!shape.every((dim) => Number.isInteger(dim) && (dim as number) >= -1)) {
    throw malformed(`${where} has tensor shape ${JSON.stringify(shape)}; dimensions must be integers, -1 for any size`);
  }
  return { dtype: raw['dtype'], shape: shape as number[] };
};

const parseValueType = (raw: Record<string, unknown>, where: string): ValueType => {
  const type = raw['type'];
  if (!isTypeName(type)) {
    throw malformed(`${where} has unsupported type ${JSON.stringify(type)}, expected one of ${[...SCALAR_TYPES, ...COMPOSITE_TYPES].join(', ')}`);
  }
  if (type === 'array') return { type, items: nestedType(raw['items'], `${where}.items`) };
  if (type === 'map') return { type, values: nestedType(raw['values'], `${where}.values`) };
  if (type === 'object') return { type, properties: parseProperties(raw['properties'], where) };
  return { type };
};

// Composite types are accepted loosely: a nested part Cairn does not understand is checked as `any`.
const nestedType = (raw: unknown, where: string): ValueType =>
  isRecord(raw) && isTypeName(raw['type']) ? parseValueType(raw, where) : { type: 'any' };

const parseProperties = (raw: unknown, where: string): Record<string, PropertySpec> => {
  if (!isRecord(raw)) throw malformed(`${where} is an object type without a 'properties' mapping`);
  return Object.fromEntries(
    Object.entries(raw).map(([name, prop]) => {
      const required = isRecord(prop) && typeof prop['required'] === 'boolean' ? prop['required'] : true;
      return [name, { ...nestedType(prop, `${where}.properties.${name}`), required }];
    }),
  );
};

const parseParams = (specs: unknown[]): ParamSpec[] => {
  const params = specs.map((raw, i): ParamSpec => {
    const where = `params[${i}]`;
    // Older MLflow versions wrote `dtype` instead of `type`.
    if (!isRecord(raw) || typeof raw['name'] !== 'string' || !('default' in raw)) {
      throw malformed(`${where} must be an object with 'name', 'type' and 'default'`);
    }
    const type = raw['type'] ?? raw['dtype'];
    if (!isParamType(type)) throw malformed(`${where} ('${raw['name']}') has unsupported type ${JSON.stringify(type)}`);
    const shape = raw['shape'] ?? null;
    if (shape !== null && !(Array.isArray(shape) && shape.length === 1 && shape[0] === -1)) {
      throw malformed(`${where} ('${raw['name']}') has shape ${JSON.stringify(shape)}; only null or [-1] are allowed`);
    }
    const properties = type === 'object' ? { properties: parseProperties(raw['properties'], where) } : {};
    return { name: raw['name'], type, default: raw['default'], shape, ...properties };
  });
  const names = params.map((param) => param.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0) throw malformed(`duplicated parameters found in params: ${duplicates.join(', ')}`);
  return params;
};

const isTypeName = (value: unknown): value is ValueTypeName =>
  (SCALAR_TYPES as readonly unknown[]).includes(value) || (COMPOSITE_TYPES as readonly unknown[]).includes(value);

const isParamType = (value: unknown): value is ParamTypeName =>
  value === 'object' || (value !== 'binary' && (SCALAR_TYPES as readonly unknown[]).includes(value));

const malformed = (detail: string) => invalidParameter(`Invalid model signature in MLmodel file: ${detail}.`);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
