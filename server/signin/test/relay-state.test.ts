// RelayState as the landing target after SSO (SP-initiated: kept in the pending request; IdP-initiated: the POSTed
// value), open-redirect attempts, ORG-02..05 rules intact. SAML bindings 3.4.3 / 3.5.3, profiles 4.1.5; loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LANDING_PATH_LENGTH, safeLandingPath } from '../landing-path.ts';
import {
  addIdpPerson,
  browserSignIn,
  CookieJar,
  type Harness,
  setUpSamlTeam,
  startHarness,
  type TeamSetup,
} from './harness.ts';

describe('safeLandingPath: same-origin absolute paths only', () => {
  it.each([
    ['/home', '/home'],
    ['/teams/t1/home?tab=a&b=c#x', '/teams/t1/home?tab=a&b=c#x'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/..//evil.example', '/..//evil.example'],
  ])('accepts %s', (value, expected) => {
    expect(safeLandingPath(value)).toBe(expected);
  });

  it.each([
    ['https://evil.example/'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['/path\\..\\x'],
    ['javascript:alert(1)'],
    ['home'],
    [''],
    ['/\t/evil.example'],
    ['/ /evil.example'],
    ['/x\r\nSet-Cookie: a=b'],
    ['/caf\u00e9'],
    ['/\u20acuro'],
    [`/${'a'.repeat(MAX_LANDING_PATH_LENGTH)}`],
  ])('refuses %j', (value) => {
    expect(safeLandingPath(value)).toBeNull();
  });

  it('refuses nothing-at-all', () => {
    expect(safeLandingPath(undefined)).toBeNull();
    expect(safeLandingPath(null)).toBeNull();
  });
});

let h: Harness;
let t: TeamSetup;
beforeAll(async () => {
  h = await startHarness();
  t = await setUpSamlTeam(h, { autoAddUsers: true, seats: 100 });
});
afterAll(async () => {
  await h.close();
});

const teamHome = (): string => `${h.serverUrl}/teams/${t.team.id}/home`;
const spLogin = (relayState: string): string =>
  `${h.serverUrl}/saml/${t.methodId}/login?RelayState=${encodeURIComponent(relayState)}`;

describe('SP-initiated: /saml/<methodId>/login?RelayState=<path>', () => {
  it('lands on that path after the ACS (the landing view of the path, not the team home)', async () => {
    const person = addIdpPerson(h, { email: 'relay-sp@corp.example', assignTo: t.appId });
    const target = `/teams/${t.team.id}/home?tab=relay`;
    const result = await browserSignIn(spLogin(target), person);
    expect(result.landedAt).toBe(`${h.serverUrl}${target}`);
    expect(result.status).toBe(200);
    expect(result.body).toContain('data-landing="team"');
    // bindings 3.4.3: the (short) path also travelled as RelayState, and came back with the Response
    expect(result.relayState).toBe(target);
  });

  it('keeps the target in the pending request: a RelayState changed on the way is not trusted', async () => {
    const person = addIdpPerson(h, { email: 'relay-sp2@corp.example', assignTo: t.appId });
    const start = await fetch(spLogin('/home'), { redirect: 'manual' });
    const toIdp = new URL(start.headers.get('location') ?? '');
    expect(toIdp.searchParams.get('RelayState')).toBe('/home');
    toIdp.searchParams.set('RelayState', `/teams/${t.team.id}/home?tab=changed`);
    const result = await browserSignIn(toIdp.toString(), person);
    expect(result.relayState).toBe(`/teams/${t.team.id}/home?tab=changed`);
    expect(result.landedAt).toBe(`${h.serverUrl}/home`);
    expect(result.body).toContain('data-landing="personal"');
  });

  it('an off-site RelayState is dropped: not sent to the IdP, and the person lands on the team home', async () => {
    const person = addIdpPerson(h, { email: 'relay-sp3@corp.example', assignTo: t.appId });
    const start = await fetch(spLogin('https://evil.example/phish'), { redirect: 'manual' });
    expect(new URL(start.headers.get('location') ?? '').searchParams.has('RelayState')).toBe(false);
    const result = await browserSignIn(spLogin('//evil.example/phish'), person);
    expect(result.landedAt).toBe(teamHome());
    expect(result.steps.every((s) => new URL(s.url).host !== 'evil.example')).toBe(true);
  });
});

describe('IdP-initiated: the RelayState posted with the Response', () => {
  it('is the landing path when it is a same-origin path', async () => {
    const person = addIdpPerson(h, { email: 'relay-idp@corp.example', assignTo: t.appId });
    const result = await browserSignIn(
      `${h.idpUrl}/apps/${t.appId}/sso?RelayState=${encodeURIComponent('/home')}`,
      person,
    );
    expect(result.relayState).toBe('/home');
    expect(result.landedAt).toBe(`${h.serverUrl}/home`);
  });

  it.each([
    ['https://evil.example/phish'],
    ['//evil.example/phish'],
    ['/\\evil.example/phish'],
    ['javascript:alert(document.cookie)'],
    ['/\t/evil.example'],
    ['/\u20acuro'],
    [`/${'x'.repeat(MAX_LANDING_PATH_LENGTH + 1)}`],
  ])('unusable RelayState %j falls back to the team home, and the Response is still used', async (relay) => {
    const person = addIdpPerson(h, {
      email: `relay-evil-${relay.length}-${relay.charCodeAt(1)}@corp.example`,
      assignTo: t.appId,
    });
    const result = await browserSignIn(
      `${h.idpUrl}/apps/${t.appId}/sso?RelayState=${encodeURIComponent(relay)}`,
      person,
    );
    expect(result.relayState).toBe(relay);
    expect([result.errorCode, result.landedAt]).toEqual([undefined, teamHome()]);
    expect(result.steps.filter((s) => !s.url.startsWith(h.idpUrl) && !s.url.startsWith(h.serverUrl))).toEqual(
      [],
    );
  });
});

describe('the portal: RelayState under the ORG-* landing rules', () => {
  let orgCounter = 0;
  async function portalOrg() {
    orgCounter += 1;
    const slug = `relay-org-${orgCounter}`;
    const org = h.service.createOrganisation({ slug, name: `Relay Org ${orgCounter}` });
    h.service.updatePortal(org.id, { jitEnabled: true });
    const setup = await setUpSamlTeam(h, { organisationId: org.id });
    h.service.updatePortal(org.id, { authMethodId: setup.methodId });
    const target = `/${slug}/home?from=relay`;
    return {
      org,
      slug,
      appId: setup.appId,
      target,
      portalUrl: `${h.serverUrl}/${slug}/login/sso?RelayState=${encodeURIComponent(target)}`,
    };
  }

  it('ORG-02 / ORG-03: a portal sign-in lands on the RelayState path', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, { email: 'relay-org03@corp.example', assignTo: o.appId });
    const jar = new CookieJar();
    const first = await browserSignIn(o.portalUrl, person, jar);
    expect(first.landedAt).toBe(`${h.serverUrl}${o.target}`);
    expect(first.body).toContain('data-landing="organisation"');
    const again = await browserSignIn(o.portalUrl, person, jar);
    expect(again.loginPrompts).toBe(0);
    expect(again.landedAt).toBe(`${h.serverUrl}${o.target}`);
  });

  it('ORG-04: the forced re-authentication round trip keeps the landing path', async () => {
    const o = await portalOrg();
    const person = addIdpPerson(h, { email: 'relay-org04@corp.example', assignTo: o.appId });
    h.service.admitByPortal(o.org.id, {
      email: 'relay-org04@corp.example',
      givenName: 'Old',
      familyName: 'Org',
    });
    const jar = new CookieJar();
    h.setIdpClockOffset(-9 * 3_600_000);
    try {
      expect((await browserSignIn(o.portalUrl, person, jar)).errorCode).toBe('assertion_expired');
    } finally {
      h.setIdpClockOffset(0);
    }
    const result = await browserSignIn(o.portalUrl, person, jar);
    expect(result.loginPrompts).toBe(1);
    expect(result.steps.filter((s) => s.url.endsWith('/acs')).length).toBe(2);
    expect(result.landedAt).toBe(`${h.serverUrl}${o.target}`);
  });

  it('ORG-05: an account that is not a member still lands on the personal home, whatever the RelayState', async () => {
    const o = await portalOrg();
    const { account } = h.service.registerAccount({
      email: 'relay-org05@corp.example',
      givenName: 'Solo',
      familyName: 'Relay',
      password: 'solo-pass-123',
    });
    const person = addIdpPerson(h, { email: 'relay-org05@corp.example', assignTo: o.appId });
    const result = await browserSignIn(o.portalUrl, person);
    expect(result.landedAt).toBe(`${h.serverUrl}/home`);
    expect(result.body).toContain('data-landing="personal"');
    expect(h.service.getOrganisationMembership(o.org.id, account.id)).toBeNull();
  });
});
