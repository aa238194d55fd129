// Unit tests of the sign-in rules as plain functions, one describe per catalogue row (JIT, SSO, DEA, REM, ORG).
// The HTTP tests (team-sso, contexts, portal) check the same rows end to end with the simulator.
import { describe, expect, it } from 'vitest';
import {
  decidePasswordSignIn,
  decidePortalSignIn,
  decideTeamSso,
  type PortalFacts,
  portalEnabled,
  type TeamSsoFacts,
} from '../policy.ts';

const sso = (facts: Partial<TeamSsoFacts>): ReturnType<typeof decideTeamSso> =>
  decideTeamSso({
    methodEnabled: true,
    autoAddUsers: false,
    account: null,
    membership: null,
    hasInvite: false,
    foreignDomain: false,
    ...facts,
  });

const HOUR = 3_600_000;
const portal = (facts: Partial<PortalFacts>): ReturnType<typeof decidePortalSignIn> =>
  decidePortalSignIn({
    portalEnabled: true,
    account: { exists: true },
    organisationMember: true,
    authnAgeMs: HOUR,
    recentAuthMs: 8 * HOUR,
    answersForcedRequest: false,
    foreignDomain: false,
    ...facts,
  });

describe('JIT-01 unknown user, setting off', () => {
  it('is refused with jit_disabled', () => {
    expect(sso({ autoAddUsers: false })).toEqual({ kind: 'refuse', code: 'jit_disabled' });
  });
  it('an existing account that is not a member is refused too when it has no invite', () => {
    expect(sso({ account: { hasPassword: true } })).toEqual({ kind: 'refuse', code: 'jit_disabled' });
  });
});

describe('JIT-02 / JIT-09 setting on', () => {
  it('a new person is admitted by JIT (domain capture changes nothing here)', () => {
    expect(sso({ autoAddUsers: true })).toEqual({ kind: 'admit_by_jit' });
  });
});

describe('JIT-04 invites', () => {
  it('a new person with an invite accepts it by signing in', () => {
    expect(sso({ hasInvite: true })).toEqual({ kind: 'accept_invite_new_account' });
  });
});

describe('JIT-06 existing account', () => {
  it('with an invite must confirm its own password to link', () => {
    expect(sso({ hasInvite: true, account: { hasPassword: true } })).toEqual({
      kind: 'confirm_password_to_link',
      via: 'invite',
    });
  });
  it('with JIT on must also confirm its password (no silent takeover of an existing account)', () => {
    expect(sso({ autoAddUsers: true, account: { hasPassword: true } })).toEqual({
      kind: 'confirm_password_to_link',
      via: 'jit',
    });
  });
});

describe('members, DEA-01 and REM-02', () => {
  it('an active member signs in', () => {
    expect(sso({ membership: 'active', account: { hasPassword: false } })).toEqual({ kind: 'sign_in' });
  });
  it('a deactivated member is refused the team context even with JIT on', () => {
    expect(sso({ membership: 'deactivated', autoAddUsers: true })).toEqual({
      kind: 'refuse',
      code: 'not_a_member',
    });
  });
  it('a removed member is refused the team context even with JIT on', () => {
    expect(sso({ membership: 'removed', autoAddUsers: true })).toEqual({
      kind: 'refuse',
      code: 'not_a_member',
    });
  });
});

describe('SSO-05 method turned off', () => {
  it('refuses SSO through a disabled method', () => {
    expect(sso({ methodEnabled: false, membership: 'active' })).toEqual({
      kind: 'refuse',
      code: 'auth_method_disabled',
    });
  });
  it('members then sign in with passwords when the password method is on', () => {
    expect(
      decidePasswordSignIn({
        credentialsValid: true,
        team: { passwordMethodEnabled: true, membership: 'active' },
      }),
    ).toEqual({ kind: 'team' });
  });
});

describe('DEA-02 / REM-02 personal context', () => {
  it('a deactivated or removed member signs in to the personal context with a password', () => {
    expect(decidePasswordSignIn({ credentialsValid: true, team: null })).toEqual({ kind: 'personal' });
  });
  it('but not to the team context', () => {
    for (const membership of ['deactivated', 'removed'] as const) {
      expect(
        decidePasswordSignIn({ credentialsValid: true, team: { passwordMethodEnabled: true, membership } }),
      ).toEqual({ kind: 'refuse', code: 'not_a_member' });
    }
  });
  it('a wrong password is refused everywhere', () => {
    expect(decidePasswordSignIn({ credentialsValid: false, team: null })).toEqual({
      kind: 'refuse',
      code: 'invalid_credentials',
    });
  });
  it('SSO-03: team password sign-in needs the password method on', () => {
    expect(
      decidePasswordSignIn({
        credentialsValid: true,
        team: { passwordMethodEnabled: false, membership: 'active' },
      }),
    ).toEqual({ kind: 'refuse', code: 'password_signin_disabled' });
  });
});

describe('ORG-01 / ORG-07 portal availability', () => {
  it('portal is on with JIT, and always on for private instances', () => {
    expect(portalEnabled({ jitEnabled: true, privateInstance: false })).toBe(true);
    expect(portalEnabled({ jitEnabled: false, privateInstance: true })).toBe(true);
    expect(portalEnabled({ jitEnabled: false, privateInstance: false })).toBe(false);
    expect(portal({ portalEnabled: false })).toEqual({ kind: 'refuse', code: 'portal_disabled' });
  });
});

describe('ORG-02..05 portal sign-in', () => {
  it('ORG-02 no account: create it and join', () => {
    expect(portal({ account: { exists: false }, organisationMember: false })).toEqual({
      kind: 'create_account_and_join',
    });
  });
  it('ORG-03 member, recent IdP authentication: org home', () => {
    expect(portal({ authnAgeMs: 7.9 * HOUR })).toEqual({ kind: 'org_home' });
  });
  it('ORG-04 member, stale IdP session: ForceAuthn round trip, then org home', () => {
    expect(portal({ authnAgeMs: 8 * HOUR })).toEqual({ kind: 'force_reauthentication' });
    expect(portal({ authnAgeMs: 1000, answersForcedRequest: true })).toEqual({ kind: 'org_home' });
    expect(portal({ authnAgeMs: 9 * HOUR, answersForcedRequest: true })).toEqual({
      kind: 'refuse',
      code: 'reauthentication_required',
    });
  });
  it('ORG-05 account but not a member: personal home, whatever the session age', () => {
    expect(portal({ organisationMember: false, authnAgeMs: 10 * HOUR })).toEqual({ kind: 'personal_home' });
  });
});

describe("idsim #17 tenant isolation: an address in another organisation's verified domain", () => {
  it('is refused before any membership rule, even for an active member or an invite', () => {
    for (const facts of [
      { membership: 'active' as const },
      { hasInvite: true },
      { autoAddUsers: true },
      { autoAddUsers: true, account: { hasPassword: true } },
    ]) {
      expect(sso({ ...facts, foreignDomain: true })).toEqual({ kind: 'refuse', code: 'foreign_domain' });
    }
  });
  it('is refused at the portal, whether or not the account exists', () => {
    expect(portal({ foreignDomain: true })).toEqual({ kind: 'refuse', code: 'foreign_domain' });
    expect(portal({ foreignDomain: true, account: { exists: false } })).toEqual({
      kind: 'refuse',
      code: 'foreign_domain',
    });
  });
  it('a disabled method still answers auth_method_disabled first', () => {
    expect(sso({ methodEnabled: false, foreignDomain: true })).toEqual({
      kind: 'refuse',
      code: 'auth_method_disabled',
    });
  });
});
