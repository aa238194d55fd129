// One contract test body run over every Store implementation (SQLite :memory: and SQLite file in a temp dir).
// Checks migrations, seat counting, case-insensitive lookups, SCIM filter paging, transactions and bulk insert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScimFilter } from '../../protocol/scim/filter.ts';
import type { Account, Membership, Team } from '../domain/model.ts';
import { openSqliteStore } from './index.ts';
import type { Store } from './store.ts';

interface StoreFactory {
  open(): Store;
  cleanup(): void;
}

function memoryFactory(): StoreFactory {
  return { open: () => openSqliteStore({ path: ':memory:' }), cleanup: () => {} };
}

function fileFactory(): StoreFactory {
  const dir = mkdtempSync(join(tmpdir(), 'idsim-contract-'));
  return {
    open: () => openSqliteStore({ path: join(dir, 'store.db') }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const NOW = '2026-11-25T12:00:00.000Z';

function team(id: string, organisationId: string): Team {
  return {
    id,
    organisationId,
    name: id,
    plan: 'Enterprise',
    licensedSeats: 10,
    usedSeats: 0,
    autoFlex: false,
    trueUp: false,
    scimEnabled: true,
  };
}

function account(id: string, email: string): Account {
  return { id, email, givenName: 'G', familyName: id, username: null, passwordHash: null, createdAt: NOW };
}

function membership(id: string, teamId: string, accountId: string, createdAt = NOW): Membership {
  return {
    id,
    teamId,
    accountId,
    role: 'Member',
    status: 'active',
    managedByScim: true,
    externalId: `ext-${id}`,
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
}

describe.each([
  ['sqlite :memory:', memoryFactory],
  ['sqlite file', fileFactory],
])('Store contract: %s', (_name, makeFactory) => {
  let factory: StoreFactory;
  let store: Store;

  beforeEach(() => {
    factory = makeFactory();
    store = factory.open();
    store.organisations.insert({
      id: 'org',
      slug: 'org',
      name: 'Org',
      portalJitEnabled: false,
      privateInstance: false,
      defaultPermission: 'member',
      recentAuthHours: 8,
      portalAuthMethodId: null,
    });
    store.teams.insert(team('t1', 'org'));
  });

  afterEach(() => {
    store.close();
    factory.cleanup();
  });

  it('counts active memberships as used seats', () => {
    store.accounts.insert(account('a1', 'a1@x.example'));
    store.accounts.insert(account('a2', 'a2@x.example'));
    store.memberships.insert(membership('m1', 't1', 'a1'));
    store.memberships.insert({ ...membership('m2', 't1', 'a2'), status: 'deactivated' });
    expect(store.teams.get('t1')?.usedSeats).toBe(1);
    const m2 = store.memberships.get('m2');
    if (m2) store.memberships.update({ ...m2, status: 'active' });
    expect(store.teams.get('t1')?.usedSeats).toBe(2);
    store.memberships.delete('m1');
    expect(store.teams.get('t1')?.usedSeats).toBe(1);
  });

  it('looks emails up case-insensitively and keeps them unique', () => {
    store.accounts.insert(account('a1', 'Mixed@X.example'));
    expect(store.accounts.getByEmail('mixed@x.EXAMPLE')?.id).toBe('a1');
    expect(() => store.accounts.insert(account('a2', 'MIXED@x.example'))).toThrow();
  });

  it('pages SCIM users through compiled filters with a stable order', () => {
    for (let i = 0; i < 5; i += 1) {
      store.accounts.insert(account(`a${i}`, `user${i}@x.example`));
      store.memberships.insert(membership(`m${i}`, 't1', `a${i}`, `2026-11-25T12:00:0${i}.000Z`));
    }
    const all = store.memberships.listMemberRows('t1', { sortOrder: 'ascending', startIndex: 2, count: 2 });
    expect(all.totalResults).toBe(5);
    expect(all.items.map((row) => row.membership.id)).toEqual(['m1', 'm2']);
    const one = store.memberships.listMemberRows('t1', {
      filter: parseScimFilter('userName eq "USER3@x.example"'),
      sortOrder: 'ascending',
      startIndex: 1,
      count: 10,
    });
    expect(one.items.map((row) => row.account.email)).toEqual(['user3@x.example']);
    const byExternal = store.memberships.findByExternalId('t1', 'EXT-M4');
    expect(byExternal?.id).toBe('m4');
  });

  it('reports totalResults for full, partial, past-the-end and count=0 pages', () => {
    for (let i = 0; i < 5; i += 1) {
      store.accounts.insert(account(`a${i}`, `user${i}@x.example`));
      store.memberships.insert(membership(`m${i}`, 't1', `a${i}`, `2026-11-25T12:00:0${i}.000Z`));
    }
    const page = (startIndex: number, count: number) =>
      store.memberships.listMemberRows('t1', { sortOrder: 'ascending', startIndex, count });
    expect([page(1, 10).totalResults, page(1, 10).items.length]).toEqual([5, 5]);
    expect([page(1, 5).totalResults, page(1, 5).items.length]).toEqual([5, 5]);
    expect([page(1, 3).totalResults, page(1, 3).items.length]).toEqual([5, 3]);
    expect([page(4, 10).totalResults, page(4, 10).items.length]).toEqual([5, 2]);
    expect([page(9, 10).totalResults, page(9, 10).items.length]).toEqual([5, 0]);
    expect([page(1, 0).totalResults, page(1, 0).items.length]).toEqual([5, 0]);
  });

  it('a userName eq page (at most one row) still reports totalResults on any page', () => {
    store.accounts.insert(account('u1', 'one@x.example'));
    store.memberships.insert(membership('mu1', 't1', 'u1'));
    const page = (startIndex: number, count: number) =>
      store.memberships.listMemberRows('t1', {
        filter: parseScimFilter('userName eq "ONE@x.example"'),
        sortOrder: 'ascending',
        startIndex,
        count,
      });
    expect([page(1, 1).totalResults, page(1, 1).items.length]).toEqual([1, 1]);
    expect([page(1, 100).totalResults, page(1, 100).items.length]).toEqual([1, 1]);
    expect([page(2, 1).totalResults, page(2, 1).items.length]).toEqual([1, 0]);
    expect([page(1, 0).totalResults, page(1, 0).items.length]).toEqual([1, 0]);
  });

  it('rolls a failed transaction back and commits a successful one', () => {
    expect(() =>
      store.transaction(() => {
        store.accounts.insert(account('a1', 'tx@x.example'));
        throw new Error('fail');
      }),
    ).toThrow('fail');
    expect(store.accounts.get('a1')).toBeNull();
    store.transaction(() => store.accounts.insert(account('a1', 'tx@x.example')));
    expect(store.accounts.get('a1')?.email).toBe('tx@x.example');
  });

  it('a scratch transaction undoes every write of many transactions, and only those (openScratch)', () => {
    store.accounts.insert(account('kept', 'kept@x.example'));
    const scratch = store.openScratch();
    expect(() => store.openScratch()).toThrow();
    store.transaction(() => store.accounts.insert(account('s1', 's1@x.example')));
    expect(() =>
      store.transaction(() => {
        store.accounts.insert(account('s2', 's2@x.example'));
        throw new Error('fail');
      }),
    ).toThrow('fail');
    store.memberships.insert(membership('sm1', 't1', 's1'));
    expect(store.accounts.get('s1')?.email).toBe('s1@x.example');
    expect(store.accounts.get('s2')).toBeNull();
    expect(store.teams.get('t1')?.usedSeats).toBe(1);
    const before = store.changeCount();
    scratch.discard();
    scratch.discard();
    expect(scratch.open).toBe(false);
    expect(store.changeCount()).not.toBe(before);
    expect(store.accounts.get('s1')).toBeNull();
    expect(store.teams.get('t1')?.usedSeats).toBe(0);
    expect(store.accounts.get('kept')?.email).toBe('kept@x.example');
    store.transaction(() => store.accounts.insert(account('after', 'after@x.example')));
    expect(store.accounts.get('after')).not.toBeNull();
  });

  it('changeCount moves on every insert, update, delete and bulk insert, and not on reads', () => {
    const counts: number[] = [store.changeCount()];
    const mark = () => counts.push(store.changeCount());
    store.accounts.insert(account('c1', 'count@x.example'));
    mark();
    store.memberships.insert(membership('cm1', 't1', 'c1'));
    mark();
    const row = store.memberships.getMemberRow('t1', 'cm1');
    store.memberships.listMemberRows('t1', { sortOrder: 'ascending', startIndex: 1, count: 10 });
    expect(store.changeCount()).toBe(counts.at(-1));
    if (row === null) throw new Error('member row missing');
    store.memberships.update({ ...row.membership, role: 'Admin' });
    mark();
    store.memberships.delete('cm1');
    mark();
    store.insertMembersBulk([
      { account: account('c2', 'count2@x.example'), membership: membership('cm2', 't1', 'c2') },
    ]);
    mark();
    expect(new Set(counts).size).toBe(counts.length);
  });

  it('bulk-inserts members in one go', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      account: account(`b${i}`, `bulk${i}@x.example`),
      membership: membership(`bm${i}`, 't1', `b${i}`),
    }));
    store.insertMembersBulk(rows);
    expect(store.teams.get('t1')?.usedSeats).toBe(1000);
    expect(store.memberships.existingIds('t1', ['bm0', 'bm999', 'nope'])).toEqual(new Set(['bm0', 'bm999']));
  });

  it('keeps group members and removes them with the membership', () => {
    store.accounts.insert(account('a1', 'g@x.example'));
    store.memberships.insert(membership('m1', 't1', 'a1'));
    store.groups.insert({
      id: 'g1',
      teamId: 't1',
      displayName: 'Group',
      externalId: null,
      managedByScim: true,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
    store.groups.addMembers('g1', ['m1', 'm1']);
    expect(store.groups.members('g1')).toEqual([
      { membershipId: 'm1', accountId: 'a1', display: 'g@x.example' },
    ]);
    expect(store.groups.getByDisplayName('t1', 'GROUP')?.id).toBe('g1');
    store.memberships.delete('m1');
    expect(store.groups.countMembers('g1')).toBe(0);
  });

  it('SAML state: an assertion ID is consumed once until it expires, and sweeping deletes only expired ones', () => {
    const writes = store.changeCount();
    expect(store.usedAssertions.consume('idp\u0000_a', 2_000, 1_000)).toBe(true);
    expect(store.usedAssertions.consume('idp\u0000_a', 3_000, 1_500)).toBe(false);
    expect(store.usedAssertions.consume('idp\u0000_b', 1_200, 1_000)).toBe(true);
    expect(store.usedAssertions.countLive(1_100)).toBe(2);
    // expired: the same ID may be recorded again (it can no longer pass the time checks anyway)
    expect(store.usedAssertions.consume('idp\u0000_a', 9_000, 2_000)).toBe(true);
    store.usedAssertions.sweep(1_300);
    expect(store.usedAssertions.countLive(0)).toBe(1);
    // SP state is not team data: read caches keyed on changeCount() stay valid
    expect(store.changeCount()).toBe(writes);
  });

  it('SAML state: pending requests by kind, hidden once expired, deleted once answered', () => {
    const row = {
      kind: 'authn' as const,
      requestId: '_r1',
      methodId: 'm1',
      createdAtMs: 1_000,
      expiresAtMs: 5_000,
      context: { purpose: 'team', inviteToken: 't' },
    };
    store.pendingSamlRequests.put(row);
    expect(store.pendingSamlRequests.get('authn', '_r1', 4_999)).toEqual(row);
    expect(store.pendingSamlRequests.get('logout', '_r1', 4_999)).toBeNull();
    expect(store.pendingSamlRequests.get('authn', '_r1', 5_000)).toBeNull();
    store.pendingSamlRequests.delete('authn', '_r1');
    expect(store.pendingSamlRequests.get('authn', '_r1', 2_000)).toBeNull();
    store.pendingSamlRequests.put({ ...row, requestId: '_r2' });
    store.pendingSamlRequests.sweep(6_000);
    expect(store.pendingSamlRequests.get('authn', '_r2', 0)).toBeNull();
  });

  it('SAML state: session revocations per principal with expiry; a server secret is created once', () => {
    const base = { methodId: 'm1', nameId: 'kim@x.example', revokedAtMs: 1_000, expiresAtMs: 9_000 };
    store.sessionRevocations.insert({ ...base, sessionIndex: '_s1' });
    store.sessionRevocations.insert({ ...base, sessionIndex: null, expiresAtMs: 2_000 });
    expect(store.sessionRevocations.listLive('m1', 'kim@x.example', 1_500)).toHaveLength(2);
    expect(store.sessionRevocations.listLive('m1', 'kim@x.example', 2_000)).toEqual([
      { ...base, sessionIndex: '_s1' },
    ]);
    expect(store.sessionRevocations.listLive('m2', 'kim@x.example', 0)).toEqual([]);
    expect(store.sessionRevocations.countLivePrincipals(1_500)).toBe(1);
    store.sessionRevocations.sweep(10_000);
    expect(store.sessionRevocations.countLivePrincipals(0)).toBe(0);
    const first = store.serverSecrets.getOrCreate('k', () => Buffer.alloc(32, 1));
    const second = store.serverSecrets.getOrCreate('k', () => Buffer.alloc(32, 2));
    expect(first.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(second.equals(first)).toBe(true);
  });
});
