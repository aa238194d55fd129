// Catalogue DEA-01..09 and REM-01..03: deactivation, reactivation and removal, checked on workspace access read back.
// Access rules are the decisions documented in server/domain/workspaces.ts.
import { describe, expect, it } from 'vitest';
import type { WorkspaceType } from '../../control/port.ts';
import { errorCode, type Fixture, makeFixture, scimUser } from './fixture.ts';

function addPerson(f: Fixture, email: string, role: 'Member' | 'Admin' = 'Member') {
  return f.service.addMember(f.team.id, f.ownerId, { email, givenName: 'G', familyName: 'F', role });
}

function roleOf(f: Fixture, accountId: string, workspaceId: string) {
  return f.service.getAccess(f.team.id, accountId).find((a) => a.workspaceId === workspaceId)?.role ?? null;
}

/** A SCIM-managed member who owns a workspace of the given type. */
function scimOwner(f: Fixture, email: string, type: WorkspaceType) {
  const user = f.service.createUser(f.team.id, scimUser(email));
  const account = f.service.findAccountByEmail(email);
  if (!account) throw new Error('account missing');
  const workspace = f.service.createWorkspace(f.team.id, account.id, { name: `${type} of ${email}`, type });
  return { user, accountId: account.id, workspace };
}

describe('DEA-01 SCIM deactivation', () => {
  it('frees the seat, blocks the team context, keeps the resource readable with active=false', () => {
    const f = makeFixture();
    const { user, accountId } = scimOwner(f, 'd@acme.example', 'private');
    const used = f.service.getTeam(f.team.id).seats.used;
    const after = f.service.replaceUser(f.team.id, user.id, scimUser('d@acme.example', { active: false }));
    expect(after.active).toBe(false);
    expect(f.service.getUser(f.team.id, user.id).active).toBe(false);
    expect(f.service.getTeam(f.team.id).seats.used).toBe(used - 1);
    expect(f.service.getMember(f.team.id, accountId).status).toBe('deactivated');
    expect(f.service.getAccess(f.team.id, accountId).every((a) => a.role === null)).toBe(true);
    expect(
      errorCode(() =>
        f.service.admitByJit(f.team.id, f.samlMethodId, {
          email: 'd@acme.example',
          givenName: 'D',
          familyName: 'E',
        }),
      ),
    ).toBe('not_a_member');
  });
});

describe('DEA-02 personal sign-in still works', () => {
  it('a deactivated user with a password still passes the password check', () => {
    const f = makeFixture({ verifiedDomain: true });
    f.service.registerAccount({
      email: 'pw@acme.example',
      givenName: 'P',
      familyName: 'W',
      password: 'correct-horse',
    });
    const user = f.service.createUser(f.team.id, scimUser('pw@acme.example'));
    f.service.replaceUser(f.team.id, user.id, scimUser('pw@acme.example', { active: false }));
    expect(f.service.verifyPassword('pw@acme.example', 'correct-horse').email).toBe('pw@acme.example');
    expect(errorCode(() => f.service.verifyPassword('pw@acme.example', 'wrong-horse'))).toBe(
      'invalid_credentials',
    );
  });
});

describe.each([
  ['DEA-03', 'internal'],
  ['DEA-04', 'public'],
  ['DEA-05', 'partner'],
] as const)('%s %s workspace whose only member is deactivated', (_id, type) => {
  it('stays the same type and the team becomes its admin', () => {
    const f = makeFixture();
    const { user, workspace } = scimOwner(f, `o-${type}@acme.example`, type);
    f.service.replaceUser(f.team.id, user.id, scimUser(`o-${type}@acme.example`, { active: false }));
    const after = f.service.listWorkspaces(f.team.id).find((w) => w.id === workspace.id);
    expect(after?.type).toBe(type);
    expect(after?.members).toEqual([{ kind: 'team', id: f.team.id, role: 'Admin' }]);
    // team admins now administer it
    expect(roleOf(f, f.ownerId, workspace.id)).toBe('Admin');
  });
});

describe('DEA-06 other members are not promoted', () => {
  it('Viewer and Editor keep their roles', () => {
    const f = makeFixture();
    const { user, workspace } = scimOwner(f, 'lead@acme.example', 'internal');
    const viewer = addPerson(f, 'v@acme.example');
    const editor = addPerson(f, 'e@acme.example');
    const leadId = f.service.findAccountByEmail('lead@acme.example')?.id ?? '';
    f.service.shareWorkspace(f.team.id, leadId, workspace.id, {
      kind: 'account',
      id: viewer.account.id,
      role: 'Viewer',
    });
    f.service.shareWorkspace(f.team.id, leadId, workspace.id, {
      kind: 'account',
      id: editor.account.id,
      role: 'Editor',
    });
    f.service.replaceUser(f.team.id, user.id, scimUser('lead@acme.example', { active: false }));
    expect(roleOf(f, viewer.account.id, workspace.id)).toBe('Viewer');
    expect(roleOf(f, editor.account.id, workspace.id)).toBe('Editor');
    const grants = f.service.listWorkspaces(f.team.id).find((w) => w.id === workspace.id)?.members ?? [];
    expect(grants).toContainEqual({ kind: 'team', id: f.team.id, role: 'Admin' });
  });
});

describe('DEA-07..09 reactivation', () => {
  it('DEA-07 regains own private workspaces', () => {
    const f = makeFixture();
    const { user, accountId, workspace } = scimOwner(f, 'own@acme.example', 'private');
    f.service.replaceUser(f.team.id, user.id, scimUser('own@acme.example', { active: false }));
    expect(roleOf(f, accountId, workspace.id)).toBeNull();
    f.service.replaceUser(f.team.id, user.id, scimUser('own@acme.example', { active: true }));
    expect(roleOf(f, accountId, workspace.id)).toBe('Admin');
  });

  it('DEA-08 shared private and partner workspaces give no access after reactivation', () => {
    const f = makeFixture();
    const shared = f.service.createWorkspace(f.team.id, f.ownerId, {
      name: 'shared private',
      type: 'private',
    });
    const partner = f.service.createWorkspace(f.team.id, f.ownerId, { name: 'partner', type: 'partner' });
    const user = f.service.createUser(f.team.id, scimUser('back@acme.example'));
    const accountId = f.service.findAccountByEmail('back@acme.example')?.id ?? '';
    f.service.shareWorkspace(f.team.id, f.ownerId, shared.id, {
      kind: 'account',
      id: accountId,
      role: 'Admin',
    });
    f.service.shareWorkspace(f.team.id, f.ownerId, partner.id, {
      kind: 'account',
      id: accountId,
      role: 'Editor',
    });
    expect(roleOf(f, accountId, shared.id)).toBe('Admin');
    f.service.replaceUser(f.team.id, user.id, scimUser('back@acme.example', { active: false }));
    f.service.replaceUser(f.team.id, user.id, scimUser('back@acme.example', { active: true }));
    expect(roleOf(f, accountId, shared.id)).toBeNull();
    expect(roleOf(f, accountId, partner.id)).toBeNull();
  });

  it('DEA-09 public and internal: the same access as any other member, not the former role', () => {
    const f = makeFixture();
    const pub = f.service.createWorkspace(f.team.id, f.ownerId, { name: 'pub', type: 'public' });
    const internal = f.service.createWorkspace(f.team.id, f.ownerId, { name: 'int', type: 'internal' });
    const other = addPerson(f, 'other@acme.example');
    const user = f.service.createUser(f.team.id, scimUser('was-admin@acme.example'));
    const accountId = f.service.findAccountByEmail('was-admin@acme.example')?.id ?? '';
    f.service.shareWorkspace(f.team.id, f.ownerId, pub.id, { kind: 'account', id: accountId, role: 'Admin' });
    f.service.shareWorkspace(f.team.id, f.ownerId, internal.id, {
      kind: 'account',
      id: accountId,
      role: 'Editor',
    });
    f.service.replaceUser(f.team.id, user.id, scimUser('was-admin@acme.example', { active: false }));
    f.service.replaceUser(f.team.id, user.id, scimUser('was-admin@acme.example', { active: true }));
    expect(roleOf(f, accountId, pub.id)).toBe(roleOf(f, other.account.id, pub.id));
    expect(roleOf(f, accountId, pub.id)).toBe('Viewer');
    expect(roleOf(f, accountId, internal.id)).toBe(roleOf(f, other.account.id, internal.id));
  });
});

describe('REM-01 removal needs a named hand-over admin', () => {
  it('is refused without a hand-over, then hands workspaces to the named admin', () => {
    const f = makeFixture();
    const member = addPerson(f, 'leaver@acme.example');
    const admin = addPerson(f, 'heir@acme.example', 'Admin');
    const own = f.service.createWorkspace(f.team.id, member.account.id, { name: 'mine', type: 'private' });
    expect(errorCode(() => f.service.removeMember(f.team.id, f.ownerId, member.account.id))).toBe(
      'handover_required',
    );
    expect(f.service.getMember(f.team.id, member.account.id).status).toBe('active');
    const other = addPerson(f, 'not-admin@acme.example');
    expect(
      errorCode(() => f.service.removeMember(f.team.id, f.ownerId, member.account.id, other.account.id)),
    ).toBe('invalid_value');
    f.service.removeMember(f.team.id, f.ownerId, member.account.id, admin.account.id);
    expect(roleOf(f, admin.account.id, own.id)).toBe('Admin');
    expect(f.service.getAccess(f.team.id, member.account.id).every((a) => a.role === null)).toBe(true);
  });
});

describe('REM-02 removed users cannot sign in to the team', () => {
  it('JIT refuses a removed user even with auto-add on; password sign-in still works', () => {
    const f = makeFixture();
    f.service.updateAuthMethod(f.team.id, f.ownerId, f.samlMethodId, { autoAddUsers: true });
    const member = f.service.addMember(f.team.id, f.ownerId, {
      email: 'gone@acme.example',
      givenName: 'G',
      familyName: 'O',
      password: 'gone-password',
      role: 'Member',
    });
    f.service.removeMember(f.team.id, f.ownerId, member.account.id);
    expect(
      errorCode(() =>
        f.service.admitByJit(f.team.id, f.samlMethodId, {
          email: 'gone@acme.example',
          givenName: 'G',
          familyName: 'O',
        }),
      ),
    ).toBe('not_a_member');
    expect(f.service.getTeamSignInFacts(f.team.id, 'gone@acme.example').removedFromTeam).toBe(true);
    expect(f.service.verifyPassword('gone@acme.example', 'gone-password').id).toBe(member.account.id);
  });
});

describe('REM-03 adding a removed user back restores no access', () => {
  it('former internal and private grants are gone', () => {
    const f = makeFixture();
    const internal = f.service.createWorkspace(f.team.id, f.ownerId, { name: 'int', type: 'internal' });
    const priv = f.service.createWorkspace(f.team.id, f.ownerId, { name: 'priv', type: 'private' });
    const member = addPerson(f, 'again@acme.example');
    f.service.shareWorkspace(f.team.id, f.ownerId, internal.id, {
      kind: 'account',
      id: member.account.id,
      role: 'Viewer',
    });
    f.service.shareWorkspace(f.team.id, f.ownerId, priv.id, {
      kind: 'account',
      id: member.account.id,
      role: 'Editor',
    });
    f.service.removeMember(f.team.id, f.ownerId, member.account.id, f.ownerId);
    const back = addPerson(f, 'again@acme.example');
    expect(back.account.id).toBe(member.account.id);
    expect(roleOf(f, member.account.id, internal.id)).toBeNull();
    expect(roleOf(f, member.account.id, priv.id)).toBeNull();
  });
});
