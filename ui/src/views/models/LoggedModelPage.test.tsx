import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { LoggedModel } from '../../api/types';
import { stubServer, type Call } from '../../traces/test-server';
import LoggedModelPage from './LoggedModelPage';
import { registeredVersions } from './LoggedModelOverview';

const RUN_ID = '1a158cee996441bbb8b8de1e47cb317c';
const OTHER_RUN = '9f0e1d2c3b4a59687766554433221100';
const MODEL_ID = 'm-1798f782600b47c1a3164ad574063b16';

const MODEL: LoggedModel = {
  info: {
    model_id: MODEL_ID,
    experiment_id: '7',
    name: 'classifier',
    artifact_uri: `mlflow-artifacts:/7/models/${MODEL_ID}/artifacts`,
    creation_timestamp_ms: 1_700_000_000_000,
    model_type: 'sklearn',
    source_run_id: RUN_ID,
    status: 'LOGGED_MODEL_READY',
    tags: [
      { key: 'mlflow.user', value: 'ada' },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.git.commit', value: 'abcdef0123456789' },
      { key: 'mlflow.modelVersions', value: '[{"name": "churn", "version": 3}, {"name": "churn-eu", "version": "1"}]' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'team', value: 'vision' },
    ],
  },
  data: {
    params: [{ key: 'max_depth', value: '6' }],
    metrics: [
      { key: 'rmse', value: 0.25, timestamp: 1, step: 0, dataset_name: 'test', dataset_digest: 'd41d8cd9', run_id: OTHER_RUN },
      { key: 'accuracy', value: 0.9375, timestamp: 1, step: 4, dataset_name: 'eval', dataset_digest: 'a1b2c3d4', run_id: RUN_ID },
    ],
  },
};

const answers = (overrides: Partial<Record<'experiment' | 'run', { status: number; body: unknown }>> = {}) => (call: Call) => {
  if (call.path === '/api/2.0/mlflow/experiments/get')
    return overrides.experiment ?? { body: { experiment: { experiment_id: '7', name: 'e2e-vision', lifecycle_stage: 'active' } } };
  if (call.path === `/api/2.0/mlflow/logged-models/${MODEL_ID}`) return { body: { model: MODEL } };
  if (call.path === '/api/2.0/mlflow/runs/get' && call.query.get('run_id') === RUN_ID)
    return overrides.run ?? { body: { run: { info: { run_id: RUN_ID, run_name: 'bold-owl-42', experiment_id: '7', status: 'FINISHED', lifecycle_stage: 'active' }, data: {} } } };
  if (call.path.startsWith('/api/2.0/mlflow-artifacts/artifacts')) return { body: { files: [] } };
  return undefined;
};

const open = async (handler = answers()) => {
  const calls = stubServer(handler);
  render(<LoggedModelPage experimentId="7" modelId={MODEL_ID} artifactPath={undefined} />);
  await screen.findByRole('heading', { level: 1, name: 'classifier' });
  return calls;
};

const overviewRow = (label: string) => within(screen.getByRole('table', { name: 'Logged model overview' })).getByRole('rowheader', { name: label }).closest('tr')!;

describe('<LoggedModelPage>', () => {
  afterEach(() => cleanup());

  it("names the experiment in the breadcrumb and the source run by its name, the run's id beside it", async () => {
    const calls = await open();
    const breadcrumb = screen.getByRole('navigation', { name: 'Breadcrumb' });
    await within(breadcrumb).findByRole('link', { name: 'e2e-vision' });
    expect(within(breadcrumb).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['e2e-vision', '#/experiments/7'],
      ['Logged models', '#/experiments/7/models'],
    ]);

    const source = await within(overviewRow('Source run')).findByRole('link', { name: 'bold-owl-42' });
    expect(source.getAttribute('href')).toBe(`#/experiments/7/runs/${RUN_ID}`);
    expect(source.getAttribute('title')).toBe(RUN_ID);
    expect(within(overviewRow('Source run')).getByText(RUN_ID).className).toContain('mono');
    // The source run is read once, for the overview and the metrics table both.
    expect(calls.filter((c) => c.path === '/api/2.0/mlflow/runs/get')).toHaveLength(1);
  });

  it('shows who logged it, from where, and the registry versions made from it, linked', async () => {
    await open();
    expect(overviewRow('Created by').textContent).toBe('Created byada');
    expect(overviewRow('Logged from').textContent).toBe('Logged fromtrain.py (LOCAL) @ abcdef0');
    expect(overviewRow('Type').textContent).toBe('Typesklearn');
    const versions = within(overviewRow('Model versions')).getAllByRole('link');
    expect(versions.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['churn v3', '#/models/churn/versions/3'],
      ['churn-eu v1', '#/models/churn-eu/versions/1'],
    ]);
    // The tags shown above are not listed again.
    const tags = within(screen.getByRole('region', { name: 'Tags' })).getAllByRole('rowheader');
    expect(tags.map((th) => th.textContent)).toEqual(['team']);
  });

  it('lists each metric with its dataset, step and the run that logged it', async () => {
    await open();
    const table = screen.getByRole('table', { name: 'Logged model metrics' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Metric', 'Dataset', 'Step', 'Value', 'Run']);
    await within(table).findByRole('link', { name: 'bold-owl-42' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').map((td) => td.textContent))).toEqual([
      ['accuracy', 'eval', '4', '0.9375', 'bold-owl-42'],
      ['rmse', 'test', '0', '0.25', OTHER_RUN.slice(0, 8)],
    ]);
    expect(within(rows[0]!).getByText('eval').getAttribute('title')).toBe('digest a1b2c3d4');
    expect(within(rows[1]!).getByRole('link').getAttribute('href')).toBe(`#/experiments/7/runs/${OTHER_RUN}`);
  });

  it('falls back to the ids when the experiment or the source run cannot be read', async () => {
    const missing = { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'gone' } };
    const calls = await open(answers({ experiment: missing, run: missing }));
    await waitFor(() => expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/api/2.0/mlflow/experiments/get', '/api/2.0/mlflow/runs/get'])));
    // Let both failed answers land before reading what the page settled on.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.getByRole('link', { name: 'Experiment 7' }).getAttribute('href')).toBe('#/experiments/7');
    const source = within(overviewRow('Source run')).getByRole('link', { name: RUN_ID });
    expect(source.getAttribute('href')).toBe(`#/experiments/7/runs/${RUN_ID}`);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('registeredVersions', () => {
  it('reads the tag the server writes, and nothing from a malformed one', () => {
    const tags = (value: string) => [{ key: 'mlflow.modelVersions', value }];
    expect(registeredVersions(tags('[{"name": "m", "version": 2}]'))).toEqual([{ name: 'm', version: '2' }]);
    expect(registeredVersions(tags('not json'))).toEqual([]);
    expect(registeredVersions(tags('{"name": "m"}'))).toEqual([]);
    expect(registeredVersions(tags('[{"name": 5, "version": 1}, null, {"name": "ok", "version": "4"}]'))).toEqual([{ name: 'ok', version: '4' }]);
    expect(registeredVersions(undefined)).toEqual([]);
  });
});
