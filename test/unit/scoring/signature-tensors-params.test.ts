import { describe, expect, it } from 'vitest';
import {
  checkPayloadAgainstSignature,
  parseMlModel,
  parseScoringPayload,
  type ModelSignature,
  type TensorSpec,
} from '../../../shared/domain/scoring/index.js';
import { errorOf } from '../../support/error-of.js';
import { TENSOR_WITH_PARAMS_MLMODEL } from './fixtures.js';

const IMAGES = parseMlModel(TENSOR_WITH_PARAMS_MLMODEL).signature as ModelSignature;

const check = (body: unknown, signature: ModelSignature) => checkPayloadAgainstSignature(parseScoringPayload(body), signature);

const refusal = (body: unknown, signature: ModelSignature): string => {
  const error = errorOf(() => check(body, signature));
  expect(error).toMatchObject({ errorCode: 'BAD_REQUEST', httpStatus: 400 });
  return (error as Error).message;
};

const tensor = (dtype: string, shape: number[], name?: string): TensorSpec => ({
  type: 'tensor',
  ...(name !== undefined && { name }),
  'tensor-spec': { dtype, shape },
});

const image = (fill: unknown = 0.5) => Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => fill));

describe('checkPayloadAgainstSignature with tensor signatures', () => {
  it('accepts a batch of the declared shape, with integers and nulls in a float tensor', () => {
    // Prepare
    const withNull = image(1);
    withNull[3]![4] = null;

    // Act & Assess
    expect(() => check({ inputs: [image(), withNull] }, IMAGES)).not.toThrow();
    expect(() => check({ instances: [image()] }, IMAGES)).not.toThrow();
  });

  it('refuses a tensor of the wrong rank or a fixed dimension of the wrong size', () => {
    // Act & Assess
    expect(refusal({ inputs: image() }, IMAGES)).toBe('Shape of the input (28, 28) does not match expected shape (-1, 28, 28).');
    expect(refusal({ inputs: [image().slice(1)] }, IMAGES)).toBe(
      'Shape of the input (1, 27, 28) does not match expected shape (-1, 28, 28).',
    );
    expect(refusal({ inputs: 0.5 }, { inputs: [tensor('float64', [-1])] })).toBe(
      'Shape of the input () does not match expected shape (-1,).',
    );
  });

  it('refuses ragged lists unless an inner dimension is variable', () => {
    // Act & Assess
    expect(refusal({ inputs: [[1, 2], [3]] }, { inputs: [tensor('float64', [-1, 2])] })).toBe(
      'Shape of the input does not match expected shape (-1, 2): its nested lists have different lengths.',
    );
    expect(() => check({ inputs: [[1, 2], [3]] }, { inputs: [tensor('float64', [-1, -1])] })).not.toThrow();
  });

  it('refuses elements whose JSON type does not match the dtype, naming their index', () => {
    // Prepare
    const bad = image();
    bad[2]![5] = '0.5';

    // Act & Assess
    expect(refusal({ inputs: [image(), bad] }, IMAGES)).toBe(
      'dtype of the input does not match expected dtype float32: "0.5" (a JSON string) at index [1, 2, 5].',
    );
    expect(refusal({ inputs: [1, 2.5] }, { inputs: [tensor('int64', [-1])] })).toBe(
      'dtype of the input does not match expected dtype int64: 2.5 (a JSON number) at index [1].',
    );
    expect(refusal({ inputs: [1, -1] }, { inputs: [tensor('uint8', [-1])] })).toContain('-1 (a JSON number) at index [1]');
    expect(refusal({ inputs: ['a', 1] }, { inputs: [tensor('str', [-1])] })).toContain('1 (a JSON number) at index [1]');
    expect(refusal({ inputs: [true, 0] }, { inputs: [tensor('bool', [-1])] })).toContain('0 (a JSON number) at index [1]');
    expect(refusal({ inputs: [true] }, { inputs: [tensor('float64', [-1])] })).toContain('true (a JSON boolean) at index [0]');
  });

  it('lets an object tensor of shape (-1,) take anything, as MLflow does', () => {
    // Act & Assess
    expect(() => check({ inputs: [[1, 'a'], { b: 2 }, null] }, { inputs: [tensor('object', [-1])] })).not.toThrow();
  });

  it('refuses a dict for an unnamed tensor signature', () => {
    // Act & Assess
    expect(refusal({ inputs: { x: [1] } }, { inputs: [tensor('float64', [-1])] })).toMatch(
      /^This model contains a tensor-based model signature with no input names, .* but a dict was found\.$/,
    );
  });

  it('reads table columns as tensors, a column of single values standing for (-1, 1)', () => {
    // Act & Assess
    expect(() => check({ dataframe_split: { columns: ['x'], data: [[1], [2]] } }, { inputs: [tensor('float64', [-1, 1])] })).not.toThrow();
    expect(() => check({ dataframe_split: { data: [[1, 2], [3, 4]] } }, { inputs: [tensor('float64', [-1, 2])] })).not.toThrow();
    expect(refusal({ dataframe_split: { data: [[1, 2, 3]] } }, { inputs: [tensor('float64', [-1, 2])] })).toBe(
      'Shape of the input (1, 3) does not match expected shape (-1, 2).',
    );
  });

  it('checks named tensors by name, shape and dtype', () => {
    // Prepare
    const signature: ModelSignature = { inputs: [tensor('int64', [-1, 3], 'ids'), tensor('float32', [-1], 'mask')] };

    // Act & Assess
    expect(() => check({ inputs: { ids: [[1, 2, 3]], mask: [1], unused: 'x' } }, signature)).not.toThrow();
    expect(() => check({ instances: [{ ids: [1, 2, 3], mask: 0.5 }] }, signature)).not.toThrow();
    expect(refusal({ inputs: { ids: [[1, 2, 3]], masks: [1] } }, signature)).toBe(
      "Model is missing inputs ['mask']. Note that there were extra inputs: ['masks']",
    );
    expect(refusal({ inputs: { ids: [[1, 2]], mask: [1] } }, signature)).toBe(
      "Shape of input 'ids' (1, 2) does not match expected shape (-1, 3).",
    );
    expect(refusal({ inputs: [[1, 2, 3]] }, signature)).toMatch(
      /^This model contains a tensor-based model signature with input names, .* but an input of type array was found\.$/,
    );
  });

  it('binds a bare list to a single named tensor', () => {
    // Prepare
    const signature: ModelSignature = { inputs: [tensor('int32', [-1, 2], 'pairs')] };

    // Act & Assess
    expect(() => check({ inputs: [[1, 2], [3, 4]] }, signature)).not.toThrow();
    expect(refusal({ inputs: [[1, 2], [3, 'x']] }, signature)).toBe(
      "dtype of input 'pairs' does not match expected dtype int32: \"x\" (a JSON string) at index [1, 1].",
    );
  });
});

describe('checkPayloadAgainstSignature with a params schema', () => {
  it('accepts declared params of the right type, integers for floats, and null', () => {
    // Act & Assess
    expect(() => check({ inputs: [image()], params: { temperature: 1, stop: ['a', 'b'], verbose: true } }, IMAGES)).not.toThrow();
    expect(() => check({ inputs: [image()], params: { temperature: null } }, IMAGES)).not.toThrow();
    expect(() => check({ inputs: [image()] }, IMAGES)).not.toThrow();
  });

  it('refuses params the schema does not declare', () => {
    // Act & Assess
    expect(refusal({ inputs: [image()], params: { temperature: 0.1, top_k: 5 } }, IMAGES)).toBe(
      "Unrecognized params ['top_k'] are not defined in the model signature. Supported params are: ['temperature', 'stop', 'verbose'].",
    );
  });

  it('refuses params of the wrong type or shape, naming each', () => {
    // Act
    const message = refusal({ inputs: [image()], params: { temperature: 'hot', stop: 'END', verbose: 1 } }, IMAGES);

    // Assess
    expect(message).toBe(
      "Invalid parameters found: 'temperature': \"hot\" (a JSON string) can not be safely converted to float; " +
        "'stop': expected a 1D list of string (shape (-1,)), got \"END\" (a JSON string); " +
        "'verbose': 1 (a JSON number) can not be safely converted to boolean.",
    );
  });

  it('refuses a list for a scalar param and a wrong element in a list param', () => {
    // Act & Assess
    expect(refusal({ inputs: [image()], params: { temperature: [0.1] } }, IMAGES)).toBe(
      "Invalid parameters found: 'temperature': expected a single float, got a list.",
    );
    expect(refusal({ inputs: [image()], params: { stop: ['a', 2] } }, IMAGES)).toBe(
      "Invalid parameters found: 'stop': 2 (a JSON number) at [1] can not be safely converted to string.",
    );
  });

  it('checks object params against their properties', () => {
    // Prepare
    const signature: ModelSignature = {
      params: [
        { name: 'options', type: 'object', default: { k: 1 }, shape: null, properties: { k: { type: 'long', required: true } } },
      ],
    };

    // Act & Assess
    expect(() => check({ inputs: [1], params: { options: { k: 3 } } }, signature)).not.toThrow();
    expect(refusal({ inputs: [1], params: { options: { k: 'three' } } }, signature)).toBe(
      "Invalid parameters found: 'options': \"three\" (a JSON string) at ['k'] can not be safely converted to long.",
    );
  });

  it('ignores params when the signature declares no params schema, as MLflow does', () => {
    // Act & Assess
    expect(() => check({ inputs: [1.5], params: { anything: 'goes' } }, { inputs: [tensor('float64', [-1])] })).not.toThrow();
  });
});
