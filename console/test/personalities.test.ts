// The console's IdP personality card (console/public/personalities.js) in headless Chromium, and its API: switching
// the app to Entra changes the sign-in's attribute names and the SCIM requests; the status line shows health. #13.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../demo.ts';
import { type ConsoleBrowser, openConsoleInChromium } from './console-browser.ts';

let browser: ConsoleBrowser;
let demo: Demo;
let page: ConsoleBrowser['page'];
let browserErrors: string[];

beforeAll(async () => {
  browser = await openConsoleInChromium();
  ({ demo, page, errors: browserErrors } = browser);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('IdP personality card', () => {
  it('lists the personalities, switches the app to Entra from the page, and shows provisioning health', async () => {
    const select = page.locator('#personality-select');
    await select.waitFor();
    expect(await select.locator('option').count()).toBe(6);
    expect(await select.inputValue()).toBe('okta');
    await page
      .locator('#personality-status')
      .filter({ hasText: /Provisioning is (healthy|off)/ })
      .waitFor();

    await select.selectOption('entra');
    // the action's answer re-renders the status line; poll the API as the page does
    for (let tries = 0; tries < 50; tries += 1) {
      const now = (await (await fetch(`${demo.urls.console}api/personality`)).json()) as { idp: string };
      if (now.idp === 'entra') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const state = (await (await fetch(`${demo.urls.console}api/personality`)).json()) as {
      idp: string;
      status: { state: string } | null;
    };
    expect(state.idp).toBe('entra');
    // the app now signs in with Entra's claim URIs
    const app = demo.system.simulator.directory.getApp(demo.system.appId);
    expect(app.attributeStatements[0]?.name).toBe(
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    );
    expect(app.signing).toEqual({ signResponse: false, signAssertion: true });
    expect(browserErrors).toEqual([]);
  });

  it('refuses an unknown personality with a typed error', async () => {
    const response = await fetch(`${demo.urls.console}api/actions/idp-personality`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idp: 'keycloak' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });
});
