// Okta's management API subset over loopback: SSWS auth, Okta's error shape, users (create, get, list with search,
// update, lifecycle), groups and membership, app assignments; changes reach the directory (pushes, sign-ins follow).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword, type DirectoryEvent } from '../../directory/index.ts';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';

let sim: SimulatorHandle;
const TOKEN = '00okta-test-token';
const events: DirectoryEvent[] = [];

beforeAll(async () => {
  sim = createSimulator({ people: 2, oktaApiToken: TOKEN });
  await sim.listen();
  sim.directory.events.on('*', (event) => events.push(event));
});
afterAll(async () => {
  await sim.close();
});

async function okta(method: string, path: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${sim.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `SSWS ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}

const newUser = (login: string, extra: Record<string, unknown> = {}) => ({
  profile: { firstName: 'Kim', lastName: 'Okta', email: login, login, ...extra },
  credentials: { password: { value: 'Sup3r-secret!' } },
});

describe('SSWS token and the error shape', () => {
  it('a missing or wrong token is E0000011 with errorCode, errorSummary, errorLink, errorId, errorCauses', async () => {
    const wrong = await okta('GET', '/users', undefined, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ errorCode: 'E0000011', errorLink: 'E0000011', errorCauses: [] });
    expect(typeof wrong.json?.errorId).toBe('string');
    expect(typeof wrong.json?.errorSummary).toBe('string');
  });

  it('an unknown user is E0000007 (404)', async () => {
    const missing = await okta('GET', '/users/00unope');
    expect(missing.status).toBe(404);
    expect(missing.json?.errorCode).toBe('E0000007');
  });
});

describe('users', () => {
  it('creates an ACTIVE user (or STAGED with activate=false); the directory sees it and the password works', async () => {
    const created = await okta('POST', '/users?activate=true', newUser('kim.okta@example.com'));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: 'ACTIVE', profile: { login: 'kim.okta@example.com' } });
    const person = sim.directory.findPersonByLogin('kim.okta@example.com');
    expect(person?.password).toBe('Sup3r-secret!');
    expect(events.some((e) => e.type === 'person.created' && e.person.login === 'kim.okta@example.com')).toBe(
      true,
    );
    const staged = await okta('POST', '/users?activate=false', newUser('staged@example.com'));
    expect(staged.json?.status).toBe('STAGED');
  });

  it('refuses a taken login and missing fields with E0000001 and causes', async () => {
    const taken = await okta('POST', '/users', newUser('kim.okta@example.com'));
    expect(taken.status).toBe(400);
    expect(taken.json?.errorCode).toBe('E0000001');
    expect(JSON.stringify(taken.json?.errorCauses)).toContain('already exists');
    const incomplete = await okta('POST', '/users', { profile: { login: 'x@example.com' } });
    expect(incomplete.json?.errorCode).toBe('E0000001');
    expect(incomplete.json?.errorCauses).toHaveLength(3);
  });

  it('gets by id and by login; lists with q, search (with a bad one refused E0000031) and pages with Link', async () => {
    const byLogin = await okta('GET', '/users/kim.okta@example.com');
    const byId = await okta('GET', `/users/${String(byLogin.json?.id)}`);
    expect(byId.json?.id).toBe(byLogin.json?.id);
    const q = await okta('GET', '/users?q=kim.okta');
    expect((q.json as unknown as unknown[]).length).toBe(1);
    const search = await okta(
      'GET',
      `/users?search=${encodeURIComponent('profile.lastName eq "Okta" and status eq "STAGED"')}`,
    );
    expect((search.json as unknown as { profile: { login: string } }[]).map((u) => u.profile.login)).toEqual([
      'staged@example.com',
    ]);
    const bad = await okta('GET', `/users?search=${encodeURIComponent('profile.lastName eq')}`);
    expect(bad.json?.errorCode).toBe('E0000031');
    const first = await okta('GET', '/users?limit=2');
    expect((first.json as unknown as unknown[]).length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = await fetch(next ?? '', { headers: { authorization: `SSWS ${TOKEN}` } });
    const rest = (await second.json()) as { id: string }[];
    expect(rest.some((u) => (first.json as unknown as { id: string }[]).some((f) => f.id === u.id))).toBe(
      false,
    );
  });

  it('updates a profile partially (POST)', async () => {
    const updated = await okta('POST', '/users/kim.okta@example.com', { profile: { lastName: 'Renamed' } });
    expect(updated.json).toMatchObject({ profile: { lastName: 'Renamed', firstName: 'Kim' } });
    expect(sim.directory.findPersonByLogin('kim.okta@example.com')?.lastName).toBe('Renamed');
  });

  it('lifecycle: suspend ends IdP sessions and blocks sign-in; unsuspend; deactivate; delete twice removes', async () => {
    const id = String((await okta('GET', '/users/kim.okta@example.com')).json?.id);
    const session = sim.idp.sessions.create(id);
    expect((await okta('POST', `/users/${id}/lifecycle/activate`)).json?.errorCode).toBe('E0000016');
    expect((await okta('POST', `/users/${id}/lifecycle/suspend`)).status).toBe(200);
    expect(sim.idp.sessions.get(session.id)).toBeUndefined();
    expect((await okta('GET', `/users/${id}`)).json?.status).toBe('SUSPENDED');
    expect(checkPassword(sim.directory, 'kim.okta@example.com', 'Sup3r-secret!')).toEqual({
      kind: 'refused',
      code: 'person_inactive',
    });
    expect((await okta('POST', `/users/${id}/lifecycle/suspend`)).json?.errorCode).toBe('E0000001');
    expect((await okta('POST', `/users/${id}/lifecycle/unsuspend`)).status).toBe(200);
    expect((await okta('POST', `/users/${id}/lifecycle/deactivate`)).status).toBe(200);
    expect(sim.directory.getPerson(id).status).toBe('deprovisioned');
    expect((await okta('POST', `/users/${id}/lifecycle/activate`)).status).toBe(200);
    expect((await okta('DELETE', `/users/${id}`)).status).toBe(204);
    expect(sim.directory.getPerson(id).status).toBe('deprovisioned');
    expect((await okta('DELETE', `/users/${id}`)).status).toBe(204);
    expect(sim.directory.findPersonByLogin('kim.okta@example.com')).toBeUndefined();
  });
});

describe('groups and app assignments', () => {
  it('creates a group, adds a member, assigns the group to an app: the member is assigned (scope GROUP)', async () => {
    const user = await okta('POST', '/users', newUser('grp.member@example.com'));
    const userId = String(user.json?.id);
    const group = await okta('POST', '/groups', { profile: { name: 'Engineering' } });
    const groupId = String(group.json?.id);
    expect(group.json).toMatchObject({ type: 'OKTA_GROUP', profile: { name: 'Engineering' } });
    expect((await okta('PUT', `/groups/${groupId}/users/${userId}`)).status).toBe(204);
    const members = await okta('GET', `/groups/${groupId}/users`);
    expect((members.json as unknown as { id: string }[]).map((m) => m.id)).toEqual([userId]);
    const app = sim.directory.addApp({
      name: 'Team app',
      oidc: {
        clientId: '0oaOktaApiApp',
        clientSecret: 'secret-0123456789',
        redirectUris: ['https://rp.example/cb'],
        postLogoutRedirectUris: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    });
    expect((await okta('GET', `/apps/${app.id}`)).json).toMatchObject({
      signOnMode: 'OPENID_CONNECT',
      label: 'Team app',
    });
    expect((await okta('PUT', `/apps/${app.id}/groups/${groupId}`)).status).toBe(200);
    expect(sim.directory.isAssigned(app.id, userId)).toBe(true);
    const appUser = await okta('GET', `/apps/${app.id}/users/${userId}`);
    expect(appUser.json).toMatchObject({ id: userId, scope: 'GROUP' });
    expect((await okta('DELETE', `/apps/${app.id}/groups/${groupId}`)).status).toBe(204);
    expect(sim.directory.isAssigned(app.id, userId)).toBe(false);
    const direct = await okta('POST', `/apps/${app.id}/users`, { id: userId });
    expect(direct.json).toMatchObject({ scope: 'USER', credentials: { userName: 'grp.member@example.com' } });
    expect(events.some((e) => e.type === 'app.assigned' && e.subject.id === userId)).toBe(true);
    expect((await okta('DELETE', `/apps/${app.id}/users/${userId}`)).status).toBe(204);
    expect(sim.directory.isAssigned(app.id, userId)).toBe(false);
    expect((await okta('DELETE', `/groups/${groupId}/users/${userId}`)).status).toBe(204);
    expect((await okta('GET', `/users/${userId}/groups`)).json).toEqual([]);
  });

  it('creates an OIDC web app with a generated client id and secret; other sign-on modes are refused', async () => {
    const created = await okta('POST', '/apps', {
      name: 'oidc_client',
      label: 'Scripted app',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: {
        oauthClient: { redirect_uris: ['https://rp.example/cb'], grant_types: ['authorization_code'] },
      },
    });
    expect(created.status).toBe(200);
    const { client_id: clientId, client_secret: secret } = (
      created.json as { credentials: { oauthClient: { client_id: string; client_secret: string } } }
    ).credentials.oauthClient;
    expect(clientId).toMatch(/^0oa/);
    expect(secret.length).toBeGreaterThan(20);
    expect(sim.directory.findAppByClientId(clientId)?.oidc?.redirectUris).toEqual(['https://rp.example/cb']);
    const saml = await okta('POST', '/apps', { label: 'x', signOnMode: 'SAML_2_0' });
    expect(saml.json?.errorCode).toBe('E0000001');
    const noRedirect = await okta('POST', '/apps', { label: 'y', signOnMode: 'OPENID_CONNECT' });
    expect(noRedirect.json?.errorCode).toBe('E0000001');
  });

  it('a malformed JSON body is E0000003', async () => {
    const response = await fetch(`${sim.baseUrl}/api/v1/groups`, {
      method: 'POST',
      headers: { authorization: `SSWS ${TOKEN}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: string }).errorCode).toBe('E0000003');
  });
});
