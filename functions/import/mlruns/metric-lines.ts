import type { SourceMetricPoint } from '../source.js';

/**
 * The metric files of MLflow's file store (`mlflow/store/tracking/file_store.py`): one line per point, fields
 * separated by single spaces, values formatted by Python's `str(float)`.
 *   run metric    `<timestamp> <value> <step>`, or `<timestamp> <value> <step> <dataset name> <dataset digest>`
 *                 (MLflow ≥ 3), or `<timestamp> <value>` from MLflow before steps (step 0);
 *   model metric  `<timestamp> <value> <step> <run id>`, optionally followed by `<dataset name> <dataset digest>`.
 */

/** Python's `float()` on what `str(float)` wrote: `nan`, `inf`, `-inf`, `1e-05`, `3.0`, also an int `5`. */
export const parsePythonFloat = (text: string): number => {
  const lower = text.trim().toLowerCase();
  const unsigned = lower.replace(/^[-+]/, '');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  const value = lower === '' ? Number.NaN : Number(lower.replaceAll('_', ''));
  if (Number.isNaN(value)) throw new Error(`not a number: ${JSON.stringify(text)}`);
  return value;
};

const parseInteger = (text: string, what: string): number => {
  if (!/^[-+]?\d+$/.test(text)) throw new Error(`${what} is not an integer: ${JSON.stringify(text)}`);
  return Number(text);
};

/**
 * A dataset name may hold spaces (MLflow does not forbid it, then fails to read its own line); the digest never
 * does, so the name is everything between the fixed fields and the last one.
 */
const datasetOf = (rest: readonly string[]): Pick<SourceMetricPoint, 'datasetName' | 'datasetDigest'> =>
  rest.length >= 2 ? { datasetName: rest.slice(0, -1).join(' '), datasetDigest: rest.at(-1) as string } : {};

const fieldsOf = (line: string): string[] => line.trim().split(' ');

/**
 * One line of a run's metric file. Unlike MLflow's own reader (which sets step 0 on a five-field line), the step
 * written is kept.
 */
export const parseRunMetricLine = (key: string, line: string): SourceMetricPoint => {
  const fields = fieldsOf(line);
  if (fields.length < 2 || fields.length === 4) {
    throw new Error(`metric '${key}': expected 2, 3 or 5 fields, got ${fields.length} in ${JSON.stringify(line)}`);
  }
  const [timestamp, value, step, ...rest] = fields as [string, string, string | undefined, ...string[]];
  return {
    key,
    timestamp: parseInteger(timestamp, `metric '${key}' timestamp`),
    value: parsePythonFloat(value),
    step: step === undefined ? 0 : parseInteger(step, `metric '${key}' step`),
    ...datasetOf(rest),
  };
};

/** One line of a logged model's metric file; the model's id comes from its folder. */
export const parseModelMetricLine = (modelId: string, key: string, line: string): SourceMetricPoint => {
  const fields = fieldsOf(line);
  if (fields.length < 4 || fields.length === 5) {
    throw new Error(`model metric '${key}': expected 4 or 6 fields, got ${fields.length} in ${JSON.stringify(line)}`);
  }
  const [timestamp, value, step, runId, ...rest] = fields as [string, string, string, string, ...string[]];
  return {
    key,
    timestamp: parseInteger(timestamp, `model metric '${key}' timestamp`),
    value: parsePythonFloat(value),
    step: parseInteger(step, `model metric '${key}' step`),
    modelId,
    runId,
    ...datasetOf(rest),
  };
};
