import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { launchBrowser, type Browser } from './browser.js';

export interface E2eSession {
  server: LocalServer;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, for the file's closing check. */
  readonly pageErrors: string[];
}

/**
 * One test file's real local server and Chromium page: `seed` fills the server through the API before the
 * browser opens, and both are closed after the file's last test.
 */
export const useE2eSession = (seed: (server: LocalServer) => Promise<void> = async () => {}): E2eSession => {
  const session = { pageErrors: [] as string[] } as E2eSession;
  beforeAll(async () => {
    session.server = await startLocalServer({ port: 0 });
    await seed(session.server);
    session.browser = await launchBrowser();
    session.page = session.browser.page;
    session.page.on('pageerror', (error) => session.pageErrors.push(error.message));
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
};
