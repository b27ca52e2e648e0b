import { describe, expect, it } from 'vitest';
import { useE2eSession } from './support/session.js';
import { checkPage } from './support/checks.js';
import { api } from './support/seed.js';
import { seedRegistry, type SeededRegistry } from './registry-seed.js';

/**
 * The model registry pages against a real `npm start`: models, versions, stages, aliases and a deployment policy
 * seeded through the API as the MLflow client does, then listed, filtered, edited and deleted in Chromium.
 */
describe('the model registry in the UI', () => {
  let seeded: SeededRegistry;
  const session = useE2eSession(async (server) => {
    seeded = await seedRegistry(server);
  });
  const page = () => session.page;
  const client = () => api(session.server.url);
  const modelLinks = () => page().locator('table.models-table tbody td.model-name-cell > a').allTextContents();
  const versionLinks = () => page().locator('table.versions-table tbody td.version-cell > a').allTextContents();

  it('lists the registered models with latest version, aliases, last change and tags', async () => {
    await page().goto(`${session.server.url}/#/`);
    await page().getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Models' }).click();
    await page().waitForURL((url) => url.hash === '#/models');
    await expect.poll(modelLinks).toEqual(['e2e-churn', 'e2e-fraud', 'e2e-ranker']);
    expect(await page().title()).toBe('Models · Cairn');
    const churn = page().locator('tr', { has: page().getByRole('link', { name: 'e2e-churn', exact: true }) });
    expect(await churn.locator('td').nth(0).textContent()).toBe('e2e-churndeploys to cairn-e2e-churn');
    expect(await churn.locator('td').nth(1).textContent()).toBe('Version 4');
    expect(await churn.locator('.alias-chip').allTextContents()).toEqual(['@challenger →is v4', '@champion →is v3']);
    // Tag chips stay on one line in their column, cut with an ellipsis, the whole tag in the title.
    const chips = await churn.locator('.tag-chip').evaluateAll((nodes) =>
      nodes.map((chip) => ({ title: chip.getAttribute('title'), cut: chip.scrollWidth > chip.clientWidth, oneLine: chip.getBoundingClientRect().height < 24 })),
    );
    expect(chips).toEqual([
      { title: 'domain: customer-retention-and-lifetime-value-north-america', cut: true, oneLine: true },
      { title: 'team: risk', cut: false, oneLine: true },
    ]);
    await checkPage(page(), 'registry-models');
  });

  it('searches by name and by tag with / focusing the box, sorts by last change, and moves with j/k', async () => {
    await page().locator('body').click();
    await page().keyboard.press('/');
    const box = page().getByRole('searchbox', { name: 'Search models' });
    expect(await box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await box.fill('CHURN');
    await box.press('Enter');
    await expect.poll(modelLinks).toEqual(['e2e-churn']);
    expect(page().url()).toContain('q=CHURN');
    await box.fill("tags.team = 'payments'");
    await box.press('Enter');
    await expect.poll(modelLinks).toEqual(['e2e-fraud']);
    await box.fill('tags.team ~ 1');
    await box.press('Enter');
    await page().locator('#models-search-error').waitFor();
    await page().getByRole('button', { name: 'Clear' }).click();
    await expect.poll(modelLinks).toHaveLength(3);
    await page().getByRole('button', { name: /Last modified/ }).click();
    // The last model created changed last.
    await expect.poll(modelLinks).toEqual(['e2e-ranker', 'e2e-fraud', 'e2e-churn']);
    await page().locator('body').click();
    await page().keyboard.press('j');
    await page().keyboard.press('j');
    expect(await page().evaluate('document.activeElement?.textContent')).toBe('e2e-fraud');
    await page().keyboard.press('Enter');
    await page().waitForURL((url) => url.hash === '#/models/e2e-fraud');
  });

  it("opens a model: Markdown description, deployment target, versions with stage, aliases, source run and deployment", async () => {
    await page().goto(`${session.server.url}/#/models/e2e-churn`);
    await expect.poll(versionLinks).toEqual(['Version 4', 'Version 3', 'Version 2', 'Version 1']);
    const description = page().getByRole('region', { name: 'Description' });
    expect(await description.locator('strong').textContent()).toBe('churn');
    expect(await page().locator('dl.facts').textContent()).toContain('Deploys tocairn-e2e-churn when alias @champion or stage Production is set');
    const v3 = page().locator('tr', { has: page().getByRole('link', { name: 'Version 3' }) });
    expect(await v3.locator('.stage-badge').textContent()).toBe('Production');
    expect(await v3.locator('.alias-chip').allTextContents()).toEqual(['@champion']);
    expect(await v3.locator('.tag-chip').allTextContents()).toEqual(['validated=yes']);
    await v3.getByRole('link', { name: seeded.runName }).waitFor();
    expect(await v3.getByRole('link', { name: seeded.runName }).getAttribute('href')).toBe(`#/experiments/${seeded.experimentId}/runs/${seeded.runId}`);
    // The version's tags mirror its newest deployment, which waits for approval.
    expect(await v3.locator('.deploy-badge').textContent()).toBe('‖ Awaiting approval');
    await checkPage(page(), 'registry-model');
  });

  it('filters versions by stage and by alias, the filter in the URL', async () => {
    await page().getByRole('group', { name: 'Stage' }).getByRole('button', { name: /^Staging/ }).click();
    await expect.poll(versionLinks).toEqual(['Version 2']);
    expect(page().url()).toContain('stage=Staging');
    await page().getByRole('group', { name: 'Stage' }).getByRole('button', { name: 'All stages' }).click();
    await page().getByRole('combobox', { name: 'Alias' }).selectOption('*');
    await expect.poll(versionLinks).toEqual(['Version 4', 'Version 3']);
    await page().getByRole('combobox', { name: 'Alias' }).selectOption('challenger');
    await expect.poll(versionLinks).toEqual(['Version 4']);
    await page().goto(`${session.server.url}/#/models/e2e-churn?stage=Archived`);
    await expect.poll(versionLinks).toEqual(['Version 1']);
  });

  it("opens a version: signature from its MLmodel, and its deployments as a step timeline", async () => {
    await page().goto(`${session.server.url}/#/models/e2e-churn/versions/3`);
    const inputs = page().getByRole('table', { name: 'Signature inputs' });
    await inputs.waitFor();
    expect(await inputs.locator('tbody tr').allTextContents()).toEqual(['xdoubleyes', 'ydoubleyes']);
    expect(await page().getByRole('table', { name: 'Signature outputs' }).locator('tbody tr').allTextContents()).toEqual(['(unnamed)longyes']);
    const deployments = page().getByRole('region', { name: 'Deployments' });
    await deployments.getByRole('list', { name: 'Deployment progress' }).waitFor();
    expect(await deployments.locator('.deployment-card').count()).toBe(2);
    const phases = await deployments.locator('.deployment-card').first().locator('.phase').evaluateAll((items) => items.map((li) => `${li.querySelector('.phase-label')?.textContent}:${li.className.replace('phase phase-', '')}`));
    expect(phases).toEqual(['Requested:done', 'Validated:done', 'Awaiting approval:active', 'Deployed:waiting', 'In service:waiting']);
    expect(await deployments.getByRole('list', { name: 'Deployment steps' }).locator('strong').allTextContents()).toEqual([
      'Requested',
      'Promotion started',
      'Validated',
      'Approval requested',
    ]);
    await checkPage(page(), 'registry-version');

    // npm start has no deployment target: the server refuses to approve, and says why.
    await deployments.getByRole('button', { name: 'Approve' }).click();
    expect(await deployments.getByRole('alert').textContent()).toBe('No deployment target is configured, so there is nothing to approve.');

    const rolledBack = deployments.locator('.deployment-card').nth(1);
    expect(await rolledBack.locator('summary').textContent()).toContain('Rolled back');
    await rolledBack.locator('summary').click();
    await rolledBack.locator('.outcome-ROLLED_BACK').waitFor();
    expect(await rolledBack.locator('.outcome').textContent()).toContain('alarm churn-p99-latency fired');
    expect(await rolledBack.locator('.phase').evaluateAll((items) => items.map((li) => li.className.replace('phase phase-', '')))).toEqual(['done', 'done', 'failed', 'failed']);
    await rolledBack.scrollIntoViewIfNeeded();
    await checkPage(page(), 'registry-version-rolled-back');
  });

  it('edits a version: description, tag, alias and stage with archive existing', async () => {
    await page().goto(`${session.server.url}/#/models/e2e-churn/versions/4`);
    await page().getByRole('table', { name: 'Version overview' }).waitFor();
    await page().getByRole('button', { name: 'Edit description' }).click();
    await page().getByRole('textbox', { name: 'Description text' }).fill('Candidate with *fresh* features.');
    await page().getByRole('button', { name: 'Save' }).click();
    await page().getByRole('region', { name: 'Description' }).locator('em', { hasText: 'fresh' }).waitFor();

    const tags = page().getByRole('region', { name: 'Tags' });
    await tags.getByRole('textbox', { name: 'New tag key' }).fill('reviewed');
    await tags.getByRole('textbox', { name: 'New tag value' }).fill('no');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByRole('rowheader', { name: 'reviewed' }).waitFor();

    const aliasInput = page().getByRole('textbox', { name: 'New alias' });
    await aliasInput.fill('champion');
    await page().getByText('@champion is on').waitFor();
    expect(await page().getByText("The model's deployment policy deploys on @champion").count()).toBe(1);
    await aliasInput.fill('shadow');
    await page().getByRole('button', { name: 'Set alias' }).click();
    await page().getByRole('list', { name: 'Aliases of this version' }).getByText('@shadow').waitFor();

    await page().getByRole('combobox', { name: 'New stage' }).selectOption('Staging');
    await page().getByRole('checkbox', { name: /Archive the versions now in Staging/ }).check();
    await page().getByRole('button', { name: 'Move to Staging' }).click();
    await page().locator('.version-title .stage-badge', { hasText: 'Staging' }).waitFor();

    const read = async (version: string) =>
      (await client().get<{ model_version: { current_stage: string; description: string; aliases?: string[]; tags?: { key: string; value: string }[] } }>('model-versions/get', { name: 'e2e-churn', version })).model_version;
    const v4 = await read('4');
    expect(v4).toMatchObject({ current_stage: 'Staging', description: 'Candidate with *fresh* features.' });
    expect(v4.aliases?.sort()).toEqual(['challenger', 'shadow']);
    expect(v4.tags).toEqual(expect.arrayContaining([{ key: 'reviewed', value: 'no' }]));
    expect((await read('2')).current_stage).toBe('Archived');
  });

  it('deletes a model after a confirmation', async () => {
    await page().goto(`${session.server.url}/#/models/e2e-ranker`);
    await expect.poll(versionLinks).toEqual(['Version 1']);
    await page().getByRole('button', { name: 'Delete model' }).click();
    await page().getByRole('alertdialog', { name: 'Delete e2e-ranker?' }).getByRole('button', { name: 'Delete e2e-ranker' }).click();
    await page().waitForURL((url) => url.hash === '#/models');
    await expect.poll(modelLinks).toEqual(['e2e-churn', 'e2e-fraud']);
    const answer = await fetch(`${session.server.url}/api/2.0/mlflow/registered-models/get?name=e2e-ranker`);
    expect(answer.status).toBe(404);
  });

  it('has a dark theme that passes the same checks', async () => {
    await page().getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(modelLinks).toHaveLength(2);
    await checkPage(page(), 'registry-models-dark');
    await page().goto(`${session.server.url}/#/models/e2e-churn`);
    await expect.poll(versionLinks).toHaveLength(4);
    await checkPage(page(), 'registry-model-dark');
    await page().goto(`${session.server.url}/#/models/e2e-churn/versions/3`);
    await page().getByRole('region', { name: 'Deployments' }).getByRole('list', { name: 'Deployment progress' }).waitFor();
    await page().getByRole('table', { name: 'Signature inputs' }).waitFor();
    await checkPage(page(), 'registry-version-dark');
    await page().getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('raised no uncaught error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
