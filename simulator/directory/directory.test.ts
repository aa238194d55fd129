// Directory behaviour: repeatable faker seeding, assignment directly or through groups (JIT-08), change events.
// idsim issue #3 (directory), catalogue JIT-08 / ORG-06 / OKT-04.

import { describe, expect, it } from 'vitest';
import { Directory } from './directory.ts';
import { DirectoryError } from './errors.ts';
import type { DirectoryEvent } from './events.ts';
import { seedDirectory } from './seed.ts';
import type { ServiceProvider } from './types.ts';

const SP: ServiceProvider = {
  entityId: 'https://sp.example.com/metadata',
  acsUrl: 'https://sp.example.com/acs',
  signingCerts: [],
  authnRequestsSigned: false,
  wantAssertionsSigned: true,
};

describe('seedDirectory: faker from a fixed seed', () => {
  it('the same seed gives the same people, ids and groups', () => {
    const a = seedDirectory({ seed: 42, people: 25, groups: ['Engineering', 'Sales'] });
    const b = seedDirectory({ seed: 42, people: 25, groups: ['Engineering', 'Sales'] });
    expect(a.listPeople()).toEqual(b.listPeople());
    expect(a.listGroups()).toEqual(b.listGroups());
    expect(a.listPeople()).toHaveLength(25);
    expect(a.listGroups().reduce((n, g) => n + g.memberIds.length, 0)).toBe(25);
  });

  it('another seed gives other people; logins are unique, lower-case emails at example.com', () => {
    const a = seedDirectory({ seed: 1, people: 50 });
    const b = seedDirectory({ seed: 2, people: 50 });
    expect(a.listPeople().map((p) => p.login)).not.toEqual(b.listPeople().map((p) => p.login));
    const logins = a.listPeople().map((p) => p.login);
    expect(new Set(logins).size).toBe(50);
    for (const login of logins) expect(login).toMatch(/^[a-z0-9]+\.[a-z0-9]+\d*@example\.com$/);
  });
});

describe('JIT-08: isAssigned directly or through a group', () => {
  it('follows direct assignments, group assignments and group membership changes', () => {
    const dir = new Directory();
    const ann = dir.addPerson({ login: 'ann@example.com', firstName: 'Ann', lastName: 'A' });
    const bob = dir.addPerson({ login: 'bob@example.com', firstName: 'Bob', lastName: 'B' });
    const app = dir.addApp({ name: 'SP', sp: SP });
    expect(dir.isAssigned(app, ann)).toBe(false);
    dir.assign(app.id, { kind: 'person', id: ann.id });
    expect(dir.isAssigned(app.id, ann.id)).toBe(true);
    expect(dir.isAssigned(app, bob)).toBe(false);
    const group = dir.addGroup({ name: 'SP users' });
    dir.assign(app.id, { kind: 'group', id: group.id });
    expect(dir.isAssigned(app, bob)).toBe(false);
    dir.addGroupMembers(group.id, [bob.id]);
    expect(dir.isAssigned(app, bob)).toBe(true);
    expect(dir.assignedPeople(app.id).map((p) => p.id)).toEqual([ann.id, bob.id]);
    dir.unassign(app.id, { kind: 'group', id: group.id });
    expect(dir.isAssigned(app, bob)).toBe(false);
  });

  it('OKT-04: apps default to the scim-test-app template; the catalogue template is kept', () => {
    const dir = new Directory();
    expect(dir.addApp({ name: 'a', sp: SP }).template).toBe('scim-test-app');
    expect(dir.addApp({ name: 'b', sp: SP, template: 'catalogue' }).template).toBe('catalogue');
  });
});

describe('directory rules and errors', () => {
  it('Assertion Encryption is off by default and needs the SP encryption key; a refused change writes nothing', () => {
    const dir = new Directory();
    const app = dir.addApp({ name: 'SP', sp: SP });
    expect(app.assertionEncryption).toBe(false);
    expect(() => dir.addApp({ name: 'SP2', sp: SP, assertionEncryption: true })).toThrow(DirectoryError);
    expect(() => dir.updateApp(app.id, { name: 'renamed', assertionEncryption: true })).toThrow(
      /encryption certificate/,
    );
    expect(dir.getApp(app.id)).toMatchObject({ name: 'SP', assertionEncryption: false });
    const withKey = dir.updateApp(app.id, { sp: { encryptionCert: 'PEM' }, assertionEncryption: true });
    expect(withKey.assertionEncryption).toBe(true);
    expect(dir.listApps()).toHaveLength(1);
  });

  it('logins are unique case-insensitively; unknown ids throw typed errors', () => {
    const dir = new Directory();
    dir.addPerson({ login: 'Ann@Example.com', firstName: 'Ann', lastName: 'A' });
    expect(() => dir.addPerson({ login: 'ann@example.com', firstName: 'A', lastName: 'B' })).toThrow(
      expect.objectContaining({ code: 'login_taken' }),
    );
    expect(dir.findPersonByLogin('ANN@example.COM')?.firstName).toBe('Ann');
    expect(() => dir.getApp('nope')).toThrow(DirectoryError);
    expect(() => dir.assign('nope', { kind: 'person', id: 'x' })).toThrow(
      expect.objectContaining({ code: 'app_not_found' }),
    );
  });

  it('returned records are copies: changing one does not change the directory', () => {
    const dir = new Directory();
    const ann = dir.addPerson({ login: 'ann@example.com', firstName: 'Ann', lastName: 'A' });
    ann.firstName = 'Mallory';
    expect(dir.getPerson(ann.id).firstName).toBe('Ann');
  });

  it('deleting a person removes them from groups and assignments', () => {
    const dir = new Directory();
    const ann = dir.addPerson({ login: 'ann@example.com', firstName: 'Ann', lastName: 'A' });
    const group = dir.addGroup({ name: 'g', memberIds: [ann.id] });
    const app = dir.addApp({ name: 'SP', sp: SP });
    dir.assign(app.id, { kind: 'person', id: ann.id });
    dir.deletePerson(ann.id);
    expect(dir.getGroup(group.id).memberIds).toEqual([]);
    expect(dir.getApp(app.id).assignments.people).toEqual([]);
  });
});

describe('change events for the SCIM pusher', () => {
  it('emits typed assign/unassign/update events after each change', () => {
    const dir = new Directory();
    const seen: DirectoryEvent[] = [];
    dir.events.on('*', (e) => seen.push(e));
    const assigned: string[] = [];
    const off = dir.events.on('app.assigned', (e) => assigned.push(e.subject.id));
    const ann = dir.addPerson({ login: 'ann@example.com', firstName: 'Ann', lastName: 'A' });
    const app = dir.addApp({ name: 'SP', sp: SP });
    dir.assign(app.id, { kind: 'person', id: ann.id });
    dir.assign(app.id, { kind: 'person', id: ann.id });
    dir.updatePerson(ann.id, { lastName: 'Smith' });
    dir.unassign(app.id, { kind: 'person', id: ann.id });
    off();
    dir.assign(app.id, { kind: 'person', id: ann.id });
    expect(seen.map((e) => e.type)).toEqual([
      'person.created',
      'app.created',
      'app.assigned',
      'person.updated',
      'app.unassigned',
      'app.assigned',
    ]);
    expect(assigned).toEqual([ann.id]);
    const update = seen[3];
    expect(update?.type === 'person.updated' && update.previous.lastName).toBe('A');
    expect(update?.type === 'person.updated' && update.person.lastName).toBe('Smith');
  });

  it('a throwing listener does not stop the change or other listeners', () => {
    const dir = new Directory();
    let calls = 0;
    dir.events.on('person.created', () => {
      throw new Error('boom');
    });
    dir.events.on('person.created', () => {
      calls++;
    });
    dir.addPerson({ login: 'ann@example.com', firstName: 'Ann', lastName: 'A' });
    expect(calls).toBe(1);
    expect(dir.listPeople()).toHaveLength(1);
    expect(dir.events.drainListenerErrors()).toHaveLength(1);
  });
});
