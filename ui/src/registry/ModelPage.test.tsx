import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useHashLocation } from '../app/router';
import { stubServer, type Call } from '../traces/test-server';
import { CHURN, version } from './fixtures';
import { ModelPage } from './ModelPage';
import type { RegisteredModel } from './types';

const M = '/api/2.0/mlflow';

const VERSIONS = [
  version(4, {
    tags: [
      { key: 'cairn.deployment.status', value: 'NOT_DEPLOYED' },
      { key: 'cairn.deployment.endpoint', value: 'churn-prod' },
      { key: 'cairn.deployment.message', value: 'not deployed: no deployment target configured' },
    ],
  }),
  version(3, { current_stage: 'Production', tags: [{ key: 'validated', value: 'yes' }, { key: 'cairn.deployment.status', value: 'IN_SERVICE' }] }),
  version(2, { current_stage: 'Staging' }),
  version(1, { current_stage: 'Archived', run_id: undefined, source: 'models:/m-0123456789abcdef' }),
];

const Page = () => <ModelPage name="churn" search={useHashLocation().search} />;

const serve = (model: RegisteredModel = CHURN, versions = VERSIONS) => {
  let current = model;
  const calls = stubServer((call: Call) => {
    if (call.path === `${M}/registered-models/get`) return { body: { registered_model: current } };
    if (call.path === `${M}/model-versions/search`) return { body: { model_versions: versions } };
    if (call.path === `${M}/runs/get`) {
      const runId = call.query.get('run_id')!;
      return { body: { run: { info: { run_id: runId, run_name: `train-${runId.slice(3, 4)}`, experiment_id: '5', status: 'FINISHED', lifecycle_stage: 'active' }, data: {} } } };
    }
    if (call.path === `${M}/logged-models/m-0123456789abcdef`) return { body: { model: { info: { model_id: 'm-0123456789abcdef', experiment_id: '8', name: 'gbm' } } } };
    if (call.path === `${M}/registered-models/update`) {
      current = { ...current, description: (call.body as { description: string }).description };
      return { body: { registered_model: current } };
    }
    if (call.path === `${M}/registered-models/set-tag`) {
      const { key, value } = call.body as { key: string; value: string };
      current = { ...current, tags: [...(current.tags ?? []), { key, value }] };
      return { body: {} };
    }
    if (call.path === `${M}/registered-models/delete-tag` || call.path === `${M}/registered-models/delete`) return { body: {} };
    return undefined;
  });
  return calls;
};

const open = async (hash = '#/models/churn', model?: RegisteredModel, versions?: typeof VERSIONS) => {
  window.location.hash = hash;
  const calls = serve(model, versions);
  render(<Page />);
  await screen.findByRole('table', { name: 'Versions of churn' });
  return calls;
};

const versionLinks = () => within(screen.getByRole('table', { name: 'Versions of churn' })).queryAllByRole('link', { name: /^Version/ }).map((a) => a.textContent);

describe('<ModelPage>', () => {
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  it("reads the model and all its versions, and shows the description's Markdown, aliases and deployment target", async () => {
    const calls = await open();
    const search = calls.find((c) => c.path === `${M}/model-versions/search`)!;
    expect(search.query.get('filter')).toBe("name = 'churn'");
    expect(search.query.get('order_by')).toBe('version_number DESC');
    const description = screen.getByRole('region', { name: 'Description' });
    expect(within(description).getByText('churn').tagName).toBe('STRONG');
    expect(within(description).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['weekly retrain', 'owner: risk team']);
    expect(within(description).getByRole('link', { name: 'risk team' }).getAttribute('href')).toBe('https://example.com/risk');
    const facts = document.querySelector('dl.facts')!;
    expect(facts.textContent).toContain('Deploys tochurn-prod when alias @champion or stage Production is set');
    expect(within(facts as HTMLElement).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['#/models/churn/versions/4', '#/models/churn/versions/3']);
  });

  it('lists versions newest first with stage, aliases, tags, source and deployment', async () => {
    await open();
    expect(versionLinks()).toEqual(['Version 4', 'Version 3', 'Version 2', 'Version 1']);
    const row = (n: number) => screen.getByRole('link', { name: `Version ${n}` }).closest('tr')!;
    const cells = (n: number) => within(row(n)).getAllByRole('cell').map((td) => td.textContent);
    expect(cells(3).slice(2, 5)).toEqual(['Production', '@champion', 'validated=yes']);
    expect(cells(3)[6]).toBe('✓ In service');
    expect(cells(4)[3]).toBe('@challenger');
    expect(cells(4)[4]).toBe('');
    expect(cells(4)[6]).toBe('– Not deployedchurn-prod');
    expect(within(row(4)).getByTitle('not deployed: no deployment target configured')).toBeTruthy();
    // The source run by name, linked into its experiment; an MLflow 3 logged model by name.
    const run = await within(row(3)).findByRole('link', { name: 'train-3' });
    expect(run.getAttribute('href')).toBe(`#/experiments/5/runs/${'run3'.padEnd(32, '0')}`);
    const logged = await within(row(1)).findByRole('link', { name: /gbm/ });
    expect(logged.getAttribute('href')).toBe('#/experiments/8/models/m-0123456789abcdef');
  });

  it('filters versions by stage and by alias, the filter in the URL', async () => {
    await open();
    const stage = screen.getByRole('group', { name: 'Stage' });
    expect(within(stage).getAllByRole('button').map((b) => b.textContent)).toEqual(['All stages', 'None 1', 'Staging 1', 'Production 1', 'Archived 1']);
    fireEvent.click(within(stage).getByRole('button', { name: /Production/ }));
    await waitFor(() => expect(versionLinks()).toEqual(['Version 3']));
    expect(window.location.hash).toBe('#/models/churn?stage=Production');
    fireEvent.click(within(stage).getByRole('button', { name: 'All stages' }));
    await waitFor(() => expect(versionLinks()).toHaveLength(4));
    const alias = screen.getByRole('combobox', { name: 'Alias' });
    fireEvent.change(alias, { target: { value: 'challenger' } });
    await waitFor(() => expect(versionLinks()).toEqual(['Version 4']));
    fireEvent.change(alias, { target: { value: '*' } });
    await waitFor(() => expect(versionLinks()).toEqual(['Version 4', 'Version 3']));
    fireEvent.change(alias, { target: { value: '-' } });
    await waitFor(() => expect(versionLinks()).toEqual(['Version 2', 'Version 1']));
    expect(screen.getByRole('heading', { name: /Versions/ }).textContent).toBe('Versions 2 of 4');
    fireEvent.click(within(stage).getByRole('button', { name: /Production/ }));
    await screen.findByText(/No version matches/);
    fireEvent.click(screen.getByRole('button', { name: 'Show all versions' }));
    await waitFor(() => expect(versionLinks()).toHaveLength(4));
    expect(window.location.hash).toBe('#/models/churn');
  });

  it('opens with the filter of a pasted link', async () => {
    await open('#/models/churn?stage=Staging');
    expect(versionLinks()).toEqual(['Version 2']);
  });

  it('edits the description with a preview, and the tags', async () => {
    const calls = await open();
    fireEvent.click(screen.getByRole('button', { name: 'Edit description' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Description text' }), { target: { value: '# Churn\nUses `tenure`.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(screen.getByRole('heading', { name: 'Churn' }).tagName).toBe('H3');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Save' })).toBeNull());
    expect(calls.find((c) => c.path === `${M}/registered-models/update`)).toMatchObject({ method: 'PATCH', body: { name: 'churn', description: '# Churn\nUses `tenure`.' } });
    expect(within(screen.getByRole('region', { name: 'Description' })).getByText('tenure').tagName).toBe('CODE');

    // Cairn's deployment tags are facts above, not tags to edit.
    const tags = screen.getByRole('region', { name: 'Tags' });
    expect(within(tags).getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['team']);
    fireEvent.change(within(tags).getByRole('textbox', { name: 'New tag key' }), { target: { value: 'owner' } });
    fireEvent.change(within(tags).getByRole('textbox', { name: 'New tag value' }), { target: { value: 'ada' } });
    fireEvent.click(within(tags).getByRole('button', { name: 'Add tag' }));
    await within(tags).findByRole('rowheader', { name: 'owner' });
    expect(calls.find((c) => c.path === `${M}/registered-models/set-tag`)?.body).toEqual({ name: 'churn', key: 'owner', value: 'ada' });
    fireEvent.click(within(tags).getByRole('button', { name: 'Remove tag team' }));
    await waitFor(() => expect(calls.find((c) => c.path === `${M}/registered-models/delete-tag`)).toMatchObject({ method: 'DELETE', body: { name: 'churn', key: 'team' } }));
  });

  it('refuses to delete a model with a version in Staging or Production', async () => {
    await open();
    expect((screen.getByRole('button', { name: 'Delete model' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('region', { name: 'Delete model' }).textContent).toContain('Versions 3, 2 are in Staging or Production');
  });

  it('deletes the model after a confirmation, then returns to the list', async () => {
    const calls = await open('#/models/churn', CHURN, [version(2), version(1, { current_stage: 'Archived' })]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete model' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete churn?' });
    expect(within(dialog).getByText(/its 2 versions are deleted for good/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some((c) => c.path === `${M}/registered-models/delete`)).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete model' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete churn' }));
    await waitFor(() => expect(window.location.hash).toBe('#/models'));
    expect(calls.find((c) => c.path === `${M}/registered-models/delete`)).toMatchObject({ method: 'DELETE', body: { name: 'churn' } });
  });

  it("shows the server's error for a model that does not exist", async () => {
    window.location.hash = '#/models/nope';
    stubServer((call) => (call.path.startsWith(`${M}/`) ? { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Registered Model with name=nope not found" } } : undefined));
    render(<ModelPage name="nope" search={new URLSearchParams()} />);
    expect((await screen.findAllByRole('alert'))[0]?.textContent).toBe('Registered Model with name=nope not found');
  });
});
