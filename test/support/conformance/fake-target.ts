/**
 * A fake MLflow server for testing the replayer itself: it answers the exchanges of one fixture in order
 * with the recorded responses, every placeholder replaced by a consistent invented value (32-hex run ids,
 * numeric experiment ids, `m-<32hex>` model ids, generated names and tokens, clock times for `{{ts}}`). The
 * values the client chose are echoed from the requests it receives: client timestamps are learned by
 * matching each request against its recorded template, and `{{len:S}}` is the byte length of the body it
 * received in exchange S. Lists the fixture calls unordered are shuffled.
 *
 * It also checks every request against the recording and answers a mismatch with status 599, so a replay
 * against it fails when the replayer builds a wrong request.
 */
import { seededRandom } from '../seeded-random.js';
import type { Exchange, Fixture, JsonValue } from './fixture.js';
import { compareJson } from './compare.js';
import { Bindings, type Placeholder, isNumeric, isWildcard, matchTemplate, parseTemplate, wholePlaceholder } from './placeholders.js';
import type { ReplayTarget } from './replay.js';

export interface FakeTargetOptions {
  /** Seed of the invented values and of the shuffles (default 1). */
  seed?: number;
  /** Exchanges the replay will not send (fixture `skip` exchanges are always left out). */
  skipped?: ReadonlySet<number>;
  /** Shuffle the lists named in `unordered` (default true). */
  shuffleUnordered?: boolean;
  /** Append `; charset=utf-8` to every content type, which the media-type comparison must ignore (default true). */
  contentTypeParams?: boolean;
  /** Rewrites the generated JSON response body of exchange `n`; `values` holds the fake's bindings. */
  tamper?: (n: number, body: JsonValue, values: Bindings) => JsonValue;
}

export interface FakeTarget extends ReplayTarget {
  /** The fake's bindings: invented ids and names, learned client timestamps, received lengths. */
  readonly values: Bindings;
  /** Mismatches between the requests received and the recorded ones. */
  readonly requestProblems: string[];
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'dapper', 'eager', 'fuzzy', 'gentle', 'hardy', 'jolly', 'lucid'];
const NOUNS = ['otter', 'heron', 'lynx', 'moth', 'newt', 'panda', 'quail', 'raven', 'stoat', 'wren'];

const random = seededRandom;

export function createFakeTarget(fixture: Fixture, options: FakeTargetOptions = {}): FakeTarget {
  const rand = random(options.seed ?? 1);
  const int = (below: number): number => Math.floor(rand() * below);
  const hex = (length: number): string => Array.from({ length }, () => '0123456789abcdef'[int(16)]).join('');
  const values = new Bindings();
  const requestProblems: string[] = [];
  const queue = [...fixture.exchanges]
    .sort((a, b) => a.n - b.n)
    .filter((exchange) => exchange.skip === undefined && !options.skipped?.has(exchange.n));
  let clock = 1_800_000_000_000;

  const invent = (p: Placeholder): string | number => {
    switch (p.key === 'any:int' || p.key === 'any:string' ? p.key : p.kind) {
      case 'ts':
        return (clock += 1 + int(5000));
      case 'any:int':
        return int(1_000_000);
      case 'any:string':
        return `{'${hex(3)}', '${hex(2)}'}`;
      case 'run':
        return hex(32);
      case 'exp':
        return String(1000 + int(9_000_000));
      case 'model':
        return `m-${hex(32)}`;
      case 'name':
        return `${ADJECTIVES[int(10)]}-${NOUNS[int(10)]}-${100 + int(900)}`;
      default:
        return `tok_${hex(24)}`;
    }
  };

  /** The value a placeholder stands for in a response: bound, learned, or invented and bound now. */
  const valueOf = (p: Placeholder): string | number => {
    if (isWildcard(p)) return invent(p);
    const bound = values.get(p.key);
    if (bound !== undefined) return bound;
    if (p.kind === 'ts' || p.kind === 'len') throw new Error(`fake: ${p.raw} was never seen in a request`);
    for (;;) {
      const candidate = invent(p);
      if (values.bind(p, candidate) === undefined) return candidate;
    }
  };

  const text = (template: string): string =>
    parseTemplate(template)
      .map((segment) => (typeof segment === 'string' ? segment : String(valueOf(segment))))
      .join('');

  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };

  const generate = (template: JsonValue, pattern: string, unordered: ReadonlySet<string>): JsonValue => {
    if (typeof template === 'string') {
      const whole = wholePlaceholder(template);
      if (!whole) return text(template);
      const value = valueOf(whole);
      return isNumeric(whole) ? Number(value) : String(value);
    }
    if (Array.isArray(template)) {
      const items = template.map((item) => generate(item, `${pattern}[*]`, unordered));
      return unordered.has(pattern) && options.shuffleUnordered !== false ? shuffle(items) : items;
    }
    if (template !== null && typeof template === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of Object.entries(template)) {
        out[key] = generate(item as JsonValue, pattern === '' ? key : `${pattern}.${key}`, unordered);
      }
      return out;
    }
    return template;
  };

  const checkRequest = (exchange: Exchange, request: Request, bytes: Uint8Array): string[] => {
    const expected = exchange.request;
    const problems: string[] = [];
    const url = new URL(request.url);
    if (request.method !== expected.method) problems.push(`method: expected ${expected.method}, got ${request.method}`);
    const pathProblem = matchTemplate(expected.path, url.pathname, values, { bindClientTimestamps: true });
    if (pathProblem !== undefined) problems.push(`path: ${pathProblem}`);
    const query = [...url.searchParams];
    const recorded = expected.query ?? [];
    if (query.length !== recorded.length) problems.push(`query: expected ${recorded.length} pairs, got ${query.length}`);
    recorded.forEach(([name, template], i) => {
      const [actualName, actualValue] = query[i] ?? [];
      if (actualName !== name) problems.push(`query[${i}]: expected name ${name}, got ${String(actualName)}`);
      else {
        const problem = matchTemplate(template, actualValue ?? '', values, { bindClientTimestamps: true });
        if (problem !== undefined) problems.push(`query ${name}: ${problem}`);
      }
    });
    const contentType = request.headers.get('content-type');
    const expectedType = expected.headers?.['content-type'] ?? null;
    if (contentType !== expectedType) problems.push(`content-type: expected ${String(expectedType)}, got ${String(contentType)}`);
    const body = expected.body ?? null;
    if (body === null) {
      if (bytes.byteLength > 0) problems.push(`body: expected none, got ${bytes.byteLength} bytes`);
    } else if ('json' in body) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        return [...problems, 'body: not JSON'];
      }
      problems.push(...compareJson(body.json, parsed, values, { bindClientTimestamps: true, root: 'request.body' }));
    } else if ('text' in body) {
      const problem = matchTemplate(body.text, new TextDecoder().decode(bytes), values, { bindClientTimestamps: true });
      if (problem !== undefined) problems.push(`body: ${problem}`);
    } else if ('base64' in body) {
      if (!Buffer.from(body.base64, 'base64').equals(Buffer.from(bytes))) problems.push('body: bytes differ');
    }
    return problems;
  };

  const respond = (exchange: Exchange): Response => {
    const recorded = exchange.response;
    const headers = new Headers();
    if (recorded.content_type !== undefined) {
      headers.set('content-type', recorded.content_type + (options.contentTypeParams === false ? '' : '; charset=utf-8'));
    }
    for (const [name, value] of Object.entries(recorded.headers ?? {})) headers.set(name, text(value));
    const body = recorded.body ?? null;
    let payload: Uint8Array | string | null = null;
    if (body !== null && 'json' in body) {
      let json = generate(body.json, '', new Set(recorded.unordered ?? []));
      if (options.tamper) json = options.tamper(exchange.n, json, values);
      payload = JSON.stringify(json);
    } else if (body !== null && 'text' in body) payload = text(body.text);
    else if (body !== null && 'base64' in body) payload = new Uint8Array(Buffer.from(body.base64, 'base64'));
    else if (body !== null) throw new Error(`fake: cannot produce a size/sha256 body (exchange ${exchange.n})`);
    return new Response(payload, { status: recorded.status, headers });
  };

  const fail = (message: string): Response =>
    new Response(JSON.stringify({ error_code: 'FAKE_REQUEST_MISMATCH', message }), {
      status: 599,
      headers: { 'content-type': 'application/json' },
    });

  return {
    values,
    requestProblems,
    async fetch(request: Request): Promise<Response> {
      const exchange = queue.shift();
      if (!exchange) return fail(`unexpected request ${request.method} ${request.url}: the fixture has no more exchanges`);
      const bytes = new Uint8Array(await request.arrayBuffer());
      values.preset(`len:${exchange.n}`, bytes.byteLength);
      const problems = checkRequest(exchange, request, bytes);
      if (problems.length > 0) {
        requestProblems.push(...problems.map((problem) => `#${exchange.n}: ${problem}`));
        return fail(problems.join('\n'));
      }
      return respond(exchange);
    },
  };
}
