// Team context versus personal context over HTTP: DEA-01/DEA-02 (SCIM deactivation) and REM-02 (admin removal).
// A refused team sign-in leaves the membership as it was; the personal context stays open with the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
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

async function memberWithPassword(email: string) {
  const t = await setUpSamlTeam(h, { autoAddUsers: true, password: true });
  const member = h.service.addMember(t.team.id, t.ownerId, {
    email,
    givenName: 'Pat',
    familyName: 'Doe',
    password: 'pat-password-1',
    role: 'Member',
  });
  const person = addIdpPerson(h, { email, assignTo: t.appId });
  return { t, accountId: member.account.id, person };
}

describe('DEA-02 a deactivated user signs in to a personal context', () => {
  it('team SSO and team password sign-in are refused; personal password sign-in works', async () => {
    const { t, accountId, person } = await memberWithPassword('dea02@corp.example');
    const member = h.service.getMember(t.team.id, accountId);
    h.service.replaceUser(t.team.id, member.scimId, {
      userName: 'dea02@corp.example',
      externalId: null,
      givenName: 'Pat',
      familyName: 'Doe',
      active: false,
    });
    const sso = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(sso.errorCode).toBe('not_a_member');
    expect(h.service.getMember(t.team.id, accountId).status).toBe('deactivated');
    const team = await postForm(`${h.serverUrl}/teams/${t.team.id}/login`, {
      email: 'dea02@corp.example',
      password: 'pat-password-1',
    });
    expect(await team.text()).toContain('data-error-code="not_a_member"');
    const personal = await postForm(`${h.serverUrl}/login`, {
      email: 'dea02@corp.example',
      password: 'pat-password-1',
    });
    expect(personal.status).toBe(303);
    expect(personal.headers.get('location')).toBe('/home');
  });
});

describe('REM-02 a removed user', () => {
  it('cannot sign in to the same team, even with JIT on, but can sign in to a personal context', async () => {
    const { t, accountId, person } = await memberWithPassword('rem02@corp.example');
    h.service.removeMember(t.team.id, t.ownerId, accountId, t.ownerId);
    const sso = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(sso.errorCode).toBe('not_a_member');
    expect(
      h.service.listTeamsOfAccount(accountId).some((m) => m.teamId === t.team.id && m.status === 'active'),
    ).toBe(false);
    const team = await postForm(`${h.serverUrl}/teams/${t.team.id}/login`, {
      email: 'rem02@corp.example',
      password: 'pat-password-1',
    });
    expect(team.status).toBe(403);
    const personal = await postForm(`${h.serverUrl}/login`, {
      email: 'rem02@corp.example',
      password: 'pat-password-1',
    });
    expect(personal.headers.get('location')).toBe('/home');
  });
});

describe('landing pages need the matching session', () => {
  it('a personal session does not open the team home', async () => {
    const { t } = await memberWithPassword('landing@corp.example');
    const personal = await postForm(`${h.serverUrl}/login`, {
      email: 'landing@corp.example',
      password: 'pat-password-1',
    });
    const cookie = personal.headers.get('set-cookie')?.split(';')[0] ?? '';
    const teamHome = await fetch(`${h.serverUrl}/teams/${t.team.id}/home`, { headers: { cookie } });
    expect(teamHome.status).toBe(403);
    const forged = await fetch(`${h.serverUrl}/home`, { headers: { cookie: `${cookie}x` } });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('data-error-code="not_signed_in"');
  });
});
