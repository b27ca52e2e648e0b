import type { z } from 'zod';
import { echoValue, invalidParameter, invalidParameterType, MlflowError, missingParameter } from '../errors/index.js';

/**
 * Parses request fields with a zod schema and turns the first problem into MLflow's own message: a
 * missing or empty required field is "Missing value for required parameter", anything else "Invalid value
 * … for parameter". Unknown fields are ignored, as in MLflow.
 */
export const parseRequest = <S extends z.ZodType>(schema: S, fields: Record<string, unknown>): z.output<S> => {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalidParameter('Invalid request.');
  const path = issue.path.map(String).join('.');
  const value = valueAt(fields, issue.path);
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
    throw invalidParameterType(path, value);
  }
  throw invalidParameter(`Invalid value ${echoValue(value)} for parameter '${path}' supplied: ${issue.message}`);
};

const valueAt = (fields: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, segment) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment as string] : undefined,
    fields,
  );
