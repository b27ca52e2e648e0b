import fc from 'fast-check';

/**
 * Hand-written hostile values (issue 10): huge, deep, invalid UTF-16, control characters, traversal,
 * prototype keys, bogus tokens, over-long ids, catastrophic LIKE patterns. Big values are built once and
 * shared, and are constants to fast-check, so they are neither copied nor shrunk character by character.
 */

/** A JSON array or object nested `depth` levels deep, rendered as text by the request renderer. */
export class Deep {
  constructor(
    readonly depth: number,
    readonly open: '[' | '{"a":' = '[',
  ) {}
}

const MB = 1 << 20;
export const HUGE = 'a'.repeat(MB);
const wildcards = (n: number, head = '%') => `${head}${'%a'.repeat(n)}%b`;

export const LONG_IDS = ['1'.repeat(2100), 'r'.repeat(5000), 'é'.repeat(1100), '😀'.repeat(600), `${'x'.repeat(2048)}`];

export const STRING_NASTIES: string[] = [
  '',
  ' ',
  HUGE,
  'b'.repeat(300_000),
  ...LONG_IDS,
  '\ud800',
  'a\udc00b',
  '\udfff\ud800',
  '\u0000',
  'a\u0001b\u001f',
  '\r\n\t',
  '\u007f\u0085\u2028\u2029',
  '\u202eevil\u200b',
  '../',
  '../../../../etc/passwd',
  '%2e%2e/%2e%2e/secret',
  '..%2f..%2f',
  '.uploads',
  '.uploads/x',
  'a/../../b',
  '/absolute',
  '..\\..\\windows',
  'mlflow-artifacts:/../..',
  'mlflow-artifacts:/.uploads',
  'file:///tmp/x',
  's3://another-bucket/x',
  `${'seg/'.repeat(1200)}f`,
  `${'s'.repeat(300)}/f`,
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  'NaN',
  '0x10',
  ' 1',
  '%s%s%n${x}{{7*7}}',
  "'",
  '"',
  "name = 'x' OR 1=1",
  '('.repeat(5000),
];

/** Filters for every search, with LIKE/ILIKE patterns that backtrack badly in a regex engine. */
export const FILTER_NASTIES: string[] = [
  `name ILIKE '${wildcards(10)}'`,
  `name LIKE '${wildcards(50)}'`,
  `name ILIKE '${'%'.repeat(2000)}'`,
  `attributes.run_name LIKE '${wildcards(20, '_')}'`,
  `attributes.run_name ILIKE '${wildcards(50)}'`,
  `params.p ILIKE '${wildcards(30)}'`,
  `tags.t LIKE '${wildcards(30)}'`,
  `tags.\`mlflow.runName\` ILIKE '${wildcards(30)}'`,
  `datasets.name LIKE '${wildcards(30)}'`,
  `attributes.name ILIKE '${wildcards(30)}'`,
  `name LIKE '${'_'.repeat(3000)}'`,
  `name LIKE '${HUGE.slice(0, 100_000)}'`,
  `name = '${HUGE.slice(0, 10_000)}'`,
  `metrics.m > 1 AND ${'params.p = \'x\' AND '.repeat(500)}params.p = 'x'`,
  'name LIKE',
  "name ILIKE '\ud800%'",
  "tags.`__proto__` = 'x'",
  'attributes.status IN (',
];

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Page tokens that no server issued (harvested ones from other requests come from the seeded pools). */
export const TOKEN_NASTIES: string[] = [
  base64('null'),
  base64('{}'),
  base64('[]'),
  base64('"x"'),
  base64('{"gsi1pk":{"S":"OTHER"},"pk":{"S":"X"},"sk":{"S":"Y"}}'),
  base64('{"offset":-1}'),
  base64('{"offset":1e300}'),
  base64(JSON.stringify({ v: 1, k: 'x'.repeat(5000) })),
  '!!!not-base64',
  '=',
  'null',
  'AAAA'.repeat(3000),
];

export const WEBHOOK_URL_NASTIES: string[] = [
  'https://[::127.0.0.1]/',
  'https://[::1]/',
  'http://169.254.169.254/latest/meta-data',
  'https://localhost/',
  'https://127.1/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'https://user:pass@example.com/',
  `https://${'a'.repeat(3000)}.com/`,
];

/** Paths after `/artifacts/` or the store's door, sent as they are (no further encoding). */
export const RAW_PATH_NASTIES: string[] = [
  '..',
  '../..',
  '%2e%2e',
  '%2e%2e/%2e%2e/etc/passwd',
  '..%2f..%2fsecret',
  '%2E%2E%5C',
  '%ff%fe',
  '%ed%a0%80',
  '%00',
  '%',
  '%zz',
  '.uploads',
  '.uploads/x/y',
  `0/${'s'.repeat(300)}/f`,
  `0/${'d/'.repeat(2100)}f`,
];

export const WRONG_TYPES: unknown[] = [null, true, 0, -1, 2 ** 53 + 1, 1e308, -0.5, [], {}, ['a'], { a: 1 }, [[[]]], new Deep(100)];

export const DEEP_VALUES = [new Deep(20_000), new Deep(20_000, '{"a":'), new Deep(2_000)];

/** Whole bodies that are not a JSON object, or are one in a hostile way. */
export const BODY_NASTIES: (string | Buffer)[] = [
  '',
  'null',
  '[]',
  '"str"',
  '"{\\"experiment_id\\":\\"0\\"}"',
  '{',
  '{"a":',
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  '\ufeff{}',
  `[${'1,'.repeat(300_000)}1]`,
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `{"a":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
  '{"name":"a","name":"b"}',
  `{"x":"${HUGE}"}`,
];

export const CONTENT_TYPES: (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  undefined,
  'application/json\u0001',
  'appli\u007fcation/json',
  'application/json; charset=\u001b[31m',
  'application/json; charset=utf-16',
  `application/json; ${'p=1; '.repeat(2000)}`,
];

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'];

/** Any nasty scalar or structure, for a field whose type we ignore on purpose. */
export const anyNasty: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...STRING_NASTIES), weight: 5 },
  { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 2 },
  { arbitrary: fc.constantFrom(...DEEP_VALUES), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 2 },
);
