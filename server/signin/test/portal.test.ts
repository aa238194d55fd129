// The organisation login portal over HTTP with the simulator IdP: ORG-01..08 (`/{org}/login`, username
// firstname-lastname, the 8 h recent-authentication rule with a ForceAuthn round trip, landing pages, permissions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
  CookieJar,
  type Harness,
  setUpSamlTeam,
  startHarness,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

let orgCounter = 0;
async function portalOrg(options: { jit?: boolean; privateInstance?: boolean } = {}) {
  orgCounter += 1;
  const slug = `org-${orgCounter}`;
  let org = h.service.createOrganisation({
    slug,
    name: `Org ${orgCounter}`,
    privateInstance: options.privateInstance ?? false,
  });
  // ORG-07: a private instance's portal cannot be switched off, so only public ones are configured here
  if (options.privateInstance !== true)
    org = h.service.updatePortal(org.id, { jitEnabled: options.jit ?? true });
  const t = await setUpSamlTeam(h, { organisationId: org.id });
  h.service.updatePortal(org.id, { authMethodId: t.methodId });
  return { org, slug, appId: t.appId, portalUrl: `${h.serverUrl}/${slug}/login/sso` };
}

describe('ORG-01 / ORG-07 the portal page', () => {
  it('exists at /{org}/login with portal JIT on, and not otherwise', async () => {
    const on = await portalOrg({ jit: true });
    const page = await fetch(`${h.serverUrl}/${on.slug}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`href="/${on.slug}/login/sso"`);
    const off = await portalOrg({ jit: false });
    const refused = await fetch(`${h.serverUrl}/${off.slug}/login`, {
      headers: { accept: 'application/json' },
    });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { code: string }).code).toBe('portal_disabled');
    const unknown = await fetch(`${h.serverUrl}/no-such-org/login`, {
      headers: { accept: 'application/json' },
    });
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown_organisation');
  });

  it('ORG-07: always on for a private instance', async () => {
    const priv = await portalOrg({ privateInstance: true });
    expect((await fetch(`${h.serverUrl}/${priv.slug}/login`)).status).toBe(200);
    const person = addIdpPerson(h, { email: 'org07@corp.example', assignTo: priv.appId });
    const result = await browserSignIn(priv.portalUrl, person);
    expect(result.landedAt).toBe(`${h.serverUrl}/${priv.slug}/home`);
  });
});

describe('ORG-02 assigned, no account', () => {
  it('creates firstname-lastname with no password and Member-level membership, landing on the org home', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, {
      email: 'mary.major@corp.example',
      firstName: 'Mary',
      lastName: 'Major',
      assignTo: o.appId,
    });
    const result = await browserSignIn(o.portalUrl, person);
    expect(result.landedAt).toBe(`${h.serverUrl}/${o.slug}/home`);
    expect(result.body).toContain('data-landing="organisation"');
    const account = h.service.findAccountByEmail('mary.major@corp.example');
    expect(account?.username).toMatch(/^mary-major(-\d+)?$/);
    expect(account?.hasPassword).toBe(false);
    expect(h.service.getOrganisationMembership(o.org.id, account?.id ?? '')?.permission).toBe('member');
  });
});

describe('ORG-03 member, authenticated recently', () => {
  it('is signed straight in (IdP session reused, no login prompt) to the org home', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, { email: 'org03@corp.example', assignTo: o.appId });
    const jar = new CookieJar();
    await browserSignIn(o.portalUrl, person, jar);
    const again = await browserSignIn(o.portalUrl, person, jar);
    expect(again.loginPrompts).toBe(0);
    expect(again.landedAt).toBe(`${h.serverUrl}/${o.slug}/home`);
  });
});

describe('ORG-04 member, not authenticated recently', () => {
  it('is sent back to the IdP login with ForceAuthn, then lands on the org home', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, {
      email: 'org04@corp.example',
      firstName: 'Old',
      lastName: 'Session',
      assignTo: o.appId,
    });
    h.service.admitByPortal(o.org.id, {
      email: 'org04@corp.example',
      givenName: 'Old',
      familyName: 'Session',
    });
    const jar = new CookieJar();
    // Log in at the IdP 9 hours ago (that Response itself is refused as expired; the IdP session stays).
    h.setIdpClockOffset(-9 * 3_600_000);
    const stale = await browserSignIn(o.portalUrl, person, jar);
    expect(stale.errorCode).toBe('assertion_expired');
    h.setIdpClockOffset(0);
    const result = await browserSignIn(o.portalUrl, person, jar);
    expect(result.loginPrompts).toBe(1);
    expect(result.landedAt).toBe(`${h.serverUrl}/${o.slug}/home`);
    // two Responses reached the SP's ACS: the stale one, then the one after the forced login
    expect(result.steps.filter((s) => s.url.endsWith('/acs')).length).toBe(2);
  });
});

describe('ORG-05 account but not a member', () => {
  it('is signed in to the personal home and gets no membership', async () => {
    const o = await portalOrg();
    const { account } = h.service.registerAccount({
      email: 'org05@corp.example',
      givenName: 'Solo',
      familyName: 'User',
      password: 'solo-pass-123',
    });
    const person = addIdpPerson(h, { email: 'org05@corp.example', assignTo: o.appId });
    const result = await browserSignIn(o.portalUrl, person);
    expect(result.landedAt).toBe(`${h.serverUrl}/home`);
    expect(result.body).toContain('data-landing="personal"');
    expect(h.service.getOrganisationMembership(o.org.id, account.id)).toBeNull();
  });
});

describe('ORG-06 not assigned', () => {
  it('the IdP refuses; once assigned, the portal creates the account', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, { email: 'org06@corp.example' });
    const refused = await browserSignIn(o.portalUrl, person);
    expect(refused.errorCode).toBe('not_assigned');
    expect(h.service.findAccountByEmail('org06@corp.example')).toBeNull();
    h.simulator.directory.assign(o.appId, { kind: 'person', id: person.id });
    const ok = await browserSignIn(o.portalUrl, person);
    expect(ok.landedAt).toBe(`${h.serverUrl}/${o.slug}/home`);
    expect(h.service.findAccountByEmail('org06@corp.example')).not.toBeNull();
  });
});

describe('ORG-08 default permission', () => {
  it('new portal accounts join with the configured default permission', async () => {
    const o = await portalOrg();
    h.service.updatePortal(o.org.id, { defaultPermission: 'contributor' });
    const person = addIdpPerson(h, { email: 'org08@corp.example', assignTo: o.appId });
    await browserSignIn(o.portalUrl, person);
    const account = h.service.findAccountByEmail('org08@corp.example');
    expect(h.service.getOrganisationMembership(o.org.id, account?.id ?? '')?.permission).toBe('contributor');
  });
});
