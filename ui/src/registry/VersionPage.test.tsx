import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { stubServer, type Call } from '../traces/test-server';
import { CHURN, T0, deployment, version } from './fixtures';
import type { Deployment, ModelVersion, RegisteredModel } from './types';
import { VersionPage } from './VersionPage';

const M = '/api/2.0/mlflow';
const C = '/api/2.0/cairn';
const RUN = 'run3'.padEnd(32, '0');

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
  sklearn:
    pickled_model: model.pkl
signature:
  inputs: '[{"type": "double", "name": "tenure", "required": true}, {"type": "string", "name": "plan", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]'
  params: null
`;

const step = (name: string, status: Deployment['status'], minutes: number, message?: string) => ({ name, status, timestamp: T0 + minutes * 60_000, ...(message ? { message } : {}) });

const WAITING = deployment({
  deployment_id: 'd-waiting-0000000000000000000000',
  status: 'PENDING_APPROVAL',
  status_message: 'waiting for an approve or reject call',
  approval_required: true,
  creation_timestamp: T0 + 3_600_000,
  steps: [
    step('requested', 'PENDING', 60, "alias 'champion' set on version 3"),
    step('execution-started', 'PENDING', 60),
    step('validated', 'PENDING', 61, 'version 3 serves as pyfunc from s3://bucket/model'),
    step('approval-requested', 'PENDING_APPROVAL', 61, 'waiting for an approve or reject call'),
  ],
});

const ROLLED_BACK = deployment({
  deployment_id: 'd-rolled-00000000000000000000000',
  status: 'ROLLED_BACK',
  status_message: 'SageMaker rolled churn-prod back to churn-prod-cfg-1: alarm latency-p99 fired',
  trigger: { stage: 'Production' },
  steps: [
    step('requested', 'PENDING', 0),
    step('execution-started', 'PENDING', 0),
    step('validated', 'PENDING', 1),
    step('endpoint-claimed', 'DEPLOYING', 2, 'deploying to churn-prod'),
    step('rolled-back', 'ROLLED_BACK', 14, 'SageMaker rolled churn-prod back to churn-prod-cfg-1: alarm latency-p99 fired'),
  ],
});

interface World {
  model: RegisteredModel;
  version: ModelVersion;
  deployments?: Deployment[];
  mlmodel?: string;
}

/** The stub server answers JSON; the MLmodel file is YAML text, answered here before the stub sees the call. */
const withMlModel = (world: World, calls: Call[]) => {
  const json = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost');
    if (url.pathname !== '/model-versions/get-artifact') return json(input, init);
    calls.push({ method: 'GET', path: url.pathname, query: url.searchParams, body: undefined });
    return world.mlmodel === undefined
      ? new Response('{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no MLmodel"}', { status: 404 })
      : new Response(world.mlmodel, { status: 200, headers: { 'content-type': 'text/plain' } });
  });
  return calls;
};

const serve = (world: World) =>
  withMlModel(world, stubServer((call: Call) => {
    if (call.path === `${M}/registered-models/get`) return { body: { registered_model: world.model } };
    if (call.path === `${M}/model-versions/get`) return { body: { model_version: world.version } };
    if (call.path === `${M}/runs/get`)
      return { body: { run: { info: { run_id: RUN, run_name: 'train-3', experiment_id: '5', status: 'FINISHED', lifecycle_stage: 'active' }, data: {} } } };
    if (call.path === `${C}/deployments/list`)
      return world.deployments ? { body: { deployments: world.deployments.map(({ steps: _, ...d }) => d) } } : undefined;
    if (call.path === `${C}/deployments/get`) return { body: { deployment: world.deployments!.find((d) => d.deployment_id === call.query.get('deployment_id')) } };
    if (call.path === `${C}/deployments/approve` || call.path === `${C}/deployments/reject`) {
      const approve = call.path.endsWith('approve');
      const target = world.deployments!.find((d) => d.deployment_id === (call.body as { deployment_id: string }).deployment_id)!;
      const decided: Deployment = {
        ...target,
        status: approve ? 'PENDING' : 'REJECTED',
        status_message: approve ? 'approved' : 'rejected: not yet',
        steps: [...(target.steps ?? []), step(approve ? 'approved' : 'rejected', approve ? 'PENDING' : 'REJECTED', 70, approve ? 'approved' : 'rejected: not yet')],
      };
      world.deployments = world.deployments!.map((d) => (d.deployment_id === decided.deployment_id ? decided : d));
      return { body: { deployment: decided } };
    }
    if (call.path === `${M}/registered-models/alias`) {
      const { alias, version: v } = call.body as { alias: string; version?: string };
      const others = (world.model.aliases ?? []).filter((a) => a.alias !== alias);
      world.model = { ...world.model, aliases: call.method === 'POST' ? [...others, { alias, version: v! }] : others };
      world.version = { ...world.version, aliases: world.model.aliases!.filter((a) => a.version === '3').map((a) => a.alias) };
      return { body: {} };
    }
    if (call.path === `${M}/model-versions/transition-stage`) {
      world.version = { ...world.version, current_stage: (call.body as { stage: string }).stage };
      return { body: { model_version: world.version } };
    }
    if (call.path === `${M}/model-versions/update`) {
      world.version = { ...world.version, description: (call.body as { description: string }).description };
      return { body: { model_version: world.version } };
    }
    if (call.path === `${M}/model-versions/set-tag` || call.path === `${M}/model-versions/delete-tag`) return { body: {} };
    return undefined;
  }));

const V3 = version(3, {
  current_stage: 'Staging',
  aliases: ['champion'],
  description: 'Trained on **2025** data.',
  tags: [
    { key: 'validated', value: 'yes' },
    { key: 'cairn.deployment.status', value: 'PENDING_APPROVAL' },
    { key: 'cairn.deployment.endpoint', value: 'churn-prod' },
  ],
});

const open = async (world: Partial<World> = {}) => {
  const full: World = { model: CHURN, version: V3, mlmodel: MLMODEL, ...world };
  const calls = serve(full);
  render(<VersionPage name="churn" version="3" />);
  await screen.findByRole('table', { name: 'Version overview' });
  return { calls, world: full };
};

const overview = (label: string) => within(screen.getByRole('table', { name: 'Version overview' })).getByRole('rowheader', { name: label }).closest('tr')!;

describe('<VersionPage>', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the overview: source run by name, stage, aliases, deployment, description', async () => {
    await open();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('churn · Version 3');
    expect(screen.getByRole('navigation', { name: 'Breadcrumb' }).querySelectorAll('a')[1]?.getAttribute('href')).toBe('#/models/churn');
    const run = await within(overview('Source run')).findByRole('link', { name: 'train-3' });
    expect(run.getAttribute('href')).toBe(`#/experiments/5/runs/${RUN}`);
    expect(overview('Source').textContent).toBe('Sourcemlflow-artifacts:/1/run-3/artifacts/model');
    expect(overview('Deployment').textContent).toBe('Deployment‖ Awaiting approvalchurn-prod');
    expect(within(screen.getByRole('region', { name: 'Description' })).getByText('2025').tagName).toBe('STRONG');
    // Cairn's deployment tags are shown as the deployment, not among the tags.
    expect(within(screen.getByRole('region', { name: 'Tags' })).getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['validated']);
  });

  it('sets an alias (saying it moves from another version and starts a deployment) and removes one', async () => {
    const { calls } = await open();
    const aliases = within(overview('Aliases'));
    await aliases.findByRole('list', { name: 'Aliases of this version' });
    expect(aliases.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['@champion✕']);
    fireEvent.change(aliases.getByRole('textbox', { name: 'New alias' }), { target: { value: 'challenger' } });
    expect(aliases.getByText(/is on/).textContent).toBe('@challenger is on version 4: setting it here moves it.');
    fireEvent.click(aliases.getByRole('button', { name: 'Set alias' }));
    await waitFor(() => expect(aliases.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['@challenger✕', '@champion✕']));
    expect(calls.find((c) => c.path === `${M}/registered-models/alias` && c.method === 'POST')?.body).toEqual({ name: 'churn', alias: 'challenger', version: '3' });

    fireEvent.change(aliases.getByRole('textbox', { name: 'New alias' }), { target: { value: 'champion' } });
    expect((aliases.getByRole('button', { name: 'Set alias' }) as HTMLButtonElement).disabled).toBe(true);
    expect(aliases.getByText(/deployment policy/).textContent).toBe("The model's deployment policy deploys on @champion: setting it starts a deployment of this version.");

    fireEvent.click(aliases.getByRole('button', { name: 'Remove alias challenger' }));
    await waitFor(() => expect(aliases.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['@champion✕']));
    expect(calls.find((c) => c.path === `${M}/registered-models/alias` && c.method === 'DELETE')?.body).toEqual({ name: 'churn', alias: 'challenger' });
  });

  it('moves the version to another stage, archiving the versions there when asked', async () => {
    const { calls } = await open();
    const stage = within(overview('Stage'));
    const select = stage.getByRole('combobox', { name: 'New stage' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['None', 'Production', 'Archived']);
    fireEvent.change(select, { target: { value: 'Archived' } });
    expect((stage.getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(select, { target: { value: 'Production' } });
    fireEvent.click(stage.getByRole('checkbox', { name: /Archive the versions now in Production/ }));
    fireEvent.click(stage.getByRole('button', { name: 'Move to Production' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).parentElement!.querySelector('.stage-badge')?.textContent).toBe('Production'));
    expect(calls.find((c) => c.path === `${M}/model-versions/transition-stage`)?.body).toEqual({ name: 'churn', version: '3', stage: 'Production', archive_existing_versions: true });
  });

  it("reads the signature from the version's MLmodel", async () => {
    const { calls } = await open();
    const inputs = await screen.findByRole('table', { name: 'Signature inputs' });
    const artifact = calls.find((c) => c.path === '/model-versions/get-artifact')!;
    expect(Object.fromEntries(artifact.query)).toEqual({ name: 'churn', version: '3', path: 'MLmodel' });
    expect(within(inputs).getAllByRole('row').slice(1).map((tr) => tr.textContent)).toEqual(['tenuredoubleyes', 'planstringno']);
    const outputs = screen.getByRole('table', { name: 'Signature outputs' });
    expect(within(outputs).getAllByRole('row')[1]?.textContent).toBe('(unnamed)tensor float32 [-1, 2]yes');
    expect(screen.queryByRole('table', { name: 'Signature params' })).toBeNull();
    expect(screen.getByRole('region', { name: 'Signature' }).textContent).toContain('Flavors python_function, sklearn');
  });

  it('says so when the model has no MLmodel file', async () => {
    await open({ mlmodel: undefined });
    await screen.findByText("The model has no MLmodel file in Cairn's artifact store.");
  });

  it("shows this version's deployments as a step timeline, newest open, and approves the one waiting", async () => {
    const other = deployment({ deployment_id: 'd-other-version-0000000000000000', version: '4' });
    const { calls } = await open({ deployments: [ROLLED_BACK, WAITING, other] });
    const section = await screen.findByRole('region', { name: 'Deployments' });
    const cards = [...section.querySelectorAll('.deployment-card')];
    expect(cards).toHaveLength(2);
    expect(cards[0]?.textContent).toContain('Awaiting approval');
    // Newest first; only the newest is read with its steps.
    const progress = await within(section).findByRole('list', { name: 'Deployment progress' });
    expect(calls.filter((c) => c.path === `${C}/deployments/get`).map((c) => c.query.get('deployment_id'))).toEqual([WAITING.deployment_id]);
    expect([...progress.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^✓Requested: done\d\d:00:00$/),
      expect.stringMatching(/^✓Validated: done\d\d:01:00 · 1 min 0 s$/),
      expect.stringMatching(/^●Awaiting approval: in progress\d\d:01:00$/),
      'Deployed: not yet',
      'In service: not yet',
    ]);
    expect(within(progress).getByText('Awaiting approval').closest('li')?.getAttribute('aria-current')).toBe('step');
    const stepsList = within(section).getByRole('list', { name: 'Deployment steps' });
    expect(within(stepsList).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent)).toEqual([
      'Requested',
      'Promotion started',
      'Validated',
      'Approval requested',
    ]);
    expect(stepsList.textContent).toContain('version 3 serves as pyfunc from s3://bucket/model');

    fireEvent.change(within(section).getByRole('textbox', { name: 'Approval comment' }), { target: { value: 'metrics look fine' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(within(section).queryByRole('button', { name: 'Approve' })).toBeNull());
    expect(calls.find((c) => c.path === `${C}/deployments/approve`)?.body).toEqual({ deployment_id: WAITING.deployment_id, comment: 'metrics look fine' });
    expect(within(section).getByRole('list', { name: 'Deployment steps' }).textContent).toContain('Approved');
    expect(within(section).getAllByRole('list', { name: 'Deployment progress' })[0]?.textContent).toContain('Approved: done');
  });

  it('rejects a waiting deployment, and shows a rolled-back one clearly when opened', async () => {
    const { calls } = await open({ deployments: [ROLLED_BACK, WAITING] });
    const section = await screen.findByRole('region', { name: 'Deployments' });
    await within(section).findByRole('button', { name: 'Reject' });
    fireEvent.click(within(section).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(section.querySelector('.outcome')?.textContent).toContain('Rejected'));
    expect(calls.find((c) => c.path === `${C}/deployments/reject`)?.body).toEqual({ deployment_id: WAITING.deployment_id });

    const rolled = section.querySelectorAll<HTMLDetailsElement>('.deployment-card details')[1]!;
    expect(rolled.open).toBe(false);
    expect(rolled.querySelector('summary')?.textContent).toContain('Rolled back');
    rolled.open = true;
    fireEvent(rolled, new Event('toggle'));
    const outcome = await waitFor(() => {
      const found = rolled.querySelector('.outcome');
      if (!found) throw new Error('not yet');
      return found;
    });
    expect(outcome.className).toContain('outcome-ROLLED_BACK');
    expect(outcome.textContent).toContain('this version never took traffic');
    expect([...rolled.querySelectorAll('.phase')].map((li) => li.className.replace('phase ', ''))).toEqual([
      'phase-done',
      'phase-done',
      'phase-failed',
      'phase-failed',
    ]);
    expect(rolled.querySelector('.phase-strip')?.textContent).toContain('Rolled back');
  });

  it('leaves the deployments out where the server has no deployment API', async () => {
    const { calls } = await open({ deployments: undefined });
    await waitFor(() => expect(calls.some((c) => c.path === `${C}/deployments/list`)).toBe(true));
    await screen.findByRole('table', { name: 'Signature inputs' });
    expect(screen.queryByRole('region', { name: 'Deployments' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
