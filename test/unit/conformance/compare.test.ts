import { describe, it, expect } from 'vitest';
import { compareJson } from '../../support/conformance/compare.js';
import type { JsonValue } from '../../support/conformance/fixture.js';
import { Bindings, wholePlaceholder } from '../../support/conformance/placeholders.js';

const bindRun = (bindings: Bindings, label: string, value: string): void => {
  const p = wholePlaceholder(`{{run:${label}}}`);
  if (!p) throw new Error('bad placeholder');
  bindings.bind(p, value);
};

describe('compareJson: whole-value placeholders', () => {
  it('binds an unbound identity placeholder at its first appearance', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problems = compareJson({ run_id: '{{run:1}}' }, { run_id: 'f00d' }, bindings);

    // Assess
    expect(problems).toEqual([]);
    expect(bindings.get('run:1')).toBe('f00d');
  });

  it('reports a bound identity placeholder that does not equal its value, with the path', () => {
    // Prepare
    const bindings = new Bindings();
    bindRun(bindings, '1', 'aaaa');

    // Act
    const problems = compareJson({ run: { info: { run_id: '{{run:1}}' } } }, { run: { info: { run_id: 'bbbb' } } }, bindings);

    // Assess
    expect(problems).toEqual(['body.run.info.run_id: expected {{run:1}} = "aaaa", got string "bbbb"']);
  });

  it('reports two labels that would bind the same value (injectivity)', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problems = compareJson({ a: '{{run:1}}', b: '{{run:2}}' }, { a: 'same', b: 'same' }, bindings);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^body\.b: \{\{run:2\}\} would bind "same", which is already bound to \{\{run:1\}\}/);
  });

  it('requires a non-empty string for an identity placeholder', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problems = compareJson({ a: '{{exp:1}}', b: '{{run:1}}' }, { a: 1, b: '' }, bindings);

    // Assess
    expect(problems).toHaveLength(2);
    expect(bindings.has('exp:1')).toBe(false);
  });

  it('accepts any integer for {{ts}} but not a string', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const number = compareJson({ t: '{{ts}}' }, { t: 1795377021004 }, bindings);
    const string = compareJson({ t: '{{ts}}' }, { t: '1795377021004' }, bindings);

    // Assess
    expect(number).toEqual([]);
    expect(string).toHaveLength(1);
  });

  it('compares a client timestamp {{ts:N}} with its value as a number', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.preset('ts:1', 1000);

    // Act
    const same = compareJson({ start_time: '{{ts:1}}' }, { start_time: 1000 }, bindings);
    const shifted = compareJson({ start_time: '{{ts:1}}' }, { start_time: 1001 }, bindings);

    // Assess
    expect(same).toEqual([]);
    expect(shifted).toEqual(['body.start_time: expected {{ts:1}} = 1000, got number 1001']);
  });

  it('accepts any string for {{any:string}}', () => {
    // Prepare
    const bindings = new Bindings();

    // Act
    const problems = compareJson({ m: '{{any:string}}' }, { m: 'whatever' }, bindings);

    // Assess
    expect(problems).toEqual([]);
  });

  it('compares {{len:S}} with the byte length sent in exchange S', () => {
    // Prepare
    const bindings = new Bindings();
    bindings.preset('len:14', 812);

    // Act
    const good = compareJson({ file_size: '{{len:14}}' }, { file_size: 812 }, bindings);
    const bad = compareJson({ file_size: '{{len:14}}' }, { file_size: 811 }, bindings);
    const unsent = compareJson({ file_size: '{{len:15}}' }, { file_size: 812 }, bindings);

    // Assess
    expect(good).toEqual([]);
    expect(bad).toHaveLength(1);
    expect(unsent[0]).toMatch(/refers to exchange 15, whose request was not sent/);
  });
});

describe('compareJson: structure', () => {
  it('reports a missing field and an extra field', () => {
    // Prepare
    const expected: JsonValue = { run: { info: { status: 'RUNNING', lifecycle_stage: 'active' } } };
    const actual = { run: { info: { status: 'RUNNING', end_time: 5 } } };

    // Act
    const problems = compareJson(expected, actual, new Bindings());

    // Assess
    expect(problems).toEqual([
      'body.run.info.lifecycle_stage: missing (expected "active")',
      'body.run.info.end_time: unexpected field (got 5)',
    ]);
  });

  it('compares numbers by value, so 1 equals 1.0', () => {
    // Prepare
    const expected = JSON.parse('{"value": 1.0, "step": 0}') as JsonValue;
    const actual = JSON.parse('{"value": 1, "step": 0.0}') as unknown;

    // Act
    const problems = compareJson(expected, actual, new Bindings());

    // Assess
    expect(problems).toEqual([]);
  });

  it('does not equate a number with its string form', () => {
    // Prepare
    const expected: JsonValue = { version: '1' };

    // Act
    const problems = compareJson(expected, { version: 1 }, new Bindings());

    // Assess
    expect(problems).toHaveLength(1);
  });

  it('compares non-finite metric values as strings', () => {
    // Prepare
    const expected: JsonValue = { metrics: [{ key: 'loss', value: 'NaN' }] };

    // Act
    const same = compareJson(expected, { metrics: [{ key: 'loss', value: 'NaN' }] }, new Bindings());
    const nullValue = compareJson(expected, { metrics: [{ key: 'loss', value: null }] }, new Bindings());

    // Assess
    expect(same).toEqual([]);
    expect(nullValue).toEqual(['body.metrics[0].value: expected "NaN", got null null']);
  });

  it('compares a list that is not unordered element by element', () => {
    // Prepare
    const expected: JsonValue = { runs: [{ id: 'a' }, { id: 'b' }] };

    // Act
    const problems = compareJson(expected, { runs: [{ id: 'b' }, { id: 'a' }] }, new Bindings());

    // Assess
    expect(problems).toEqual(['body.runs[0].id: expected "a", got "b"', 'body.runs[1].id: expected "b", got "a"']);
  });

  it('reports a list of the wrong length', () => {
    // Prepare
    const expected: JsonValue = { runs: ['a', 'b'] };

    // Act
    const problems = compareJson(expected, { runs: ['a'] }, new Bindings());

    // Assess
    expect(problems).toEqual(['body.runs: expected 2 elements, got 1; missing "b"']);
  });
});

describe('compareJson: unordered lists', () => {
  it('compares a listed path as a multiset', () => {
    // Prepare
    const expected: JsonValue = { run: { data: { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] } } };
    const actual = { run: { data: { tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] } } };

    // Act
    const problems = compareJson(expected, actual, new Bindings(), { unordered: ['run.data.tags'] });

    // Assess
    expect(problems).toEqual([]);
  });

  it('undoes the bindings of an element tried against the wrong actual element', () => {
    // Prepare: trying expected[0] against actual[0] would bind run:1 to "Y" before its key mismatches;
    // unless that is undone, run:2 could not bind "Y" afterwards (injectivity).
    const expected: JsonValue = { outputs: [{ id: '{{run:1}}', k: 'a' }, { id: '{{run:2}}', k: 'b' }] };
    const actual = { outputs: [{ id: 'Y', k: 'b' }, { id: 'X', k: 'a' }] };
    const bindings = new Bindings();

    // Act
    const problems = compareJson(expected, actual, bindings, { unordered: ['outputs'] });

    // Assess
    expect(problems).toEqual([]);
    expect(bindings.get('run:1')).toBe('X');
    expect(bindings.get('run:2')).toBe('Y');
  });

  it('backtracks when a first choice leaves a later element without a match', () => {
    // Prepare: greedily, {{run:1}} would take "A", leaving the literal "A" without a partner.
    const expected: JsonValue = { ids: ['{{run:1}}', 'A'] };
    const bindings = new Bindings();

    // Act
    const problems = compareJson(expected, { ids: ['A', 'B'] }, bindings, { unordered: ['ids'] });

    // Assess
    expect(problems).toEqual([]);
    expect(bindings.get('run:1')).toBe('B');
  });

  it('applies [*] paths to every element of an enclosing list', () => {
    // Prepare
    const expected: JsonValue = { runs: [{ tags: ['x', 'y'] }, { tags: ['z', 'w'] }] };
    const actual = { runs: [{ tags: ['y', 'x'] }, { tags: ['w', 'z'] }] };

    // Act
    const problems = compareJson(expected, actual, new Bindings(), { unordered: ['runs[*].tags'] });

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports an unmatched element with its closest candidate, and keeps no binding from it', () => {
    // Prepare
    const expected: JsonValue = { tags: [{ key: 'mlflow.runName', value: '{{name:1}}' }, { key: 'mlflow.user', value: 'conformance' }] };
    const actual = { tags: [{ key: 'mlflow.user', value: 'someone' }, { key: 'mlflow.runName', value: 'brisk-otter-1' }] };
    const bindings = new Bindings();

    // Act
    const problems = compareJson(expected, actual, bindings, { unordered: ['tags'] });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^body\.tags \(any order\): no element matches expected \{"key":"mlflow.user".*closest is body\.tags\[0\]: body\.tags\[0\]\.value: expected "conformance", got "someone"/);
    expect(bindings.get('name:1')).toBe('brisk-otter-1');
  });

  it('reports extra elements of an unordered list', () => {
    // Prepare
    const expected: JsonValue = { files: [{ path: 'a' }] };

    // Act
    const problems = compareJson(expected, { files: [{ path: 'b' }, { path: 'a' }] }, new Bindings(), { unordered: ['files'] });

    // Assess
    expect(problems).toEqual(['body.files: expected 1 elements (any order), got 2', 'body.files[0]: unexpected element {"path":"b"}']);
  });
});
