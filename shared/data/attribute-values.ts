import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Items ⇄ DynamoDB attribute values, as `@aws-sdk/util-dynamodb`'s marshall/unmarshall (with removeUndefinedValues,
 * no class instances as maps) would do them, but safe for any map key. The SDK builds maps by assignment on plain
 * objects, so a key `__proto__` is silently lost, and it tells maps from class instances by `data.constructor`, so a
 * tag named `constructor` fails the write. Here a map's keys are its own enumerable keys, and a map read back is a
 * null-prototype object where every key, `__proto__` included, is an own property.
 */

type Native = unknown;

export const marshallItem = (item: Record<string, Native>): Record<string, AttributeValue> => mapOf(item);

export const unmarshallItem = (attributes: Record<string, AttributeValue>): Record<string, Native> => nativeMap(attributes);

const isMap = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === null || prototype === Object.prototype;
};

const mapOf = (value: object): Record<string, AttributeValue> => {
  const attributes: Record<string, AttributeValue> = Object.create(null) as Record<string, AttributeValue>;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, Native>)[key];
    if (field === undefined || typeof field === 'function') continue;
    attributes[key] = toAttribute(field);
  }
  return attributes;
};

const toAttribute = (value: Native): AttributeValue => {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      return { N: numberText(value) };
    case 'bigint':
      return { N: value.toString() };
    case 'object':
      break;
    default:
      throw new Error(`Unsupported type passed: ${typeof value}`);
  }
  if (Array.isArray(value)) return { L: value.filter((v) => v !== undefined).map(toAttribute) };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) return setOf(value as Set<Native>);
  if (value instanceof Map) return { M: mapOf(Object.fromEntries(value as Map<string, Native>)) };
  if (isMap(value)) return { M: mapOf(value) };
  throw new Error(`Unsupported type passed: ${Object.prototype.toString.call(value)}`);
};

/** The SDK refuses what DynamoDB cannot store exactly: NaN, ±Infinity and integers past 2^53 as JS numbers. */
const numberText = (value: number): string => {
  if (!Number.isFinite(value)) throw new Error(`Special numeric value ${value} is not allowed`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new Error(`Number ${value} is greater than Number.MAX_SAFE_INTEGER. Use BigInt.`);
  }
  return String(value);
};

const setOf = (set: Set<Native>): AttributeValue => {
  const values = [...set];
  if (values.every((v) => typeof v === 'string')) return { SS: values as string[] };
  if (values.every((v) => typeof v === 'number' || typeof v === 'bigint')) {
    return { NS: values.map((v) => (typeof v === 'bigint' ? v.toString() : numberText(v as number))) };
  }
  if (values.every((v) => v instanceof Uint8Array)) return { BS: values as Uint8Array[] };
  throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
};

const nativeMap = (attributes: Record<string, AttributeValue>): Record<string, Native> => {
  const map = Object.create(null) as Record<string, Native>;
  for (const [key, value] of Object.entries(attributes)) map[key] = toNative(value);
  return map;
};

const toNative = (value: AttributeValue): Native => {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return nativeNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return nativeMap(value.M);
  if (value.L !== undefined) return value.L.map(toNative);
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(nativeNumber));
  if (value.BS !== undefined) return new Set(value.BS);
  if (value.B !== undefined) return value.B;
  throw new Error(`Unsupported attribute value: ${Object.keys(value).join(', ')}`);
};

/** As the SDK: a number past JS's safe integers comes back as a BigInt rather than rounded. */
const nativeNumber = (text: string): number | bigint => {
  const number = Number(text);
  if (Number.isFinite(number) && Math.abs(number) > Number.MAX_SAFE_INTEGER) {
    try {
      return BigInt(text);
    } catch {
      throw new Error(`${text} can't be converted to BigInt. Set options.wrapNumbers to get string value.`);
    }
  }
  return number;
};
