// End to end in headless Chromium (playwright-core): the JIT-disabled scenario (JIT-01) and a group push (GRP-02)
// are driven through the console page, their outcome checked on the page, in the timeline and in the stored state.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'reports', 'console');

let demo: Demo;
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) to run the console e2e test`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  demo = await startDemo({ logger: silentLogger });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  page.on('pageerror', (error) => browserErrors.push(error.message));
  await page.goto(demo.urls.console);
  await page.locator('#stream-state').filter({ hasText: 'live' }).waitFor();
  await page.locator('#people-table tbody tr').first().waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('console in headless Chromium', () => {
  it('plays the JIT-disabled scenario (JIT-01) step by step from the keyboard', async () => {
    await page.selectOption('#scenario-select', 'JIT-01');
    await page.getByRole('button', { name: 'Start scenario' }).click();
    const steps = page.locator('#scenario-steps > li');
    await expect.poll(() => steps.count()).toBe(6);
    for (let step = 1; step <= 6; step += 1) {
      // the Play button keeps the focus, so Enter plays the next step
      await page.locator('#scenario-next').focus();
      await page.keyboard.press('Enter');
      await page.locator(`#scenario-steps > li[data-step="${step}"] .step-outcome`).waitFor();
    }
    const signInOutcome = page.locator('#scenario-steps > li[data-step="4"] .step-outcome');
    await expect.poll(() => signInOutcome.textContent()).toContain('jit_disabled');
    expect(await signInOutcome.getAttribute('class')).toContain('ok');
    expect(await page.locator('#scenario-steps .step-outcome.bad').count()).toBe(0);
    expect(await page.locator('#scenario-next').textContent()).toBe('Scenario finished');

    // the timeline shows the SAML Response with its verdict and the refused sign-in, newest first
    const response = page.locator('#timeline li[data-kind="saml"][data-message="Response"]').first();
    await response.waitFor();
    expect(await response.locator('summary').textContent()).toContain('valid (Response, Assertion)');
    await response.locator('summary').click();
    expect(await response.locator('pre').textContent()).toContain('<samlp:Response');
    await expect
      .poll(() =>
        page
          .locator('#timeline li[data-kind="note"]')
          .filter({ hasText: '(SP-initiated): 403 jit_disabled' })
          .count(),
      )
      .toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'jit-01-scenario.png') });

    // stored state: the JIT tester never got an account, and the restore step took them out of the IdP again
    const addStep = await page.locator('#scenario-steps > li[data-step="3"] .step-outcome').textContent();
    const login = /(\S+@example\.com)/.exec(addStep ?? '')?.[1] ?? '';
    expect(login).toMatch(/^jit\./);
    expect(demo.system.simulator.directory.findPersonByLogin(login)).toBeUndefined();
    expect(demo.system.reference.service.findAccountByEmail(login)).toBeNull();
    expect(demo.system.provisioning).toBe(true);
  });

  it('pushes a group (create) from the IdP table and shows it in the team and the timeline (GRP-02)', async () => {
    const row = page.locator('#groups-table tr[data-group="Design"]');
    await row.getByRole('button', { name: 'Push group Design (create)' }).click();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Group push of Design: created');
    const teamGroup = page.locator('#team-groups li[data-team-group="Design"]');
    await teamGroup.waitFor();

    const idpGroup = demo.system.simulator.directory.listGroups().find((g) => g.name === 'Design');
    const stored = demo.system.reference.service
      .listGroups(demo.info.teamId)
      .find((g) => g.displayName === 'Design');
    expect(stored).toBeDefined();
    expect(stored?.memberIds.length).toBe(idpGroup?.memberIds.length);
    expect(await teamGroup.textContent()).toContain(`${stored?.memberIds.length} member(s)`);
    expect(await row.textContent()).toContain('pushed');

    const post = page
      .locator('#timeline li[data-kind="scim"]')
      .filter({ hasText: 'POST /scim/v2/Groups → 201' })
      .first();
    await post.waitFor();
    await post.locator('summary').click();
    expect(await post.locator('pre').first().textContent()).toContain('"displayName": "Design"');
    await page.screenshot({ path: join(SCREENSHOTS, 'grp-02-group-push.png') });
  });

  it('turns Assertion encryption on and off from the App card (labelled checkbox, app setting follows)', async () => {
    const toggle = page.getByLabel('Assertion encryption');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Assertion encryption on');
    expect(demo.system.simulator.directory.getApp(demo.system.appId).assertionEncryption).toBe(true);
    await toggle.uncheck();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Assertion encryption off');
    expect(demo.system.simulator.directory.getApp(demo.system.appId).assertionEncryption).toBe(false);
  });

  it("shows the SAML method's SHA-1 opt-in (off) in its settings row, and saving it sets the method", async () => {
    const row = page.locator('[data-method="saml"]').first();
    const toggle = row.getByLabel('Allow SHA-1 signatures (legacy IdP)');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    const saml = () =>
      demo.system.reference.service.listAuthMethods(demo.info.teamId).find((m) => m.kind === 'saml')?.saml;
    await toggle.check();
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => saml()?.allowSha1).toBe(true);
    await row.getByLabel('Allow SHA-1 signatures (legacy IdP)').uncheck();
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => saml()?.allowSha1).toBe(false);
  });

  it('arms a SAML fault from the Faults panel; the timeline marks the faulty Response with its diff (issue #11)', async () => {
    await page.locator('#faults-details > summary').click();
    await page.locator('#faults-panel details[data-family="wrapping"] > summary').click();
    await page.locator('#faults-panel button[data-arm="xsw3"]').click();
    await expect.poll(() => page.locator('#faults-armed').textContent()).toContain('xsw3');
    expect(demo.system.simulator.idp.armedFor(demo.system.appId).fault?.fault).toBe('xsw3');
    await page.locator('button[aria-label$="(IdP-initiated)"]:not([disabled])').first().click();
    const marked = page.locator('#timeline li[data-kind="saml"][data-fault="xsw3"]').first();
    await marked.waitFor();
    expect(await marked.locator('summary').textContent()).toContain('FAULT xsw3');
    await marked.locator('summary').click();
    const diff = await marked.locator('pre.fault-diff').textContent();
    expect(diff).toContain('+ ');
    expect(diff).toContain('_evil');
    // one shot: nothing stays armed, and the panel says so
    expect(demo.system.simulator.idp.armedFor(demo.system.appId).fault).toBeNull();
    expect(await page.locator('#faults-armed').textContent()).toContain('no fault armed');
    await page.screenshot({ path: join(SCREENSHOTS, 'saml-fault-xsw3.png'), fullPage: true });
  });

  it('logged no browser console errors', () => {
    expect(browserErrors).toEqual([]);
  });
});
