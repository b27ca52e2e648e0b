import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { LoggedModel } from '../../api/types';
import { stubServer, type Call } from '../../traces/test-server';
import { LoggedModelsList } from './LoggedModelsList';

const RUN_A = '1a158cee996441bbb8b8de1e47cb317c';
const RUN_B = '9f0e1d2c3b4a59687766554433221100';
const RUN_GONE = '0c0ffee0c0ffee0c0ffee0c0ffee0c0f';

const model = (id: string, name: string, sourceRunId: string | undefined): LoggedModel => ({
  info: {
    model_id: id,
    experiment_id: '7',
    name,
    artifact_uri: `mlflow-artifacts:/7/models/${id}/artifacts`,
    creation_timestamp_ms: 1_700_000_000_000,
    source_run_id: sourceRunId,
    status: 'LOGGED_MODEL_READY',
  },
});

// Two models from the same run, one from another, one whose run is purged, one logged outside any run.
const MODELS = [
  model('m-1', 'classifier', RUN_A),
  model('m-2', 'classifier-v2', RUN_A),
  model('m-3', 'regressor', RUN_B),
  model('m-4', 'orphan', RUN_GONE),
  model('m-5', 'imported', undefined),
];

const RUNS = [
  { info: { run_id: RUN_A, run_name: 'bold-owl-42', experiment_id: '7', status: 'FINISHED', lifecycle_stage: 'active' }, data: {} },
  // Named only by the tag older clients set, and deleted: still named.
  { info: { run_id: RUN_B, experiment_id: '7', status: 'FINISHED', lifecycle_stage: 'deleted' }, data: { tags: [{ key: 'mlflow.runName', value: 'calm-fox-7' }] } },
];

const answers = (runs: { status?: number; body: unknown }) => (call: Call) => {
  if (call.path === '/api/2.0/mlflow/logged-models/search') return { body: { models: MODELS } };
  if (call.path === '/api/2.0/mlflow/runs/search') return runs;
  return undefined;
};

const sourceCells = () =>
  within(screen.getByRole('table', { name: 'Logged models' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelectorAll('td')[3]!);

const runSearches = (calls: Call[]) => calls.filter((c) => c.path === '/api/2.0/mlflow/runs/search');

describe('<LoggedModelsList>', () => {
  afterEach(() => cleanup());

  it("reads the page's source runs with one search and names each by its run name, linked, the id in a title", async () => {
    const calls = stubServer(answers({ body: { runs: RUNS } }));
    render(<LoggedModelsList experimentId="7" />);
    await screen.findByRole('link', { name: 'calm-fox-7' });

    const searches = runSearches(calls);
    expect(searches).toHaveLength(1);
    expect(searches[0]!.method).toBe('POST');
    expect(searches[0]!.body).toMatchObject({
      experiment_ids: ['7'],
      filter: `attributes.run_id IN ('${RUN_GONE}', '${RUN_A}', '${RUN_B}')`,
      run_view_type: 'ALL',
      max_results: 3,
    });

    const cells = sourceCells();
    expect(cells.map((td) => td.textContent)).toEqual(['bold-owl-42', 'bold-owl-42', 'calm-fox-7', RUN_GONE.slice(0, 8), '']);
    const links = cells.slice(0, 4).map((td) => within(td).getByRole('link'));
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('title')])).toEqual([
      [`#/experiments/7/runs/${RUN_A}`, RUN_A],
      [`#/experiments/7/runs/${RUN_A}`, RUN_A],
      [`#/experiments/7/runs/${RUN_B}`, RUN_B],
      [`#/experiments/7/runs/${RUN_GONE}`, RUN_GONE],
    ]);
    // A run the search did not return keeps its short id, set in monospace like an id.
    expect(links[3]!.className).toBe('mono');
    expect(links[0]!.className).toBe('');
  });

  it('keeps the short ids, linked, when the runs cannot be read', async () => {
    const calls = stubServer(answers({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'down' } }));
    render(<LoggedModelsList experimentId="7" />);
    await screen.findByRole('link', { name: 'classifier' });
    expect(sourceCells().map((td) => td.textContent)).toEqual([RUN_A.slice(0, 8), RUN_A.slice(0, 8), RUN_B.slice(0, 8), RUN_GONE.slice(0, 8), '']);
    await waitFor(() => expect(runSearches(calls)).toHaveLength(1));
    // Let the failed answer land before reading what the list settled on.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sourceCells().map((td) => td.textContent)).toEqual([RUN_A.slice(0, 8), RUN_A.slice(0, 8), RUN_B.slice(0, 8), RUN_GONE.slice(0, 8), '']);
    expect(within(sourceCells()[0]!).getByRole('link').getAttribute('title')).toBe(RUN_A);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(runSearches(calls)).toHaveLength(1);
  });

  it('asks for no runs when no model names one', async () => {
    const calls = stubServer((call) => (call.path === '/api/2.0/mlflow/logged-models/search' ? { body: { models: [model('m-5', 'imported', undefined)] } } : undefined));
    render(<LoggedModelsList experimentId="7" />);
    await screen.findByRole('link', { name: 'imported' });
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runSearches(calls)).toHaveLength(0);
  });
});
