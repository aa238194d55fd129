// Okta API calls drive the SCIM push like console changes do: a user created and assigned through /api/v1 is pushed,
// a profile update follows, and suspending the user deactivates it at the SCIM server (OKT-03, DEA-01; issue #14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';
import { DirectorySync } from '../../scim/directory-sync.ts';
import { createOktaDialect } from '../../scim/okta.ts';
import { ScimPusher } from '../../scim/pusher.ts';
import { type FakeScimServer, startFakeScimServer } from '../../scim/test/fake-scim-server.ts';

let sim: SimulatorHandle;
let scim: FakeScimServer;
let sync: DirectorySync;
let appId: string;

beforeAll(async () => {
  sim = createSimulator({ people: 0, oktaApiToken: 'push-token' });
  await sim.listen();
  scim = await startFakeScimServer({ key: 'k' });
  // an OIDC-only app provisions like any other (SCIM follows assignments, not the sign-on protocol)
  appId = sim.directory.addApp({
    name: 'Team app',
    oidc: {
      clientId: '0oaPushApp',
      clientSecret: 'push-app-secret-0123',
      redirectUris: ['https://rp.example/cb'],
      postLogoutRedirectUris: [],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  }).id;
  sync = new DirectorySync(
    sim.directory,
    appId,
    new ScimPusher({ baseUrl: scim.baseUrl, key: 'k', dialect: createOktaDialect() }),
  );
  sync.start();
});
afterAll(async () => {
  await scim.close();
  await sim.close();
});

const okta = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sim.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: 'SSWS push-token', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.body?.cancel();
  expect(response.status).toBeLessThan(300);
};

describe('pushes follow Okta API calls', () => {
  it('create + assign pushes the user; update and suspend follow', async () => {
    await okta('POST', '/users', {
      profile: { firstName: 'Pia', lastName: 'Push', email: 'pia@example.com', login: 'pia@example.com' },
    });
    const id = sim.directory.findPersonByLogin('pia@example.com')?.id ?? '';
    await okta('POST', `/apps/${appId}/users`, { id });
    await sync.flush();
    expect([...scim.users.values()].map((u) => u.userName)).toEqual(['pia@example.com']);
    await okta('POST', `/users/${id}`, { profile: { lastName: 'Pushed' } });
    await sync.flush();
    expect([...scim.users.values()][0]?.name).toMatchObject({ familyName: 'Pushed' });
    await okta('POST', `/users/${id}/lifecycle/suspend`);
    await sync.flush();
    expect([...scim.users.values()][0]?.active).toBe(false);
  });
});
