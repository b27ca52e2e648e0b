/**
 * The pure rules of evaluation dataset records (shared/domain/genai/datasets-records.ts): identity by Python's
 * `json.dumps(inputs, sort_keys=True)`, MLflow's merge of a record into one with the same inputs, schema inference,
 * and the dict a record answers as. Expected hashes and digests were computed with Python's json and hashlib.
 */
import { describe, expect, it } from 'vitest';
import { datasetDigest } from '../../../shared/domain/genai/datasets.js';
import { applyMerge, inputHashOf, mergeOf, newRecord, parseRecords, recordJson, schemaJson, updateSchema } from '../../../shared/domain/genai/datasets-records.js';

describe('record identity and digest', () => {
  it('hashes inputs as Python does json.dumps(inputs, sort_keys=True)', () => {
    expect(inputHashOf({ question: 'What is MLflow?' })).toBe('b14c7c0772e6ae95adeb7fc54413aa515b6df757fddce87a4c4d9ff963e87509');
    expect(inputHashOf({ b: [1, { z: null, a: true }], a: 'é☃', '10': 2, '9': 3 })).toBe('beb2b3fd55a49448446e238b8bf76139f1c92fa875a32d954c9062e07586e33b');
  });

  it('digests a dataset as the first 8 hex digits of SHA-256 of "<name>:<time>"', () => {
    expect(datasetDigest('qa', 1_700_000_000_000)).toBe('796db64c');
  });
});

describe('upserted records', () => {
  it('reads defaults as MLflow: missing inputs are {}, missing outputs {}, null outputs none, tags {}', () => {
    // Act
    const [withNothing, withNullOutputs] = parseRecords('[{}, {"inputs": {"q": 1}, "outputs": null}]');
    const a = newRecord('d-1', [withNothing!], 5);
    const b = newRecord('d-1', [withNullOutputs!], 5);

    // Assess
    expect(a).toMatchObject({ inputs: '{}', outputs: '{}', tags: [], createdTime: 5, lastUpdateTime: 5 });
    expect(a.expectations).toBeUndefined();
    expect(b.outputs).toBeUndefined();
  });

  it('merges a group in order: outputs replaced, expectations and tags updated key by key, the last mlflow.user updates', () => {
    // Prepare
    const group = parseRecords(
      JSON.stringify([
        { inputs: { q: 1 }, outputs: { a: 1 }, expectations: { x: 1, y: 2 }, tags: { t: 'a', 'mlflow.user': 'ann' } },
        { inputs: { q: 1 }, expectations: { y: 3, z: 4 }, tags: { u: 'b' } },
        { inputs: { q: 1 }, outputs: 'text', tags: { 'mlflow.user': 'ben' } },
      ]),
    );

    // Act
    const record = newRecord('d-1', group as [never, ...never[]], 10);

    // Assess
    expect(record.outputs).toBe('"text"');
    expect(record.expectations).toEqual([
      ['x', '1'],
      ['y', '3'],
      ['z', '4'],
    ]);
    expect(record.tags).toEqual([
      ['t', '"a"'],
      ['mlflow.user', '"ben"'],
      ['u', '"b"'],
    ]);
    expect(record).toMatchObject({ createdBy: 'ann', lastUpdatedBy: 'ben' });
  });

  it('leaves what a merge does not name, and clears outputs set to null', () => {
    // Prepare
    const stored = newRecord('d-1', parseRecords('[{"inputs": {"q": 1}, "outputs": 1, "expectations": {"e": 1}}]') as [never], 1);

    // Act
    const merged = applyMerge(stored, mergeOf(parseRecords('[{"inputs": {"q": 1}, "outputs": null, "expectations": {}}]')), 2);

    // Assess
    expect(merged.outputs).toBeUndefined();
    expect(merged.expectations).toEqual([['e', '1']]);
    expect(merged.lastUpdateTime).toBe(2);
  });

  it('refuses records that MLflow would fail on, with INVALID_PARAMETER_VALUE', () => {
    for (const text of ['{', '{}', '[1]', '[{"inputs": [1]}]', '[{"tags": "x"}]', '[{"source": {"source_type": "nope"}}]', '[{"source": {"source_data": {}}}]']) {
      expect(() => parseRecords(text), text).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }));
    }
  });

  it('answers a record as DatasetRecord.to_dict() writes it, in proto field order', () => {
    // Prepare
    const record = newRecord(
      'd-1',
      parseRecords('[{"inputs": {"q": "é"}, "expectations": {"a": 1.5}, "tags": {"mlflow.user": "u"}, "source": {"source_type": "human", "source_data": {"source_id": "s-1"}}}]') as [never],
      7,
    );

    // Act
    const text = recordJson({ ...record, recordId: 'dr-x' });

    // Assess
    expect(text).toBe(
      '{"dataset_record_id": "dr-x", "dataset_id": "d-1", "inputs": {"q": "\\u00e9"}, "expectations": {"a": 1.5}, "tags": {"mlflow.user": "u"}, ' +
        '"source": {"source_type": "HUMAN", "source_data": {"source_id": "s-1"}}, "source_id": "s-1", "source_type": "HUMAN", ' +
        '"created_time": 7, "last_update_time": 7, "created_by": "u", "last_updated_by": "u", "outputs": {}}',
    );
  });
});

describe('schema inference', () => {
  it('types fields where first seen and keeps them, a non-dict output typing the outputs once', () => {
    // Act
    const first = updateSchema(undefined, parseRecords('[{"inputs": {"q": "a", "n": 1, "f": 0.5}, "outputs": "x", "expectations": {"ok": true}}]'));
    const second = updateSchema(first, parseRecords('[{"inputs": {"q": 3, "l": [1], "o": {}, "z": null}, "outputs": {"k": 1}, "expectations": {}}]'));

    // Assess
    expect(schemaJson(second!)).toBe(
      '{"inputs": {"q": "string", "n": "integer", "f": "float", "l": "array", "o": "object", "z": "null"}, "outputs": "string", "expectations": {"ok": "boolean"}, "version": "1.0"}',
    );
    expect(updateSchema(undefined, [])).toBeUndefined();
  });
});
