import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useHashLocation } from '../app/router';
import { TRACE_ID, TRACE_INFO } from './fixtures';
import { TracesList } from './TracesList';
import { stubServer, type Call } from './test-server';
import type { TraceInfo } from './types';

const OK_TRACE: TraceInfo = {
  trace_id: 'tr-ok',
  request_time: '2024-12-24T01:00:00Z',
  execution_duration: '0.040s',
  state: 'OK',
  request_preview: '{"question":   "hi"}',
  response_preview: '"hello"',
  tags: {},
};

/** The tab as the app mounts it: its search params are the hash's. */
const Tab = () => <TracesList experimentId="7" search={useHashLocation().search} />;

const searches = (calls: Call[]) => calls.filter((c) => c.path === '/api/3.0/mlflow/traces/search').map((c) => c.body as Record<string, unknown>);

describe('<TracesList>', () => {
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  const open = (hash: string, answer: (body: Record<string, unknown>) => { status?: number; body: unknown }) => {
    window.location.hash = hash;
    const calls = stubServer((call) => (call.path === '/api/3.0/mlflow/traces/search' ? answer(call.body as Record<string, unknown>) : undefined));
    render(<Tab />);
    return calls;
  };

  it("searches the experiment's traces and shows name, previews, state, duration, tags and assessments", async () => {
    const calls = open('#/experiments/7/traces', () => ({ body: { traces: [TRACE_INFO, OK_TRACE] } }));
    const row = (await screen.findByRole('link', { name: 'chat_agent' })).closest('tr')!;
    expect(searches(calls)[0]).toEqual({
      locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '7' } }],
      order_by: ['timestamp_ms DESC'],
      max_results: 50,
    });
    const cells = within(row).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells[0]).toBe('chat_agenttr-0af76519…');
    expect(within(row).getByTitle(TRACE_ID)).toBeTruthy();
    expect(cells[1]).toBe('{"question": "What is the capital of France?"}');
    expect(cells[4]).toBe('✕ Error');
    expect(cells[5]).toBe('1.25 s');
    expect(cells[6]).toBe('environment=test');
    expect(cells[7]).toBe('✓ correctnessyesexpected_answerParis✕ tool_okfalse');
    expect(screen.getByRole('link', { name: 'chat_agent' }).getAttribute('href')).toBe(`#/experiments/7/traces/${TRACE_ID}`);
    const other = screen.getByRole('link', { name: 'tr-ok' }).closest('tr')!;
    expect(within(other).getAllByRole('cell')[1]?.textContent).toBe('{"question": "hi"}');
  });

  it('shows tags as one-line chips titled `key: value`, three at most and "+N" for the rest', async () => {
    const tags = {
      'mlflow.traceName': 'tagged',
      customer_segment: 'enterprise-north-america-west',
      environment: 'production',
      owner: '',
      pipeline: 'retrieval-augmented-generation-v2',
      release: '2024.12.01-rc3',
    };
    open('#/experiments/7/traces', () => ({ body: { traces: [{ ...OK_TRACE, tags }] } }));
    const row = (await screen.findByRole('link', { name: 'tagged' })).closest('tr')!;
    const chips = [...row.querySelectorAll('.tag-chip')];
    // In key order, the whole text in the DOM (the ellipsis is the stylesheet's) and in the title; MLflow's own tags left out.
    expect(chips.map((chip) => chip.textContent)).toEqual(['customer_segment=enterprise-north-america-west', 'environment=production', 'owner']);
    expect(chips.map((chip) => chip.getAttribute('title'))).toEqual(['customer_segment: enterprise-north-america-west', 'environment: production', 'owner']);
    const more = row.querySelector('.chip-more')!;
    expect(more.getAttribute('title')).toBe('pipeline: retrieval-augmented-generation-v2\nrelease: 2024.12.01-rc3');
    expect(more.textContent).toBe('+2 more: pipeline: retrieval-augmented-generation-v2, release: 2024.12.01-rc3');
    expect(more.querySelector('.visually-hidden')?.textContent).toBe(' more: pipeline: retrieval-augmented-generation-v2, release: 2024.12.01-rc3');
  });

  it('applies a typed filter and the state chip together, keeping both in the URL', async () => {
    const calls = open('#/experiments/7/traces', () => ({ body: { traces: [] } }));
    await screen.findByText('No traces yet');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter traces' }), { target: { value: 'trace.execution_time_ms > 1000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.click(screen.getByRole('button', { name: 'Error' }));
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toBe("trace.status = 'ERROR' AND trace.execution_time_ms > 1000"));
    expect(window.location.hash).toBe('#/experiments/7/traces?filter=trace.execution_time_ms+%3E+1000&state=ERROR');
    expect(await screen.findByText('No trace matches')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Error' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('narrows to a recent time range from the time chip, anchored when chosen', async () => {
    const calls = open('#/experiments/7/traces', () => ({ body: { traces: [] } }));
    await screen.findByText('No traces yet');
    const before = Date.now();
    fireEvent.change(screen.getByRole('combobox', { name: 'Request time' }), { target: { value: '24h' } });
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toMatch(/^trace\.timestamp_ms >= \d+$/));
    const since = Number(String(searches(calls).at(-1)?.filter).split('>= ')[1]);
    expect(since).toBeGreaterThanOrEqual(before - 86_400_000);
    expect(since).toBeLessThanOrEqual(Date.now() - 86_400_000);
    expect(window.location.hash).toBe('#/experiments/7/traces?since=24h');
    const count = searches(calls).length;
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(searches(calls).length).toBe(count);
  });

  it("shows the server's refusal of a filter under the box", async () => {
    open('#/experiments/7/traces?filter=bogus', () => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid filter 'bogus'" } }));
    expect((await screen.findByRole('alert')).textContent).toBe("Invalid filter 'bogus'");
    expect(screen.getByRole('searchbox', { name: 'Filter traces' }).getAttribute('aria-invalid')).toBe('true');
  });

  it('sorts by duration from the header, toggling the direction', async () => {
    const calls = open('#/experiments/7/traces', () => ({ body: { traces: [OK_TRACE] } }));
    await screen.findByRole('link', { name: 'tr-ok' });
    fireEvent.click(screen.getByRole('button', { name: 'Duration' }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toEqual(['execution_time_ms DESC']));
    fireEvent.click(await screen.findByRole('button', { name: /Duration/ }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toEqual(['execution_time_ms ASC']));
    expect(screen.getByRole('columnheader', { name: /Duration/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('pages with the server tokens, forward and back', async () => {
    const calls = open('#/experiments/7/traces', (body) =>
      body.page_token === 'p2' ? { body: { traces: [{ ...OK_TRACE, trace_id: 'tr-second' }] } } : { body: { traces: [OK_TRACE], next_page_token: 'p2' } },
    );
    await screen.findByRole('link', { name: 'tr-ok' });
    expect(screen.getByRole('button', { name: '← Previous' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByRole('link', { name: 'tr-second' });
    expect(window.location.hash).toBe('#/experiments/7/traces?page=p2');
    expect(screen.getByText(/Page 2/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next →' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await screen.findByRole('link', { name: 'tr-ok' });
    expect(searches(calls).map((b) => b.page_token)).toEqual([undefined, 'p2', undefined]);
  });

  it('moves through the rows with j and k, focusing each trace link', async () => {
    open('#/experiments/7/traces', () => ({ body: { traces: [TRACE_INFO, OK_TRACE] } }));
    await screen.findByRole('link', { name: 'tr-ok' });
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(document.activeElement?.textContent).toBe('chat_agent');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(document.activeElement?.textContent).toBe('tr-ok');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(document.activeElement?.textContent).toBe('tr-ok');
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(document.activeElement?.textContent).toBe('chat_agent');
  });

  it('reads the page again while a trace on it is in progress', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const calls = open('#/experiments/7/traces', () => ({ body: { traces: [{ ...OK_TRACE, state: 'IN_PROGRESS' }] } }));
      await screen.findByRole('link', { name: 'tr-ok' });
      const before = searches(calls).length;
      await act(async () => vi.advanceTimersByTimeAsync(5100));
      expect(searches(calls).length).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("turns MLflow's trace link (?selectedEvaluationId=) into the trace's page", async () => {
    open(`#/experiments/7/traces?selectedEvaluationId=${TRACE_ID}`, () => ({ body: { traces: [] } }));
    await act(async () => undefined);
    expect(window.location.hash).toBe(`#/experiments/7/traces/${TRACE_ID}`);
  });
});
