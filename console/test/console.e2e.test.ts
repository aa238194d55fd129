// End to end in headless Chromium (playwright-core), one browser for the file: the JIT-disabled scenario (JIT-01), a
// group push that asks first (GRP-02), scenarios that restore (Abort, the picker after a reload), a real browser
// sign-in seen by the server, encrypted assertions beside their plaintext, App-card panels, and a layout that holds
// at 1280x800 and 1920x1080 with no overflow and no broken words (idsim issues #6 and #15).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsFromTags } from '../../conformance/report/catalogue.ts';
import { launchChromium } from '../../conformance/report/chromium.ts';
import { buildMatrix } from '../../conformance/report/matrix.ts';
import { countOutcomes, parseNdjson, summariseEnvelopes } from '../../conformance/report/outcomes.ts';
import { renderHtml } from '../../conformance/report/page.ts';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';

/**
 * Runs in the page: what breaks the layout (page scroll, a header over one line, a column scrolling sideways, an
 * element sticking out of its column, a word broken across lines outside code and identifiers). A string, so it is
 * sent to the browser as written.
 */
const LAYOUT_PROBLEMS = `(() => {
        const found = [];
        const root = document.documentElement;
        if (root.scrollHeight > window.innerHeight + 1) found.push(\`page scrolls: \${root.scrollHeight}px\`);
        if (root.scrollWidth > window.innerWidth + 1) found.push(\`page scrolls sideways: \${root.scrollWidth}px\`);
        const header = document.querySelector('header');
        if (header.getBoundingClientRect().height > 48) found.push(\`header is \${header.offsetHeight}px high\`);
        const main = document.querySelector('main');
        if (Math.abs(main.getBoundingClientRect().bottom - window.innerHeight) > 1) found.push('main does not fill');
        for (const column of document.querySelectorAll('.column')) {
          if (column.scrollWidth > column.clientWidth + 1)
            found.push(\`\${column.querySelector('h2')?.textContent} overflows sideways\`);
          const box = column.getBoundingClientRect();
          for (const element of column.querySelectorAll('table, .row, .card, button, select, input')) {
            const r = element.getBoundingClientRect();
            if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1))
              found.push(\`\${element.tagName}.\${element.className} sticks out of its column\`);
          }
        }
        // words in tables, headings, buttons, labels and card text stay whole (a line may end after - or /)
        const selector = 'td, th, button, label, h2, h3, h4, .card > p, #scenario-steps li';
        for (const element of document.querySelectorAll(selector)) {
          if (element.closest('pre, .id, .key')) continue;
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
            if (node.parentElement?.closest('pre, .id, .key') || node.parentElement !== element) continue;
            const text = node.textContent ?? '';
            for (const match of text.matchAll(/[^\\s/-]{2,}/g)) {
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
              if (tops.size > 1) found.push(\`"\${match[0]}" is broken across lines\`);
            }
          }
        }
        return found;
      })()`;
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'reports', 'console');

let demo: Demo;
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  demo = await startDemo({ logger: silentLogger });
  browser = await launchChromium();
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
    const response = page
      .locator('#timeline li[data-kind="saml"][data-message="Response"][data-source="idp"]')
      .first();
    await response.waitFor();
    expect(await response.locator('summary').textContent()).toContain('valid (Response, Assertion)');
    await response.locator('summary').click();
    expect(await response.locator('pre.pretty').textContent()).toContain('<samlp:Response');
    await expect
      .poll(() =>
        page
          .locator('#timeline li[data-kind="note"]')
          .filter({ hasText: '(SP-initiated): 403 jit_disabled' })
          .count(),
      )
      .toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'jit-01-scenario.png') });
    await expect.poll(() => page.locator('#scenario-status').getAttribute('data-restored')).toBe('true');

    // stored state: the JIT tester never got an account, and the restore step took them out of the IdP again
    const addStep = await page.locator('#scenario-steps > li[data-step="3"] .step-outcome').textContent();
    const login = /(\S+@example\.com)/.exec(addStep ?? '')?.[1] ?? '';
    expect(login).toMatch(/^jit\./);
    expect(demo.system.simulator.directory.findPersonByLogin(login)).toBeUndefined();
    expect(demo.system.reference.service.findAccountByEmail(login)).toBeNull();
    expect(demo.system.provisioning).toBe(true);
  });

  it('asks before a push assigns an unassigned group, then says what happened; a second create is refused (GRP-02)', async () => {
    const row = page.locator('#groups-table tr[data-group="Design"]');
    expect(await row.textContent()).toContain('not assigned');
    const membersBefore = demo.system.reference.service.listMembers(demo.info.teamId).length;
    // first: decline, nothing happens
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: 'Push group Design (create)' }).click();
    await expect.poll(() => page.locator('#action-result').textContent()).toContain('Not pushed');
    expect(
      demo.system.reference.service.listGroups(demo.info.teamId).some((g) => g.displayName === 'Design'),
    ).toBe(false);
    expect(demo.system.reference.service.listMembers(demo.info.teamId)).toHaveLength(membersBefore);
    // then: accept the question
    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await row.getByRole('button', { name: 'Push group Design (create)' }).click();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Group push of Design: created; the group is now assigned to the app');
    expect(question).toContain('Design is not assigned to the app');
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
    expect(await post.getAttribute('data-source')).toBe('server');
    await post.locator('summary').click();
    expect(await post.locator('pre').first().textContent()).toContain('"displayName": "Design"');
    await page.screenshot({ path: join(SCREENSHOTS, 'grp-02-group-push.png') });

    await row.getByRole('button', { name: 'Push group Design (create)' }).click();
    await expect.poll(() => page.locator('#action-result').textContent()).toContain('already_pushed');
  });

  it('keeps the picker on the running scenario after a reload, and Abort puts its changes back', async () => {
    const saml = () =>
      demo.system.reference.service.listAuthMethods(demo.info.teamId).find((m) => m.kind === 'saml');
    await page.selectOption('#scenario-select', 'JIT-03');
    await page.getByRole('button', { name: 'Start scenario' }).click();
    await page.locator('#scenario-next').click();
    await page.locator('#scenario-steps > li[data-step="1"] .step-outcome').waitFor();
    const changed = JSON.stringify(saml());
    await page.reload();
    await page.locator('#scenario-steps > li[data-step="1"] .step-outcome').waitFor();
    expect(await page.locator('#scenario-select').inputValue()).toBe('JIT-03');
    expect(await page.locator('#scenario-progress strong').textContent()).toBe('JIT-03');
    await page.getByRole('button', { name: 'Abort and restore' }).click();
    await expect.poll(() => page.locator('#scenario-status').textContent()).toContain('Aborted');
    expect(saml()).toMatchObject({ enabled: true, autoAddUsers: true });
    expect(typeof changed).toBe('string');
    expect(demo.system.provisioning).toBe(true);
  });

  it("shows a real browser's sign-in through the printed SP URL on the timeline, with the SP's verdict", async () => {
    const person = demo.system.simulator.directory
      .assignedPeople(demo.system.appId)
      .find((p) => p.status === 'active');
    if (!person) throw new Error('nobody assigned');
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await tab.goto(demo.urls.spLogin);
      // the IdP's login page tells a newcomer the test password (issue #15 item 5)
      expect(await tab.locator('[data-idsim-hint]').textContent()).toContain(demo.info.idpPassword);
      expect(await tab.title()).toBe('Sign in · idsim IdP');
      await tab.getByLabel('Login').fill(person.login);
      await tab.getByLabel('Password').fill(demo.info.idpPassword);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.waitForURL(`${demo.urls.server}/teams/${demo.info.teamId}/home`);
    } finally {
      await tab.close();
    }
    const entry = page
      .locator('#timeline li[data-kind="saml"][data-source="server"]')
      .filter({ hasText: 'SP accepted: Response' })
      .first();
    await entry.waitFor();
    expect(await entry.locator('summary').textContent()).toContain('from Mozilla');
  });

  it('shows an encrypted assertion beside the bytes as sent', async () => {
    await page.getByLabel('Assertion encryption').check();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Assertion encryption on');
    try {
      const person = demo.system.simulator.directory.assignedPeople(demo.system.appId)[0];
      if (!person) throw new Error('nobody assigned');
      await page.getByRole('button', { name: `Sign in as ${person.login} (IdP-initiated)` }).click();
      await expect
        .poll(() => page.locator('#action-result').textContent())
        .toMatch(new RegExp(`Sign-in of ${person.login.replace(/[.+]/g, '\\$&')}: 200 .*landed at .*/home`));
      const sent = page
        .locator('#timeline li[data-kind="saml"][data-message="Response"][data-source="idp"]')
        .first();
      await sent.locator('summary').click();
      expect(await sent.locator('pre.raw').textContent()).toContain('EncryptedAssertion');
      expect(await sent.locator('pre.raw').textContent()).not.toContain(person.login);
      expect(await sent.locator('pre.decrypted').textContent()).toContain(person.login);
    } finally {
      await page.getByLabel('Assertion encryption').uncheck();
    }
  });

  it('takes an App-card panel registered by another module (panels.js)', async () => {
    // a string, so the bundler leaves the browser's own dynamic import alone
    await page.evaluate(`(async () => {
      const panels = await import(new URL('panels.js', document.baseURI).href);
      panels.registerAppPanel({
        id: 'probe',
        title: 'Probe panel',
        render: (state, kit) => kit.h('p', { id: 'probe-text' }, 'people: ' + state.idp.people.length),
      });
    })()`);
    const panel = page.locator('#app-panels section[data-panel="probe"]');
    expect(await panel.locator('h4').textContent()).toBe('Probe panel');
    expect(await panel.locator('#probe-text').textContent()).toBe(
      `people: ${demo.system.simulator.directory.listPeople().length}`,
    );
    // it follows every refresh
    await page.getByRole('button', { name: 'Test API Credentials' }).click();
    await expect
      .poll(() => page.locator('#action-result').textContent())
      .toContain('Test API Credentials: OK');
    expect(await panel.count()).toBe(1);
  });

  it('holds its layout at 1280x800 and 1920x1080: one-line header, no page scroll, nothing overflows, no word broken', async () => {
    // a long status message must not move anything
    await page.evaluate(`(async () => {
      const kit = await import(new URL('kit.js', document.baseURI).href);
      kit.say('A long status message ' + 'that goes on and on '.repeat(12));
    })()`);
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(viewport);
      const problems = (await page.evaluate(LAYOUT_PROBLEMS)) as string[];
      expect(problems, `${viewport.width}x${viewport.height}`).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `layout-${viewport.width}x${viewport.height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
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

  it('conformance.html: the filters show only failed or n/a rows, IDs stay on one line (issue #15.12)', async () => {
    const text = readFileSync(
      join(import.meta.dirname, '../../conformance/test/fixtures/small-run.ndjson'),
      'utf8',
    );
    const outcomes = summariseEnvelopes(parseNdjson(text));
    const rows = rowsFromTags(outcomes.flatMap((outcome) => outcome.tags));
    const input = {
      target: 'fixture target',
      runId: 'fixture',
      tags: 'not @wip',
      rows,
      outcomes,
      declared: [],
      counts: countOutcomes(outcomes),
    };
    const matrix = buildMatrix(input);
    const report = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await report.setContent(renderHtml(input, matrix));
      const visible = () =>
        report.locator('#rows tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.id));
      expect(await visible()).toHaveLength(matrix.length);
      await report.locator('#show-failed').check();
      const failed = matrix.filter((line) => line.verdict === 'fail').map((line) => `row-${line.row.id}`);
      expect(failed.length).toBeGreaterThan(0);
      expect(await visible()).toEqual(failed);
      await report.locator('#show-na').check();
      const na = matrix.filter((line) => line.verdict === 'n/a').map((line) => `row-${line.row.id}`);
      expect(await visible()).toEqual(na);
      await report.locator('#show-all').check();
      const heights = await report
        .locator('td.id')
        .evaluateAll((cells) => cells.map((cell) => cell.getClientRects().length));
      expect(heights.every((n) => n === 1)).toBe(true);
      // the scenario link jumps to its steps
      await report.locator('tbody a[href^="#scenario-"]').first().click();
      expect(await report.evaluate('location.hash')).toMatch(/^#scenario-/);
    } finally {
      await report.close();
    }
  });

  it('logged no browser console errors', () => {
    // 409s are answers the console expects and shows (group_not_assigned, already_pushed); the browser logs them
    const unexpected = browserErrors.filter((text) => !text.includes('status of 409 (Conflict)'));
    expect(unexpected).toEqual([]);
  });
});
