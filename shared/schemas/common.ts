import { z } from 'zod';

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

export const KeyValue = z.object({ key: RequiredString, value: z.string().optional() });

/** An enum given by name, or by its proto number. */
export const protoEnum = <const T extends readonly [string, ...string[]]>(names: T, firstNumber = 1) =>
  z.preprocess((value) => {
    const numeric = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
    return typeof numeric === 'number' ? names[numeric - firstNumber] ?? value : value;
  }, z.enum(names));

export const PageToken = z.string().optional();
