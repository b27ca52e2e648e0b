/**
 * Error texts of MLflow's search parsers (mlflow/utils/search_utils.py, SearchUtils and
 * SearchExperimentsUtils; mlflow/utils/search_logged_model_utils.py), and the helpers that print
 * values the way Python's f-strings do, so clients see the reference server's wording.
 *
 * Python prints sets in hash order, which changes from process to process; Cairn prints them in
 * MLflow's declaration order.
 */
import { invalidParameter, type MlflowError } from '../../errors/index.js';

/** Python's `repr()` of a str: single quotes unless the text holds a single quote and no double one. */
export const pyRepr = (text: string): string => {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of text) {
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += `\\${ch}`;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else body += ch;
  }
  return quote + body + quote;
};

/** Python's printing of a set of str. */
export const pySet = (items: readonly string[]): string => `{${items.map(pyRepr).join(', ')}}`;

/** Python's printing of a list of str. */
export const pyList = (items: readonly string[]): string => `[${items.map(pyRepr).join(', ')}]`;

/** Python's printing of a tuple of str. */
export const pyTuple = (items: readonly string[]): string =>
  items.length === 1 ? `(${pyRepr(items[0] ?? '')},)` : `(${items.map(pyRepr).join(', ')})`;

export const METRIC_COMPARATORS = ['>', '>=', '!=', '=', '<', '<='] as const;
export const PARAM_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE'] as const;
export const TAG_COMPARATORS = PARAM_COMPARATORS;
export const STRING_ATTRIBUTE_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'] as const;
export const NUMERIC_ATTRIBUTE_COMPARATORS = METRIC_COMPARATORS;
export const DATASET_COMPARATORS = STRING_ATTRIBUTE_COMPARATORS;

/**
 * `Invalid comparator 'X' not one of '{...}`. MLflow closes the quote for params and string
 * attributes only; `closingQuote` reproduces that.
 */
export const invalidComparator = (
  comparator: string,
  valid: readonly string[],
  closingQuote: boolean,
): MlflowError =>
  invalidParameter(
    `Invalid comparator '${comparator}' not one of '${pySet(valid)}${closingQuote ? "'" : ''}`,
  );

export const invalidClauses = (rendered: string): MlflowError =>
  invalidParameter(`Invalid clause(s) in filter string: ${rendered}`);

export const multipleExpressions = (filter: string): MlflowError =>
  invalidParameter(
    `Search filter contained multiple expression ${pyRepr(filter)}. Provide AND-ed expression list.`,
  );

export const expectedIdentifier = (found: string): MlflowError =>
  invalidParameter(`Invalid comparison clause. Expected 'Identifier' found '${found}'`);

export const invalidAttributeKey = (key: string, valid: readonly string[]): MlflowError =>
  invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(valid)}'`);

export const notQuoted = (value: string): MlflowError =>
  invalidParameter(
    `Parameter value is either not quoted or unidentified quote types used for string value ${value}. Use either single or double quotes.`,
  );

export const expectedQuotedFor = (what: string, value: string): MlflowError =>
  invalidParameter(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${value}`);

export const listOnlyForRunId = (): MlflowError =>
  invalidParameter(
    "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
  );

export const listNeedsInComparator = (comparator: string): MlflowError =>
  invalidParameter(
    `Invalid comparator '${comparator}' for a list of values. Use 'IN' or 'NOT IN' to compare with a list.`,
  );

export const emptyList = (): MlflowError =>
  invalidParameter(
    'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
  );

export const illFormedList = (): MlflowError =>
  invalidParameter(
    'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
  );

export const nonStringInList = (raw: string): MlflowError =>
  invalidParameter(
    `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${raw}`,
  );

export const invalidOrderByClause = (clause: string): MlflowError =>
  invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);

export const invalidOrderingKey = (clause: string): MlflowError =>
  invalidParameter(`Invalid ordering key in order_by clause '${clause}'.`);
