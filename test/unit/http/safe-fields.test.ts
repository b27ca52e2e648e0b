import { describe, expect, it } from 'vitest';
import { echoValue, MlflowError } from '../../../shared/errors/index.js';
import { assertSafeFields, assertShallowJson, isWellFormedText, MAX_JSON_DEPTH } from '../../../shared/http/safe-fields.js';

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('assertShallowJson', () => {
  it('accepts JSON nested exactly MAX_JSON_DEPTH levels and refuses one level more', () => {
    // Act
    const atLimit = () => assertShallowJson(nested(MAX_JSON_DEPTH));
    const overLimit = () => assertShallowJson(nested(MAX_JSON_DEPTH + 1));

    // Assess
    expect(atLimit).not.toThrow();
    expect(overLimit).toThrow(/nested deeper than 64 levels/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    // Prepare
    const text = JSON.stringify({ value: `${'['.repeat(500)}"\\${'{'.repeat(500)}` });

    // Act
    const check = () => assertShallowJson(text);

    // Assess
    expect(check).not.toThrow();
  });

  it('refuses 20,000 levels without building them', () => {
    // Act
    const check = () => assertShallowJson(`{"value":${nested(20_000)}}`);

    // Assess
    expect(check).toThrow(MlflowError);
  });
});

describe('assertSafeFields', () => {
  it('refuses a lone surrogate anywhere in the fields, naming where', () => {
    // Prepare
    const fields = { run_id: 'r', tags: [{ key: 'k', value: 'ok' }, { key: 'k2', value: 'bad \ud800' }] };

    // Act
    const check = () => assertSafeFields(fields);

    // Assess
    expect(check).toThrow("Invalid value for parameter 'tags.1.value' supplied: the text is not valid Unicode");
  });

  it('accepts surrogate pairs (emoji) and answers the fields unchanged', () => {
    // Prepare
    const fields = { name: 'model 🚀', nested: { list: ['日本語'] } };

    // Act
    const answer = assertSafeFields(fields);

    // Assess
    expect(answer).toBe(fields);
  });

  it('tells well-formed text from text with an unpaired high or low surrogate', () => {
    // Act
    const verdicts = ['a🚀b', '\ud800', 'x\udc00', '\udc00\ud800'].map(isWellFormedText);

    // Assess
    expect(verdicts).toEqual([true, false, false, false]);
  });
});

describe('echoValue', () => {
  it('cuts a huge value to 1,000 characters and an ellipsis', () => {
    // Act
    const echoed = echoValue(Array.from({ length: 200_000 }, () => 1));

    // Assess
    expect(echoed).toHaveLength(1001);
    expect(echoed.endsWith('…')).toBe(true);
  });

  it('never throws, even for a value too deep to stringify', () => {
    // Prepare
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];

    // Act
    const echoed = echoValue(deep);

    // Assess
    expect(echoed).toBe('<list>');
  });
});
