// End to end in headless Chromium: the console's OpenID Connect card (console/public/oidc.js) turns the team's OIDC
// method on and signs an assigned person in over OIDC; the checked ID token shows on the page (issue #14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleBrowser, openConsoleInChromium } from './console-browser.ts';

let browser: ConsoleBrowser;

beforeAll(async () => {
  browser = await openConsoleInChromium();
  await browser.page.locator('#oidc-card h3').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the OpenID Connect card', () => {
  it('turns OIDC on and signs a person in; the accepted ID token is listed with its claims', async () => {
    const { page } = browser;
    expect(await page.locator('#oidc-sign-in').isDisabled()).toBe(true);
    await page.locator('#oidc-toggle').check();
    await page.locator('#oidc-sign-in:not([disabled])').waitFor();
    await page.locator('#oidc-sign-in').click();
    await page.locator('#oidc-tokens li[data-verdict="accepted"]').waitFor();
    expect(await page.locator('#oidc-result').textContent()).toContain('signed in');
    expect(await page.locator('#oidc-tokens li pre').first().textContent()).toContain(
      '"email_verified": true',
    );
    expect(browser.errors).toEqual([]);
  });
});
