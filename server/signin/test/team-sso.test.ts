// Team SSO over real HTTP on loopback: the simulator signs people in to the reference server (JIT-01..10, SSO-01..05).
// Each test checks the page/JSON outcome and the stored state after it (a refused sign-in writes nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
  cookieOf,
  type Harness,
  postForm,
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

const spLogin = (methodId: string): string => `${h.serverUrl}/saml/${methodId}/login`;

function memberCount(teamId: string): number {
  return h.service.listMembers(teamId).length;
}

describe('JIT-01 unknown user, "Automatically add new users" off', () => {
  it('shows the jit_disabled refusal and creates no account and no membership', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: false });
    const person = addIdpPerson(h, { email: 'jit01@corp.example', assignTo: t.appId });
    const before = memberCount(t.team.id);
    const auditBefore = h.service.listAuditEvents().length;
    const result = await browserSignIn(spLogin(t.methodId), person);
    expect(h.service.listAuditEvents().length).toBe(auditBefore);
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('jit_disabled');
    expect(result.body).toContain(
      'You need to be invited to join the team as JIT provisioning is not enabled',
    );
    expect(h.service.findAccountByEmail('jit01@corp.example')).toBeNull();
    expect(memberCount(t.team.id)).toBe(before);
  });

  it('answers JSON with the same stable code for Accept: application/json', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: false });
    const person = addIdpPerson(h, { email: 'jit01json@corp.example', assignTo: t.appId });
    const result = await browserSignIn(spLogin(t.methodId), person);
    const response = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      {
        SAMLResponse: Buffer.from(result.samlResponse ?? '').toString('base64'),
      },
      { json: true },
    );
    // the same Response again: its request ID was used up (profiles 4.1.4.3), a JSON refusal with a code, no stack
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('in_response_to_mismatch');
    expect(body.message).not.toMatch(/at .*\.ts/);
  });
});

describe('JIT-02 setting on and a seat free', () => {
  it('creates the account and the membership (role Member) and lands on the team home', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, {
      email: 'jit02@corp.example',
      firstName: 'Ada',
      lastName: 'Byron',
      assignTo: t.appId,
    });
    const result = await browserSignIn(spLogin(t.methodId), person);
    expect(result.status).toBe(200);
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    expect(result.body).toContain('data-landing="team"');
    const account = h.service.findAccountByEmail('jit02@corp.example');
    expect(account).not.toBeNull();
    expect(account?.hasPassword).toBe(false);
    const member = h.service.getMember(t.team.id, account?.id ?? '');
    expect(member.role).toBe('Member');
    expect(member.status).toBe('active');
  });

  it('IdP-initiated sign-in (dashboard tile) works the same way', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'jit02tile@corp.example', assignTo: t.appId });
    const result = await browserSignIn(`${h.idpUrl}/apps/${t.appId}/sso`, person);
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    expect(h.service.findAccountByEmail('jit02tile@corp.example')).not.toBeNull();
  });
});

describe('JIT-03 setting on, no seat free', () => {
  it('refuses with no_seats_available and creates nothing', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true, seats: 1 });
    const person = addIdpPerson(h, { email: 'jit03@corp.example', assignTo: t.appId });
    const auditBefore = h.service.listAuditEvents().length;
    const result = await browserSignIn(spLogin(t.methodId), person);
    expect(h.service.listAuditEvents().length).toBe(auditBefore);
    expect(h.service.getTeam(t.team.id).seats.used).toBe(1);
    expect(result.errorCode).toBe('no_seats_available');
    expect(result.status).toBe(403);
    expect(h.service.findAccountByEmail('jit03@corp.example')).toBeNull();
    expect(memberCount(t.team.id)).toBe(1);
  });
});

describe('JIT-04 invites', () => {
  it('a pending invite creates no member; signing in through the invite link makes the member', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: false });
    const { token } = h.service.createInvite(t.team.id, t.ownerId, { email: 'jit04@corp.example' });
    expect(h.service.findAccountByEmail('jit04@corp.example')).toBeNull();
    const person = addIdpPerson(h, { email: 'jit04@corp.example', assignTo: t.appId });
    const start = await postForm(`${h.serverUrl}/invites/${encodeURIComponent(token)}`, { team: t.team.id });
    expect(start.status).toBe(303);
    const result = await browserSignIn(start.headers.get('location') ?? '', person);
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    const account = h.service.findAccountByEmail('jit04@corp.example');
    expect(h.service.getMember(t.team.id, account?.id ?? '').status).toBe('active');
    expect(h.service.listInvites(t.team.id)[0]?.status).toBe('accepted');
  });
});

describe('JIT-04 an invite of another team or another email', () => {
  it('is refused with invite_invalid before anything is written', async () => {
    const a = await setUpSamlTeam(h, { autoAddUsers: false });
    const b = await setUpSamlTeam(h, { autoAddUsers: false });
    const { token } = h.service.createInvite(b.team.id, b.ownerId, { email: 'jit04x@corp.example' });
    const person = addIdpPerson(h, { email: 'jit04x@corp.example', assignTo: a.appId });
    const start = await postForm(`${h.serverUrl}/invites/${encodeURIComponent(token)}`, { team: a.team.id });
    const result = await browserSignIn(start.headers.get('location') ?? '', person);
    expect(result.errorCode).toBe('invite_invalid');
    expect(h.service.findAccountByEmail('jit04x@corp.example')).toBeNull();
    expect(h.service.listInvites(b.team.id)[0]?.status).toBe('pending');
  });
});

describe('JIT-06 invite link + existing account: link with the account password', () => {
  it('a wrong password links nothing; the right one links and is audited', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: false });
    const { account } = h.service.registerAccount({
      email: 'jit06@corp.example',
      givenName: 'Lin',
      familyName: 'Ked',
      password: 'own-account-pass',
    });
    const { token } = h.service.createInvite(t.team.id, t.ownerId, { email: 'jit06@corp.example' });
    const person = addIdpPerson(h, { email: 'jit06@corp.example', assignTo: t.appId });
    const start = await postForm(`${h.serverUrl}/invites/${encodeURIComponent(token)}`, { team: t.team.id });
    const result = await browserSignIn(start.headers.get('location') ?? '', person);
    expect(result.body).toContain('data-form="link-account"');
    const action = /action="(\/link\/[^"]+)"/.exec(result.body)?.[1] ?? '';

    const wrong = await postForm(`${h.serverUrl}${action}`, { password: person.password });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('data-error-code="invalid_credentials"');
    expect(h.service.listTeamsOfAccount(account.id).some((m) => m.teamId === t.team.id)).toBe(false);

    const right = await postForm(`${h.serverUrl}${action}`, { password: 'own-account-pass' });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(`/teams/${t.team.id}/home`);
    expect(h.service.getMember(t.team.id, account.id).status).toBe('active');
    expect(h.service.listAuditEvents({ accountId: account.id, type: 'account.linked' })).toHaveLength(1);

    const again = await postForm(`${h.serverUrl}${action}`, { password: 'own-account-pass' });
    expect(await again.text()).toContain('data-error-code="link_pending_invalid"');
  });
});

describe('JIT-07 forgot password, then link', () => {
  it('resets with a single-use token, then the new password links the account', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const { account } = h.service.registerAccount({
      email: 'jit07@corp.example',
      givenName: 'For',
      familyName: 'Got',
      password: 'forgotten-pass',
    });
    const person = addIdpPerson(h, { email: 'jit07@corp.example', assignTo: t.appId });
    const result = await browserSignIn(spLogin(t.methodId), person);
    const action = /action="(\/link\/[^"]+)"/.exec(result.body)?.[1] ?? '';
    expect(action).not.toBe('');

    const forgot = await postForm(`${h.serverUrl}/forgot-password`, { email: 'jit07@corp.example' });
    expect(forgot.status).toBe(200);
    expect(await forgot.text()).not.toContain(h.outbox.latestFor('jit07@corp.example')?.token ?? 'none');
    const message = h.outbox.latestFor('jit07@corp.example');
    expect(message?.link).toContain('/reset-password?token=');
    const reset = await postForm(`${h.serverUrl}/reset-password`, {
      token: message?.token ?? '',
      password: 'brand-new-pass',
    });
    expect(reset.status).toBe(200);
    const reused = await postForm(`${h.serverUrl}/reset-password`, {
      token: message?.token ?? '',
      password: 'other-pass-99',
    });
    expect(await reused.text()).toContain('data-error-code="reset_token_invalid"');

    const linked = await postForm(`${h.serverUrl}${action}`, { password: 'brand-new-pass' });
    expect(linked.status).toBe(303);
    expect(h.service.getMember(t.team.id, account.id).status).toBe('active');
  });
});

describe('JIT-08 only people assigned in the IdP can sign in', () => {
  it('the IdP refuses an unassigned person; the SP sees nothing and stores nothing', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'jit08@corp.example' });
    const result = await browserSignIn(spLogin(t.methodId), person);
    expect(result.errorCode).toBe('not_assigned');
    expect(result.samlResponse).toBeUndefined();
    expect(h.service.findAccountByEmail('jit08@corp.example')).toBeNull();
  });

  it('assignment through a group is enough', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'jit08g@corp.example' });
    const group = h.simulator.directory.addGroup({ name: 'Engineers', memberIds: [person.id] });
    h.simulator.directory.assign(t.appId, { kind: 'group', id: group.id });
    const result = await browserSignIn(spLogin(t.methodId), person);
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
  });
});

describe('JIT-09 / SSO-02 with domain capture on', () => {
  it('JIT admits the same way, and a captured account signs straight in', async () => {
    const org = h.service.createOrganisation({ slug: 'capture-org', name: 'Capture Org' });
    const t = await setUpSamlTeam(h, { autoAddUsers: true, organisationId: org.id });
    h.service.addDomain(org.id, 'captured.example');
    h.service.verifyDomain(org.id, 'captured.example');
    h.service.setDomainCapture(org.id, 'captured.example', t.team.id);
    const newcomer = addIdpPerson(h, { email: 'new@captured.example', assignTo: t.appId });
    const result = await browserSignIn(spLogin(t.methodId), newcomer);
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);

    const { account } = h.service.registerAccount({
      email: 'old@captured.example',
      givenName: 'O',
      familyName: 'Ld',
    });
    expect(h.service.getMember(t.team.id, account.id).status).toBe('active');
    const captured = addIdpPerson(h, { email: 'old@captured.example', assignTo: t.appId });
    const again = await browserSignIn(spLogin(t.methodId), captured);
    expect(again.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
  });
});

describe('JIT-10 a JIT account has no password until Forgot Password', () => {
  it('password sign-in fails, then works after a reset', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'jit10@corp.example', assignTo: t.appId });
    await browserSignIn(spLogin(t.methodId), person);
    const refused = await postForm(`${h.serverUrl}/login`, {
      email: 'jit10@corp.example',
      password: person.password,
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('data-error-code="invalid_credentials"');
    await postForm(`${h.serverUrl}/forgot-password`, { email: 'jit10@corp.example' });
    const token = h.outbox.latestFor('jit10@corp.example')?.token ?? '';
    await postForm(`${h.serverUrl}/reset-password`, { token, password: 'now-i-have-one' });
    const ok = await postForm(`${h.serverUrl}/login`, {
      email: 'jit10@corp.example',
      password: 'now-i-have-one',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/home');
    const cookie = cookieOf(ok);
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const home = await fetch(`${h.serverUrl}/home`, {
      headers: { cookie: cookie ?? '', accept: 'application/json' },
    });
    expect(((await home.json()) as { landing: string }).landing).toBe('personal');
  });
});

describe('SSO-01 SSO configuration belongs to one team', () => {
  it('each team applies its own JIT setting, and a Response for one team is refused at the other', async () => {
    const org = h.service.createOrganisation({ slug: 'two-teams', name: 'Two Teams' });
    const a = await setUpSamlTeam(h, { autoAddUsers: true, organisationId: org.id });
    const b = await setUpSamlTeam(h, { autoAddUsers: false, organisationId: org.id });
    expect(h.service.listAuthMethods(b.team.id).every((m) => m.autoAddUsers === false)).toBe(true);
    const person = addIdpPerson(h, { email: 'sso01@corp.example', assignTo: a.appId });
    h.simulator.directory.assign(b.appId, { kind: 'person', id: person.id });
    const atA = await browserSignIn(spLogin(a.methodId), person);
    expect(atA.landedAt).toBe(`${h.serverUrl}/teams/${a.team.id}/home`);
    const atB = await browserSignIn(spLogin(b.methodId), person);
    expect(atB.errorCode).toBe('jit_disabled');
    // A's Response replayed at B's ACS: B's audience and ACS URL differ
    const cross = await postForm(
      `${h.serverUrl}/saml/${b.methodId}/acs`,
      { SAMLResponse: Buffer.from(atA.samlResponse ?? '').toString('base64') },
      { json: true },
    );
    expect(((await cross.json()) as { code: string }).code).toMatch(
      /in_response_to_mismatch|audience_mismatch/,
    );
    expect(
      h.service
        .listTeamsOfAccount(h.service.findAccountByEmail('sso01@corp.example')?.id ?? '')
        .map((m) => m.teamId),
    ).toEqual([a.team.id]);
  });
});

describe('SSO-03 / SSO-04 several methods at once, with labels', () => {
  it('the team login page offers password and the labelled SSO method; both sign the member in', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true, label: 'Test', password: true });
    const page = await fetch(`${h.serverUrl}/teams/${t.team.id}/login`).then((r) => r.text());
    expect(page).toContain('Sign in with SSO (Test)');
    expect(page).toContain('data-form="login"');
    const byPassword = await postForm(`${h.serverUrl}/teams/${t.team.id}/login`, {
      email: t.ownerEmail,
      password: 'owner-pass-1',
    });
    expect(byPassword.headers.get('location')).toBe(`/teams/${t.team.id}/home`);
    const person = addIdpPerson(h, { email: 'sso03@corp.example', assignTo: t.appId });
    const bySso = await browserSignIn(spLogin(t.methodId), person);
    expect(bySso.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
  });
});

describe('SSO-05 IdP down: SSO off, email/password on', () => {
  it('SSO is refused through the disabled method; members sign in with passwords', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true, password: true });
    const person = addIdpPerson(h, { email: 'sso05@corp.example', assignTo: t.appId });
    await browserSignIn(spLogin(t.methodId), person);
    h.service.updateAuthMethod(t.team.id, t.ownerId, t.methodId, { enabled: false });
    const refused = await fetch(spLogin(t.methodId), {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(((await refused.json()) as { code: string }).code).toBe('auth_method_disabled');
    const byPassword = await postForm(`${h.serverUrl}/teams/${t.team.id}/login`, {
      email: t.ownerEmail,
      password: 'owner-pass-1',
    });
    expect(byPassword.headers.get('location')).toBe(`/teams/${t.team.id}/home`);
  });
});
