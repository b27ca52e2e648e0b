import { describe, expect, it } from 'vitest';
import { isTensorSchema, parseMlModel } from '../../../shared/domain/scoring/index.js';
import { errorOf } from '../../support/error-of.js';
import { SKLEARN_MLMODEL, SKLEARN_WITHOUT_PYFUNC_MLMODEL, TENSOR_WITH_PARAMS_MLMODEL } from './fixtures.js';

const withSignature = (inputs: string, params = 'null') =>
  `flavors:\n  python_function: {loader_module: mlflow.pyfunc.model}\nsignature:\n  inputs: '${inputs}'\n  outputs: null\n  params: ${params}\n`;

describe('parseMlModel', () => {
  it('reads an sklearn MLmodel: both flavors, and the column signature MLflow stores as folded JSON text', () => {
    // Act
    const model = parseMlModel(SKLEARN_MLMODEL);

    // Assess
    expect(model.hasPyfunc).toBe(true);
    expect(Object.keys(model.flavors)).toEqual(['python_function', 'sklearn']);
    expect(model.flavors['sklearn']).toMatchObject({ pickled_model: 'model.pkl', sklearn_version: '1.5.2' });
    expect(model.signature?.inputs).toEqual([
      { type: 'double', name: 'sepal length (cm)', required: true },
      { type: 'double', name: 'sepal width (cm)', required: true },
      { type: 'double', name: 'petal length (cm)', required: true },
      { type: 'double', name: 'petal width (cm)', required: true },
    ]);
    expect(model.signature?.outputs).toEqual([{ type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] } }]);
    expect(model.signature?.params).toBeUndefined();
  });

  it('reads a model without the python_function flavor and without a signature', () => {
    // Act
    const model = parseMlModel(SKLEARN_WITHOUT_PYFUNC_MLMODEL);

    // Assess
    expect(model.hasPyfunc).toBe(false);
    expect(Object.keys(model.flavors)).toEqual(['sklearn']);
    expect(model.signature).toBeUndefined();
  });

  it('reads tensor inputs and a params schema', () => {
    // Act
    const { signature } = parseMlModel(TENSOR_WITH_PARAMS_MLMODEL);

    // Assess
    expect(signature?.inputs && isTensorSchema(signature.inputs)).toBe(true);
    expect(signature?.inputs).toEqual([{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 28, 28] } }]);
    expect(signature?.params).toEqual([
      { name: 'temperature', type: 'float', default: 0.5, shape: null },
      { name: 'stop', type: 'string', default: ['END'], shape: [-1] },
      { name: 'verbose', type: 'boolean', default: false, shape: null },
    ]);
  });

  it('reads array, object, map and any columns, defaulting required to true', () => {
    // Prepare
    const inputs = JSON.stringify([
      { type: 'array', items: { type: 'string' }, name: 'tags', required: false },
      { type: 'object', properties: { id: { type: 'long', required: true }, note: { type: 'string', required: false } }, name: 'meta' },
      { type: 'map', values: { type: 'double' }, name: 'weights', required: true },
      { type: 'any', name: 'extra', required: false },
      { type: 'array', items: { type: 'something-new' }, name: 'future', required: true },
    ]);

    // Act
    const { signature } = parseMlModel(withSignature(inputs));

    // Assess
    expect(signature?.inputs).toEqual([
      { type: 'array', items: { type: 'string' }, name: 'tags', required: false },
      {
        type: 'object',
        properties: { id: { type: 'long', required: true }, note: { type: 'string', required: false } },
        name: 'meta',
        required: true,
      },
      { type: 'map', values: { type: 'double' }, name: 'weights', required: true },
      { type: 'any', name: 'extra', required: false },
      { type: 'array', items: { type: 'any' }, name: 'future', required: true },
    ]);
  });

  it('accepts an MLmodel without flavors or signature parts', () => {
    // Act & Assess
    expect(parseMlModel('mlflow_version: 2.17.2\n')).toEqual({ flavors: {}, hasPyfunc: false });
    expect(parseMlModel('flavors: {python_function: {}}\nsignature: {inputs: null}\n')).toEqual({
      flavors: { python_function: {} },
      signature: {},
      hasPyfunc: true,
    });
  });

  it.each([
    ['invalid YAML', 'flavors: [unclosed\n', /Invalid MLmodel file: /],
    ['a YAML list', '- python_function\n', /expected a YAML mapping at the top level/],
    ['flavors that are not a mapping', 'flavors: sklearn\n', /'flavors' must be a mapping/],
    ['inputs that are not JSON', withSignature('[{"type": "double"'), /'inputs' is not valid JSON/],
    ['inputs that are not a list', withSignature('{"type": "double"}'), /'inputs' must be a JSON list of specs/],
    ['an unknown column type', withSignature('[{"type": "decimal", "name": "x"}]'), /inputs\[0\] has unsupported type "decimal"/],
    [
      'column and tensor specs mixed',
      withSignature('[{"type": "double", "name": "x"}, {"type": "tensor", "name": "y", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'),
      /mixes column specs and tensor specs/,
    ],
    ['named and unnamed inputs mixed', withSignature('[{"type": "double", "name": "x"}, {"type": "double"}]'), /mixes named and unnamed inputs/],
    ['a tensor spec without a shape', withSignature('[{"type": "tensor", "tensor-spec": {"dtype": "float64"}}]'), /without a 'tensor-spec' holding 'dtype' and 'shape'/],
    ['a tensor dimension below -1', withSignature('[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-2]}}]'), /dimensions must be integers, -1 for any size/],
    ['a non-boolean required flag', withSignature('[{"type": "double", "name": "x", "required": "yes"}]'), /inputs\[0\].required must be a boolean/],
    ['a param without a default', withSignature('[]', `'[{"name": "k", "type": "long"}]'`), /params\[0\] must be an object with 'name', 'type' and 'default'/],
    ['a binary param', withSignature('[]', `'[{"name": "k", "type": "binary", "default": null}]'`), /params\[0\] \('k'\) has unsupported type "binary"/],
    ['a param of shape [2]', withSignature('[]', `'[{"name": "k", "type": "long", "default": [1, 2], "shape": [2]}]'`), /only null or \[-1\] are allowed/],
    [
      'duplicated params',
      withSignature('[]', `'[{"name": "k", "type": "long", "default": 1}, {"name": "k", "type": "long", "default": 2}]'`),
      /duplicated parameters found in params: k/,
    ],
  ])('refuses %s with INVALID_PARAMETER_VALUE', (_case, text, message) => {
    // Act
    const error = errorOf(() => parseMlModel(text));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', httpStatus: 400 });
    expect((error as Error).message).toMatch(message);
  });

  it('accepts the older `dtype` key for params', () => {
    // Act
    const { signature } = parseMlModel(withSignature('[]', `'[{"name": "k", "dtype": "long", "default": 3, "shape": null}]'`));

    // Assess
    expect(signature?.params).toEqual([{ name: 'k', type: 'long', default: 3, shape: null }]);
  });
});
