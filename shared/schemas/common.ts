import { z } from 'zod';
import { invalidParameter, type MlflowError } from '../errors/index.js';

/**
 * Building blocks for MLflow request schemas. Values can arrive as proto JSON (numbers, or numbers as
 * strings for int64) or from a GET query string (always strings, repeated keys for lists), so scalars are
 * coerced the way MLflow's request parser coerces them (mlflow/server/handlers.py `_get_request_message`).
 */

const INTEGER = /^-?\d+$/;

const integerFrom = (value: unknown) => (typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : value);

export const Int64 = z.preprocess(integerFrom, z.number().int());
export const Int32 = z.preprocess(integerFrom, z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1));

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A double: a JSON number, or "NaN"/"Infinity"/"-Infinity" (proto JSON's non-finite forms), or a numeric string. */
export const Double = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  if (value in NON_FINITE) return NON_FINITE[value];
  const trimmed = value.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : value;
  // z.number() refuses NaN and ±Infinity, which MLflow metrics allow.
}, z.custom<number>((value) => typeof value === 'number', { params: { typeMismatch: true } }));

/** Booleans: JSON booleans, or `true`/`false` in any case from a query string (the Python client sends `True`). */
export const Bool = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}, z.boolean());

/** A repeated field: a single query value counts as a one-element list. */
export const repeated = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item));

/** Experiment ids are strings on the wire, but MLflow accepts numbers and turns them into strings. */
export const ExperimentId = z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string());

/** A required string: missing and empty are both "missing", as in MLflow. */
export const RequiredString = z.string().min(1);

/**
 * The most UTF-8 bytes an id or name may have when it is looked up. DynamoDB refuses a partition key over
 * 2,048 bytes, and a key joins at most two such parts with a short prefix (`MH#<run id>#<metric key>`).
 * Every id Cairn or MLflow makes is far shorter, and every name with a key of its own has a shorter MLflow
 * limit (registered models 256 characters); experiment names, up to 500 characters, get NAME_MAX_BYTES.
 */
export const ID_MAX_BYTES = 1000;
/** Experiment names: 500 characters (MLflow's limit) of up to 3 UTF-8 bytes each, under `EXPNAME#`. */
export const NAME_MAX_BYTES = 2000;

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A string that names something to look up: longer than `maxBytes` it cannot be a key, so it names nothing.
 * With `notFound`, it answers as a missing entity does (MLflow's SQL store answers "not found" for any
 * unknown id, however long); without, INVALID_PARAMETER_VALUE. Either way it never reaches the table.
 */
export const lookupKey = (notFound?: (value: string) => MlflowError, maxBytes = ID_MAX_BYTES) =>
  z.string().superRefine((value, ctx) => {
    if (value.length * 3 <= maxBytes || utf8Length(value) <= maxBytes) return;
    ctx.addIssue({
      code: 'custom',
      message: `at most ${maxBytes} bytes`,
      params: notFound ? { error: notFound(value) } : { maxBytes },
      input: value,
    });
  });

/** A required id or name (missing and empty are "missing"), bounded as lookupKey bounds it. */
export const requiredKey = (notFound?: (value: string) => MlflowError, maxBytes = ID_MAX_BYTES) =>
  RequiredString.pipe(lookupKey(notFound, maxBytes));

/**
 * A stored free-text field with the most characters it may have (MLflow's limit where it has one, Cairn's
 * where it has none): items are limited to 400 KB in DynamoDB, so no text is unbounded.
 */
export const limitedText = (entity: string, maxLength: number) =>
  z.string().superRefine((value, ctx) => {
    if (value.length <= maxLength) return;
    ctx.addIssue({
      code: 'custom',
      message: 'too long',
      params: {
        error: invalidParameter(
          `${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${maxLength}`,
        ),
      },
      input: value,
    });
  });

export const KeyValue = z.object({ key: RequiredString, value: z.string().optional() });

/** An enum given by name, or by its proto number. */
export const protoEnum = <const T extends readonly [string, ...string[]]>(names: T, firstNumber = 1) =>
  z.preprocess((value) => {
    const numeric = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
    return typeof numeric === 'number' ? names[numeric - firstNumber] ?? value : value;
  }, z.enum(names));

export const PageToken = z.string().optional();
