import { describe, expect, it } from 'vitest';
import {
  decodeOffsetPageToken,
  decodePageToken,
  encodeOffsetPageToken,
  encodePageToken,
  offsetPage,
} from '../../../shared/domain/kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../../../shared/domain/kernel/pagination.js';
import { errorOf } from '../../support/error-of.js';

const scope = { kind: 'runs/search', request: [['1'], "params.p = 'x'", [], 'ACTIVE_ONLY'] };

const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('page tokens', () => {
  it('round-trips an offset for the same request', () => {
    // Prepare
    const token = encodeOffsetPageToken(scope, 40);

    // Act
    const offset = decodeOffsetPageToken(token, { kind: 'runs/search', request: [['1'], "params.p = 'x'", [], 'ACTIVE_ONLY'] });

    // Assess
    expect(offset).toBe(40);
  });

  it('reads an absent or empty token as the first page', () => {
    // Prepare
    const tokens = [undefined, ''];

    // Act
    const offsets = tokens.map((token) => decodeOffsetPageToken(token, scope));

    // Assess
    expect(offsets).toEqual([0, 0]);
  });

  it('is opaque: the token shows neither the request nor a raw offset object', () => {
    // Prepare
    const token = encodeOffsetPageToken(scope, 7);

    // Act
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(decoded).toMatchObject({ v: 1, k: 'runs/search', p: { offset: 7 } });
    expect(JSON.stringify(decoded)).not.toContain('params.p');
  });

  it.each([
    { case: 'another filter', other: { ...scope, request: [['1'], "params.p = 'y'", [], 'ACTIVE_ONLY'] } },
    { case: 'another experiment', other: { ...scope, request: [['2'], "params.p = 'x'", [], 'ACTIVE_ONLY'] } },
    { case: 'another endpoint', other: { kind: 'experiments/search', request: scope.request } },
  ])('refuses a token sent with $case', ({ other }) => {
    // Prepare
    const token = encodeOffsetPageToken(scope, 10);

    // Act
    const error = errorOf(() => decodeOffsetPageToken(token, other));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect((error as Error).message).toContain('belongs to a different request');
  });

  it.each([
    { case: 'not base64', token: 'not a token!' },
    { case: 'not JSON', token: base64url('{offset') },
    { case: 'null', token: base64url('null') },
    { case: 'an array', token: base64url('[1]') },
    { case: "MLflow's SQL store format", token: Buffer.from('{"offset": 3}').toString('base64') },
    { case: 'an unknown version', token: base64url(JSON.stringify({ v: 2, k: 'runs/search', r: 'x', p: { offset: 1 } })) },
    { case: 'a huge token', token: 'A'.repeat(100_000) },
  ])('refuses $case with INVALID_PARAMETER_VALUE', ({ token }) => {
    // Prepare
    const read = () => decodeOffsetPageToken(token, scope);

    // Act
    const error = errorOf(read);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect((error as Error).message).toMatch(/^Invalid page token: /u);
  });

  it.each([
    { case: 'a negative offset', position: { offset: -1 } },
    { case: 'a fractional offset', position: { offset: 1.5 } },
    { case: 'a string offset', position: { offset: '3' } },
    { case: 'no offset', position: {} },
    { case: 'a null position', position: null },
  ])('refuses a token of the right request with $case', ({ position }) => {
    // Prepare
    const token = encodePageToken(scope, position as never);

    // Act
    const error = errorOf(() => decodeOffsetPageToken(token, scope));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    expect((error as Error).message).toContain('position is not valid');
  });

  it('lets a caller read a richer position, refusing one its reader rejects', () => {
    // Prepare
    const token = encodePageToken(scope, { after: 'abc' });
    const reader = (p: unknown) => ((p as { after?: unknown }).after === 'abc' ? 'abc' : undefined);

    // Act
    const after = decodePageToken(token, scope, reader);
    const refused = errorOf(() => decodePageToken(token, scope, () => undefined));

    // Assess
    expect(after).toBe('abc');
    expect(refused).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it('pages through items and stops handing out tokens at the end', () => {
    // Prepare
    const items = [1, 2, 3, 4, 5];

    // Act
    const first = offsetPage(items, scope, 0, 2);
    const second = offsetPage(items, scope, decodeOffsetPageToken(first.nextPageToken, scope), 2);
    const last = offsetPage(items, scope, decodeOffsetPageToken(second.nextPageToken, scope), 2);

    // Assess
    expect([first.page, second.page, last.page]).toEqual([[1, 2], [3, 4], [5]]);
    expect(last.nextPageToken).toBeUndefined();
  });

  it("binds a token to the viewer it was issued to: another viewer's token, or one issued unfiltered, is refused", () => {
    // Prepare
    const alice = { ...scope, viewer: 'user:1' };
    const bob = { ...scope, viewer: 'user:2' };
    const token = encodeOffsetPageToken(alice, 3);
    const unfiltered = encodeOffsetPageToken(scope, 3);

    // Act
    const own = decodeOffsetPageToken(token, alice);
    const refused = [errorOf(() => decodeOffsetPageToken(token, bob)), errorOf(() => decodeOffsetPageToken(token, scope)), errorOf(() => decodeOffsetPageToken(unfiltered, bob))];

    // Assess
    expect(own).toBe(3);
    for (const error of refused) {
      expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
      expect((error as Error).message).toContain('different request');
    }
  });

  it('keeps the digest of tokens issued without a viewer (authorization off)', () => {
    // Prepare
    const token = encodeOffsetPageToken({ ...scope, viewer: undefined }, 7);

    // Act
    const offset = decodeOffsetPageToken(token, scope);

    // Assess
    expect(token).toBe(encodeOffsetPageToken(scope, 7));
    expect(offset).toBe(7);
  });
});

describe('page sizes', () => {
  it('uses the default when max_results is absent', () => {
    // Prepare
    const rule = PAGE_SIZES.searchRuns;

    // Act
    const size = pageSizeOf(undefined, rule);

    // Assess
    expect(size).toBe(1000);
  });

  it.each([0, -1, 1.5])('refuses %s with INVALID_PARAMETER_VALUE', (requested) => {
    // Prepare
    const rule = PAGE_SIZES.webhookDeliveries;

    // Act
    const error = errorOf(() => pageSizeOf(requested, rule));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it("refuses more than MLflow's bound where MLflow has one, with MLflow's message", () => {
    // Prepare
    const rule = PAGE_SIZES.searchRegisteredModels;

    // Act
    const error = errorOf(() => pageSizeOf(1001, rule));

    // Assess
    expect((error as Error).message).toBe(
      'Invalid value for request parameter max_results. It must be at most 1000, but got value 1001',
    );
  });

  it('cuts the page where MLflow has no bound (logged models, metric history)', () => {
    // Prepare
    const huge = 1_000_000_000;

    // Act
    const sizes = [pageSizeOf(huge, PAGE_SIZES.searchLoggedModels), pageSizeOf(huge, PAGE_SIZES.metricHistory)];

    // Assess
    expect(sizes).toEqual([1000, 25_000]);
  });
});
