import { badRequest } from '../../errors/index.js';

/** The input fields of MLflow's JSON scoring protocol (2.x and 3.x). */
export const SCORING_FORMATS = ['dataframe_split', 'dataframe_records', 'inputs', 'instances'] as const;
export type ScoringFormat = (typeof SCORING_FORMATS)[number];

/**
 * A scoring request read the way MLflow's scoring server reads it, before any signature is applied.
 * Tabular inputs (both dataframe formats, and `inputs`/`instances` given as a list of objects) land in
 * `rows`, with `columns` when the payload names them; a row may be shorter than `columns` only where a
 * record left a key out, and then holds `undefined` there. Everything else under `inputs`/`instances`
 * (nested lists, scalars, a dict of named inputs) stays as sent in `tensor`, because how it reads depends
 * on the signature; for a dict, `columns` lists its keys.
 */
export interface ScoringPayload {
  format: ScoringFormat;
  columns?: string[];
  rows?: unknown[][];
  tensor?: unknown;
  params?: Record<string, unknown>;
}

// MLflow prints its Python set here; this is the order its own error messages show.
const REQUIRED_INPUT_FORMAT =
  "The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'inputs', 'instances'}";

const SCORING_PROTOCOL_CHANGE_INFO =
  'IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, ' +
  'you are likely using an outdated scoring request format. To resolve the error, either update your request ' +
  "format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, " +
  "change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow " +
  'client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use ' +
  'the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, ' +
  'see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.';

/**
 * Reads a parsed JSON scoring body. Keys other than the four input fields and `params` are ignored, as
 * MLflow's scoring server ignores them.
 * @throws BAD_REQUEST with MLflow's wording when the body is not in one of the formats.
 */
export const parseScoringPayload = (body: unknown): ScoringPayload => {
  if (Array.isArray(body)) throw badRequest(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received a list.`);
  if (!isRecord(body)) {
    throw badRequest(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${pythonClass(body)}'.`);
  }
  const fields = Object.keys(body).filter((key): key is ScoringFormat => (SCORING_FORMATS as readonly string[]).includes(key));
  const format = fields[0];
  if (format === undefined || fields.length > 1) {
    throw badRequest(
      `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: ${pythonStrings(fields)}. ${SCORING_PROTOCOL_CHANGE_INFO}`,
    );
  }
  const params = parseParams(body['params']);
  const input = readInput(format, body[format]);
  return { format, ...input, ...(params && { params }) };
};

type Input = Pick<ScoringPayload, 'columns' | 'rows' | 'tensor'>;

const readInput = (format: ScoringFormat, value: unknown): Input => {
  if (format === 'dataframe_split') return readSplit(value);
  if (format === 'dataframe_records') return readRecords(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) return fromRecords(value);
  if (isRecord(value)) return { columns: Object.keys(value), tensor: value };
  return { tensor: value };
};

const readSplit = (value: unknown): Input => {
  if (!isRecord(value)) {
    const got = Array.isArray(value) ? 'list' : `type ${pythonClass(value)}`;
    throw badRequest(`Invalid input. Dataframe split format must be a dictionary. Got ${got}.`);
  }
  const keys = Object.keys(value);
  if (!('data' in value) || keys.some((key) => !['columns', 'data', 'index'].includes(key))) {
    throw badRequest(
      `Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got ${pythonSet(keys)}.`,
    );
  }
  const rows = toRows(value['data'], 'split');
  const columns = value['columns'] ?? undefined;
  const index = value['index'] ?? undefined;
  if (columns !== undefined) {
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string' || typeof c === 'number')) {
      throw notAFrame('split', "'columns' must be a list of column names");
    }
    // pandas refuses a row whose length differs from the named columns, signature or not.
    rows.forEach((row, i) => {
      if (row.length !== columns.length) {
        throw notAFrame('split', `row ${i} has ${row.length} values but ${columns.length} columns are named`);
      }
    });
  }
  if (index !== undefined && (!Array.isArray(index) || index.length !== rows.length)) {
    throw notAFrame('split', `'index' must be a list with one label per row (${rows.length})`);
  }
  return { ...(columns !== undefined && { columns: columns.map(String) }), rows };
};

const readRecords = (value: unknown): Input => {
  if (!Array.isArray(value)) {
    const got = isRecord(value) ? 'dictionary' : `type ${pythonClass(value)}`;
    throw badRequest(`Invalid input. Dataframe records format must be a list of records. Got ${got}.`);
  }
  if (value.length > 0 && value.every(isRecord)) return fromRecords(value);
  const record = value.findIndex(isRecord);
  if (record >= 0) throw notAFrame('records', `record ${record} is an object but the others are not`);
  return { rows: toRows(value, 'records') };
};

// Columns appear in the order records first name them, as pandas builds them.
const fromRecords = (records: Record<string, unknown>[]): Input => {
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return { columns, rows: records.map((record) => columns.map((column) => record[column])) };
};

// pandas reads a list of scalars as a single column, and a list of lists as rows.
const toRows = (data: unknown, orient: 'split' | 'records'): unknown[][] => {
  if (!Array.isArray(data)) throw notAFrame(orient, "'data' must be a list of rows");
  const lists = data.filter(Array.isArray).length;
  if (lists > 0 && lists < data.length) throw notAFrame(orient, 'rows mix lists and single values');
  return lists > 0 ? (data as unknown[][]) : data.map((cell) => [cell]);
};

const parseParams = (params: unknown): Record<string, unknown> | undefined => {
  if (params === undefined || params === null) return undefined;
  if (!isRecord(params)) {
    throw badRequest(`Invalid input. Parameters must be a dictionary. Got type '${pythonTypeName(params)}'.`);
  }
  return params;
};

const notAFrame = (orient: 'split' | 'records', detail: string) =>
  badRequest(
    `Invalid input. Provided dataframe_${orient} field is not a valid dataframe representation in '${orient}' format. Error: '${detail}'`,
  );

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const pythonTypeName = (value: unknown): string => {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return 'dict';
};

const pythonClass = (value: unknown) => `<class '${pythonTypeName(value)}'>`;
const pythonStrings = (items: readonly string[]) => `[${items.map((item) => `'${item}'`).join(', ')}]`;
const pythonSet = (items: readonly string[]) => `{${items.map((item) => `'${item}'`).join(', ')}}`;
