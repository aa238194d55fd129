// Catalogue GRP-01..06: SCIM groups (create, link, membership deltas, read back) and sharing workspaces with them.
// State is read back through getGroup/listGroups/getAccess; failures leave nothing stored (GRP-01).
import { describe, expect, it } from 'vitest';
import { parseScimFilter } from '../../../protocol/scim/filter.ts';
import { errorCode, makeFixture, scimUser } from './fixture.ts';

const query = { sortOrder: 'ascending' as const, startIndex: 1, count: 100 };

describe('GRP-01 members must be provisioned first', () => {
  it('fails naming the unknown ids and stores nothing', () => {
    const f = makeFixture();
    const known = f.service.createUser(f.team.id, scimUser('k@acme.example'));
    let details: unknown;
    try {
      f.service.createGroup(f.team.id, {
        displayName: 'Eng',
        externalId: null,
        memberIds: [known.id, 'ghost-1'],
      });
    } catch (error) {
      details = (error as { code: string; details: unknown }).details;
      expect((error as { code: string }).code).toBe('unknown_members');
    }
    expect(details).toEqual({ unknownIds: ['ghost-1'] });
    expect(f.service.listGroups(f.team.id, query).totalResults).toBe(0);
  });

  it('a PATCH adding an unknown member changes nothing', () => {
    const f = makeFixture();
    const group = f.service.createGroup(f.team.id, { displayName: 'Eng', externalId: null, memberIds: [] });
    expect(
      errorCode(() =>
        f.service.patchGroupMembers(f.team.id, group.id, {
          add: ['ghost'],
          remove: [],
          displayName: 'Renamed',
        }),
      ),
    ).toBe('unknown_members');
    expect(f.service.getGroup(f.team.id, group.id)).toMatchObject({
      displayName: 'Eng',
      version: 1,
      members: [],
    });
  });
});

describe('GRP-02 create pushes a new group with its membership', () => {
  it('stores the members with their display', () => {
    const f = makeFixture();
    const a = f.service.createUser(f.team.id, scimUser('a@acme.example'));
    const group = f.service.createGroup(f.team.id, {
      displayName: 'Sales',
      externalId: 'okta-g',
      memberIds: [a.id],
    });
    expect(f.service.getGroup(f.team.id, group.id).members).toEqual([
      { value: a.id, display: 'a@acme.example' },
    ]);
    expect(
      errorCode(() =>
        f.service.createGroup(f.team.id, { displayName: 'sales', externalId: null, memberIds: [] }),
      ),
    ).toBe('uniqueness');
  });
});

describe('GRP-03 link joins an existing empty team group and renames it', () => {
  it('links an empty group, refuses a group with members', () => {
    const f = makeFixture();
    const empty = f.service.createGroup(f.team.id, f.ownerId, { displayName: 'Team made' });
    const full = f.service.createGroup(f.team.id, f.ownerId, { displayName: 'Has people' });
    const member = f.service.createUser(f.team.id, scimUser('p@acme.example'));
    // the team put someone in "Has people" by hand (through a SCIM write before it was linked is impossible)
    f.store.groups.addMembers(full.id, [member.id]);
    const linked = f.service.patchGroupMembers(f.team.id, empty.id, {
      add: [member.id],
      remove: [],
      displayName: 'IdP Group',
    });
    expect(linked).toMatchObject({ id: empty.id, displayName: 'IdP Group' });
    expect(
      errorCode(() =>
        f.service.replaceGroup(f.team.id, full.id, { displayName: 'X', externalId: null, memberIds: [] }),
      ),
    ).toBe('group_not_empty');
    expect(f.service.getGroup(f.team.id, full.id).displayName).toBe('Has people');
  });
});

describe('GRP-04 membership changes reach the team at once', () => {
  it('adds and removes members, bumping the version', () => {
    const f = makeFixture();
    const a = f.service.createUser(f.team.id, scimUser('a@acme.example'));
    const b = f.service.createUser(f.team.id, scimUser('b@acme.example'));
    const group = f.service.createGroup(f.team.id, { displayName: 'G', externalId: null, memberIds: [a.id] });
    const after = f.service.patchGroupMembers(
      f.team.id,
      group.id,
      { add: [b.id], remove: [a.id] },
      group.version,
    );
    expect(after.members.map((m) => m.value)).toEqual([b.id]);
    expect(after.version).toBe(group.version + 1);
    expect(
      errorCode(() => f.service.patchGroupMembers(f.team.id, group.id, { add: [], remove: [] }, 1)),
    ).toBe('version_mismatch');
    const replaced = f.service.replaceGroup(f.team.id, group.id, {
      displayName: 'G2',
      externalId: null,
      memberIds: [a.id],
    });
    expect(replaced.members.map((m) => m.value)).toEqual([a.id]);
    f.service.deleteUser(f.team.id, a.id);
    expect(f.service.getGroup(f.team.id, group.id).members).toEqual([]);
  });
});

describe('GRP-05 members invite a pushed group to their workspaces', () => {
  it('a workspace admin shares with a group and its members get the role', () => {
    const f = makeFixture();
    const lead = f.service.addMember(f.team.id, f.ownerId, {
      email: 'lead@acme.example',
      givenName: 'L',
      familyName: 'D',
      role: 'Member',
    });
    const u = f.service.createUser(f.team.id, scimUser('u@acme.example'));
    const uAccount = f.service.findAccountByEmail('u@acme.example')?.id ?? '';
    const group = f.service.createGroup(f.team.id, {
      displayName: 'Pushed',
      externalId: null,
      memberIds: [u.id],
    });
    const ws = f.service.createWorkspace(f.team.id, lead.account.id, { name: 'Board', type: 'private' });
    expect(f.service.getAccess(f.team.id, uAccount).find((a) => a.workspaceId === ws.id)?.role).toBeNull();
    f.service.shareWorkspace(f.team.id, lead.account.id, ws.id, {
      kind: 'group',
      id: group.id,
      role: 'Editor',
    });
    expect(f.service.getAccess(f.team.id, uAccount).find((a) => a.workspaceId === ws.id)?.role).toBe(
      'Editor',
    );
    // not a workspace admin: refused
    expect(
      errorCode(() =>
        f.service.shareWorkspace(f.team.id, uAccount, ws.id, { kind: 'group', id: group.id, role: 'Admin' }),
      ),
    ).toBe('forbidden');
  });
});

describe('GRP-06 groups can be read back', () => {
  it('lists and filters groups by displayName and member', () => {
    const f = makeFixture();
    const a = f.service.createUser(f.team.id, scimUser('a@acme.example'));
    f.service.createGroup(f.team.id, { displayName: 'Alpha', externalId: null, memberIds: [a.id] });
    f.service.createGroup(f.team.id, { displayName: 'Beta', externalId: null, memberIds: [] });
    expect(f.service.listGroups(f.team.id, query).totalResults).toBe(2);
    const byName = f.service.listGroups(f.team.id, {
      ...query,
      filter: parseScimFilter('displayName eq "alpha"'),
    });
    expect(byName.resources.map((g) => g.displayName)).toEqual(['Alpha']);
    const byMember = f.service.listGroups(f.team.id, {
      ...query,
      filter: parseScimFilter(`members[value eq "${a.id}"]`),
    });
    expect(byMember.resources.map((g) => g.displayName)).toEqual(['Alpha']);
    expect(
      f.service
        .listGroups(f.team.id)
        .map((g) => g.displayName)
        .sort(),
    ).toEqual(['Alpha', 'Beta']);
  });
});
