import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useHashLocation } from '../app/router';
import { stubServer, type Call } from '../traces/test-server';
import { CHURN, FRAUD } from './fixtures';
import { ModelsList } from './ModelsList';

/** The list as the app mounts it: its search params are the hash's. */
const List = () => <ModelsList search={useHashLocation().search} />;

const searches = (calls: Call[]) =>
  calls.filter((c) => c.path === '/api/2.0/mlflow/registered-models/search').map((c) => Object.fromEntries([...c.query.keys()].map((k) => [k, c.query.getAll(k).join('|')])));

describe('<ModelsList>', () => {
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  const open = (hash: string, answer: (call: Call) => { status?: number; body: unknown } = () => ({ body: { registered_models: [CHURN, FRAUD] } })) => {
    window.location.hash = hash;
    const calls = stubServer((call) => (call.path === '/api/2.0/mlflow/registered-models/search' ? answer(call) : undefined));
    render(<List />);
    return calls;
  };

  it('lists each model with its latest version, aliases, creator, last change and tags', async () => {
    const calls = open('#/models');
    const row = (await screen.findByRole('link', { name: 'churn' })).closest('tr')!;
    expect(searches(calls)[0]).toEqual({ order_by: 'name ASC', max_results: '25' });
    expect(within(screen.getByRole('table')).getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Name ▴',
      'Latest version',
      'Aliases',
      'Created by',
      'Last modified',
      'Tags',
    ]);
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]?.textContent).toBe('churndeploys to churn-prod');
    expect(within(cells[1]!).getByRole('link').getAttribute('href')).toBe('#/models/churn/versions/4');
    expect(within(cells[1]!).getByRole('link').textContent).toBe('Version 4');
    // Aliases in name order, each linked to its version; the arrow is read as "is".
    const aliases = within(cells[2]!).getAllByRole('link');
    expect(aliases.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['@challenger →is v4', '#/models/churn/versions/4'],
      ['@champion →is v3', '#/models/churn/versions/3'],
    ]);
    expect(cells[3]?.textContent).toBe('ada');
    expect(cells[4]?.textContent).toMatch(/^2026-01-05 \d\d:00:00$/);
    // Only the tags a person set: MLflow's and Cairn's deployment bookkeeping are left out.
    expect([...cells[5]!.querySelectorAll('.tag-chip')].map((chip) => chip.getAttribute('title'))).toEqual(['team: risk']);
    expect(screen.getByRole('link', { name: 'churn' }).getAttribute('href')).toBe('#/models/churn');
    const other = screen.getByRole('link', { name: "fraud's detector" }).closest('tr')!;
    expect(within(other).getAllByRole('cell')[3]?.textContent).toBe('—');
    expect(screen.getByRole('link', { name: "fraud's detector" }).getAttribute('href')).toBe(`#/models/${encodeURIComponent("fraud's detector")}`);
  });

  it('leaves the Created by column out when no model names who registered it (MLflow OSS records none)', async () => {
    const withoutCreator = [CHURN, FRAUD].map(({ user_id: _, ...model }) => model);
    open('#/models', () => ({ body: { registered_models: withoutCreator } }));
    await screen.findByRole('link', { name: 'churn' });
    expect(within(screen.getByRole('table')).getAllByRole('columnheader').map((th) => th.textContent)).not.toContain('Created by');
  });

  it('searches names with ILIKE, passes a tag filter as typed, and keeps the search in the URL', async () => {
    const calls = open('#/models');
    await screen.findByRole('link', { name: 'churn' });
    const box = screen.getByRole('searchbox', { name: 'Search models' });
    expect(box.hasAttribute('data-search')).toBe(true);
    fireEvent.change(box, { target: { value: ' Churn ' } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toBe("name ILIKE '%Churn%'"));
    expect(window.location.hash).toBe('#/models?q=Churn');
    fireEvent.change(box, { target: { value: "fraud's" } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toBe(`name ILIKE "%fraud's%"`));
    fireEvent.change(box, { target: { value: "tags.team = 'risk'" } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toBe("tags.team = 'risk'"));
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toBeUndefined());
    expect(window.location.hash).toBe('#/models');
  });

  it("shows the server's message for a bad filter, and an empty state for no match", async () => {
    open('#/models?q=tags.x%20%3D%3D%3D', () => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid filter 'tags.x ==='" } }));
    expect((await screen.findByRole('alert')).textContent).toBe("Invalid filter 'tags.x ==='");
    expect(screen.getByRole('searchbox').getAttribute('aria-invalid')).toBe('true');
    cleanup();
    open('#/models?q=zzz', () => ({ body: {} }));
    await screen.findByRole('heading', { name: 'No model matches' });
  });

  it('sorts by name or last change, both ways', async () => {
    const calls = open('#/models');
    await screen.findByRole('link', { name: 'churn' });
    fireEvent.click(screen.getByRole('button', { name: /Last modified/ }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toBe('last_updated_timestamp DESC'));
    expect(window.location.hash).toBe('#/models?sort=last_updated_timestamp&desc=1');
    expect(screen.getByRole('columnheader', { name: /Last modified/ }).getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByRole('button', { name: /Last modified/ }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toBe('last_updated_timestamp ASC'));
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toBe('name ASC'));
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(searches(calls).at(-1)?.order_by).toBe('name DESC'));
  });

  it("pages with the server's tokens, forward and back", async () => {
    const calls = open('#/models', (call) =>
      call.query.get('page_token') === 'tok2' ? { body: { registered_models: [FRAUD] } } : { body: { registered_models: [CHURN], next_page_token: 'tok2' } },
    );
    await screen.findByRole('link', { name: 'churn' });
    expect(screen.getByText(/^Page 1/).textContent).toBe('Page 1 · 1 models');
    expect((screen.getByRole('button', { name: '← Previous' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByRole('link', { name: "fraud's detector" });
    expect(searches(calls).at(-1)?.page_token).toBe('tok2');
    expect(screen.getByText(/^Page 2/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await screen.findByRole('link', { name: 'churn' });
    expect(window.location.hash).toBe('#/models');
  });

  it('moves through the rows with j and k', async () => {
    open('#/models');
    await screen.findByRole('link', { name: 'churn' });
    fireEvent.keyDown(window, { key: 'j' });
    expect(document.activeElement?.textContent).toBe('churn');
    fireEvent.keyDown(window, { key: 'j' });
    expect(document.activeElement?.textContent).toBe("fraud's detector");
    fireEvent.keyDown(window, { key: 'k' });
    expect(document.activeElement?.textContent).toBe('churn');
  });
});
