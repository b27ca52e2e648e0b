import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';
import { startAuthGateway, type AuthGateway } from './support/auth-gateway.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { checkPage } from './support/checks.js';
import { seedExperiment, type Seed } from './support/seed.js';

const TOKEN = 'cairn_e2e_0123456789abcdef';
const USER = 'ada';

/**
 * Signing in as in AWS: the UI talks to `npm start` through a stand-in for API Gateway's token authorizer
 * (support/auth-gateway.ts), which answers 401 in MLflow's JSON form without a valid Authorization header.
 */
describe('signing in to the web UI', () => {
  let server: LocalServer;
  let gateway: AuthGateway;
  let browser: Browser;
  let page: Page;
  let seed: Seed;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
    seed = await seedExperiment(server.url, 'e2e-auth');
    gateway = await startAuthGateway(server.url, { token: TOKEN, user: USER });
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await server?.stop();
  });

  const rows = () => page.locator('[role="grid"] [role="row"][data-run-id]');
  const experimentRoute = () => `/experiments/${seed.experimentId}`;
  const signInHeading = () => page.getByRole('heading', { name: 'Sign in to Cairn' });
  const hashPath = () => decodeURIComponent(new URL(page.url()).hash);
  const callsSince = (mark: number) => gateway.calls.slice(mark);

  it('shows the sign-in page when the API answers 401, remembering where the user was going', async () => {
    await page.goto(`${gateway.url}/#${experimentRoute()}`);
    await signInHeading().waitFor();
    expect(hashPath()).toBe(`#/signin?next=${experimentRoute()}`);
    expect(gateway.calls.length).toBeGreaterThan(0);
    expect(gateway.calls.every((call) => call.status === 401 && call.authorization === undefined)).toBe(true);
    await checkPage(page, 'sign-in');
  });

  it('refuses a wrong token with the server message and stays on sign-in', async () => {
    const mark = gateway.calls.length;
    await page.getByLabel('Cairn token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Not accepted: Unauthorized');
    expect(callsSince(mark).map((call) => [call.authorization, call.status])).toEqual([['Bearer not-the-token', 401]]);
    expect(hashPath()).toBe(`#/signin?next=${experimentRoute()}`);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await checkPage(page, 'sign-in-refused');
  });

  it('opens the page it was going to with the right token, sent on every call, artifacts included', async () => {
    const mark = gateway.calls.length;
    await page.getByLabel('Cairn token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.hash === `#${experimentRoute()}`);
    await expect.poll(() => rows().count()).toBe(8);

    await page.goto(`${gateway.url}/#/experiments/${seed.experimentId}/runs/${seed.main.runId}/artifacts/metrics.json`);
    await page.locator('.json-view .json-key', { hasText: '"accuracy"' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('metrics.json');
    await checkPage(page, 'signed-in-artifact');

    const calls = callsSince(mark);
    expect(calls.some((call) => call.path.startsWith('/get-artifact'))).toBe(true);
    expect(calls.filter((call) => call.authorization !== `Bearer ${TOKEN}` || call.status === 401)).toEqual([]);
  });

  it('keeps the session for the tab: a reload stays signed in', async () => {
    const mark = gateway.calls.length;
    await page.goto(`${gateway.url}/#${experimentRoute()}`);
    await expect.poll(() => rows().count()).toBe(8);
    await page.reload();
    await expect.poll(() => rows().count()).toBe(8);
    expect(hashPath()).toBe(`#${experimentRoute()}`);
    expect(callsSince(mark).length).toBeGreaterThan(0);
    expect(callsSince(mark).filter((call) => call.status === 401)).toEqual([]);
  });

  it('returns to sign-in on a later 401, and signs in again with a user name and password', async () => {
    gateway.setToken('cairn_e2e_rotated');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await signInHeading().waitFor();
    expect(hashPath()).toBe(`#/signin?next=${experimentRoute()}`);

    const mark = gateway.calls.length;
    await page.getByRole('button', { name: 'User and password' }).click();
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill('cairn_e2e_rotated');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.hash === `#${experimentRoute()}`);
    await expect.poll(() => rows().count()).toBe(8);
    const basic = `Basic ${Buffer.from(`${USER}:cairn_e2e_rotated`).toString('base64')}`;
    expect(callsSince(mark).filter((call) => call.authorization !== basic || call.status === 401)).toEqual([]);
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
