import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { marshallItem, unmarshallItem } from '../../../shared/data/attribute-values.js';

/** Every kind of value Cairn stores, as the SDK's marshall (removeUndefinedValues) would take it. */
const ITEM = {
  pk: 'R#1',
  sk: 'META',
  count: 42,
  ratio: -0.125,
  big: 2n ** 60n,
  flag: false,
  none: null,
  gone: undefined,
  bytes: new Uint8Array([1, 2, 3]),
  names: new Set(['a', 'b']),
  numbers: new Set([1, 2]),
  list: ['x', 1, { nested: true }, undefined],
  tags: { 'mlflow.user': 'me', '': 'empty key' },
};

describe('DynamoDB attribute values', () => {
  it('marshalls an item as the SDK does', () => {
    // Act
    const ours = marshallItem(ITEM);

    // Assess
    expect(JSON.parse(JSON.stringify(ours))).toEqual(
      JSON.parse(JSON.stringify(marshall(ITEM, { removeUndefinedValues: true, convertClassInstanceToMap: false }))),
    );
  });

  it('unmarshalls an item as the SDK does', () => {
    // Prepare
    const attributes = marshall(ITEM, { removeUndefinedValues: true });

    // Act
    const ours = unmarshallItem(attributes);

    // Assess
    expect(JSON.parse(JSON.stringify(ours, (_, v: unknown) => (v instanceof Set ? [...v] : typeof v === 'bigint' ? String(v) : v)))).toEqual(
      JSON.parse(JSON.stringify(unmarshall(attributes), (_, v: unknown) => (v instanceof Set ? [...v] : typeof v === 'bigint' ? String(v) : v))),
    );
  });

  it('keeps map keys named like Object.prototype members, both ways', () => {
    // Prepare
    const tags = JSON.parse('{"__proto__":"a","constructor":"b","toString":"c","hasOwnProperty":"d"}') as Record<string, string>;

    // Act
    const attributes = marshallItem({ pk: 'x', tags });
    const back = unmarshallItem(attributes).tags as Record<string, string>;

    // Assess
    expect(Object.keys(attributes.tags?.M ?? {})).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(Object.entries(back)).toEqual(Object.entries(tags));
    expect(Object.getPrototypeOf(back)).toBeNull();
  });

  it('refuses what DynamoDB cannot hold exactly, as the SDK does', () => {
    // Act & Assess
    expect(() => marshallItem({ value: Number.NaN })).toThrow(/Special numeric value/);
    expect(() => marshallItem({ value: 2 ** 60 })).toThrow(/MAX_SAFE_INTEGER/);
    expect(() => marshallItem({ when: new Date(0) })).toThrow(/Unsupported type/);
  });
});
