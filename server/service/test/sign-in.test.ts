// Sign-in building blocks: JIT-01..07 (admitByJit, invites, password reset, audit), ORG-02/05/07/08 (portal JIT).
// Time is frozen through the service clock so that expiry (14 days, 1 hour) is checked without waiting.
import { describe, expect, it } from 'vitest';
import { errorCode, makeFixture } from './fixture.ts';

const person = { email: 'newbie@acme.example', givenName: 'New', familyName: 'Bie' };

describe('JIT-01 auto-add off', () => {
  it('creates no account and no membership', () => {
    const f = makeFixture();
    expect(errorCode(() => f.service.admitByJit(f.team.id, f.samlMethodId, person))).toBe('jit_disabled');
    expect(f.service.findAccountByEmail(person.email)).toBeNull();
  });
});

describe('JIT-02 auto-add on with a free seat', () => {
  it('creates a passwordless account and a Member (JIT-10)', () => {
    const f = makeFixture();
    f.service.updateAuthMethod(f.team.id, f.ownerId, f.samlMethodId, { autoAddUsers: true });
    const member = f.service.admitByJit(f.team.id, f.samlMethodId, person);
    expect(member).toMatchObject({ role: 'Member', status: 'active', managedByScim: false });
    expect(member.account.hasPassword).toBe(false);
    // a second sign-in returns the same membership
    expect(f.service.admitByJit(f.team.id, f.samlMethodId, person).scimId).toBe(member.scimId);
  });
});

describe('JIT-03 auto-add on, no seat', () => {
  it('creates nothing', () => {
    const f = makeFixture({ seats: 1 });
    f.service.updateAuthMethod(f.team.id, f.ownerId, f.samlMethodId, { autoAddUsers: true });
    expect(errorCode(() => f.service.admitByJit(f.team.id, f.samlMethodId, person))).toBe(
      'no_seats_available',
    );
    expect(f.service.findAccountByEmail(person.email)).toBeNull();
  });
});

describe('JIT-04 invites', () => {
  it('a pending invite creates no member; accepting does; expired after 14 days', () => {
    const f = makeFixture();
    const { invite, token } = f.service.createInvite(f.team.id, f.ownerId, { email: person.email });
    expect(invite.status).toBe('pending');
    expect(Date.parse(invite.expiresAt) - f.clock.now.getTime()).toBe(14 * 24 * 3600 * 1000);
    const account = f.service.registerAccount(person).account;
    expect(errorCode(() => f.service.getMember(f.team.id, account.id))).toBe('not_found');
    const member = f.service.acceptInvite(token, account.id);
    expect(member).toMatchObject({ role: 'Member', status: 'active' });
    expect(f.service.listInvites(f.team.id)[0]?.status).toBe('accepted');
    expect(errorCode(() => f.service.acceptInvite(token, account.id))).toBe('invite_invalid');

    const late = f.service.createInvite(f.team.id, f.ownerId, { email: 'late@acme.example' });
    const lateAccount = f.service.registerAccount({
      email: 'late@acme.example',
      givenName: 'L',
      familyName: 'A',
    });
    f.clock.now = new Date(f.clock.now.getTime() + 14 * 24 * 3600 * 1000);
    expect(errorCode(() => f.service.acceptInvite(late.token, lateAccount.account.id))).toBe(
      'invite_invalid',
    );
  });

  it('an invite for another email cannot be used', () => {
    const f = makeFixture();
    const { token } = f.service.createInvite(f.team.id, f.ownerId, { email: 'invited@acme.example' });
    const other = f.service.registerAccount({ email: 'other@acme.example', givenName: 'O', familyName: 'T' });
    expect(errorCode(() => f.service.acceptInvite(token, other.account.id))).toBe('invite_invalid');
  });
});

describe('JIT-05 only admins change the auto-add setting', () => {
  it('refuses a Member and changes nothing', () => {
    const f = makeFixture();
    const m = f.service.addMember(f.team.id, f.ownerId, {
      email: 'm@acme.example',
      givenName: 'M',
      familyName: 'M',
      role: 'Member',
    });
    expect(
      errorCode(() =>
        f.service.updateAuthMethod(f.team.id, m.account.id, f.samlMethodId, { autoAddUsers: true }),
      ),
    ).toBe('forbidden');
    expect(f.service.getAuthMethod(f.team.id, f.samlMethodId).autoAddUsers).toBe(false);
  });
});

describe('JIT-06/07 linking with the existing password, reset tokens', () => {
  it('verifies the password, records the link, resets once within the hour', () => {
    const f = makeFixture();
    const { account } = f.service.registerAccount({ ...person, password: 'first-password' });
    expect(errorCode(() => f.service.verifyPassword(person.email, 'not-it-at-all'))).toBe(
      'invalid_credentials',
    );
    f.service.verifyPassword(person.email, 'first-password');
    f.service.recordAuditEvent({ type: 'sso.linked', teamId: f.team.id, accountId: account.id });
    expect(f.service.listAuditEvents({ accountId: account.id, type: 'sso.linked' })).toHaveLength(1);

    const reset = f.service.createPasswordResetToken(person.email);
    expect(reset).not.toBeNull();
    expect(f.service.createPasswordResetToken('nobody@acme.example')).toBeNull();
    f.service.resetPassword(reset?.token ?? '', 'second-password');
    expect(f.service.verifyPassword(person.email, 'second-password').id).toBe(account.id);
    expect(errorCode(() => f.service.resetPassword(reset?.token ?? '', 'third-password'))).toBe(
      'invalid_credentials',
    );

    const expiring = f.service.createPasswordResetToken(person.email);
    f.clock.now = new Date(f.clock.now.getTime() + 60 * 60 * 1000);
    expect(errorCode(() => f.service.resetPassword(expiring?.token ?? '', 'fourth-password'))).toBe(
      'invalid_credentials',
    );
  });

  it('stores the password as an scrypt hash', () => {
    const f = makeFixture();
    const { account } = f.service.registerAccount({ ...person, password: 'first-password' });
    expect(f.store.accounts.get(account.id)?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
  });
});

describe('sign-in facts', () => {
  it('reports account, membership and enabled methods', () => {
    const f = makeFixture();
    f.service.addAuthMethod(f.team.id, f.ownerId, { kind: 'password', label: 'Test' });
    const facts = f.service.getTeamSignInFacts(f.team.id, 'OWNER@acme.example');
    expect(facts.account?.id).toBe(f.ownerId);
    expect(facts.member?.status).toBe('active');
    expect(facts.passwordMethod?.label).toBe('Test');
    expect(facts.samlMethods.map((m) => m.id)).toEqual([f.samlMethodId]);
    expect(f.service.getTeamSignInFacts(f.team.id, 'none@acme.example').account).toBeNull();
  });
});

describe('ORG portal JIT', () => {
  it('ORG-02 creates firstname-lastname accounts without password, collisions get -2', () => {
    const f = makeFixture();
    const org = f.service.createOrganisation({ slug: 'portal', name: 'Portal' });
    expect(errorCode(() => f.service.admitByPortal(org.id, person))).toBe('jit_disabled');
    f.service.updatePortal(org.id, { jitEnabled: true, defaultPermission: 'contributor' });
    const first = f.service.admitByPortal(org.id, {
      email: 'a@x.example',
      givenName: 'Zoë',
      familyName: 'Ó Brien',
    });
    const second = f.service.admitByPortal(org.id, {
      email: 'b@x.example',
      givenName: 'zoe',
      familyName: 'o-brien',
    });
    expect(first.account.username).toBe('zoe-o-brien');
    expect(second.account.username).toBe('zoe-o-brien-2');
    expect(first.account.hasPassword).toBe(false);
    expect(f.service.getOrganisationMembership(org.id, first.account.id)?.permission).toBe('contributor');
  });

  it('ORG-05 an existing account that is not a member gets no membership', () => {
    const f = makeFixture();
    const org = f.service.createOrganisation({ slug: 'portal', name: 'Portal' });
    f.service.updatePortal(org.id, { jitEnabled: true });
    const admission = f.service.admitByPortal(org.id, {
      email: 'owner@acme.example',
      givenName: 'O',
      familyName: 'O',
    });
    expect(admission).toMatchObject({ created: false, membership: null });
    expect(f.service.getOrganisationMembership(org.id, f.ownerId)).toBeNull();
  });

  it('ORG-07 portal JIT is always on for private instances', () => {
    const f = makeFixture();
    const org = f.service.createOrganisation({ slug: 'private', name: 'P', privateInstance: true });
    expect(org.portal.jitEnabled).toBe(true);
    expect(errorCode(() => f.service.updatePortal(org.id, { jitEnabled: false }))).toBe('invalid_state');
    expect(f.service.getOrganisation(org.id).portal.jitEnabled).toBe(true);
  });

  it('ORG-08 one admission joins several organisations, each with its default permission', () => {
    const f = makeFixture();
    const one = f.service.createOrganisation({ slug: 'one', name: 'One' });
    const two = f.service.createOrganisation({ slug: 'two', name: 'Two' });
    f.service.updatePortal(one.id, { jitEnabled: true, defaultPermission: 'member' });
    f.service.updatePortal(two.id, { jitEnabled: true, defaultPermission: 'admin' });
    const admission = f.service.admitByPortalToOrganisations([one.id, two.id], person);
    expect(f.service.getOrganisationMembership(one.id, admission.account.id)?.permission).toBe('member');
    expect(f.service.getOrganisationMembership(two.id, admission.account.id)?.permission).toBe('admin');
  });
});
