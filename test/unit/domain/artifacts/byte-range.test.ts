import { describe, expect, it } from 'vitest';
import { contentRange, parseRangeHeader, resolveByteRange } from '../../../../shared/domain/artifacts/byte-range.js';

describe('HTTP Range on artifact downloads', () => {
  it('takes one range in its three forms, case and spaces aside', () => {
    expect(parseRangeHeader('bytes=0-99')).toEqual({ kind: 'from', start: 0, end: 99 });
    expect(parseRangeHeader('bytes=10-')).toEqual({ kind: 'from', start: 10 });
    expect(parseRangeHeader('bytes=-7')).toEqual({ kind: 'suffix', length: 7 });
    expect(parseRangeHeader(' Bytes = 3 - 4 ')).toEqual({ kind: 'from', start: 3, end: 4 });
  });

  it('ignores what it does not serve, so the whole file goes out', () => {
    for (const header of [undefined, null, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'bytes=0-1,4-5', 'items=0-1', 'bytes=a-b', 'bytes=1.5-2']) {
      expect(parseRangeHeader(header)).toBeUndefined();
    }
  });

  it('clips the end to the file, and finds no bytes past it', () => {
    expect(resolveByteRange({ kind: 'from', start: 5, end: 500 }, 10)).toEqual({ start: 5, end: 9 });
    expect(resolveByteRange({ kind: 'suffix', length: 50 }, 10)).toEqual({ start: 0, end: 9 });
    expect(resolveByteRange({ kind: 'suffix', length: 3 }, 10)).toEqual({ start: 7, end: 9 });
    expect(resolveByteRange({ kind: 'from', start: 10 }, 10)).toBe('unsatisfiable');
    expect(resolveByteRange({ kind: 'suffix', length: 0 }, 10)).toBe('unsatisfiable');
    expect(resolveByteRange({ kind: 'suffix', length: 4 }, 0)).toBe('unsatisfiable');
    expect(resolveByteRange({ kind: 'from', start: 0 }, 0)).toBe('unsatisfiable');
  });

  it('writes Content-Range for a part and for a 416', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
    expect(contentRange('unsatisfiable', 100)).toBe('bytes */100');
  });
});
