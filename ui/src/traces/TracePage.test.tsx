import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useHashLocation } from '../app/router';
import { DICT_SPANS, IDS, OTLP_SPANS, TRACE_ID, TRACE_INFO } from './fixtures';
import TracePage from './TracePage';
import { stubServer, type Call, type Handler } from './test-server';

const Page = () => <TracePage experimentId="7" traceId={TRACE_ID} search={useHashLocation().search} />;

const experiment = (call: Call) =>
  call.path === '/api/2.0/mlflow/experiments/get' ? { body: { experiment: { experiment_id: '7', name: 'agents', lifecycle_stage: 'active' } } } : undefined;

const withTracesGet = (call: Call) =>
  experiment(call) ??
  (call.path === '/api/3.0/mlflow/traces/get' && call.query.get('trace_id') === TRACE_ID ? { body: { trace: { trace_info: TRACE_INFO, spans: OTLP_SPANS } } } : undefined);

const open = async (hash = `#/experiments/7/traces/${TRACE_ID}`, handler: Handler = withTracesGet) => {
  window.location.hash = hash;
  const calls = stubServer(handler);
  render(<Page />);
  await screen.findByRole('tree', { name: 'Spans' });
  return calls;
};

const items = () => screen.getAllByRole('treeitem');
const names = () => items().map((item) => item.querySelector('.span-name')?.textContent);
const selected = () => screen.getAllByRole('treeitem').find((item) => item.getAttribute('aria-selected') === 'true');

describe('<TracePage>', () => {
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  it('shows the trace: name, state, facts, span tree with levels, one timeline bar per span', async () => {
    await open();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('chat_agent');
    expect(screen.getByText('Error', { selector: '.trace-state' })).toBeTruthy();
    const facts = document.querySelector('dl.trace-facts')!;
    expect(facts.textContent).toContain('Duration1.25 s');
    expect(facts.textContent).toContain('Spans4');
    expect(facts.textContent).toContain('Tokens42 (30 in, 12 out)');
    expect(screen.getByRole('link', { name: 'run01234' }).getAttribute('href')).toBe('#/experiments/7/runs/run0123456789');
    expect(names()).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI', 'get_weather']);
    expect(items().map((item) => item.getAttribute('aria-level'))).toEqual(['1', '2', '2', '3']);
    expect(document.querySelectorAll('.span-bar')).toHaveLength(4);
    const tool = items()[3]!;
    expect(tool.className).toContain('error');
    expect(tool.querySelector('.span-bar')?.className).toContain('status-ERROR');
    // The tool ran from 600 to 640 ms of 1250 ms.
    expect((tool.querySelector('.span-bar') as HTMLElement).style.left).toBe('48%');
    expect(screen.getByRole('list', { name: 'Span types' }).textContent).toBe('AgentChat modelRetrieverToolError');
    // The tool carries one assessment (tool_ok), marked on its row.
    expect(tool.querySelector('.span-assessed')?.textContent).toBe('◆ 1');
    expect(document.querySelectorAll('.span-assessed')).toHaveLength(1);
  });

  it("selects the root first and shows its inputs and outputs; a chat model's messages as a chat", async () => {
    await open();
    expect(selected()?.querySelector('.span-name')?.textContent).toBe('chat_agent');
    const io = screen.getByRole('tabpanel');
    expect(within(io).getByRole('region', { name: 'Outputs' }).textContent).toContain('Paris is the capital of France.');
    fireEvent.click(items()[2]!);
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('ChatOpenAI'));
    expect(window.location.hash).toBe(`#/experiments/7/traces/${TRACE_ID}?span=${IDS.llm.hex}`);
    const messages = screen.getByRole('list', { name: 'Inputs messages' });
    expect(within(messages).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['systemAnswer briefly.', 'userWhat is the capital of France?']);
    expect(screen.getByRole('list', { name: 'Outputs messages' }).textContent).toBe('assistantParis is the capital of France.');
  });

  it('shows attributes without the inputs and outputs, and the exception of a failed span', async () => {
    await open(`#/experiments/7/traces/${TRACE_ID}?span=${IDS.tool.hex}&tab=events`);
    expect(selected()?.querySelector('.span-name')?.textContent).toBe('get_weather');
    expect(screen.getByText('ConnectionError: weather service unreachable', { selector: '.span-detail-head p' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Events (1)' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText('ConnectionError: weather service unreachable', { selector: '.span-event p' })).toBeTruthy();
    expect(screen.getByText(/Traceback \(most recent call last\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Attributes (1)' }));
    const table = await screen.findByRole('table', { name: 'Span attributes' });
    expect(within(table).getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['mlflow.spanType']);
    expect(window.location.hash).toContain('tab=attributes');
    // The span's own assessment has its tab.
    fireEvent.click(screen.getByRole('tab', { name: 'Assessments (1)' }));
    expect(screen.getByRole('tabpanel').textContent).toContain('The weather tool raised.');
  });

  it('moves and folds with the keyboard as a tree does', async () => {
    await open();
    const tree = screen.getByRole('tree');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('retrieve'));
    expect(tree.getAttribute('aria-activedescendant')).toBe(selected()?.id);
    fireEvent.keyDown(tree, { key: 'j' });
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('ChatOpenAI'));
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    await waitFor(() => expect(names()).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI']));
    expect(selected()?.getAttribute('aria-expanded')).toBe('false');
    // The failed tool is hidden now; its parent says so.
    expect(selected()?.querySelector('.span-error-mark')?.textContent).toBe('error inside');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    await waitFor(() => expect(names()).toHaveLength(4));
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('get_weather'));
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('ChatOpenAI'));
    fireEvent.keyDown(tree, { key: 'Home' });
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('chat_agent'));
  });

  it('finds spans by their content, showing the path to each', async () => {
    await open();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Find spans' }), { target: { value: 'weather' } });
    await waitFor(() => expect(names()).toEqual(['chat_agent', 'ChatOpenAI', 'get_weather']));
    expect(screen.getByRole('status').textContent).toBe('1 of 4 spans');
    expect(items().filter((item) => item.className.includes('match')).map((item) => item.querySelector('.span-name')?.textContent)).toEqual(['get_weather']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Find spans' }), { target: { value: '' } });
    await waitFor(() => expect(names()).toHaveLength(4));
  });

  it('moves the selection to the first match when a search hides it, keeps a matching one, and shows no span when none matches', async () => {
    await open();
    const box = screen.getByRole('searchbox', { name: 'Find spans' });
    const detailName = () => document.querySelector('.span-detail-name')?.textContent;
    fireEvent.click(items()[1]!);
    await waitFor(() => expect(detailName()).toBe('retrieve'));
    // retrieve does not match: the tree and the pane move together to the match.
    fireEvent.change(box, { target: { value: 'weather' } });
    expect(names()).toEqual(['chat_agent', 'ChatOpenAI', 'get_weather']);
    expect(selected()?.querySelector('.span-name')?.textContent).toBe('get_weather');
    expect(detailName()).toBe('get_weather');
    expect(window.location.hash).toContain(`span=${IDS.tool.hex}`);
    // A span on the path to the match can be picked; a search it matches keeps it.
    fireEvent.click(items()[1]!);
    await waitFor(() => expect(detailName()).toBe('ChatOpenAI'));
    fireEvent.change(box, { target: { value: 'capital' } });
    expect(detailName()).toBe('ChatOpenAI');
    // Nothing matches: no span is shown as selected, and the pane says why.
    fireEvent.change(box, { target: { value: 'no such text' } });
    expect(screen.queryAllByRole('treeitem')).toHaveLength(0);
    expect(document.querySelector('.span-detail-name')).toBeNull();
    expect(screen.getByRole('heading', { name: 'No span selected' })).toBeTruthy();
    expect(document.querySelector('.span-detail-empty')?.textContent).toContain('No span matches “no such text”');
    // Cleared: the last selection is back.
    fireEvent.change(box, { target: { value: '' } });
    expect(names()).toHaveLength(4);
    expect(detailName()).toBe('ChatOpenAI');
  });

  it("selects the folded branch when folding hides the selected span, and a span's link ends a search hiding it", async () => {
    await open(`#/experiments/7/traces/${TRACE_ID}?span=${IDS.tool.hex}`);
    expect(document.querySelector('.span-detail-name')?.textContent).toBe('get_weather');
    fireEvent.click(items()[2]!.querySelector('.twisty')!);
    await waitFor(() => expect(names()).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI']));
    expect(selected()?.querySelector('.span-name')?.textContent).toBe('ChatOpenAI');
    expect(document.querySelector('.span-detail-name')?.textContent).toBe('ChatOpenAI');

    const box = screen.getByRole('searchbox', { name: 'Find spans' });
    fireEvent.change(box, { target: { value: 'retrieve' } });
    expect(document.querySelector('.span-detail-name')?.textContent).toBe('retrieve');
    fireEvent.click(within(screen.getByRole('region', { name: 'Assessments' })).getByRole('button', { name: 'get_weather' }));
    await waitFor(() => expect(document.querySelector('.span-detail-name')?.textContent).toBe('get_weather'));
    expect((box as HTMLInputElement).value).toBe('');
    expect(names()).toHaveLength(4);
  });

  it('labels the time axis in round steps of one unit, one grid line per tick', async () => {
    await open();
    // jsdom lays nothing out: the axis assumes 360 px, where 1.25 s takes steps of 0.2 s.
    const ticks = [...document.querySelectorAll('.timeline-axis .tick')];
    expect(ticks.map((tick) => tick.textContent)).toEqual(['0', '0.2 s', '0.4 s', '0.6 s', '0.8 s', '1.0 s', '']);
    expect(ticks.map((tick) => (tick as HTMLElement).style.left)).toEqual(['0%', '16%', '32%', '48%', '64%', '80%', '96%']);
    expect(document.querySelectorAll('.timeline-lines .line')).toHaveLength(7);
  });

  it("lists the trace's assessments with source and rationale; a span's link opens that span", async () => {
    await open();
    const section = screen.getByRole('region', { name: 'Assessments' });
    expect(section.textContent).toContain('LLM judge · gpt-4o-judge');
    expect(section.textContent).toContain('The answer names the capital correctly.');
    expect(section.textContent).toContain('Expectation');
    fireEvent.click(within(section).getByRole('button', { name: 'get_weather' }));
    await waitFor(() => expect(selected()?.querySelector('.span-name')?.textContent).toBe('get_weather'));
    expect(screen.getByRole('region', { name: 'Tags' }).textContent).toContain('environment');
    expect(screen.getByRole('region', { name: 'Metadata' }).textContent).toContain('mlflow.sourceRun');
  });

  it('starts afresh on another trace: no span search or folded branch carried over', async () => {
    const other = { ...TRACE_INFO, trace_id: 'tr-other', tags: { 'mlflow.traceName': 'other' } };
    stubServer((call) =>
      call.path === '/api/3.0/mlflow/traces/get' && call.query.get('trace_id') === 'tr-other' ? { body: { trace: { trace_info: other, spans: OTLP_SPANS } } } : withTracesGet(call),
    );
    window.location.hash = `#/experiments/7/traces/${TRACE_ID}`;
    const Switching = () => {
      const location = useHashLocation();
      const id = location.path.split('/').pop() ?? TRACE_ID;
      return <TracePage experimentId="7" traceId={decodeURIComponent(id)} search={location.search} />;
    };
    render(<Switching />);
    await screen.findByRole('tree', { name: 'Spans' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Find spans' }), { target: { value: 'weather' } });
    await waitFor(() => expect(names()).toHaveLength(3));
    window.location.hash = '#/experiments/7/traces/tr-other';
    await screen.findByRole('heading', { name: 'other' });
    await waitFor(() => expect(names()).toHaveLength(4));
    expect((screen.getByRole('searchbox', { name: 'Find spans' }) as HTMLInputElement).value).toBe('');
  });

  it('falls back to the trace info and its traces.json artifact where the server has no traces/get', async () => {
    const calls = await open(undefined, (call) => {
      if (call.path === `/api/3.0/mlflow/traces/${TRACE_ID}`) return { body: { trace: { trace_info: TRACE_INFO } } };
      if (call.path === '/ajax-api/2.0/mlflow/get-trace-artifact' && call.query.get('request_id') === TRACE_ID) return { body: { spans: DICT_SPANS } };
      return experiment(call);
    });
    expect(names()).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI', 'get_weather']);
    expect(calls.map((c) => c.path)).toContain('/api/3.0/mlflow/traces/get');
  });

  it('reports a missing trace instead of falling back', async () => {
    window.location.hash = `#/experiments/7/traces/${TRACE_ID}`;
    const calls = stubServer((call) =>
      experiment(call) ?? (call.path === '/api/3.0/mlflow/traces/get' ? { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Trace not found' } } : undefined),
    );
    render(<Page />);
    expect((await screen.findByRole('alert')).textContent).toBe('Trace not found');
    expect(calls.map((c) => c.path)).not.toContain('/ajax-api/2.0/mlflow/get-trace-artifact');
  });
});
