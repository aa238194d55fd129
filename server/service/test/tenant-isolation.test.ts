// Tenant isolation of global accounts: one organisation's SCIM key or IdP never adopts, renames, re-addresses or
// signs in another tenant's people. idsim #16 and #17; catalogue SSO-07, PRV-08, PRV-10 (@decision).
import { describe, expect, it } from 'vitest';
import type { ScimUserInput } from '../../scim/directory.ts';
import { openSqliteStore } from '../../store/index.ts';
import { createTeamService, type TeamService } from '../index.ts';
import { errorCode, scimUser } from './fixture.ts';

interface Tenant {
  organisationId: string;
  teamId: string;
  ownerId: string;
  methodId: string;
}

function tenant(service: TeamService, slug: string, domain: string | null): Tenant {
  const organisation = service.createOrganisation({ slug, name: slug });
  const { team, owner } = service.createTeam({
    organisationId: organisation.id,
    name: slug,
    plan: 'Enterprise',
    licensedSeats: 50,
    owner: {
      email: `owner@${slug}-owner.example`,
      givenName: 'O',
      familyName: slug,
      password: 'owner-pass-1',
    },
  });
  if (domain !== null) {
    service.addDomain(organisation.id, domain);
    service.verifyDomain(organisation.id, domain);
  }
  const method = service.addAuthMethod(team.id, owner.account.id, {
    kind: 'saml',
    label: 'IdP',
    enabled: true,
    autoAddUsers: true,
    saml: { idpEntityId: `urn:${slug}`, idpSsoUrl: 'http://127.0.0.1/sso', idpCertificates: [] },
  });
  return { organisationId: organisation.id, teamId: team.id, ownerId: owner.account.id, methodId: method.id };
}

function world(victimDomainVerified: boolean) {
  const store = openSqliteStore({ path: ':memory:' });
  const service = createTeamService(store);
  const victim = tenant(service, 'acme', victimDomainVerified ? 'acme.example' : null);
  const attacker = tenant(service, 'evil', 'evil-b.example');
  const admin = service.addMember(victim.teamId, victim.ownerId, {
    email: 'admin@acme.example',
    givenName: 'Ada',
    familyName: 'Admin',
    password: 'victim-pass-1',
    role: 'Super Admin',
  });
  return { store, service, victim, attacker, admin };
}

/** What another tenant could have changed: the account row, every membership of it, and the audit trail. */
function snapshot(w: ReturnType<typeof world>) {
  const account = w.service.findAccountByEmail('admin@acme.example');
  return {
    account,
    memberships: account === null ? [] : w.service.listTeamsOfAccount(account.id),
    audit: w.service.listAuditEvents().length,
  };
}

const as = (email: string, overrides: Partial<ScimUserInput> = {}) =>
  scimUser(email, { givenName: 'Mallory', familyName: 'Evil', ...overrides });

describe.each([
  ['verified by the victim', true, 'foreign_domain'],
  ['verified by nobody', false, 'account_not_claimable'],
])("idsim #17 another organisation's SCIM key and the victim's address (%s)", (_label, verified, code) => {
  it(`step 2 (POST /Users with the victim's email) is refused with ${code} and writes nothing`, () => {
    const w = world(verified);
    const before = snapshot(w);
    expect(errorCode(() => w.service.createUser(w.attacker.teamId, as('admin@acme.example')))).toBe(code);
    expect(errorCode(() => w.service.createUser(w.attacker.teamId, as('ADMIN@Acme.Example')))).toBe(code);
    expect(snapshot(w)).toEqual(before);
    expect(w.service.listMembers(w.attacker.teamId).map((m) => m.account.email)).not.toContain(
      'admin@acme.example',
    );
  });

  it('a look-alike of the address is refused as identity_invalid, never matched onto the account', () => {
    const w = world(verified);
    const before = snapshot(w);
    for (const lookalike of ['\u212Admin@acme.example', ' admin@acme.example ', 'admin@acme.example\u00a0']) {
      expect(errorCode(() => w.service.createUser(w.attacker.teamId, as(lookalike)))).toBe(
        'identity_invalid',
      );
    }
    expect(snapshot(w)).toEqual(before);
  });
});

describe("idsim #17 JIT through another organisation's IdP", () => {
  it("JIT through the attacker's IdP neither signs in, links nor creates the victim's address", () => {
    const w = world(true);
    const before = snapshot(w);
    const jit = errorCode(() =>
      w.service.admitByJit(w.attacker.teamId, w.attacker.methodId, {
        email: 'admin@acme.example',
        givenName: 'M',
        familyName: 'E',
      }),
    );
    expect(jit).not.toBe('no error');
    expect(snapshot(w)).toEqual(before);
  });
});

describe('idsim #17 step 3: an email change through SCIM needs both domains verified by the writer', () => {
  it("a team cannot move an adopted member's address out of a domain its organisation does not own", () => {
    const w = world(false);
    // the attacker team invites nobody: it adds the account by hand (a member of its team), then adopts it by SCIM
    w.service.addMember(w.attacker.teamId, w.attacker.ownerId, {
      email: 'admin@acme.example',
      givenName: 'x',
      familyName: 'y',
      role: 'Member',
    });
    const adopted = w.service.createUser(w.attacker.teamId, as('admin@acme.example'));
    const before = w.service.findAccountByEmail('admin@acme.example');
    expect(
      errorCode(() => w.service.replaceUser(w.attacker.teamId, adopted.id, as('owned@evil-b.example'))),
    ).toBe('email_change_forbidden');
    expect(w.service.findAccountByEmail('owned@evil-b.example')).toBeNull();
    // names are not the attacker's to write either: the account belongs to the victim's team too
    expect(w.service.findAccountByEmail('admin@acme.example')).toEqual(before);
    expect(before?.givenName).toBe('Ada');
    // step 4: no reset link can reach an address in the attacker's domain
    expect(w.service.createPasswordResetToken('owned@evil-b.example')).toBeNull();
  });

  it('the owner of both domains may change the address (PRV-08)', () => {
    const w = world(true);
    w.service.addDomain(w.victim.organisationId, 'acme-new.example');
    w.service.verifyDomain(w.victim.organisationId, 'acme-new.example');
    const adopted = w.service.createUser(w.victim.teamId, scimUser('admin@acme.example'));
    const moved = w.service.replaceUser(w.victim.teamId, adopted.id, scimUser('ada@acme-new.example'));
    expect(moved.userName).toBe('ada@acme-new.example');
  });
});

describe("idsim #16 one team's SCIM does not rewrite a profile another team relies on", () => {
  function twoTeams(bVerifies: boolean) {
    const store = openSqliteStore({ path: ':memory:' });
    const service = createTeamService(store);
    const a = tenant(service, 'team-a', 'a-domain.example');
    const b = tenant(service, 'team-b', bVerifies ? 'b-domain.example' : null);
    const victim = service.createUser(b.teamId, scimUser('victim@b-domain.example', { givenName: 'I' }));
    return { service, a, b, victim };
  }

  it.each([
    [true, 'foreign_domain'],
    [false, 'account_not_claimable'],
  ])(
    'team A\'s POST of team B\'s user is refused (B verifies its domain: %s) and B still reads "I"',
    (verifies, code) => {
      const { service, a, b, victim } = twoTeams(verifies);
      expect(
        errorCode(() =>
          service.createUser(a.teamId, scimUser('victim@b-domain.example', { givenName: 'A' })),
        ),
      ).toBe(code);
      expect(service.getUser(b.teamId, victim.id).givenName).toBe('I');
    },
  );

  it('a shared member adopted by both teams keeps the names only the domain owner writes', () => {
    const { service, a, b, victim } = twoTeams(true);
    // A's admin cannot pull a person of B's domain into A (refused)...
    expect(
      errorCode(() =>
        service.addMember(a.teamId, a.ownerId, {
          email: 'victim@b-domain.example',
          givenName: 'A',
          familyName: 'A',
          role: 'Member',
        }),
      ),
    ).toBe('foreign_domain');
    // ...while B's own SCIM renames its person
    const renamed = service.replaceUser(
      b.teamId,
      victim.id,
      scimUser('victim@b-domain.example', { givenName: 'J' }),
    );
    expect(renamed.givenName).toBe('J');
  });

  it("without a domain owner, a team renames an account only while it is the account's only team", () => {
    const { service, a, b, victim } = twoTeams(false);
    const account = service.findAccountByEmail('victim@b-domain.example');
    // an admin of A adds the person by hand (they collaborate), then A's SCIM adopts the membership (SSO-07)
    service.addMember(a.teamId, a.ownerId, {
      email: 'victim@b-domain.example',
      givenName: '-',
      familyName: '-',
      role: 'Member',
    });
    const inA = service.createUser(a.teamId, scimUser('victim@b-domain.example', { givenName: 'A' }));
    expect(inA.givenName).toBe('I');
    const replaced = service.replaceUser(
      a.teamId,
      inA.id,
      scimUser('VICTIM@b-domain.example', { givenName: 'A', active: false }),
    );
    // the membership fields apply (deactivated in A), the profile does not (B relies on it), nor the case
    expect(replaced.active).toBe(false);
    expect(replaced.userName).toBe('victim@b-domain.example');
    expect(service.getUser(b.teamId, victim.id).givenName).toBe('I');
    expect(service.findAccountByEmail('victim@b-domain.example')).toEqual(account);
    // B shares the account with A now, so B's renames stop as well: nobody rewrites what the other relies on
    const byB = service.replaceUser(
      b.teamId,
      victim.id,
      scimUser('victim@b-domain.example', { givenName: 'K' }),
    );
    expect(byB.givenName).toBe('I');
  });
});

describe('idsim #17 self-service email changes', () => {
  it('cannot move an account into a verified domain without its organisation', () => {
    const w = world(true);
    const person = w.service.registerAccount({
      email: 'me@personal.example',
      givenName: 'M',
      familyName: 'E',
      password: 'personal-1',
    });
    expect(errorCode(() => w.service.changeOwnEmail(person.account.id, 'ceo@acme.example'))).toBe(
      'foreign_domain',
    );
    expect(errorCode(() => w.service.changeOwnEmail(person.account.id, 'me@acme.example\u00a0'))).toBe(
      'identity_invalid',
    );
    expect(w.service.getAccount(person.account.id).email).toBe('me@personal.example');
  });
});
