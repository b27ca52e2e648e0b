/**
 * End-to-end self test of the replayer: every shared fixture is replayed against a fake server that answers
 * with the recorded responses, placeholders replaced by freshly invented values. A correct replayer comes
 * back all-ok; a fake that returns a wrong id must be caught at that exchange.
 */
import { describe, it, expect } from 'vitest';
import { createFakeTarget } from '../../support/conformance/fake-target.js';
import { loadTrackingFixtures, type Exchange, type Fixture, type JsonValue } from '../../support/conformance/fixture.js';
import { formatReport, replayFixture, type ReplayReport } from '../../support/conformance/replay.js';

// The auth app's fixture (auth.json) needs the auth API and per-exchange identities: it replays with issue 13.
const fixtures = await loadTrackingFixtures();
const byFlow = (flow: string): Fixture => {
  const fixture = fixtures.find((f) => f.flow === flow);
  if (!fixture) throw new Error(`fixture ${flow} not found`);
  return fixture;
};

type JsonObject = { [key: string]: JsonValue };
const asObject = (value: JsonValue | undefined): JsonObject => value as JsonObject;
/** `json.a.b.c`, or undefined as soon as a level is not an object. */
const dig = (value: JsonValue | undefined, ...keys: string[]): JsonValue | undefined => {
  let at = value;
  for (const key of keys) at = at !== null && typeof at === 'object' && !Array.isArray(at) ? at[key] : undefined;
  return at;
};
const responseJson = (exchange: Exchange): JsonValue | undefined => {
  const body = exchange.response.body;
  return body && 'json' in body ? body.json : undefined;
};
/** The first exchange whose recorded JSON response satisfies `test`. */
const firstExchange = (fixture: Fixture, test: (json: JsonObject, exchange: Exchange) => boolean): Exchange => {
  const found = fixture.exchanges.find((e) => {
    const json = responseJson(e);
    return json !== null && typeof json === 'object' && !Array.isArray(json) && test(json, e);
  });
  if (!found) throw new Error('no such exchange');
  return found;
};
const failing = (report: ReplayReport): number[] => report.results.filter((r) => !r.ok).map((r) => r.n);

describe('self test: replaying every fixture against a fake that invents fresh values', () => {
  it('finds all six shared fixtures', () => {
    // Prepare
    const expected = ['datasets_and_autolog', 'errors', 'registry_ops', 'search_and_lifecycle', 'training_loop', 'wine_classification'];

    // Act
    const flows = fixtures.map((f) => f.flow);

    // Assess
    expect(flows).toEqual(expected);
  });

  it.each(fixtures.map((f) => [f.flow, f] as const))('replays %s with every exchange ok', async (_flow, fixture) => {
    // Prepare
    const fake = createFakeTarget(fixture, { seed: 7 });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(fake.requestProblems).toEqual([]);
    expect(failing(report), formatReport(report)).toEqual([]);
    expect(report.results).toHaveLength(fixture.exchanges.length);
  });

  it('really faces invented values: fresh 32-hex run ids, numeric experiment ids, m-<hex> model ids', async () => {
    // Prepare
    const fixture = byFlow('datasets_and_autolog');
    const fake = createFakeTarget(fixture, { seed: 11 });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(failing(report)).toEqual([]);
    expect(fake.values.get('run:1')).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.values.get('exp:1')).toMatch(/^\d+$/);
    expect(fake.values.get('model:1')).toMatch(/^m-[0-9a-f]{32}$/);
  });

  it('stays all-ok when every client timestamp is shifted by timeOffsetMs', async () => {
    // Prepare
    const fixture = byFlow('search_and_lifecycle');
    const fake = createFakeTarget(fixture, { seed: 3 });

    // Act
    const report = await replayFixture(fixture, fake, { timeOffsetMs: 3_600_000 });

    // Assess
    expect(failing(report), formatReport(report)).toEqual([]);
    expect(fake.values.get('ts:1')).toBe((fixture.client_values['ts:1'] ?? 0) + 3_600_000);
  });
});

describe('self test: a fake that answers wrongly is caught at that exchange', () => {
  it('reports a wrong run id returned by runs/get', async () => {
    // Prepare
    const fixture = byFlow('search_and_lifecycle');
    const target = firstExchange(fixture, (json) => dig(json, 'run', 'info', 'run_id') === '{{run:2}}');
    const fake = createFakeTarget(fixture, {
      tamper: (n, body, values) => {
        if (n === target.n) asObject(dig(body, 'run', 'info')).run_id = values.get('run:1') ?? 'x';
        return body;
      },
    });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(failing(report)).toEqual([target.n]);
    const problems = report.results.find((r) => r.n === target.n)?.problems ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^body\.run\.info\.run_id: expected \{\{run:2\}\} = "[0-9a-f]{32}", got string "[0-9a-f]{32}"$/);
  });

  it('reports two runs swapped in an ordered search result', async () => {
    // Prepare
    const fixture = byFlow('search_and_lifecycle');
    const target = firstExchange(fixture, (json) => Array.isArray(json.runs) && json.runs.length >= 2);
    const fake = createFakeTarget(fixture, {
      tamper: (n, body) => {
        const runs = asObject(body).runs;
        if (n === target.n && Array.isArray(runs)) [runs[0], runs[1]] = [runs[1] ?? null, runs[0] ?? null];
        return body;
      },
    });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(failing(report)).toEqual([target.n]);
    expect(report.results.find((r) => r.n === target.n)?.problems.some((p) => p.startsWith('body.runs[0].info.run_id:'))).toBe(true);
  });

  it('reports a new run that comes back with the id of an existing run (injectivity)', async () => {
    // Prepare
    const fixture = byFlow('search_and_lifecycle');
    const target = firstExchange(fixture, (json, e) => e.request.path.endsWith('/runs/create') && dig(json, 'run', 'info', 'run_id') === '{{run:2}}');
    const fake = createFakeTarget(fixture, {
      tamper: (n, body, values) => {
        if (n !== target.n) return body;
        return JSON.parse(JSON.stringify(body).replaceAll(String(values.get('run:2')), String(values.get('run:1')))) as JsonValue;
      },
    });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(failing(report)[0]).toBe(target.n);
    expect(report.results.find((r) => r.n === target.n)?.problems.join('\n')).toMatch(/\{\{run:2\}\} would bind "[0-9a-f]{32}", which is already bound to \{\{run:1\}\}/);
  });

  it('reports a client timestamp that is not echoed unchanged', async () => {
    // Prepare
    const fixture = byFlow('errors');
    const target = firstExchange(fixture, (json) => dig(json, 'run', 'info', 'start_time') === '{{ts:1}}');
    const fake = createFakeTarget(fixture, {
      tamper: (n, body) => {
        if (n !== target.n) return body;
        const info = asObject(dig(body, 'run', 'info'));
        info.start_time = Number(info.start_time) + 1;
        return body;
      },
    });

    // Act
    const report = await replayFixture(fixture, fake);

    // Assess
    expect(failing(report)).toEqual([target.n]);
    expect(report.results.find((r) => r.n === target.n)?.problems[0]).toMatch(/^body\.run\.info\.start_time: expected \{\{ts:1\}\} = \d+, got number \d+$/);
  });

  it('reports a different error message in strict mode only', async () => {
    // Prepare
    const fixture = byFlow('errors');
    const target = firstExchange(fixture, (json) => json.error_code === 'INVALID_PARAMETER_VALUE');
    const tamper = (n: number, body: JsonValue): JsonValue => {
      if (n === target.n) asObject(body).message = 'something else went wrong';
      return body;
    };

    // Act
    const strict = await replayFixture(fixture, createFakeTarget(fixture, { tamper }), { messages: 'strict' });
    const lenient = await replayFixture(fixture, createFakeTarget(fixture, { tamper }), { messages: 'lenient' });

    // Assess
    expect(failing(strict)).toEqual([target.n]);
    expect(failing(lenient)).toEqual([]);
  });
});
