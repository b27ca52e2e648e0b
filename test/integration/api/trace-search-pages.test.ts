import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { createExperiment, idsOf, searchV3, startTrace, traceId } from './trace-search-support.js';

/** Every page of a search, following next_page_token; `between` runs before each page after the first. */
const allPages = async (api: TestApi, experimentId: string, body: Record<string, unknown>, between?: (page: number) => Promise<void>) => {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    if (pages.length > 0 && between) await between(pages.length);
    const response = await searchV3(api, [experimentId], { ...body, ...(token ? { page_token: token } : {}) });
    expect(response.status).toBe(200);
    pages.push(idsOf(response.body));
    token = response.body.next_page_token;
  } while (token);
  return pages;
};

describe.each(ENGINES)('trace search pages (%s)', (engine) => {
  it('breaks ties on time by trace id across pages (test_search_traces_pagination_tie_breaker)', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'ties');
    const order = [3, 0, 4, 1, 2, 8, 5, 9, 6, 7];
    for (const n of order) await startTrace(api, { id: `tr-${n}`, experimentId, time: n >= 5 ? 1 : 0 });

    // Act
    const pages = await allPages(api, experimentId, { max_results: 3 });

    // Assess
    expect(pages).toEqual([['tr-5', 'tr-6', 'tr-7'], ['tr-8', 'tr-9', 'tr-0'], ['tr-1', 'tr-2', 'tr-3'], ['tr-4']]);
  });

  it('pages every trace once while new traces arrive: newer ones are not pulled in, late older ones are', async () => {
    // Prepare: 30 traces, 10 of them in one millisecond
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'arrivals');
    const base = 1_700_000_000_000;
    const times = Array.from({ length: 30 }, (_, i) => (i < 10 ? base + 500 : base + i * 37));
    for (const [i, time] of times.entries()) await startTrace(api, { id: traceId(i), experimentId, time });
    let next = 100;
    const arrivals: { id: string; time: number }[] = [];
    const arrive = async (time: number) => {
      const id = traceId(next++);
      arrivals.push({ id, time });
      await startTrace(api, { id, experimentId, time });
    };

    // Act: between pages, one trace newer than everything, one older than everything, one in the tied millisecond
    const pages = await allPages(api, experimentId, { max_results: 7 }, async (page) => {
      await arrive(base + 10_000 + page);
      await arrive(base - 10_000 - page);
      await arrive(base + 500);
    });

    // Assess
    const seen = pages.flat();
    const originals = times.map((time, i) => ({ id: traceId(i), time }));
    const older = arrivals.filter((a) => a.time < base);
    const newer = arrivals.filter((a) => a.time > base + 2000);
    expect(new Set(seen).size).toBe(seen.length);
    for (const trace of [...originals, ...older]) expect(seen).toContain(trace.id);
    for (const trace of newer) expect(seen).not.toContain(trace.id);
    // What was seen is in the search's order: newest first, ties by id.
    const byOrder = [...originals, ...arrivals]
      .filter((t) => seen.includes(t.id))
      .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
      .map((t) => t.id);
    expect(seen).toEqual(byOrder);
  });

  it('pages sparse and dense filters in time order (the range read in slices of time) without gap or repeat', async () => {
    // Prepare: 80 traces spread over a day, some sharing a millisecond
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'slices');
    const base = 1_700_000_000_000;
    const traces = Array.from({ length: 80 }, (_, i) => ({ id: traceId(i), time: base + Math.floor(i / 2) * 2_000_000, kind: i % 9 === 0 ? 'rare' : 'common' }));
    for (const t of traces) await startTrace(api, { id: t.id, experimentId, time: t.time, tags: { kind: t.kind } });
    const expected = (kind: string, ascending: boolean) =>
      traces
        .filter((t) => t.kind === kind)
        .sort((a, b) => (ascending ? a.time - b.time : b.time - a.time) || (a.id < b.id ? -1 : 1))
        .map((t) => t.id);

    // Act
    const rare = await allPages(api, experimentId, { filter: "tags.kind = 'rare'", max_results: 2 });
    const rareOldest = await allPages(api, experimentId, { filter: "tags.kind ILIKE 'RARE'", order_by: ['timestamp ASC'], max_results: 4 });
    const common = await allPages(api, experimentId, { filter: "tags.kind = 'common'", max_results: 25 });

    // Assess
    expect(rare.flat()).toEqual(expected('rare', false));
    expect(rare.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    expect(rareOldest.flat()).toEqual(expected('rare', true));
    expect(common.flat()).toEqual(expected('common', false));
  });

  it('pages a filtered, reordered search, and refuses a token sent with another request', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'filtered');
    for (let i = 0; i < 20; i++) {
      await startTrace(api, { id: traceId(i), experimentId, time: 1000 + i, duration: (i * 7) % 11, tags: { parity: i % 2 === 0 ? 'even' : 'odd' } });
    }
    const body = { filter: "tag.parity = 'even'", order_by: ['execution_time DESC'], max_results: 4 };

    // Act
    const pages = await allPages(api, experimentId, body);
    const first = await searchV3(api, [experimentId], body);
    const misused = await searchV3(api, [experimentId], { ...body, filter: "tag.parity = 'odd'", page_token: first.body.next_page_token });

    // Assess
    const even = Array.from({ length: 10 }, (_, k) => 2 * k);
    const expected = even
      .map((i) => ({ id: traceId(i), duration: (i * 7) % 11, time: 1000 + i }))
      .sort((a, b) => b.duration - a.duration || b.time - a.time)
      .map((t) => t.id);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat()).toEqual(expected);
    expect(misused.status).toBe(400);
    expect(misused.body.message).toMatch(/^Invalid page token: it belongs to a different request/u);
  });
});
