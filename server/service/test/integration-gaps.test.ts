// The service lookups and actions of idsim issues #2, #3 and #5: auth-method lookups for the ACS and the portal
// (ORG-01), GRP-03 hand-made group members, known SCIM keys (KEY-01..04), atomic invite acceptance (JIT-04), outbox.
import { describe, expect, it } from 'vitest';
import { errorCode, makeFixture } from './fixture.ts';

const KNOWN_KEY = 'known-key-0123456789abcdefghijklmnopqrstuvwxyz';

describe('auth-method lookups (the ACS names only the method)', () => {
  it('findAuthMethod finds a method of any team by id, and null for an unknown id', () => {
    const f = makeFixture();
    expect(f.service.findAuthMethod(f.samlMethodId)).toMatchObject({ id: f.samlMethodId, teamId: f.team.id });
    expect(f.service.findAuthMethod('no-such-method')).toBeNull();
  });
});

describe('ORG-01 the portal SSO method', () => {
  it('is set through updatePortal, read back in the view and by findPortalAuthMethod, and can be cleared', () => {
    const f = makeFixture();
    expect(f.service.findPortalAuthMethod(f.organisationId)).toBeNull();
    const set = f.service.updatePortal(f.organisationId, { jitEnabled: true, authMethodId: f.samlMethodId });
    expect(set.portal.authMethodId).toBe(f.samlMethodId);
    expect(f.service.getOrganisation(f.organisationId).portal.authMethodId).toBe(f.samlMethodId);
    expect(f.service.findPortalAuthMethod(f.organisationId)?.id).toBe(f.samlMethodId);
    // another patch leaves it in place
    f.service.updatePortal(f.organisationId, { recentAuthHours: 4 });
    expect(f.service.findPortalAuthMethod(f.organisationId)?.id).toBe(f.samlMethodId);
    f.service.updatePortal(f.organisationId, { authMethodId: null });
    expect(f.service.findPortalAuthMethod(f.organisationId)).toBeNull();
    expect(f.service.getOrganisation(f.organisationId).portal.authMethodId).toBeNull();
  });

  it('refuses a password method, an unknown one and one of another organisation, changing nothing', () => {
    const f = makeFixture();
    const password = f.service.addAuthMethod(f.team.id, f.ownerId, { kind: 'password' });
    const other = f.service.createTeam({
      name: 'Elsewhere',
      plan: 'Enterprise',
      licensedSeats: 2,
      owner: { email: 'else@else.example', givenName: 'E', familyName: 'L' },
    });
    const foreign = f.service.addAuthMethod(other.team.id, other.owner.account.id, {
      kind: 'saml',
      saml: { idpEntityId: 'urn:x', idpSsoUrl: 'http://127.0.0.1/sso', idpCertificates: [] },
    });
    for (const authMethodId of [password.id, 'missing', foreign.id]) {
      expect(
        errorCode(() => f.service.updatePortal(f.organisationId, { jitEnabled: true, authMethodId })),
      ).toBe('invalid_value');
    }
    expect(f.service.getOrganisation(f.organisationId).portal).toMatchObject({
      jitEnabled: false,
      authMethodId: null,
    });
  });

  it('drops the setting when the method is removed', () => {
    const f = makeFixture();
    f.service.updatePortal(f.organisationId, { authMethodId: f.samlMethodId });
    f.service.removeAuthMethod(f.team.id, f.ownerId, f.samlMethodId);
    expect(f.service.findPortalAuthMethod(f.organisationId)).toBeNull();
  });
});

describe('GRP-03 members of a hand-made team group', () => {
  it('an admin adds active members; the group can then no longer be linked by SCIM', () => {
    const f = makeFixture();
    const ana = f.service.addMember(f.team.id, f.ownerId, {
      email: 'ana@acme.example',
      givenName: 'Ana',
      familyName: 'A',
      role: 'Member',
    });
    const group = f.service.createGroup(f.team.id, f.ownerId, { displayName: 'Product design' });
    const filled = f.service.addGroupMembers(f.team.id, f.ownerId, group.id, [
      ana.account.id,
      ana.account.id,
    ]);
    expect(filled.memberIds).toEqual([ana.account.id]);
    expect(
      errorCode(() =>
        f.service.patchGroupMembers(f.team.id, group.id, { add: [], remove: [], displayName: 'Designers' }),
      ),
    ).toBe('group_not_empty');
  });

  it('refuses non-admins, unknown accounts and SCIM-managed groups, adding nobody', () => {
    const f = makeFixture();
    const ana = f.service.addMember(f.team.id, f.ownerId, {
      email: 'ana@acme.example',
      givenName: 'Ana',
      familyName: 'A',
      role: 'Member',
    });
    const group = f.service.createGroup(f.team.id, f.ownerId, { displayName: 'Design' });
    expect(
      errorCode(() => f.service.addGroupMembers(f.team.id, ana.account.id, group.id, [ana.account.id])),
    ).toBe('forbidden');
    expect(
      errorCode(() => f.service.addGroupMembers(f.team.id, f.ownerId, group.id, [ana.account.id, 'nobody'])),
    ).toBe('invalid_value');
    expect(f.service.listGroups(f.team.id)[0]?.memberIds).toEqual([]);
    const pushed = f.service.createGroup(f.team.id, {
      displayName: 'Pushed',
      externalId: null,
      memberIds: [],
    });
    expect(
      errorCode(() => f.service.addGroupMembers(f.team.id, f.ownerId, pushed.id, [ana.account.id])),
    ).toBe('managed_by_scim');
  });
});

describe('importScimKey: a known SCIM key (idsim issue #2)', () => {
  it('stores the digest of the chosen key, which then authenticates (KEY-04); a repeat import is a no-op', () => {
    const f = makeFixture();
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    const apiKey = f.service.importScimKey(f.team.id, f.ownerId, KNOWN_KEY);
    expect(apiKey.status).toBe('ACTIVE');
    expect(KNOWN_KEY.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThanOrEqual(KNOWN_KEY.length / 4);
    expect(f.service.authenticate(KNOWN_KEY)).toEqual({ teamId: f.team.id });
    expect(f.service.importScimKey(f.team.id, f.ownerId, KNOWN_KEY).id).toBe(apiKey.id);
    expect(f.service.listScimKeys(f.team.id)).toHaveLength(1);
    f.service.revokeScimKey(f.team.id, f.ownerId, apiKey.id);
    expect(errorCode(() => f.service.importScimKey(f.team.id, f.ownerId, KNOWN_KEY))).toBe('uniqueness');
  });

  it('keeps KEY-01..03: Enterprise only, exactly one SSO method, admins only', () => {
    expect(
      errorCode(() => makeFixture({ plan: 'Professional' }).service.importScimKey('x', 'y', KNOWN_KEY)),
    ).toBe('not_found');
    const pro = makeFixture({ plan: 'Professional' });
    expect(errorCode(() => pro.service.importScimKey(pro.team.id, pro.ownerId, KNOWN_KEY))).toBe(
      'plan_not_eligible',
    );
    const none = makeFixture({ saml: false });
    expect(errorCode(() => none.service.importScimKey(none.team.id, none.ownerId, KNOWN_KEY))).toBe(
      'sso_method_count',
    );
    const f = makeFixture();
    const member = f.service.addMember(f.team.id, f.ownerId, {
      email: 'm@acme.example',
      givenName: 'M',
      familyName: 'M',
      role: 'Member',
    });
    expect(errorCode(() => f.service.importScimKey(f.team.id, member.account.id, KNOWN_KEY))).toBe(
      'forbidden',
    );
    expect(f.service.listScimKeys(f.team.id)).toEqual([]);
  });

  it.each([
    ['too short', 'abc123'],
    ['too predictable', 'ab'.repeat(40)],
    ['not bearer-token characters', `${KNOWN_KEY} with spaces`],
  ])('refuses a key that is %s', (_why, key) => {
    const f = makeFixture();
    expect(errorCode(() => f.service.importScimKey(f.team.id, f.ownerId, key))).toBe('invalid_value');
    expect(f.service.listScimKeys(f.team.id)).toEqual([]);
  });
});

describe('JIT-04 acceptInviteAsNewAccount is one transaction', () => {
  it('creates the passwordless account and the invited membership', () => {
    const f = makeFixture();
    const { token } = f.service.createInvite(f.team.id, f.ownerId, {
      email: 'zoe@acme.example',
      role: 'Admin',
    });
    const member = f.service.acceptInviteAsNewAccount(token, {
      email: 'zoe@acme.example',
      givenName: 'Zoe',
      familyName: 'Quinn',
    });
    expect(member).toMatchObject({ role: 'Admin', status: 'active', account: { hasPassword: false } });
    expect(f.service.listInvites(f.team.id)[0]?.status).toBe('accepted');
  });

  it('leaves no account behind when the invite is for another email, used or expired', () => {
    const f = makeFixture();
    const { token } = f.service.createInvite(f.team.id, f.ownerId, { email: 'zoe@acme.example' });
    const person = { email: 'yan@acme.example', givenName: 'Yan', familyName: 'Y' };
    expect(errorCode(() => f.service.acceptInviteAsNewAccount(token, person))).toBe('invite_invalid');
    expect(f.service.findAccountByEmail('yan@acme.example')).toBeNull();
    f.clock.now = new Date(f.clock.now.getTime() + 15 * 24 * 3_600_000);
    const zoe = { email: 'zoe@acme.example', givenName: 'Zoe', familyName: 'Q' };
    expect(errorCode(() => f.service.acceptInviteAsNewAccount(token, zoe))).toBe('invite_invalid');
    expect(f.service.findAccountByEmail('zoe@acme.example')).toBeNull();
  });
});

describe('JIT-07 the outbox', () => {
  it('keeps sent reset messages per recipient, case-insensitively, oldest first', () => {
    const f = makeFixture();
    f.service.outbox.send({
      email: 'Zoe@Acme.example',
      token: 't1',
      link: 'http://x/r?token=t1',
      expiresAt: 'e',
    });
    f.service.outbox.send({
      email: 'yan@acme.example',
      token: 't2',
      link: 'http://x/r?token=t2',
      expiresAt: 'e',
    });
    f.service.outbox.send({
      email: 'zoe@acme.example',
      token: 't3',
      link: 'http://x/r?token=t3',
      expiresAt: 'e',
    });
    expect(f.service.listOutbox('ZOE@acme.example').map((m) => m.token)).toEqual(['t1', 't3']);
    expect(f.service.listOutbox()).toHaveLength(3);
    expect(f.service.listOutbox('zoe@acme.example')[0]).toMatchObject({
      to: 'zoe@acme.example',
      kind: 'password_reset',
      sentAt: f.clock.now.toISOString(),
    });
  });
});
