// The SP maps a signed identity only onto the account it names: no Unicode folding, no trimming, ASCII case only,
// and an assertion naming two addresses is refused. idsim #10 item 1; catalogue SSO-07 (case-insensitive email).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
  type Harness,
  setUpSamlTeam,
  startHarness,
  type TeamSetup,
} from './harness.ts';

let h: Harness;
let t: TeamSetup;
const MEMBER = 'kim@corp.example';

beforeAll(async () => {
  h = await startHarness();
  t = await setUpSamlTeam(h, { autoAddUsers: true });
  h.service.addMember(t.team.id, t.ownerId, {
    email: MEMBER,
    givenName: 'Kim',
    familyName: 'Member',
    password: 'kim-pass-1',
    role: 'Super Admin',
  });
});
afterAll(async () => {
  await h.close();
});

let logins = 0;
/** An assigned IdP person whose email attribute is `email` and whose (emailAddress) NameID matches it in ASCII. */
function idpPerson(email: string): { login: string; password: string } {
  logins += 1;
  const person = h.simulator.directory.addPerson({
    login: `person${logins}@corp.example`,
    email,
    firstName: 'M',
    lastName: 'X',
    password: 'idp-pass-1',
  });
  h.simulator.directory.assign(t.appId, { kind: 'person', id: person.id });
  return { login: person.login, password: 'idp-pass-1' };
}

const spLogin = (): string => `${h.serverUrl}/saml/${t.methodId}/login`;

function state() {
  return {
    members: h.service.listMembers(t.team.id).map((m) => `${m.account.email}:${m.status}`),
    audit: h.service.listAuditEvents().length,
  };
}

describe('idsim #10 identity normalisation at the ACS', () => {
  it.each([
    ['KELVIN SIGN for k', '\u212Aim@corp.example'],
    ['fullwidth k', '\uFF4Bim@corp.example'],
    ['trailing NBSP', 'kim@corp.example\u00a0'],
    ['zero-width joiner', 'k\u200Dim@corp.example'],
  ])('%s is refused with identity_invalid: no session, no account, no membership', async (_why, address) => {
    const person = idpPerson(address);
    const before = state();
    const result = await browserSignIn(spLogin(), person);
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('identity_invalid');
    expect(result.jar.toString()).not.toContain('idsim_session');
    expect(state()).toEqual(before);
    expect(h.service.findAccountByEmail(address)).toBeNull();
  });

  it('surrounding spaces in the email attribute are refused, never trimmed onto the member', async () => {
    const person = idpPerson(` ${MEMBER} `);
    const before = state();
    const result = await browserSignIn(spLogin(), person);
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('identity_invalid');
    expect(state()).toEqual(before);
  });

  it('an ASCII case variant is the same identity: it signs in as the member, nobody new', async () => {
    const person = addIdpPerson(h, { email: 'KIM@Corp.Example', assignTo: t.appId });
    const before = state();
    const result = await browserSignIn(spLogin(), person);
    expect(result.status).toBe(200);
    expect(result.landedAt).toContain(`/teams/${t.team.id}/home`);
    expect(state().members).toEqual(before.members);
  });

  it('an emailAddress NameID that is not the email attribute is refused with identity_mismatch', async () => {
    const person = h.simulator.directory.addPerson({
      login: 'someone.else@corp.example',
      email: MEMBER,
      firstName: 'M',
      lastName: 'X',
      password: 'idp-pass-1',
    });
    h.simulator.directory.assign(t.appId, { kind: 'person', id: person.id });
    const before = state();
    const result = await browserSignIn(spLogin(), { login: person.login, password: 'idp-pass-1' });
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('identity_mismatch');
    expect(state()).toEqual(before);
  });
});

describe("idsim #17 an assertion for another organisation's verified domain", () => {
  it('neither signs in, links nor creates: foreign_domain, nothing written', async () => {
    const other = await setUpSamlTeam(h, { autoAddUsers: true });
    expect(other.team.organisationId).not.toBe(t.team.organisationId);
    h.service.addDomain(other.team.organisationId, 'victim-org.example');
    h.service.verifyDomain(other.team.organisationId, 'victim-org.example');
    h.service.addMember(other.team.id, other.ownerId, {
      email: 'boss@victim-org.example',
      givenName: 'B',
      familyName: 'V',
      password: 'boss-pass-1',
      role: 'Super Admin',
    });
    for (const email of ['boss@victim-org.example', 'newcomer@victim-org.example']) {
      const person = addIdpPerson(h, { email, assignTo: t.appId });
      const before = state();
      const result = await browserSignIn(spLogin(), person);
      expect(result.status).toBe(403);
      expect(result.errorCode).toBe('foreign_domain');
      expect(state()).toEqual(before);
    }
    expect(h.service.findAccountByEmail('newcomer@victim-org.example')).toBeNull();
  });
});
