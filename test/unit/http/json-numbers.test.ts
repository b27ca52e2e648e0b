/** Issue 16, item 2: MLflow's messages print the Python value of the JSON it parsed (`9.0` stays a float). */
import { describe, expect, it } from 'vitest';
import { pythonFloatRepr, pythonNumberAt } from '../../../shared/http/json-numbers.js';
import { parameterPath } from '../../../shared/http/validate.js';

describe("numbers as MLflow's messages print them (Python's json.dumps of the parsed value)", () => {
  it.each([
    [9, '9.0'],
    [1.5, '1.5'],
    [100, '100.0'],
    [123456789, '123456789.0'],
    [1e16, '1e+16'],
    [1.5e20, '1.5e+20'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.25, '-2.25'],
    [0, '0.0'],
  ])('the float %d prints as Python repr %s', (value, text) => {
    // Act & Assess
    expect(pythonFloatRepr(value)).toBe(text);
  });

  it('reads the literal at a path: 9.0 is a float, 7 an int, a big integer keeps its digits', () => {
    // Prepare
    const text = '{"name": "x", "artifact_location": 9.0, "n": [1, {"v": 7}], "big": 123456789012345678901}';

    // Act & Assess
    expect(pythonNumberAt(text, ['artifact_location'])).toEqual({ text: '9.0', typeName: 'float' });
    expect(pythonNumberAt(text, ['n', 1, 'v'])).toEqual({ text: '7', typeName: 'int' });
    expect(pythonNumberAt(text, ['big'])).toEqual({ text: '123456789012345678901', typeName: 'int' });
    expect(pythonNumberAt(text, ['name'])).toBeUndefined();
  });

  it('a duplicated key is read as JSON parsers read it: the last one wins', () => {
    // Act & Assess
    expect(pythonNumberAt('{"a": 1, "a": 2e0}', ['a'])).toEqual({ text: '2.0', typeName: 'float' });
  });
});

describe("parameter paths as MLflow's handlers write them", () => {
  it('writes list positions in brackets: metrics[0].timestamp', () => {
    // Act & Assess
    expect(parameterPath(['metrics', 0, 'timestamp'])).toBe('metrics[0].timestamp');
    expect(parameterPath(['tags'])).toBe('tags');
  });
});
