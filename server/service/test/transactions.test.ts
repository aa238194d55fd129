// "No half-written state": an operation that fails midway leaves the store unchanged (issue #2, Store transactions).
// Also checks that the SQLite file store keeps state across a restart (npm start).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/index.ts';
import { createTeamService } from '../index.ts';
import { errorCode, makeFixture, scimUser } from './fixture.ts';

describe('no half-written state', () => {
  it('a SCIM create that fails on the seat check after creating the account leaves no account', () => {
    const f = makeFixture({ seats: 1 });
    expect(errorCode(() => f.service.createUser(f.team.id, scimUser('half@acme.example')))).toBe(
      'no_seats_available',
    );
    expect(f.store.accounts.getByEmail('half@acme.example')).toBeNull();
  });

  it('a deactivation whose later step throws rolls back the workspace hand-over and the status', () => {
    const f = makeFixture({ verifiedDomain: true });
    const user = f.service.createUser(f.team.id, scimUser('roll@acme.example'));
    const accountId = f.service.findAccountByEmail('roll@acme.example')?.id ?? '';
    const ws = f.service.createWorkspace(f.team.id, accountId, { name: 'ws', type: 'internal' });
    const before = f.service.listWorkspaces(f.team.id);
    // the email change is refused (unverified domain) only after names, hand-over would be computed: nothing stays
    expect(
      errorCode(() =>
        f.service.replaceUser(f.team.id, user.id, scimUser('roll@unverified.example', { active: false })),
      ),
    ).toBe('domain_not_verified');
    expect(f.service.listWorkspaces(f.team.id)).toEqual(before);
    expect(f.service.getUser(f.team.id, user.id)).toEqual(user);
    expect(ws.members).toEqual([{ kind: 'account', id: accountId, role: 'Admin' }]);
  });

  it('an exception thrown inside a store transaction undoes every write of it', () => {
    const f = makeFixture();
    const seatsBefore = f.service.getTeam(f.team.id).seats.used;
    expect(() =>
      f.store.transaction(() => {
        f.service.createUser(f.team.id, scimUser('inner@acme.example'));
        f.service.createGroup(f.team.id, { displayName: 'Inner', externalId: null, memberIds: [] });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(f.store.accounts.getByEmail('inner@acme.example')).toBeNull();
    expect(f.service.listGroups(f.team.id)).toEqual([]);
    expect(f.service.getTeam(f.team.id).seats.used).toBe(seatsBefore);
  });

  it('a failed nested call caught by its caller is undone, the outer work kept', () => {
    const f = makeFixture({ seats: 2 });
    f.store.transaction(() => {
      f.service.createUser(f.team.id, scimUser('kept@acme.example'));
      expect(errorCode(() => f.service.createUser(f.team.id, scimUser('dropped@acme.example')))).toBe(
        'no_seats_available',
      );
    });
    expect(f.store.accounts.getByEmail('kept@acme.example')).not.toBeNull();
    expect(f.store.accounts.getByEmail('dropped@acme.example')).toBeNull();
  });
});

describe('file store survives a restart', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reopens with the same team and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idsim-store-'));
    dirs.push(dir);
    const path = join(dir, 'idsim.db');
    const first = openSqliteStore({ path });
    const service = createTeamService(first);
    const { team, owner } = service.createTeam({
      name: 'Persist',
      plan: 'Enterprise',
      licensedSeats: 3,
      owner: { email: 'p@persist.example', givenName: 'P', familyName: 'S' },
    });
    service.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      saml: { idpEntityId: 'urn:p', idpSsoUrl: 'http://127.0.0.1/p', idpCertificates: [] },
    });
    service.setScimEnabled(team.id, owner.account.id, true);
    const { key } = service.generateScimKey(team.id, owner.account.id);
    first.close();
    const second = openSqliteStore({ path });
    const again = createTeamService(second);
    expect(again.authenticate(key)).toEqual({ teamId: team.id });
    expect(again.getTeam(team.id).seats.used).toBe(1);
    second.close();
  });
});
