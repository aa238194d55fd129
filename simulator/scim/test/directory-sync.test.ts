// The Directory → SCIM adapter: assign, profile change, group membership (GRP-04) and unassign (OKT-03, DEA-01)
// reach an in-memory SCIM service over loopback, and nothing is pushed twice.
import { afterEach, describe, expect, it } from 'vitest';
import { Directory } from '../../directory/index.ts';
import { createPusherForApp, DirectorySync, desiredStateForApp } from '../directory-sync.ts';
import { createOktaDialect } from '../okta.ts';
import { ScimPusher } from '../pusher.ts';
import { QuarantineMonitor } from '../quarantine.ts';
import type { FakeScimServer } from './fake-scim-server.ts';
import { startFakeScimServer } from './fake-scim-server.ts';

let server: FakeScimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function directoryWithApp(): { directory: Directory; appId: string } {
  const directory = new Directory();
  const app = directory.addApp({
    name: 'Team app',
    template: 'catalogue',
    sp: {
      entityId: 'https://sp.example.test',
      acsUrl: 'https://sp.example.test/acs',
      signingCerts: [],
      authnRequestsSigned: false,
      wantAssertionsSigned: true,
    },
  });
  return { directory, appId: app.id };
}

describe('OKT-03 / GRP-04 directory events are pushed at once', () => {
  it('assign, update, group membership, unassign', async () => {
    server = await startFakeScimServer({ key: 'k' });
    const { directory, appId } = directoryWithApp();
    const ada = directory.addPerson({ login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    const bob = directory.addPerson({ login: 'bob@example.com', firstName: 'Bob', lastName: 'Byte' });
    const pusher = new ScimPusher({ baseUrl: server.baseUrl, key: 'k', dialect: createOktaDialect() });
    const sync = new DirectorySync(directory, appId, pusher);
    sync.start();

    directory.assign(appId, { kind: 'person', id: ada.id });
    await sync.flush();
    expect([...server.users.values()].map((user) => user.userName)).toEqual(['ada@example.com']);

    directory.updatePerson(ada.id, { lastName: 'King' });
    await sync.flush();
    const stored = [...server.users.values()][0];
    expect(stored?.name).toMatchObject({ familyName: 'King' });

    const eng = directory.addGroup({ name: 'Engineers', memberIds: [ada.id, bob.id] });
    directory.assign(appId, { kind: 'group', id: eng.id });
    await sync.flush();
    expect(server.users.size).toBe(2);
    const group = [...server.groups.values()][0];
    expect(group?.displayName).toBe('Engineers');
    expect(Array.isArray(group?.members) ? group.members.length : 0).toBe(2);

    directory.removeGroupMembers(eng.id, [bob.id]);
    await sync.flush();
    const bobUser = [...server.users.values()].find((user) => user.userName === 'bob@example.com');
    expect(bobUser?.active).toBe(false);
    const after = server.groups.get(String(group?.id));
    expect(Array.isArray(after?.members) ? after.members.length : -1).toBe(1);

    directory.unassign(appId, { kind: 'group', id: eng.id });
    directory.unassign(appId, { kind: 'person', id: ada.id });
    await sync.flush();
    expect([...server.users.values()].every((user) => user.active === false)).toBe(true);
    expect(server.created).toEqual({ users: 2, groups: 1 });
    sync.stop();
    expect(sync.drainErrors()).toEqual([]);
  });

  it('desiredStateForApp pushes suspended people as inactive and limits group members to assigned people', () => {
    const { directory, appId } = directoryWithApp();
    const ada = directory.addPerson({ login: 'ada@example.com', firstName: 'Ada', lastName: 'L' });
    const eve = directory.addPerson({ login: 'eve@example.com', firstName: 'Eve', lastName: 'E' });
    const group = directory.addGroup({ name: 'G', memberIds: [ada.id, eve.id] });
    directory.assign(appId, { kind: 'person', id: ada.id });
    directory.updatePerson(ada.id, { status: 'suspended' });
    const state = desiredStateForApp(directory, appId);
    expect(state.people).toEqual([
      {
        id: ada.id,
        userName: 'ada@example.com',
        givenName: 'Ada',
        familyName: 'L',
        email: 'ada@example.com',
        active: false,
      },
    ]);
    directory.assign(appId, { kind: 'group', id: group.id });
    expect(desiredStateForApp(directory, appId).groups).toEqual([
      { id: group.id, displayName: 'G', memberIds: [ada.id, eve.id] },
    ]);
  });

  it('OKT-04: builds a PATCH pusher for the catalogue app, a PUT pusher for the SCIM test app, none when off', () => {
    const { directory, appId } = directoryWithApp();
    const app = directory.getApp(appId);
    expect(createPusherForApp(app)).toBeNull();
    const on = { enabled: true, scimBaseUrl: 'http://127.0.0.1:9/scim/v2', bearerToken: 't' };
    expect(createPusherForApp({ ...app, provisioning: on })?.dialect.updateMethod).toBe('PATCH');
    expect(
      createPusherForApp({ ...app, template: 'scim-test-app', provisioning: on })?.dialect.updateMethod,
    ).toBe('PUT');
  });
});

describe('an Entra app in quarantine (issue #13)', () => {
  it('shows the quarantine in its status, tries again at nextAttempt by itself and recovers', async () => {
    let healthy = false;
    server = await startFakeScimServer({ key: 'k', fault: () => (healthy ? null : { status: 503 }) });
    const { directory, appId } = directoryWithApp();
    directory.updateApp(appId, {
      idp: 'entra',
      provisioning: { enabled: true, scimBaseUrl: server.baseUrl, bearerToken: 'k' },
    });
    const ada = directory.addPerson({ login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    directory.assign(appId, { kind: 'person', id: ada.id });
    // Entra's policy shrunk to test size: 3 calls, a 20 ms cycle (the back-off doubles it: 40 ms)
    const quarantine = new QuarantineMonitor({ windowSize: 3, failureRatio: 0.8, cycleMs: 20 });
    const pusher = createPusherForApp(directory.getApp(appId), {
      quarantine,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    if (!pusher) throw new Error('provisioning is configured');
    expect(pusher.dialect.name).toBe('entra');
    const sync = new DirectorySync(directory, appId, pusher);
    sync.start();
    await sync.flush();
    expect(sync.status().state).toBe('quarantined');
    expect(server.users.size).toBe(0);

    healthy = true;
    for (let waited = 0; waited < 3000 && sync.status().state !== 'healthy'; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sync.flush();
    }
    expect(sync.status().state).toBe('healthy');
    expect([...server.users.values()].map((user) => user.userName)).toEqual(['ada@example.com']);
    sync.stop();
  });
});
