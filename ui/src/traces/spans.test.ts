import { describe, expect, it } from 'vitest';
import { DICT_SPANS, IDS, OTLP_SPANS } from './fixtures';
import { nanosToMs, readSpan, readSpans, spanIdText } from './span-read';
import { ancestorsOf, barOf, buildTree, searchSpans, spansWithFailingDescendants, timeRange, visibleRows } from './spans';
import type { Span } from './types';

/** A span; `endMs` null for one still running. */
const span = (id: string, parentId: string | undefined, startMs: number, endMs: number | null = startMs + 1): Span => ({
  id,
  parentId,
  name: id,
  type: 'UNKNOWN',
  status: 'OK',
  statusMessage: undefined,
  startMs,
  endMs: endMs ?? undefined,
  attributes: {},
  inputs: undefined,
  outputs: undefined,
  events: [],
});

describe('reading spans', () => {
  it('reads OTLP proto JSON spans: base64 ids as hex, AnyValues, JSON-encoded attributes, status and events', () => {
    const spans = readSpans(OTLP_SPANS);
    const tool = spans.find((s) => s.name === 'get_weather');
    expect(tool).toMatchObject({
      id: IDS.tool.hex,
      parentId: IDS.llm.hex,
      type: 'TOOL',
      status: 'ERROR',
      statusMessage: 'ConnectionError: weather service unreachable',
      inputs: { city: 'Paris' },
      outputs: undefined,
    });
    expect(tool?.endMs! - tool?.startMs!).toBeCloseTo(40, 6);
    expect(tool?.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.type': 'ConnectionError', 'exception.message': 'weather service unreachable' } });
    const llm = spans.find((s) => s.name === 'ChatOpenAI');
    expect(llm?.attributes).toMatchObject({ temperature: 0.2, max_tokens: 256, 'mlflow.spanType': 'CHAT_MODEL' });
    expect(spans.find((s) => s.name === 'chat_agent')?.outputs).toBe('Paris is the capital of France.');
  });

  it("reads attributes a server decoded before writing OTLP (MLflow's Span.to_otel_proto): objects as kvlists, lists as arrays", () => {
    const read = readSpan({
      span_id: IDS.root.b64,
      name: 'agent',
      attributes: [
        { key: 'mlflow.spanType', value: { string_value: 'AGENT' } },
        {
          key: 'mlflow.spanInputs',
          value: { kvlist_value: { values: [{ key: 'question', value: { string_value: 'Why?' } }, { key: 'k', value: { int_value: 3 } }] } },
        },
        { key: 'mlflow.spanOutputs', value: { array_value: { values: [{ string_value: 'a' }, { bool_value: true }, {}] } } },
        { key: 'answer', value: { string_value: 'Paris is the capital of France.' } },
      ],
      status: { code: 'STATUS_CODE_OK' },
    });
    expect(read).toMatchObject({ type: 'AGENT', inputs: { question: 'Why?', k: 3 }, outputs: ['a', true, undefined], status: 'OK' });
    expect(read?.attributes.answer).toBe('Paris is the capital of France.');
  });

  it('reads MLflow 3 span dicts (traces.json) into the same spans', () => {
    expect(readSpans(DICT_SPANS)).toEqual(readSpans(OTLP_SPANS));
  });

  it("reads MLflow 2's spans (context, parent_id, inputs/outputs, status_code)", () => {
    const read = readSpan({
      name: 'predict',
      context: { span_id: '0x1', trace_id: 't' },
      parent_id: null,
      span_type: 'LLM',
      start_time: 1_700_000_000_000_000_000,
      end_time: 1_700_000_000_500_000_000,
      status_code: 'ERROR',
      status_message: 'boom',
      inputs: { x: 1 },
      outputs: 2,
    });
    expect(read).toMatchObject({ id: '0x1', parentId: undefined, type: 'LLM', status: 'ERROR', statusMessage: 'boom', inputs: { x: 1 }, outputs: 2 });
    expect(read!.endMs! - read!.startMs).toBeCloseTo(500, 3);
  });

  it("takes other instrumentations' span kinds and inputs when MLflow's are absent", () => {
    const read = readSpan({ span_id: 'a', name: 'x', attributes: { 'gen_ai.operation.name': 'chat', 'input.value': 'hi' }, status: { code: 0 } });
    expect(read).toMatchObject({ type: 'CHAT_MODEL', inputs: 'hi', status: 'UNSET' });
  });

  it('keeps plain string attributes that are not JSON as they are, and leaves out spans without an id', () => {
    expect(readSpan({ span_id: 'a', attributes: { 'http.method': 'GET', n: '3' } })?.attributes).toEqual({ 'http.method': 'GET', n: 3 });
    expect(readSpans([{ name: 'no id' }])).toEqual([]);
  });

  it('converts ids and nanoseconds', () => {
    expect(spanIdText('AAAAAAAAAAE=')).toBe('0000000000000001');
    expect(spanIdText('00000000000000AB')).toBe('00000000000000ab');
    expect(spanIdText('')).toBeUndefined();
    expect(nanosToMs('1735000000000123456')).toBe(1735000000000.123);
    expect(nanosToMs(2_000_000)).toBe(2);
    expect(nanosToMs('0')).toBeUndefined();
    expect(nanosToMs('abc')).toBeUndefined();
  });

  it('treats an end before the start as not ended', () => {
    expect(readSpan({ span_id: 'a', start_time_unix_nano: '2000000', end_time_unix_nano: '1000000' })?.endMs).toBeUndefined();
  });
});

describe('the span tree', () => {
  it('nests children under parents in start order', () => {
    const tree = buildTree(readSpans(OTLP_SPANS));
    expect(tree.map((n) => n.span.name)).toEqual(['chat_agent']);
    expect(tree[0]?.children.map((n) => n.span.name)).toEqual(['retrieve', 'ChatOpenAI']);
    expect(tree[0]?.children[1]?.children.map((n) => n.span.name)).toEqual(['get_weather']);
  });

  it('makes orphans and parent cycles roots, so no span is lost', () => {
    const spans = [span('a', undefined, 0), span('b', 'missing', 5), span('c', 'd', 2), span('d', 'c', 3), span('e', 'e', 4)];
    const tree = buildTree(spans);
    const all: string[] = [];
    const walk = (nodes: typeof tree) => nodes.forEach((n) => (all.push(n.span.id), walk(n.children)));
    walk(tree);
    expect(all.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tree.map((n) => n.span.id)).toContain('b');
  });

  it('hides the children of collapsed spans and gives each row its level and position', () => {
    const tree = buildTree(readSpans(OTLP_SPANS));
    const open = visibleRows(tree, new Set());
    expect(open.map((r) => [r.node.span.name, r.depth, r.position, r.siblings])).toEqual([
      ['chat_agent', 0, 1, 1],
      ['retrieve', 1, 1, 2],
      ['ChatOpenAI', 1, 2, 2],
      ['get_weather', 2, 1, 1],
    ]);
    const closed = visibleRows(tree, new Set([IDS.llm.hex]));
    expect(closed.map((r) => r.node.span.name)).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI']);
    expect(closed[2]?.expanded).toBe(false);
  });

  it('finds spans by name, type or content, keeping their ancestors on show', () => {
    const spans = readSpans(OTLP_SPANS);
    expect(searchSpans(spans, '  ')).toBeUndefined();
    const byName = searchSpans(spans, 'WEATHER');
    expect([...byName!.matches]).toEqual([IDS.tool.hex]);
    expect([...byName!.shown].sort()).toEqual([IDS.root.hex, IDS.llm.hex, IDS.tool.hex].sort());
    expect([...searchSpans(spans, 'wiki/paris')!.matches]).toEqual([IDS.retrieve.hex]);
    const rows = visibleRows(buildTree(spans), new Set([IDS.llm.hex]), byName!.shown);
    expect(rows.map((r) => [r.node.span.name, r.position, r.siblings])).toEqual([
      ['chat_agent', 1, 1],
      ['ChatOpenAI', 1, 1],
      ['get_weather', 1, 1],
    ]);
    expect(searchSpans([span('c', 'd', 0), span('d', 'c', 0)], 'c')?.shown).toEqual(new Set(['c', 'd']));
  });

  it('knows which spans have a failed span below them', () => {
    expect([...spansWithFailingDescendants(buildTree(readSpans(OTLP_SPANS)))].sort()).toEqual([IDS.root.hex, IDS.llm.hex]);
  });

  it('lists ancestors, nearest first, and stops at a cycle', () => {
    const spans = readSpans(OTLP_SPANS);
    expect(ancestorsOf(spans, IDS.tool.hex)).toEqual([IDS.llm.hex, IDS.root.hex]);
    expect(ancestorsOf([span('c', 'd', 0), span('d', 'c', 0)], 'c')).toEqual(['d', 'c']);
  });
});

describe('the timeline', () => {
  it('spans the earliest start to the latest end; an open span reaches the end', () => {
    const spans = [span('a', undefined, 100, 300), span('b', 'a', 150, 200), span('c', 'a', 250, null)];
    const range = timeRange(spans);
    expect(range).toEqual({ startMs: 100, endMs: 300 });
    expect(barOf(spans[1]!, range)).toEqual({ left: 0.25, width: 0.25 });
    expect(barOf(spans[2]!, range)).toEqual({ left: 0.75, width: 0.25 });
    expect(timeRange([])).toEqual({ startMs: 0, endMs: 1 });
  });
});
