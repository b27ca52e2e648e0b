import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, seriousViolations } from './browser.js';

/** After the page settles: a screenshot under `name`, and no serious axe-core violation. */
export const checkPage = async (page: Page, name: string): Promise<void> => {
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
};
