import { describe, expect, it } from 'vitest';
import {
  checkPayloadAgainstSignature,
  parseMlModel,
  parseScoringPayload,
  type ColumnSpec,
  type ModelSignature,
} from '../../../shared/domain/scoring/index.js';
import { errorOf } from '../../support/error-of.js';
import { SKLEARN_MLMODEL } from './fixtures.js';

const IRIS = parseMlModel(SKLEARN_MLMODEL).signature;
const FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

const check = (body: unknown, signature: ModelSignature | undefined = IRIS) =>
  checkPayloadAgainstSignature(parseScoringPayload(body), signature);

const refusal = (body: unknown, signature: ModelSignature | undefined = IRIS): string => {
  const error = errorOf(() => check(body, signature));
  expect(error).toMatchObject({ errorCode: 'BAD_REQUEST', httpStatus: 400 });
  return (error as Error).message;
};

const columns = (...specs: ColumnSpec[]): ModelSignature => ({ inputs: specs });

describe('checkPayloadAgainstSignature with column signatures', () => {
  it('accepts each payload format for the sklearn iris signature, integers included for double columns', () => {
    // Prepare
    const row = { 'sepal length (cm)': 5.1, 'sepal width (cm)': 3.5, 'petal length (cm)': 1, 'petal width (cm)': 0.2 };

    // Act & Assess
    expect(() => check({ dataframe_split: { columns: FEATURES, data: [[5.1, 3.5, 1.4, 0.2], [6, 3, 5, 2]] } })).not.toThrow();
    expect(() => check({ dataframe_records: [row, row] })).not.toThrow();
    expect(() => check({ instances: [row] })).not.toThrow();
    expect(() => check({ inputs: Object.fromEntries(FEATURES.map((name) => [name, [1.5, 2]])) })).not.toThrow();
    expect(() => check({ inputs: row })).not.toThrow();
  });

  it('ignores extra columns, as MLflow does', () => {
    // Act & Assess
    expect(() => check({ dataframe_split: { columns: [...FEATURES, 'id'], data: [[1, 2, 3, 4, 'row-1']] } })).not.toThrow();
  });

  it("names missing inputs in MLflow's words, noting the extra ones", () => {
    // Act
    const renamed = refusal({
      dataframe_split: { columns: [...FEATURES.slice(0, 3), 'petal_width'], data: [[1, 2, 3, 4]] },
    });
    const unnamed = refusal({ dataframe_split: { data: [[1, 2, 3, 4]] } });
    const dropped = refusal({ dataframe_records: [{ 'sepal length (cm)': 1, 'sepal width (cm)': 2 }] });

    // Assess
    expect(renamed).toBe("Model is missing inputs ['petal width (cm)']. Note that there were extra inputs: ['petal_width']");
    expect(unnamed).toBe(`Model is missing inputs ['${FEATURES.join("', '")}']. Note that there were extra inputs: [0, 1, 2, 3]`);
    expect(dropped).toBe("Model is missing inputs ['petal length (cm)', 'petal width (cm)'].");
  });

  it('names the column, the row and the expected type of a value that does not fit', () => {
    // Act
    const message = refusal({ dataframe_split: { columns: FEATURES, data: [[1, 2, 3, 4], [1, 2, 'wide', 4]] } });

    // Assess
    expect(message).toBe(
      "Incompatible input types for column 'petal length (cm)'. Row 1: \"wide\" (a JSON string) can not be safely converted to double.",
    );
  });

  it.each([
    ['a number written as a string', 'double', '1.5', '"1.5" (a JSON string) can not be safely converted to double'],
    ['a boolean', 'double', true, 'true (a JSON boolean) can not be safely converted to double'],
    ['a fraction', 'long', 2.5, '2.5 (a JSON number) can not be safely converted to long'],
    ['an integer beyond 32 bits', 'integer', 2 ** 31, '2147483648 (a JSON number) can not be safely converted to integer'],
    ['a number', 'boolean', 1, '1 (a JSON number) can not be safely converted to boolean'],
    ['a number', 'string', 7, '7 (a JSON number) can not be safely converted to string'],
    ['text that is no date', 'datetime', 'soon', '"soon" (a JSON string) can not be safely converted to datetime'],
    ['a list', 'float', [1], '[1] (a JSON array) can not be safely converted to float'],
  ] as const)('refuses %s for a %s column', (_case, type, value, problem) => {
    // Act
    const message = refusal({ dataframe_records: [{ x: value }] }, columns({ type, name: 'x', required: true }));

    // Assess
    expect(message).toBe(`Incompatible input types for column 'x'. Row 0: ${problem}.`);
  });

  it.each([
    ['double', 3],
    ['float', -0.5],
    ['long', 9007199254740991],
    ['integer', -(2 ** 31)],
    ['boolean', false],
    ['string', 'text'],
    ['binary', 'aGVsbG8='],
    ['datetime', '2021-01-01 00:00:00.1234567'],
  ] as const)('accepts a fitting value for a %s column', (type, value) => {
    // Act & Assess
    expect(() => check({ dataframe_records: [{ x: value }] }, columns({ type, name: 'x', required: true }))).not.toThrow();
  });

  it('accepts null and absent values only in optional columns', () => {
    // Prepare
    const signature = columns({ type: 'double', name: 'a', required: true }, { type: 'string', name: 'b', required: false });

    // Act & Assess
    expect(() => check({ dataframe_records: [{ a: 1, b: null }, { a: 2 }] }, signature)).not.toThrow();
    expect(() => check({ dataframe_records: [{ a: 1 }] }, signature)).not.toThrow();
    expect(refusal({ dataframe_split: { columns: ['a', 'b'], data: [[1, 'x'], [null, 'y']] } }, signature)).toBe(
      "Incompatible input types for column 'a'. It is a required double column but row 1 holds null.",
    );
    expect(refusal({ dataframe_records: [{ a: 1 }, { b: 'y' }] }, signature)).toBe(
      "Incompatible input types for column 'a'. It is a required double column but row 1 has no value for it.",
    );
  });

  it('checks unnamed column signatures by position and count', () => {
    // Prepare
    const signature = columns({ type: 'double', required: true }, { type: 'long', required: true });

    // Act & Assess
    expect(() => check({ dataframe_split: { data: [[1.5, 2, 'extra']] } }, signature)).not.toThrow();
    expect(refusal({ inputs: [1.5, 2.5] }, signature)).toBe(
      'Model inference is missing inputs. The model signature declares 2 inputs but the provided value only has 1 inputs. Note: the inputs were not named in the signature so we can only verify their count.',
    );
    expect(refusal({ dataframe_split: { data: [[1.5, 2], [2.5]] } }, signature)).toBe(
      'Incompatible input types for column 1. It is a required long column but row 1 has only 1 values (the input has 2 columns).',
    );
    expect(refusal({ dataframe_records: [[1.5, 0.5]] }, signature)).toBe(
      'Incompatible input types for column 1. Row 0: 0.5 (a JSON number) can not be safely converted to long.',
    );
  });

  it('binds a bare list to a single named column, as MLflow does', () => {
    // Prepare
    const signature = columns({ type: 'string', name: 'text', required: true });

    // Act & Assess
    expect(() => check({ inputs: ['a', 'b'] }, signature)).not.toThrow();
    expect(refusal({ inputs: ['a', 3] }, signature)).toBe(
      "Incompatible input types for column 'text'. Row 1: 3 (a JSON number) can not be safely converted to string.",
    );
    expect(refusal({ inputs: 'a' }, signature)).toBe("Model is missing inputs ['text']. Note that there were extra inputs: [0]");
  });

  it('reads a dict of lists as columns and refuses lists of different lengths', () => {
    // Prepare
    const signature = columns({ type: 'long', name: 'a', required: true }, { type: 'long', name: 'b', required: true });

    // Act & Assess
    expect(() => check({ instances: { a: [1, 2], b: [3, 4] } }, signature)).not.toThrow();
    expect(refusal({ inputs: { a: [1, 2], b: [3] } }, signature)).toBe(
      "Invalid input. The length of values for each input/column name are not the same ('a': 2, 'b': 1).",
    );
    expect(refusal({ inputs: { a: [1, 2], b: [3, 4.5] } }, signature)).toBe(
      "Incompatible input types for column 'b'. Row 1: 4.5 (a JSON number) can not be safely converted to long.",
    );
  });

  it('checks array, object and map columns, reading a dict as one row when the schema has arrays', () => {
    // Prepare
    const signature = columns(
      { type: 'array', items: { type: 'double' }, name: 'embedding', required: true },
      { type: 'object', properties: { id: { type: 'long', required: true }, tag: { type: 'string', required: false } }, name: 'meta', required: true },
      { type: 'map', values: { type: 'string' }, name: 'labels', required: false },
      { type: 'any', name: 'extra', required: false },
    );
    const good = { embedding: [0.1, 2], meta: { id: 7, tag: 'a' }, labels: { k: 'v' }, extra: [{ anything: true }] };

    // Act & Assess
    expect(() => check({ inputs: good }, signature)).not.toThrow();
    expect(() => check({ dataframe_records: [good, { ...good, labels: null }] }, signature)).not.toThrow();
    expect(refusal({ inputs: { ...good, embedding: [0.1, 'x'] } }, signature)).toBe(
      "Incompatible input types for column 'embedding'. Row 0: \"x\" (a JSON string) at [1] can not be safely converted to double.",
    );
    expect(refusal({ inputs: { ...good, meta: { tag: 'a' } } }, signature)).toBe(
      "Incompatible input types for column 'meta'. Row 0: the object is missing required properties ['id'].",
    );
    expect(refusal({ inputs: { ...good, meta: { id: 1, colour: 'red' } } }, signature)).toBe(
      "Incompatible input types for column 'meta'. Row 0: the object has properties not defined in the schema: ['colour'].",
    );
    expect(refusal({ inputs: { ...good, labels: { k: 1 } } }, signature)).toBe(
      "Incompatible input types for column 'labels'. Row 0: 1 (a JSON number) at ['k'] can not be safely converted to string.",
    );
    expect(refusal({ inputs: { ...good, embedding: 0.1 } }, signature)).toBe(
      "Incompatible input types for column 'embedding'. Row 0: 0.1 (a JSON number) can not be safely converted to array of double.",
    );
  });

  it('accepts anything without a signature or without inputs in it', () => {
    // Act & Assess
    const payload = parseScoringPayload({ dataframe_split: { data: [['anything', null, [1]]] } });
    expect(() => checkPayloadAgainstSignature(payload, undefined)).not.toThrow();
    expect(() => check({ inputs: { free: 'form' }, params: { unknown: 1 } }, {})).not.toThrow();
  });
});
