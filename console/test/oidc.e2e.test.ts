// End to end in headless Chromium: the console's OpenID Connect card (console/public/oidc.js) turns the team's OIDC
// method on and signs an assigned person in over OIDC; the checked ID token shows on the page (issue #14).
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';

const CHROMIUM = '/usr/bin/chromium';

let demo: Demo;
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  demo = await startDemo({ logger: silentLogger, people: 4, assigned: 2 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => browserErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  await page.goto(demo.urls.console);
  await page.locator('#oidc-card h3').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('the OpenID Connect card', () => {
  it('turns OIDC on and signs a person in; the accepted ID token is listed with its claims', async () => {
    expect(await page.locator('#oidc-sign-in').isDisabled()).toBe(true);
    await page.locator('#oidc-toggle').check();
    await page.locator('#oidc-sign-in:not([disabled])').waitFor();
    await page.locator('#oidc-sign-in').click();
    await page.locator('#oidc-tokens li[data-verdict="accepted"]').waitFor();
    expect(await page.locator('#oidc-result').textContent()).toContain('signed in');
    expect(await page.locator('#oidc-tokens li pre').first().textContent()).toContain(
      '"email_verified": true',
    );
    expect(browserErrors).toEqual([]);
  });
});
