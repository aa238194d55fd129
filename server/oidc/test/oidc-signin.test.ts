// Team and portal sign-in over OpenID Connect on loopback: the simulator's OP, the reference RP on openid-client.
// JIT-01/02/03/04/08, SSO-05, DEA-02, REM-02, ORG-02/03/04/06 over OIDC; KEY-02; RP-initiated logout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
  CookieJar,
  type Harness,
  startHarness,
} from '../../signin/test/harness.ts';
import { setUpOidcTeam } from './oidc-team.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const oidcLogin = (methodId: string): string => `${h.serverUrl}/oidc/${methodId}/login`;

describe('JIT over OIDC', () => {
  it('JIT-02: the first sign-in creates the account (no password) and the membership; lands on the team home', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, {
      email: 'oidc-jit02@corp.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      assignTo: t.appId,
    });
    const result = await browserSignIn(oidcLogin(t.methodId), person);
    expect(result.landedAt, result.body).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    const account = h.service.findAccountByEmail('oidc-jit02@corp.example');
    expect(account?.givenName).toBe('Ada');
    expect(account?.hasPassword).toBe(false);
    expect(
      h.service.listMembers(t.team.id).some((m) => m.account.id === account?.id && m.status === 'active'),
    ).toBe(true);
    const record = h.signInOidc?.rp.records()[0];
    expect(record?.verdict).toBe('accepted');
    expect(record?.claims?.email).toBe('oidc-jit02@corp.example');
    expect(record?.header?.alg).toBe('RS256');
  });

  it('JIT-01: with "Automatically add new users" off the refusal is jit_disabled and nothing is written', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: false });
    const person = addIdpPerson(h, { email: 'oidc-jit01@corp.example', assignTo: t.appId });
    const result = await browserSignIn(oidcLogin(t.methodId), person);
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('jit_disabled');
    expect(h.service.findAccountByEmail('oidc-jit01@corp.example')).toBeNull();
  });

  it('JIT-03: no seat free refuses with no_seats_available', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true, seats: 1 });
    const person = addIdpPerson(h, { email: 'oidc-jit03@corp.example', assignTo: t.appId });
    const result = await browserSignIn(oidcLogin(t.methodId), person);
    expect(result.errorCode).toBe('no_seats_available');
  });

  it('JIT-08: an unassigned person is refused by the IdP (not_assigned); the RP never gets a code', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'oidc-jit08@corp.example' });
    const result = await browserSignIn(oidcLogin(t.methodId), person);
    expect(result.errorCode).toBe('not_assigned');
    expect(result.steps.some((s) => s.url.includes('/callback'))).toBe(false);
    expect(h.service.findAccountByEmail('oidc-jit08@corp.example')).toBeNull();
  });

  it('JIT-04: accepting an invite with OIDC SSO makes the person a member', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: false });
    const invite = h.service.createInvite(t.team.id, t.ownerId, { email: 'oidc-jit04@corp.example' });
    const person = addIdpPerson(h, { email: 'oidc-jit04@corp.example', assignTo: t.appId });
    const result = await browserSignIn(
      `${oidcLogin(t.methodId)}?invite=${encodeURIComponent(invite.token)}`,
      person,
    );
    expect(result.landedAt, result.body).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    const account = h.service.findAccountByEmail('oidc-jit04@corp.example');
    expect(h.service.listMembers(t.team.id).some((m) => m.account.id === account?.id)).toBe(true);
  });

  it('SSO-05: a disabled OIDC method refuses with auth_method_disabled', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    h.service.updateAuthMethod(t.team.id, t.ownerId, t.methodId, { enabled: false });
    const person = addIdpPerson(h, { email: 'oidc-sso05@corp.example', assignTo: t.appId });
    const result = await browserSignIn(oidcLogin(t.methodId), person);
    expect(result.errorCode).toBe('auth_method_disabled');
  });

  it('a callback no sign-in of this browser started is state_mismatch', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    const response = await fetch(`${h.serverUrl}/oidc/${t.methodId}/callback?code=x&state=y`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('state_mismatch');
  });
});

describe('SSO-03 / SSO-04: the team sign-in page', () => {
  it('offers the OIDC method by its label beside SAML ones', async () => {
    const t = setUpOidcTeam(h);
    const page = await (await fetch(`${h.serverUrl}/teams/${t.team.id}/login`)).text();
    expect(page).toContain(`href="/oidc/${t.methodId}/login"`);
    expect(page).toContain('Sign in with SSO (Okta OIDC)');
  });
});

describe('KEY-02 and the control view', () => {
  it('an OIDC method counts as the one SSO method; the view never shows the secret', () => {
    const t = setUpOidcTeam(h);
    h.service.setScimEnabled(t.team.id, t.ownerId, true);
    expect(() => h.service.generateScimKey(t.team.id, t.ownerId)).not.toThrow();
    const view = h.service.listAuthMethods(t.team.id).find((m) => m.id === t.methodId);
    expect(view?.oidc?.hasClientSecret).toBe(true);
    expect(JSON.stringify(view)).not.toContain('clientSecret');
  });
});

describe('RP-initiated logout', () => {
  it('signing out of an OIDC session signs out at the OP and comes back to the signed-out page', async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'oidc-logout@corp.example', assignTo: t.appId });
    const jar = new CookieJar();
    await browserSignIn(oidcLogin(t.methodId), person, jar);
    const logout = await fetch(`${h.serverUrl}/logout`, {
      method: 'POST',
      headers: { cookie: jar.headerFor(`${h.serverUrl}/logout`) ?? '' },
      redirect: 'manual',
    });
    expect(logout.status).toBe(303);
    const location = logout.headers.get('location') ?? '';
    expect(location.startsWith(`${h.idpUrl}/oauth2/default/v1/logout`)).toBe(true);
    const out = await browserSignIn(location, person, jar);
    expect(out.landedAt).toBe(`${h.serverUrl}/oidc/${t.methodId}/signed-out`);
    const again = await browserSignIn(oidcLogin(t.methodId), person, jar);
    expect(again.loginPrompts).toBe(1);
  });
});

describe('ORG over OIDC', () => {
  let orgCounter = 0;
  function portalOrg() {
    orgCounter += 1;
    const slug = `oidc-org-${orgCounter}`;
    const org = h.service.createOrganisation({
      slug,
      name: `OIDC Org ${orgCounter}`,
      privateInstance: false,
    });
    h.service.updatePortal(org.id, { jitEnabled: true });
    const t = setUpOidcTeam(h, { organisationId: org.id });
    h.service.updatePortal(org.id, { authMethodId: t.methodId });
    return { org, slug, appId: t.appId, portalUrl: `${h.serverUrl}/${slug}/login/sso` };
  }

  it('ORG-02: creates the account and lands on the org home', async () => {
    const o = portalOrg();
    const person = addIdpPerson(h, {
      email: 'oidc.org02@corp.example',
      firstName: 'Mia',
      lastName: 'Oidc',
      assignTo: o.appId,
    });
    const result = await browserSignIn(o.portalUrl, person);
    expect(result.landedAt, result.body).toBe(`${h.serverUrl}/${o.slug}/home`);
    expect(h.service.findAccountByEmail('oidc.org02@corp.example')?.username).toMatch(/^mia-oidc/);
  });

  it('ORG-04: a 9-hour-old IdP login is sent back with prompt=login, then lands on the org home', async () => {
    const o = portalOrg();
    const person = addIdpPerson(h, { email: 'oidc.org04@corp.example', assignTo: o.appId });
    h.service.admitByPortal(o.org.id, {
      email: 'oidc.org04@corp.example',
      givenName: 'Old',
      familyName: 'Session',
    });
    const jar = new CookieJar();
    h.setIdpClockOffset(-9 * 3_600_000);
    await browserSignIn(o.portalUrl, person, jar);
    h.setIdpClockOffset(0);
    const result = await browserSignIn(o.portalUrl, person, jar);
    expect(result.loginPrompts).toBe(1);
    expect(result.landedAt, result.body).toBe(`${h.serverUrl}/${o.slug}/home`);
    expect(result.steps.some((s) => s.url.includes('prompt=login'))).toBe(true);
  });

  it('ORG-06: an unassigned person is refused by the IdP', async () => {
    const o = portalOrg();
    const person = addIdpPerson(h, { email: 'oidc.org06@corp.example' });
    const result = await browserSignIn(o.portalUrl, person);
    expect(result.errorCode).toBe('not_assigned');
  });
});

describe('an OIDC method needs a usable OP', () => {
  it('refuses a plain-http issuer off loopback and a missing client id, naming the field', () => {
    const { team, owner } = h.service.createTeam({
      name: 'Bad OIDC',
      plan: 'Enterprise',
      licensedSeats: 2,
      owner: { email: 'bad-oidc@corp.example', givenName: 'B', familyName: 'O', password: 'owner-pass-1' },
    });
    const add = (oidc: { issuer: string; clientId: string }) => () =>
      h.service.addAuthMethod(team.id, owner.account.id, { kind: 'oidc', oidc });
    expect(add({ issuer: 'http://op.example/oauth2/default', clientId: 'c' })).toThrow(/https/);
    expect(add({ issuer: 'https://op.example/oauth2/default', clientId: '' })).toThrow(/client id/);
    expect(add({ issuer: 'https://op.example/oauth2/default/', clientId: 'c' })().oidc?.issuer).toBe(
      'https://op.example/oauth2/default',
    );
  });
});
