// Unit tests of the pure domain rules: seats (PRV-09), scim keys (KEY-01/02/04), passwords, usernames (ORG-02),
// workspace access and hand-over plans (DEA-03..09, REM-01).
import { describe, expect, it } from 'vitest';
import type { AuthMethod, Team, Workspace, WorkspaceGrant } from './model.ts';
import { hashPassword, verifyPasswordHash } from './passwords.ts';
import { assertMayGenerateScimKey, countSsoMethods } from './scim-keys.ts';
import { seatAvailable } from './seats.ts';
import { digestSecret, digestsEqual } from './tokens.ts';
import { baseUsername, firstFreeUsername } from './usernames.ts';
import { effectiveWorkspaceRole, planDeactivation, planRemoval } from './workspaces.ts';

describe('PRV-09 seat arithmetic', () => {
  const seats = { licensedSeats: 2, usedSeats: 2, autoFlex: false, trueUp: false };
  it('is full at the licensed count unless Auto-Flex or True-up', () => {
    expect(seatAvailable(seats)).toBe(false);
    expect(seatAvailable({ ...seats, usedSeats: 1 })).toBe(true);
    expect(seatAvailable({ ...seats, autoFlex: true })).toBe(true);
    expect(seatAvailable({ ...seats, trueUp: true })).toBe(true);
  });
});

describe('KEY-01/02 key eligibility', () => {
  const team: Team = {
    id: 't',
    organisationId: 'o',
    name: 't',
    plan: 'Enterprise',
    licensedSeats: 1,
    usedSeats: 0,
    autoFlex: false,
    trueUp: false,
    scimEnabled: true,
  };
  const method = (kind: AuthMethod['kind']): AuthMethod => ({
    id: kind,
    teamId: 't',
    kind,
    label: kind,
    enabled: true,
    autoAddUsers: false,
    saml: null,
    oidc: null,
    createdAt: '',
  });
  it('counts SAML and OIDC methods, never email/password', () => {
    expect(countSsoMethods([method('password'), method('saml')])).toBe(1);
    expect(countSsoMethods([method('password'), method('oidc')])).toBe(1);
    expect(countSsoMethods([method('saml'), method('oidc')])).toBe(2);
    expect(() => assertMayGenerateScimKey(team, [method('saml'), method('oidc')])).toThrow(/exactly one/);
    expect(() => assertMayGenerateScimKey(team, [method('password'), method('saml')])).not.toThrow();
    expect(() => assertMayGenerateScimKey({ ...team, plan: 'Basic' }, [method('saml')])).toThrow(
      /Enterprise/,
    );
  });
});

describe('KEY-04 digests', () => {
  it('compares digests in constant time and rejects malformed input', () => {
    const digest = digestSecret('secret');
    expect(digestsEqual(digest, digestSecret('secret'))).toBe(true);
    expect(digestsEqual(digest, digestSecret('other'))).toBe(false);
    expect(digestsEqual(digest, 'zz')).toBe(false);
  });
});

describe('passwords (scrypt)', () => {
  it('verifies the right password only, with a random salt', () => {
    const first = hashPassword('a long password');
    expect(first).not.toBe(hashPassword('a long password'));
    expect(verifyPasswordHash('a long password', first)).toBe(true);
    expect(verifyPasswordHash('a long passwore', first)).toBe(false);
    expect(verifyPasswordHash('a long password', 'garbage')).toBe(false);
    expect(() => hashPassword('short')).toThrow();
  });
});

describe('ORG-02 usernames', () => {
  it('slugs names and numbers collisions', () => {
    expect(baseUsername('Jean-Luc', 'Picard')).toBe('jean-luc-picard');
    expect(baseUsername('', '')).toBe('user');
    const taken = new Set(['ann-lee', 'ann-lee-2']);
    expect(firstFreeUsername('ann-lee', (u) => taken.has(u))).toBe('ann-lee-3');
  });
});

describe('DEA/REM workspace plans', () => {
  const ws = (id: string, type: Workspace['type'], ownerId: string | null): Workspace => ({
    id,
    teamId: 't',
    name: id,
    type,
    ownerId,
    createdAt: '',
  });
  const grant = (workspaceId: string, memberId: string, role: WorkspaceGrant['role']): WorkspaceGrant => ({
    workspaceId,
    kind: 'account',
    memberId,
    role,
  });

  it('DEA-03..07: keeps own private, hands orphaned ones to the team, strips shared grants', () => {
    const entries = [
      { workspace: ws('own', 'private', 'u'), grants: [grant('own', 'u', 'Admin')] },
      {
        workspace: ws('int', 'internal', 'u'),
        grants: [grant('int', 'u', 'Admin'), grant('int', 'v', 'Viewer')],
      },
      {
        workspace: ws('shared', 'partner', 'x'),
        grants: [grant('shared', 'x', 'Admin'), grant('shared', 'u', 'Editor')],
      },
    ];
    const plan = planDeactivation('u', entries);
    expect(plan).toEqual([
      { workspaceId: 'int', removeAccountGrant: true, addTeamAdmin: true, newOwnerId: null },
      { workspaceId: 'shared', removeAccountGrant: true, addTeamAdmin: false },
    ]);
  });

  it('REM-01: everything owned goes to the hand-over admin', () => {
    const entries = [{ workspace: ws('own', 'private', 'u'), grants: [grant('own', 'u', 'Admin')] }];
    expect(planRemoval('u', 'admin', entries)).toEqual([
      {
        workspaceId: 'own',
        removeAccountGrant: true,
        addTeamAdmin: false,
        newOwnerId: 'admin',
        grantAdminTo: 'admin',
      },
    ]);
  });

  it('effective role: inactive gets nothing, public gives Viewer, team grant serves team admins', () => {
    const pub = ws('p', 'public', null);
    const grants: WorkspaceGrant[] = [{ workspaceId: 'p', kind: 'team', memberId: 't', role: 'Admin' }];
    const subject = (role: 'Member' | 'Admin' | 'Guest', status: 'active' | 'deactivated' = 'active') => ({
      accountId: 'a',
      membership: { role, status },
      groupIds: new Set<string>(),
    });
    expect(effectiveWorkspaceRole(pub, grants, subject('Member'))).toBe('Viewer');
    expect(effectiveWorkspaceRole(pub, grants, subject('Admin'))).toBe('Admin');
    expect(effectiveWorkspaceRole(pub, grants, subject('Guest'))).toBeNull();
    expect(effectiveWorkspaceRole(pub, grants, subject('Admin', 'deactivated'))).toBeNull();
  });
});
