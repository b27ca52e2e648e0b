import { describe, expect, it } from 'vitest';
import { parseScoringPayload } from '../../../shared/domain/scoring/index.js';
import { errorOf } from '../../support/error-of.js';

const REQUIRED =
  "The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'inputs', 'instances'}";

const messageOf = (body: unknown): string => {
  const error = errorOf(() => parseScoringPayload(body));
  expect(error).toMatchObject({ errorCode: 'BAD_REQUEST', httpStatus: 400 });
  return (error as Error).message;
};

describe('parseScoringPayload', () => {
  it('reads dataframe_split with columns, index and params', () => {
    // Act
    const payload = parseScoringPayload({
      dataframe_split: { columns: ['a', 'b'], index: [10, 11], data: [[1, 'x'], [2, 'y']] },
      params: { temperature: 0.2 },
    });

    // Assess
    expect(payload).toEqual({
      format: 'dataframe_split',
      columns: ['a', 'b'],
      rows: [[1, 'x'], [2, 'y']],
      params: { temperature: 0.2 },
    });
  });

  it('reads dataframe_split without columns, and a list of single values as one column', () => {
    // Act & Assess
    expect(parseScoringPayload({ dataframe_split: { data: [[1, 2], [3, 4]] } })).toEqual({
      format: 'dataframe_split',
      rows: [[1, 2], [3, 4]],
    });
    expect(parseScoringPayload({ dataframe_split: { columns: ['a'], data: [1, 2] } })).toEqual({
      format: 'dataframe_split',
      columns: ['a'],
      rows: [[1], [2]],
    });
  });

  it('reads dataframe_records, leaving keys a record omits undefined', () => {
    // Act
    const payload = parseScoringPayload({ dataframe_records: [{ a: 1, b: 'x' }, { b: 'y', c: true }] });

    // Assess
    expect(payload).toEqual({
      format: 'dataframe_records',
      columns: ['a', 'b', 'c'],
      rows: [
        [1, 'x', undefined],
        [undefined, 'y', true],
      ],
    });
  });

  it('reads dataframe_records given as a list of lists as unnamed rows', () => {
    // Act & Assess
    expect(parseScoringPayload({ dataframe_records: [[1, 2], [3, 4]] })).toEqual({
      format: 'dataframe_records',
      rows: [[1, 2], [3, 4]],
    });
  });

  it('reads instances and inputs given as a list of objects as a table', () => {
    // Act & Assess
    expect(parseScoringPayload({ instances: [{ a: 1 }, { a: 2 }] })).toEqual({
      format: 'instances',
      columns: ['a'],
      rows: [[1], [2]],
    });
    expect(parseScoringPayload({ inputs: [{ a: 1, b: 2 }] })).toEqual({ format: 'inputs', columns: ['a', 'b'], rows: [[1, 2]] });
  });

  it('keeps a dict of inputs, nested lists and scalars as sent', () => {
    // Act & Assess
    expect(parseScoringPayload({ instances: { a: [1, 2], b: [3, 4] } })).toEqual({
      format: 'instances',
      columns: ['a', 'b'],
      tensor: { a: [1, 2], b: [3, 4] },
    });
    expect(parseScoringPayload({ inputs: [[1, 2], [3, 4]] })).toEqual({ format: 'inputs', tensor: [[1, 2], [3, 4]] });
    expect(parseScoringPayload({ inputs: 'hello' })).toEqual({ format: 'inputs', tensor: 'hello' });
    expect(parseScoringPayload({ inputs: [] })).toEqual({ format: 'inputs', tensor: [] });
  });

  it('ignores keys that are neither an input field nor params, and a null params', () => {
    // Act & Assess
    expect(parseScoringPayload({ inputs: [1], params: null, trace: true })).toEqual({ format: 'inputs', tensor: [1] });
  });

  it("refuses a body that is not a dictionary with MLflow's message", () => {
    // Act & Assess
    expect(messageOf([1, 2])).toBe(`Invalid input. ${REQUIRED}. Received a list.`);
    expect(messageOf('text')).toBe(`Invalid input. ${REQUIRED}. Received unexpected input type '<class 'str'>'.`);
    expect(messageOf(undefined)).toBe(`Invalid input. ${REQUIRED}. Received unexpected input type '<class 'NoneType'>'.`);
  });

  it('refuses no input field, or more than one, naming the ones received', () => {
    // Act
    const none = messageOf({ data: [[1]] });
    const two = messageOf({ inputs: [1], instances: [1], params: {} });

    // Assess
    expect(none).toMatch(new RegExp(`^${escapeRegExp(REQUIRED)}\\. Received dictionary with input fields: \\[\\]\\. IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2\\.0\\.`));
    expect(two).toContain(`${REQUIRED}. Received dictionary with input fields: ['inputs', 'instances']. IMPORTANT:`);
  });

  it('refuses malformed dataframe_split payloads', () => {
    // Act & Assess
    expect(messageOf({ dataframe_split: [[1]] })).toBe('Invalid input. Dataframe split format must be a dictionary. Got list.');
    expect(messageOf({ dataframe_split: { columns: ['a'], values: [[1]] } })).toBe(
      "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'columns', 'values'}.",
    );
    expect(messageOf({ dataframe_split: { columns: ['a', 'b'], data: [[1, 2], [3]] } })).toBe(
      "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'row 1 has 1 values but 2 columns are named'",
    );
    expect(messageOf({ dataframe_split: { columns: 'a', data: [[1]] } })).toContain("'columns' must be a list of column names");
    expect(messageOf({ dataframe_split: { data: [[1], [2]], index: [0] } })).toContain("'index' must be a list with one label per row (2)");
    expect(messageOf({ dataframe_split: { data: [[1], 2] } })).toContain('rows mix lists and single values');
    expect(messageOf({ dataframe_split: { data: 5 } })).toContain("'data' must be a list of rows");
  });

  it('refuses malformed dataframe_records payloads', () => {
    // Act & Assess
    expect(messageOf({ dataframe_records: { a: [1] } })).toBe(
      'Invalid input. Dataframe records format must be a list of records. Got dictionary.',
    );
    expect(messageOf({ dataframe_records: 'a' })).toBe(
      "Invalid input. Dataframe records format must be a list of records. Got type <class 'str'>.",
    );
    expect(messageOf({ dataframe_records: [{ a: 1 }, [2]] })).toBe(
      "Invalid input. Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: 'record 0 is an object but the others are not'",
    );
  });

  it('refuses params that are not a dictionary', () => {
    // Act & Assess
    expect(messageOf({ inputs: [1], params: ['a'] })).toBe("Invalid input. Parameters must be a dictionary. Got type 'list'.");
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
