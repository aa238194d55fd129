// Catalogue PRV-01..10 and SSO-06/07: SCIM provisioning semantics through the ScimDirectory the service implements.
// Each test reads state back (SCIM records, members, seats) or checks the typed error code.
import { describe, expect, it } from 'vitest';
import { parseScimFilter } from '../../../protocol/scim/filter.ts';
import { enableScim, errorCode, makeFixture, scimUser } from './fixture.ts';

const query = { sortOrder: 'ascending' as const, startIndex: 1, count: 100 };

describe('PRV-01 userName carries the email', () => {
  it('maps a provisioned user to the account with that email', () => {
    const f = makeFixture();
    const user = f.service.createUser(f.team.id, scimUser('Jo@Acme.example'));
    expect(user.userName).toBe('Jo@Acme.example');
    expect(f.service.findAccountByEmail('jo@acme.example')?.email).toBe('Jo@Acme.example');
    const found = f.service.listUsers(f.team.id, {
      ...query,
      filter: parseScimFilter('userName eq "JO@acme.EXAMPLE"'),
    });
    expect(found.resources.map((r) => r.id)).toEqual([user.id]);
  });

  it('refuses a userName that is not an email', () => {
    const f = makeFixture();
    expect(errorCode(() => f.service.createUser(f.team.id, scimUser('not-an-email')))).toBe(
      'identity_invalid',
    );
  });
});

describe('PRV-02 names may be blank', () => {
  it('accepts empty given and family names', () => {
    const f = makeFixture();
    const user = f.service.createUser(
      f.team.id,
      scimUser('blank@acme.example', { givenName: '', familyName: '' }),
    );
    expect(f.service.getUser(f.team.id, user.id)).toMatchObject({ givenName: '', familyName: '' });
  });
});

describe('PRV-03 no password sync', () => {
  it('SCIM-created accounts have no password', () => {
    const f = makeFixture();
    f.service.createUser(f.team.id, scimUser('np@acme.example'));
    expect(f.service.findAccountByEmail('np@acme.example')?.hasPassword).toBe(false);
  });
});

describe('PRV-04 only names are mapped', () => {
  it('updates given and family name on replace', () => {
    const f = makeFixture();
    const user = f.service.createUser(f.team.id, scimUser('n@acme.example'));
    f.service.replaceUser(
      f.team.id,
      user.id,
      scimUser('n@acme.example', { givenName: 'New', familyName: 'Name' }),
    );
    const account = f.service.findAccountByEmail('n@acme.example');
    expect(account).toMatchObject({ givenName: 'New', familyName: 'Name' });
  });
});

describe('PRV-05 members cannot leave with SCIM on', () => {
  it('refuses leaving with SCIM on and allows it with SCIM off', () => {
    const f = makeFixture();
    const m = f.service.addMember(f.team.id, f.ownerId, {
      email: 'l@acme.example',
      givenName: 'L',
      familyName: 'L',
      role: 'Member',
    });
    enableScim(f);
    expect(errorCode(() => f.service.leaveTeam(f.team.id, m.account.id))).toBe('managed_by_scim');
    expect(f.service.getMember(f.team.id, m.account.id).status).toBe('active');
    f.service.setScimEnabled(f.team.id, f.ownerId, false);
    f.service.leaveTeam(f.team.id, m.account.id);
    expect(errorCode(() => f.service.getMember(f.team.id, m.account.id))).toBe('not_found');
  });
});

describe('PRV-06 no self-service email or password change with SCIM on', () => {
  it('refuses both with SCIM on, allows the email change with SCIM off', () => {
    const f = makeFixture();
    const m = f.service.addMember(f.team.id, f.ownerId, {
      email: 'self@acme.example',
      givenName: 'S',
      familyName: 'S',
      role: 'Member',
    });
    enableScim(f);
    expect(errorCode(() => f.service.changeOwnEmail(m.account.id, 'other@acme.example'))).toBe(
      'managed_by_scim',
    );
    expect(errorCode(() => f.service.changeOwnPassword(m.account.id, null, 'long-enough-pw'))).toBe(
      'managed_by_scim',
    );
    expect(f.service.getAccount(m.account.id).email).toBe('self@acme.example');
    f.service.setScimEnabled(f.team.id, f.ownerId, false);
    expect(f.service.changeOwnEmail(m.account.id, 'other@acme.example').email).toBe('other@acme.example');
  });
});

describe('PRV-07 only admins remove members', () => {
  it('refuses a Member, allows an Admin', () => {
    const f = makeFixture();
    const a = f.service.addMember(f.team.id, f.ownerId, {
      email: 'a@acme.example',
      givenName: 'A',
      familyName: 'A',
      role: 'Member',
    });
    const b = f.service.addMember(f.team.id, f.ownerId, {
      email: 'b@acme.example',
      givenName: 'B',
      familyName: 'B',
      role: 'Member',
    });
    expect(errorCode(() => f.service.removeMember(f.team.id, a.account.id, b.account.id))).toBe('forbidden');
    expect(f.service.getMember(f.team.id, b.account.id).status).toBe('active');
    expect(f.service.removeMember(f.team.id, f.ownerId, b.account.id).status).toBe('removed');
    expect(f.service.listMembers(f.team.id).map((m) => m.account.email)).not.toContain('b@acme.example');
  });

  it('keeps the last Super Admin', () => {
    const f = makeFixture();
    expect(errorCode(() => f.service.removeMember(f.team.id, f.ownerId, f.ownerId))).toBe('invalid_state');
  });
});

describe('PRV-08 email changes only through SCIM, within a verified domain', () => {
  it('refuses an unverified domain and accepts a verified one', () => {
    const f = makeFixture({ verifiedDomain: true });
    const user = f.service.createUser(f.team.id, scimUser('e@acme.example'));
    expect(errorCode(() => f.service.replaceUser(f.team.id, user.id, scimUser('e@elsewhere.example')))).toBe(
      'domain_not_verified',
    );
    expect(f.service.getUser(f.team.id, user.id).userName).toBe('e@acme.example');
    f.service.addDomain(f.organisationId, 'acme-new.example');
    f.service.verifyDomain(f.organisationId, 'acme-new.example');
    const moved = f.service.replaceUser(f.team.id, user.id, scimUser('e@acme-new.example'));
    expect(moved.userName).toBe('e@acme-new.example');
    expect(moved.version).toBe(user.version + 1);
  });
});

describe('PRV-09 seats', () => {
  it('provisions until seats run out, then refuses; deactivation frees a seat', () => {
    const f = makeFixture({ seats: 3 }); // the owner holds one seat
    const one = f.service.createUser(f.team.id, scimUser('1@acme.example'));
    f.service.createUser(f.team.id, scimUser('2@acme.example'));
    expect(errorCode(() => f.service.createUser(f.team.id, scimUser('3@acme.example')))).toBe(
      'no_seats_available',
    );
    expect(f.service.findAccountByEmail('3@acme.example')).toBeNull();
    expect(f.service.getTeam(f.team.id).seats.used).toBe(3);
    f.service.replaceUser(f.team.id, one.id, scimUser('1@acme.example', { active: false }));
    expect(f.service.getTeam(f.team.id).seats.used).toBe(2);
    f.service.createUser(f.team.id, scimUser('3@acme.example'));
    // reactivation needs a seat too
    expect(errorCode(() => f.service.replaceUser(f.team.id, one.id, scimUser('1@acme.example')))).toBe(
      'no_seats_available',
    );
    expect(f.service.getUser(f.team.id, one.id).active).toBe(false);
  });

  it.each([{ autoFlex: true }, { trueUp: true }])('allows overage with %o', (flags) => {
    const f = makeFixture({ seats: 1, ...flags });
    f.service.createUser(f.team.id, scimUser('x@acme.example'));
    f.service.createUser(f.team.id, scimUser('y@acme.example'));
    expect(f.service.getTeam(f.team.id).seats.used).toBe(3);
  });

  it('a user created inactive takes no seat', () => {
    const f = makeFixture({ seats: 1 });
    const user = f.service.createUser(f.team.id, scimUser('z@acme.example', { active: false }));
    expect(user.active).toBe(false);
    expect(f.service.getTeam(f.team.id).seats.used).toBe(1);
  });
});

describe('PRV-10 verified domain capture adds new users', () => {
  it('an account whose address is proven (invite, fixture) in a captured domain joins the team at once', () => {
    const f = makeFixture();
    f.service.addDomain(f.organisationId, 'acme.example');
    expect(errorCode(() => f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id))).toBe(
      'domain_not_verified',
    );
    f.service.verifyDomain(f.organisationId, 'acme.example');
    f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id);
    const registered = f.service.registerAccount({
      email: 'new@acme.example',
      givenName: 'N',
      familyName: 'U',
    });
    expect(registered.member).toMatchObject({ role: 'Member', status: 'active', teamId: f.team.id });
    const outsider = f.service.registerAccount({
      email: 'new@other.example',
      givenName: 'O',
      familyName: 'U',
    });
    expect(outsider.member).toBeNull();
  });

  it('SSO-02 capture consolidates existing accounts of the domain', () => {
    const f = makeFixture();
    f.service.registerAccount({ email: 'early@acme.example', givenName: 'E', familyName: 'A' });
    f.service.addDomain(f.organisationId, 'acme.example');
    f.service.verifyDomain(f.organisationId, 'acme.example');
    f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id);
    const early = f.service.findAccountByEmail('early@acme.example');
    expect(early && f.service.getMember(f.team.id, early.id).status).toBe('active');
  });
});

describe('PRV-10 / SSO-02 self-service sign-up proves the mailbox first', () => {
  function captured(seats = 10) {
    const f = makeFixture({ verifiedDomain: true, seats });
    f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id);
    return f;
  }
  const dan = { email: 'Dan@Acme.example', givenName: 'Dan', familyName: 'T', password: 'dan-password-8' };

  it('a sign-up in a captured domain creates nothing until the link is used, then joins the team', () => {
    const f = captured();
    const sent = f.service.signUp(dan);
    expect(sent).toMatchObject({ kind: 'confirmation', email: 'Dan@Acme.example' });
    const token = sent.kind === 'confirmation' ? sent.token : null;
    expect(token).toMatch(/^idsim_su_/);
    expect(f.service.findAccountByEmail(dan.email)).toBeNull();
    expect(f.service.listMembers(f.team.id)).toHaveLength(1);
    expect(errorCode(() => f.service.verifyPassword(dan.email, dan.password))).toBe('invalid_credentials');
    const confirmed = f.service.confirmSignUp(token ?? '');
    expect(confirmed.member).toMatchObject({ teamId: f.team.id, role: 'Member', status: 'active' });
    expect(f.service.verifyPassword(dan.email, dan.password).id).toBe(confirmed.account.id);
    expect(f.store.accounts.get(confirmed.account.id)?.emailConfirmed).toBe(true);
  });

  it('the link works once, within its hour; a wrong token is refused; nothing is written', () => {
    const f = captured();
    const first = f.service.signUp(dan);
    const second = f.service.signUp({ ...dan, email: 'dan@ACME.example' });
    const [a, b] = [first, second].map((r) => (r.kind === 'confirmation' ? (r.token ?? '') : ''));
    expect(errorCode(() => f.service.confirmSignUp('idsim_su_wrong'))).toBe('confirmation_invalid');
    f.service.confirmSignUp(a ?? '');
    expect(errorCode(() => f.service.confirmSignUp(a ?? ''))).toBe('confirmation_invalid');
    // every other link for the address is used up with the first one
    expect(errorCode(() => f.service.confirmSignUp(b ?? ''))).toBe('confirmation_invalid');

    const late = f.service.signUp({ ...dan, email: 'late@acme.example' });
    f.clock.now = new Date(f.clock.now.getTime() + 60 * 60 * 1000);
    expect(
      errorCode(() => f.service.confirmSignUp(late.kind === 'confirmation' ? (late.token ?? '') : '')),
    ).toBe('confirmation_invalid');
    expect(f.service.findAccountByEmail('late@acme.example')).toBeNull();
  });

  it('an address that has an account gets the same answer and no link', () => {
    const f = captured();
    const taken = f.service.signUp({ ...dan, email: 'owner@acme.example' });
    expect(taken).toMatchObject({ kind: 'confirmation', token: null });
  });

  it('an address that got an account meanwhile (SCIM, JIT) refuses the link and writes nothing', () => {
    const f = captured();
    const sent = f.service.signUp(dan);
    f.service.registerAccount({ email: dan.email, givenName: 'D', familyName: 'I' });
    expect(
      errorCode(() => f.service.confirmSignUp(sent.kind === 'confirmation' ? (sent.token ?? '') : '')),
    ).toBe('confirmation_invalid');
  });

  it('with no seat free the link refuses and stays usable', () => {
    const f = captured(1);
    const sent = f.service.signUp(dan);
    const token = sent.kind === 'confirmation' ? (sent.token ?? '') : '';
    expect(errorCode(() => f.service.confirmSignUp(token))).toBe('no_seats_available');
    expect(f.service.findAccountByEmail(dan.email)).toBeNull();
    f.service.updateTeam(f.team.id, f.ownerId, { licensedSeats: 2 });
    expect(f.service.confirmSignUp(token).member?.teamId).toBe(f.team.id);
  });

  it('a verified domain that captures nothing still confirms first, then lands personal', () => {
    const f = makeFixture({ verifiedDomain: true });
    const sent = f.service.signUp(dan);
    expect(sent.kind).toBe('confirmation');
    expect(f.service.confirmSignUp(sent.kind === 'confirmation' ? (sent.token ?? '') : '').member).toBeNull();
  });

  it('in an unverified domain the account is made at once, and a later capture does not take it', () => {
    const f = makeFixture();
    const made = f.service.signUp(dan);
    expect(made.kind).toBe('registered');
    f.service.registerAccount({ email: 'vouched@acme.example', givenName: 'V', familyName: 'V' });
    f.service.addDomain(f.organisationId, 'acme.example');
    f.service.verifyDomain(f.organisationId, 'acme.example');
    f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id);
    const emails = f.service.listMembers(f.team.id).map((m) => m.account.email);
    expect(emails).toContain('vouched@acme.example');
    expect(emails).not.toContain('dan@acme.example');
  });

  it('an address changed by its owner is unconfirmed: a later capture does not take it', () => {
    const f = makeFixture();
    const person = f.service.registerAccount({
      email: 'p@personal.example',
      givenName: 'P',
      familyName: 'P',
    });
    f.service.changeOwnEmail(person.account.id, 'p@acme.example');
    f.service.addDomain(f.organisationId, 'acme.example');
    f.service.verifyDomain(f.organisationId, 'acme.example');
    f.service.setDomainCapture(f.organisationId, 'acme.example', f.team.id);
    expect(f.service.listTeamsOfAccount(person.account.id)).toEqual([]);
  });
});

describe('SSO-06 enabling SSO and SCIM removes nobody', () => {
  it('keeps every member', () => {
    const f = makeFixture({ saml: false });
    f.service.addMember(f.team.id, f.ownerId, {
      email: 'k@acme.example',
      givenName: 'K',
      familyName: 'K',
      role: 'Member',
    });
    const before = f.service.listMembers(f.team.id).map((m) => [m.account.email, m.status]);
    f.service.addAuthMethod(f.team.id, f.ownerId, {
      kind: 'saml',
      saml: { idpEntityId: 'urn:i', idpSsoUrl: 'http://127.0.0.1/i', idpCertificates: [] },
    });
    enableScim(f);
    expect(f.service.listMembers(f.team.id).map((m) => [m.account.email, m.status])).toEqual(before);
  });
});

describe('SSO-07 pre-existing members become SCIM-managed', () => {
  it('POST with the email of an existing member (any case) adopts it: same id, managed, no new seat', () => {
    const f = makeFixture();
    const m = f.service.addMember(f.team.id, f.ownerId, {
      email: 'pre@acme.example',
      givenName: 'P',
      familyName: 'R',
      role: 'Admin',
    });
    expect(m.managedByScim).toBe(false);
    const used = f.service.getTeam(f.team.id).seats.used;
    const adopted = f.service.createUser(f.team.id, scimUser('PRE@acme.example', { externalId: 'okta-1' }));
    expect(adopted.id).toBe(m.scimId);
    const after = f.service.getMember(f.team.id, m.account.id);
    expect(after).toMatchObject({ managedByScim: true, role: 'Admin' });
    expect(f.service.getTeam(f.team.id).seats.used).toBe(used);
    // a second POST for a managed member is a conflict
    expect(errorCode(() => f.service.createUser(f.team.id, scimUser('pre@acme.example')))).toBe('uniqueness');
  });

  it('a PUT on a listed, unmanaged member also adopts it', () => {
    const f = makeFixture();
    const owner = f.service.listUsers(f.team.id, {
      ...query,
      filter: parseScimFilter('userName eq "owner@acme.example"'),
    });
    const id = owner.resources[0]?.id ?? '';
    f.service.replaceUser(
      f.team.id,
      id,
      scimUser('owner@acme.example', { givenName: 'Olive', familyName: 'Owner' }),
    );
    expect(f.service.getMember(f.team.id, f.ownerId).managedByScim).toBe(true);
  });
});

describe('SCIM versions and uniqueness', () => {
  it('refuses a stale expected version; externalId may repeat (RFC 7643 3.1)', () => {
    const f = makeFixture();
    const a = f.service.createUser(f.team.id, scimUser('va@acme.example', { externalId: 'ext-a' }));
    expect(
      f.service.createUser(f.team.id, scimUser('vb@acme.example', { externalId: 'ext-a' })).externalId,
    ).toBe('ext-a');
    expect(
      errorCode(() => f.service.replaceUser(f.team.id, a.id, scimUser('va@acme.example'), a.version + 1)),
    ).toBe('version_mismatch');
    expect(errorCode(() => f.service.deleteUser(f.team.id, a.id, 99))).toBe('version_mismatch');
    f.service.deleteUser(f.team.id, a.id, a.version);
    expect(errorCode(() => f.service.getUser(f.team.id, a.id))).toBe('not_found');
  });

  it('lists with filters, sorting and paging', () => {
    const f = makeFixture();
    for (const name of ['c', 'a', 'b']) f.service.createUser(f.team.id, scimUser(`${name}@list.example`));
    const page = f.service.listUsers(f.team.id, {
      filter: parseScimFilter('userName ew "@list.example"'),
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 2,
      count: 1,
    });
    expect(page.totalResults).toBe(3);
    expect(page.resources.map((r) => r.userName)).toEqual(['b@list.example']);
  });

  it('a user of another team is not found', () => {
    const f = makeFixture();
    const other = f.service.createTeam({
      name: 'Other',
      plan: 'Enterprise',
      licensedSeats: 5,
      owner: { email: 'boss@other.example', givenName: 'B', familyName: 'O' },
    });
    const user = f.service.createUser(f.team.id, scimUser('mine@acme.example'));
    expect(errorCode(() => f.service.getUser(other.team.id, user.id))).toBe('not_found');
    expect(f.service.listUsers(other.team.id, query).totalResults).toBe(1);
  });
});
