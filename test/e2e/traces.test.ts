import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2eSession } from './support/session.js';
import { checkPage } from './support/checks.js';
import { api } from './support/seed.js';
import { seedLongTrace, seedTraces, type SeededTraces } from './traces-seed.js';

/**
 * The Traces tab and the trace view against a real `npm start`: traces sent through OTLP as MLflow 3's client
 * sends them, tagged and assessed through the v3 API, then searched, filtered and opened in Chromium.
 */
describe('traces in the UI', () => {
  let experimentId: string;
  let seeded: SeededTraces;
  let longExperimentId: string;
  let long: { traceId: string; failingStep: number };
  const STEPS = 250;
  const EMBED_TAGS = {
    customer_segment: 'enterprise-north-america-west',
    pipeline: 'retrieval-augmented-generation-v2',
    release: '2024.12.01-rc3',
    team: 'search',
  };

  const session = useE2eSession(async (server) => {
    const client = api(server.url);
    ({ experiment_id: experimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name: 'e2e-traces' }));
    seeded = await seedTraces(server.url, experimentId);
    ({ experiment_id: longExperimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name: 'e2e-long-trace' }));
    long = await seedLongTrace(server.url, longExperimentId, STEPS);
    // More tags than the Tags column shows, some longer than it is wide.
    for (const [key, value] of Object.entries(EMBED_TAGS)) {
      const response = await fetch(`${server.url}/api/3.0/mlflow/traces/${seeded.embed.traceId}/tags`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key, value }),
      });
      expect(response.status).toBe(200);
    }
  });

  const page = () => session.page;
  const traceLinks = () => page().locator('table.traces-table tbody a').allTextContents();
  const treeNames = () => page().getByRole('tree', { name: 'Spans' }).locator('.span-name').allTextContents();
  const selectedName = () => page().locator('[role="treeitem"][aria-selected="true"] .span-name').textContent();
  const detailName = () => page().locator('.span-detail-name').textContent();

  /** Each tag chip's line count and whether its text is cut, as Chromium lays the Tags column out. */
  const chipLayout = (row: ReturnType<Page['locator']>) =>
    row.locator('.tag-chip').evaluateAll((chips) =>
      chips.map((chip) => {
        const style = chip.ownerDocument.defaultView!.getComputedStyle(chip);
        const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
        const cell = chip.closest('td')!.getBoundingClientRect();
        const box = chip.getBoundingClientRect();
        return {
          lines: Math.round((box.height - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth)) / lineHeight),
          cut: chip.scrollWidth > chip.clientWidth,
          inside: box.left >= cell.left && box.right <= cell.right,
          title: chip.getAttribute('title'),
        };
      }),
    );

  /** The axis labels' boxes in Chromium: none may overlap the next. */
  const axisOverlaps = () =>
    page()
      .locator('.timeline-axis .tick')
      .evaluateAll((ticks) => {
        const boxes = ticks.filter((t) => t.textContent).map((t) => ({ text: t.textContent, ...t.getBoundingClientRect().toJSON() }) as { text: string; left: number; right: number });
        return boxes.slice(1).filter((box, i) => box.left < boxes[i]!.right).map((box, i) => `${boxes[i]!.text} / ${box.text}`);
      });

  it("lists the experiment's traces, newest first, with state, duration, tags and assessments", async () => {
    await page().goto(`${session.server.url}/#/experiments/${experimentId}`);
    await page().getByRole('link', { name: 'Traces' }).click();
    await page().waitForURL((url) => url.hash === `#/experiments/${experimentId}/traces`);
    await expect.poll(traceLinks).toEqual(['embed_documents', 'summarize', 'chat_agent']);
    const agentRow = page().locator('tr', { has: page().getByRole('link', { name: 'chat_agent' }) });
    expect(await agentRow.locator('.trace-state').textContent()).toBe('✓ OK');
    expect(await agentRow.locator('td').nth(5).textContent()).toBe('1.25 s');
    expect(await agentRow.locator('.tag-chip').allTextContents()).toEqual(['environment=production']);
    // Tag chips stay one line in the narrow column, cut with an ellipsis, the whole tag in the title.
    expect(await chipLayout(agentRow)).toEqual([{ lines: 1, cut: true, inside: true, title: 'environment: production' }]);
    const embedRow = page().locator('tr', { has: page().getByRole('link', { name: 'embed_documents' }) });
    const embedChips = await chipLayout(embedRow);
    expect(embedChips.map((chip) => chip.title)).toEqual(['customer_segment: enterprise-north-america-west', 'pipeline: retrieval-augmented-generation-v2', 'release: 2024.12.01-rc3']);
    expect(embedChips.every((chip) => chip.lines === 1 && chip.inside)).toBe(true);
    expect(embedChips[0]?.cut).toBe(true);
    expect(await embedRow.locator('.chip-more').getAttribute('title')).toBe('team: search');
    expect(await embedRow.locator('.chip-more').textContent()).toBe('+1 more: team: search');
    expect(await agentRow.locator('.assessment-chip').allTextContents()).toEqual(['✓ correctnessyes', 'expected_answerParis', '✕ tool_okfalse']);
    const failedRow = page().locator('tr', { has: page().getByRole('link', { name: 'summarize' }) });
    expect(await failedRow.locator('.trace-state').textContent()).toBe('✕ Error');
    await checkPage(page(), 'traces');
  });

  it('filters by state and by a typed filter, the filter kept in the URL', async () => {
    await page().getByRole('button', { name: 'Error', exact: true }).click();
    await expect.poll(traceLinks).toEqual(['summarize']);
    expect(page().url()).toContain('state=ERROR');
    await page().getByRole('button', { name: 'All', exact: true }).click();
    await expect.poll(traceLinks).toHaveLength(3);
    // All three ran ten minutes ago or less.
    await page().getByRole('combobox', { name: 'Request time' }).selectOption('1h');
    await expect.poll(() => page().url()).toContain('since=1h');
    await expect.poll(traceLinks).toHaveLength(3);
    expect(await page().locator('.traces-view [role="alert"]').count()).toBe(0);
    await page().getByRole('combobox', { name: 'Request time' }).selectOption('');

    const box = page().getByRole('searchbox', { name: 'Filter traces' });
    await box.fill("tags.environment = 'production'");
    await box.press('Enter');
    await expect.poll(traceLinks).toEqual(['chat_agent']);
    expect(decodeURIComponent(page().url().replace(/\+/g, ' '))).toContain("filter=tags.environment = 'production'");

    await box.fill('trace.execution_time_ms < 100');
    await box.press('Enter');
    await expect.poll(traceLinks).toEqual(['embed_documents']);

    await box.fill("span.name = 'get_weather'");
    await box.press('Enter');
    await expect.poll(traceLinks).toEqual(['chat_agent']);
    await checkPage(page(), 'traces-filtered');

    await box.fill('trace.bogus >>> 1');
    await box.press('Enter');
    await page().locator('.trace-filter [role="alert"]').waitFor();
    await page().getByRole('button', { name: 'Clear' }).click();
    await expect.poll(traceLinks).toHaveLength(3);
  });

  it('opens a trace: span tree beside the timeline, the root selected with its inputs and outputs', async () => {
    await page().getByRole('link', { name: 'chat_agent' }).click();
    await page().waitForURL((url) => url.hash === `#/experiments/${experimentId}/traces/${seeded.agent.traceId}`);
    await expect.poll(treeNames).toEqual(['chat_agent', 'retrieve', 'ChatOpenAI', 'get_weather']);
    expect(await page().getByRole('treeitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-level')))).toEqual(['1', '2', '2', '3']);
    expect(await page().locator('.span-bar').count()).toBe(4);
    expect(await page().locator('.span-bar.status-ERROR').count()).toBe(1);
    expect(await axisOverlaps()).toEqual([]);
    expect(await selectedName()).toBe('chat_agent');
    await page().getByRole('region', { name: 'Outputs' }).getByText('Paris is the capital of France.').waitFor();
    await checkPage(page(), 'trace');
  });

  it("shows a chat model's messages and a failed tool's exception, moving with the keyboard", async () => {
    await page().getByRole('treeitem').filter({ hasText: 'ChatOpenAI' }).click();
    await expect.poll(selectedName).toBe('ChatOpenAI');
    expect(await page().getByRole('list', { name: 'Inputs messages' }).getByRole('listitem').allTextContents()).toEqual([
      'systemAnswer briefly.',
      'userWhat is the capital of France?',
    ]);
    await page().keyboard.press('ArrowDown');
    await expect.poll(selectedName).toBe('get_weather');
    expect(page().url()).toContain(`span=${seeded.toolSpanId}`);
    await page().getByRole('tab', { name: /^Events/ }).click();
    await page().locator('.span-event.exception', { hasText: 'ConnectionError: weather service unreachable' }).waitFor();
    await checkPage(page(), 'trace-span-error');
    await page().getByRole('tab', { name: /^Assessments/ }).click();
    await page().getByRole('tabpanel').getByText('The weather tool raised.').waitFor();
  });

  it("lists the trace's assessments with source and rationale, and its tags", async () => {
    const section = page().getByRole('region', { name: 'Assessments' });
    await section.getByText('The answer names the capital correctly.').waitFor();
    expect(await section.textContent()).toContain('LLM judge · gpt-4o-judge');
    expect(await page().getByRole('region', { name: 'Tags' }).textContent()).toContain('environment');
  });

  it('opens from the link on its own, on the selected span, and from MLflow-style links', async () => {
    await page().goto(`${session.server.url}/#/experiments/${experimentId}/traces/${seeded.agent.traceId}?span=${seeded.toolSpanId}&tab=events`);
    await expect.poll(selectedName).toBe('get_weather');
    expect(await page().getByRole('tab', { name: /^Events/ }).getAttribute('aria-selected')).toBe('true');
    await page().goto(`${session.server.url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${seeded.failed.traceId}`);
    await page().waitForURL((url) => url.hash === `#/experiments/${experimentId}/traces/${seeded.failed.traceId}`);
    await expect.poll(treeNames).toEqual(['summarize', 'parse_document']);
    await page().locator('.span-detail-head', { hasText: 'ValueError: context window exceeded' }).waitFor();
  });

  it('opens a trace of a thousand spans with only the rows in view in the DOM, End and search reaching any span', async () => {
    await page().goto(`${session.server.url}/#/experiments/${longExperimentId}/traces/${long.traceId}`);
    const tree = page().getByRole('tree', { name: 'Spans' });
    await expect.poll(selectedName).toBe('agent_loop');
    expect(await page().locator('dl.trace-facts').textContent()).toContain(`Spans${1 + 4 * STEPS}`);
    const inDom = await tree.getByRole('treeitem').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    await tree.focus();
    await page().keyboard.press('End');
    await expect.poll(selectedName).toBe(`parse_${STEPS - 1}`);
    expect(await tree.getAttribute('aria-activedescendant')).toBe(await page().locator('[role="treeitem"][aria-selected="true"]').getAttribute('id'));
    expect(await detailName()).toBe(`parse_${STEPS - 1}`);
    const find = page().getByRole('searchbox', { name: 'Find spans' });
    await find.fill(`act_${long.failingStep}`);
    await expect.poll(treeNames).toEqual(['agent_loop', `step_${long.failingStep}`, `act_${long.failingStep}`]);
    expect(await tree.locator('.span-row.error .span-name').allTextContents()).toEqual([`act_${long.failingStep}`]);
    // The search hid the selected parse span: the selection, and the pane with it, moved to the match.
    expect(await selectedName()).toBe(`act_${long.failingStep}`);
    expect(await detailName()).toBe(`act_${long.failingStep}`);
    expect(await axisOverlaps()).toEqual([]);
    await checkPage(page(), 'trace-long');
    await find.fill('no span has this');
    await page().getByRole('heading', { name: 'No span selected' }).waitFor();
    expect(await page().locator('.span-detail-name').count()).toBe(0);
    await checkPage(page(), 'trace-long-no-match');
    // Cleared: the whole tree again, scrolled to the selection, which stayed.
    await find.fill('');
    await expect.poll(detailName).toBe(`act_${long.failingStep}`);
    await expect.poll(selectedName).toBe(`act_${long.failingStep}`);
    expect(await tree.getByRole('treeitem').count()).toBeLessThan(100);
  });

  it('has a dark theme that passes the same checks', async () => {
    await page().getByRole('button', { name: 'Switch to dark theme' }).click();
    await page().goto(`${session.server.url}/#/experiments/${experimentId}/traces/${seeded.agent.traceId}`);
    await expect.poll(treeNames).toHaveLength(4);
    await checkPage(page(), 'trace-dark');
    await page().goto(`${session.server.url}/#/experiments/${experimentId}/traces`);
    await expect.poll(traceLinks).toHaveLength(3);
    await checkPage(page(), 'traces-dark');
    await page().getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('raised no uncaught error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
