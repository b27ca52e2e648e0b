import type { z } from 'zod';
import { pythonNumberAt } from './json-numbers.js';
import { echoValue, invalidParameter, invalidParameterType, MlflowError, missingParameter } from '../errors/index.js';

/**
 * Parses request fields with a zod schema and turns the first problem into MLflow's own message: a
 * missing or empty required field is "Missing value for required parameter", anything else "Invalid value
 * … for parameter". Unknown fields are ignored, as in MLflow.
 */
export const parseRequest = <S extends z.ZodType>(schema: S, fields: Record<string, unknown>, jsonSource?: string): z.output<S> => {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (!first) throw invalidParameter('Invalid request.');
  const issue = { ...first, path: sentPath(fields, first.path) };
  const path = parameterPath(issue.path);
  const value = valueAt(fields, issue.path);
  const asPython = () => (typeof value === 'number' && jsonSource !== undefined ? pythonNumberAt(jsonSource, issue.path) : undefined);
  if (issue.path.length < first.path.length) throw invalidParameterType(path, value, asPython());
  // A building block that knows MLflow's answer (a missing entity, a length limit) carries it ready-made.
  if (issue.code === 'custom' && issue.params?.error instanceof MlflowError) throw issue.params.error;
  if (issue.code === 'custom' && typeof issue.params?.maxBytes === 'number') {
    throw invalidParameter(
      `Invalid value for parameter '${path}' supplied: an identifier or name may have at most ${issue.params.maxBytes} bytes (UTF-8).`,
    );
  }
  if (issue.code === 'custom' && !issue.params?.typeMismatch) throw invalidParameter(issue.message);
  if (value === undefined || value === null || (value === '' && issue.code === 'too_small')) throw missingParameter(path);
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_format' || issue.code === 'custom') {
    throw invalidParameterType(path, value, asPython());
  }
  throw invalidParameter(`Invalid value ${asPython()?.text ?? echoValue(value)} for parameter '${path}' supplied: ${issue.message}`);
};

/**
 * A parameter's path as MLflow's messages write it: `metrics[0].timestamp` (handlers.py's log-batch checks), not
 * `metrics.0.timestamp`.
 */
export const parameterPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${String(segment)}` : String(segment)), '');

/**
 * The issue's path cut where the sent value stops being a container: a list field sent as a scalar (`tags: "5"`)
 * is wrapped into a list by the schema (a query string's single value is a one-element list), so a failure on its
 * element is MLflow's failure of the field itself, `Invalid value "5" for parameter 'tags'`.
 */
const sentPath = (fields: unknown, path: readonly PropertyKey[]): PropertyKey[] => {
  let value = fields;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    if (typeof segment === 'number' && !Array.isArray(value) && value !== undefined && value !== null) return path.slice(0, index);
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment as string] : undefined;
  }
  return [...path];
};

const valueAt = (fields: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, segment) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment as string] : undefined,
    fields,
  );
