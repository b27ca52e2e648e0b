import { describe, expect, it } from 'vitest';
import { metaNumber, metaString, metaStringMap, parseMetaYaml } from '../../../functions/import/mlruns/meta-yaml.js';
import { parseModelMetricLine, parsePythonFloat, parseRunMetricLine } from '../../../functions/import/mlruns/metric-lines.js';
import { keyPath } from '../../../functions/import/mlruns/files.js';
import { pyYamlDump, pythonFloat } from '../../support/mlruns-fixture/python-text.js';
import { seededRandom } from '../../support/seeded-random.js';

// A run's meta.yaml as PyYAML writes it (sorted keys, YAML 1.1 quoting, long plain text folded at 80 columns).
const PYYAML_RUN_META = `artifact_uri: file:///Users/alice/My%20Project/mlruns/0/0f1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts
deleted_time: null
end_time: 1700000000900
entry_point_name: ''
experiment_id: '0'
lifecycle_stage: active
run_id: 0f1b2c3d4e5f60718293a4b5c6d7e8f9
run_name: a very long run name with many words that PyYAML folds once it passes the eighty
  column width
run_uuid: 0f1b2c3d4e5f60718293a4b5c6d7e8f9
source_name: ''
source_type: 4
source_version: ''
start_time: 1700000000100
status: 3
tags: []
user_id: "j\\xFCrgen \\U0001F680"
`;

describe('meta.yaml as PyYAML writes it', () => {
  it('reads a run meta.yaml: quoted ids stay text, ints are numbers, null is null, folded text is joined', () => {
    // Act
    const meta = parseMetaYaml(PYYAML_RUN_META);

    // Assess
    expect(meta).toEqual({
      artifact_uri: 'file:///Users/alice/My%20Project/mlruns/0/0f1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts',
      deleted_time: null,
      end_time: 1700000000900,
      entry_point_name: '',
      experiment_id: '0',
      lifecycle_stage: 'active',
      run_id: '0f1b2c3d4e5f60718293a4b5c6d7e8f9',
      run_name: 'a very long run name with many words that PyYAML folds once it passes the eighty column width',
      run_uuid: '0f1b2c3d4e5f60718293a4b5c6d7e8f9',
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: 1700000000100,
      status: 3,
      tags: [],
      user_id: 'jürgen 🚀',
    });
  });

  it.each([
    ['plain: 0o17', '0o17'],
    ['plain: 1e5', '1e5'],
    ['plain: 1_000', 1000],
    ['plain: 0x1F', 31],
    ['plain: 017', 15],
    ['plain: yes', true],
    ['plain: Off', false],
    ["plain: 'yes'", 'yes'],
    ['plain: ~', null],
    ['plain:', null],
    ['plain: .nan', Number.NaN],
    ['plain: -.inf', -Infinity],
    ['plain: 1.5', 1.5],
    ['plain: 418327502894961023', '418327502894961023'],
    ["plain: 'it''s: here'", "it's: here"],
    ['plain: "tab\\there"', 'tab\there'],
    ['plain: Évaluation — 模型', 'Évaluation — 模型'],
  ])('resolves %j with PyYAML\'s YAML 1.1 rules', (text, expected) => {
    // Act & Assess
    expect(parseMetaYaml(text)['plain']).toEqual(expected);
  });

  it('reads nested mappings (dataset input tags) and empty ones', () => {
    // Act
    const meta = parseMetaYaml('source_type: DATASET\ntags:\n  mlflow.data.context: training\n  n: 5\nother: {}\n');

    // Assess
    expect(metaStringMap(meta, 'tags')).toEqual({ 'mlflow.data.context': 'training', n: '5' });
    expect(metaStringMap(meta, 'other')).toEqual({});
    expect(metaStringMap(meta, 'missing')).toEqual({});
  });

  it('gives an empty file as no fields and refuses a document that is not a mapping', () => {
    // Act & Assess
    expect(parseMetaYaml('')).toEqual({});
    expect(() => parseMetaYaml('- a\n- b\n')).toThrow(/not a mapping/);
    expect(() => parseMetaYaml('a: [\n')).toThrow();
  });

  it('turns old int ids into text and numeric text into numbers where a number is wanted', () => {
    // Arrange
    const meta = parseMetaYaml("experiment_id: 3\ncreation_time: '1700000000000'\nname: x\n");

    // Act & Assess
    expect(metaString(meta, 'experiment_id')).toBe('3');
    expect(metaNumber(meta, 'creation_time')).toBe(1700000000000);
    expect(metaNumber(meta, 'name')).toBeUndefined();
    expect(metaString(meta, 'missing')).toBeUndefined();
  });

  it('reads back whatever the fixture writer dumps, for text YAML 1.1 would mistake', () => {
    // Arrange
    const data = {
      run_id: '49f8a1cd19d9ae5b0ea567150f458324',
      words: ['yes', 'no', 'null', '~', '', '0o17', '1e5', '1_000', '0', '-1', '.5', '2024-01-01', '<<', '='],
      odd: [' leading', 'trailing ', 'a: b', 'x #y', '#z', '- dash', 'multi\nline', 'quote\'s', 'ü 模型 🚀', 'key:'],
      nested: { 'mlflow.data.context': 'training', empty: '' },
      none: null,
      count: 3,
      empty: {},
      list: [],
    };

    // Act
    const text = pyYamlDump(data);

    // Assess
    expect(text).toContain('run_id: 49f8a1cd19d9ae5b0ea567150f458324\n');
    expect(parseMetaYaml(text)).toEqual(data);
  });
});

describe('metric lines as MLflow writes them', () => {
  it.each([
    ['nan', Number.NaN],
    ['-nan', Number.NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['Infinity', Infinity],
    ['1e-05', 1e-5],
    ['1.5e+16', 1.5e16],
    ['5', 5],
    ['3.0', 3],
    ['-0.0', -0],
  ])('reads %s as Python\'s float() does', (text, expected) => {
    // Act & Assess
    expect(Object.is(parsePythonFloat(text), expected)).toBe(true);
  });

  it('refuses text that is not a number', () => {
    // Act & Assess
    expect(() => parsePythonFloat('')).toThrow(/not a number/);
    expect(() => parsePythonFloat('abc')).toThrow(/not a number/);
  });

  it('reads run lines of 2, 3 and 5 fields, a dataset name with spaces, and Windows line ends', () => {
    // Act & Assess
    expect(parseRunMetricLine('m', '1700000000000 0.5')).toEqual({ key: 'm', timestamp: 1700000000000, value: 0.5, step: 0 });
    expect(parseRunMetricLine('m', '1700000000000 nan 7\r')).toEqual({ key: 'm', timestamp: 1700000000000, value: Number.NaN, step: 7 });
    expect(parseRunMetricLine('m', '1 2.0 3 iris a1b2')).toEqual({
      key: 'm', timestamp: 1, value: 2, step: 3, datasetName: 'iris', datasetDigest: 'a1b2',
    });
    expect(parseRunMetricLine('m', '1 2.0 3 my data a1b2')).toMatchObject({ datasetName: 'my data', datasetDigest: 'a1b2' });
  });

  it('reads model lines of 4 and 6 fields with their run', () => {
    // Act & Assess
    expect(parseModelMetricLine('m-1', 'acc', '10 0.9 2 run1')).toEqual({
      key: 'acc', timestamp: 10, value: 0.9, step: 2, modelId: 'm-1', runId: 'run1',
    });
    expect(parseModelMetricLine('m-1', 'acc', '10 -inf 2 run1 iris d1')).toEqual({
      key: 'acc', timestamp: 10, value: -Infinity, step: 2, modelId: 'm-1', runId: 'run1', datasetName: 'iris', datasetDigest: 'd1',
    });
  });

  it.each([
    ['a run line of 4 fields', () => parseRunMetricLine('m', '1 2 3 x')],
    ['a run line of 1 field', () => parseRunMetricLine('m', '1')],
    ['a run line with a fractional step', () => parseRunMetricLine('m', '1 2 3.5')],
    ['a model line of 5 fields', () => parseModelMetricLine('m-1', 'k', '1 2 3 r x')],
    ['a model line of 3 fields', () => parseModelMetricLine('m-1', 'k', '1 2 3')],
  ])('refuses %s', (_case, parse) => {
    // Act & Assess
    expect(parse).toThrow(/metric 'm'|metric 'k'/);
  });

  it.each([
    [1e-5, '1e-05'],
    [1e16, '1e+16'],
    [0.1, '0.1'],
    [100, '100.0'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [1234567890123456, '1234567890123456.0'],
    [123456789012345680, '1.2345678901234568e+17'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-2.5, '-2.5'],
  ])('the fixture writes %d as Python\'s str(float): %s', (value, text) => {
    // Act & Assess
    expect(pythonFloat(value)).toBe(text);
  });

  it('reads back every double the fixture writes, bit for bit', () => {
    // Arrange
    const random = seededRandom(15);
    const values = Array.from({ length: 5000 }, () => {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setUint32(0, Math.floor(random() * 2 ** 32));
      bits.setUint32(4, Math.floor(random() * 2 ** 32));
      return bits.getFloat64(0);
    });

    // Act
    const back = values.map((value) => parsePythonFloat(pythonFloat(value)));

    // Assess
    expect(back.every((value, i) => Object.is(value, values[i]))).toBe(true);
  });
});

describe('keys as paths', () => {
  it.each(['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', ''])('refuses the key %j', (key) => {
    // Act & Assess
    expect(() => keyPath('/root', key)).toThrow(/unsafe key/);
  });

  it('nests a key with / into folders', () => {
    // Act & Assess
    expect(keyPath('/root', 'train/loss')).toBe('/root/train/loss');
  });
});
