// The simulator's JSON API and error rendering over loopback HTTP: people, groups, apps, assignments, errors.
// idsim issue #3 (JSON API, errors with stable codes, never a stack trace).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App, Group, Person } from '../directory/index.ts';
import { createSimulator, type SimulatorHandle } from './simulator.ts';

let sim: SimulatorHandle;
let base: string;

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

const SP_METADATA = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com/m">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:AssertionConsumerService index="0" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs"/>
</md:SPSSODescriptor></md:EntityDescriptor>`;

beforeAll(async () => {
  sim = createSimulator({ seed: 3, people: 5, groups: ['Engineering'] });
  base = (await sim.listen()).baseUrl;
});
afterAll(() => sim.close());

describe('JSON API: people and groups', () => {
  it('lists the seeded people and groups, and creates new ones', async () => {
    const people = await call('GET', '/api/people');
    expect(people.status).toBe(200);
    expect(people.json as Person[]).toHaveLength(5);
    const created = await call('POST', '/api/people', {
      login: 'zoe@example.com',
      firstName: 'Zoe',
      lastName: 'Z',
    });
    expect(created.status).toBe(201);
    const zoe = created.json as Person;
    expect(zoe.status).toBe('active');
    expect((await call('GET', `/api/people/${zoe.id}`)).json).toEqual(zoe);
    const dup = await call('POST', '/api/people', {
      login: 'ZOE@example.com',
      firstName: 'Z',
      lastName: 'Z',
    });
    expect(dup.status).toBe(409);
    expect((dup.json as { code: string }).code).toBe('login_taken');

    const group = (await call('POST', '/api/groups', { name: 'Ops' })).json as Group;
    const withZoe = await call('POST', `/api/groups/${group.id}/members`, { personIds: [zoe.id] });
    expect((withZoe.json as Group).memberIds).toEqual([zoe.id]);
    const groups = (await call('GET', '/api/groups')).json as Group[];
    expect(groups.map((g) => g.name)).toEqual(['Engineering', 'Ops']);
  });

  it('suspending a person ends their IdP sessions', async () => {
    const person = sim.directory.listPeople()[0] as Person;
    sim.idp.sessions.create(person.id);
    expect(sim.idp.sessions.list().some((s) => s.personId === person.id)).toBe(true);
    const res = await call('PATCH', `/api/people/${person.id}`, { status: 'suspended' });
    expect(res.status).toBe(200);
    expect(sim.idp.sessions.list().some((s) => s.personId === person.id)).toBe(false);
  });
});

describe('JSON API: IdP personalities (issue #13)', () => {
  it('creates an app as Entra: its claim URIs and assertion-only signing; lists the templates; refuses an unknown IdP', async () => {
    const created = await call('POST', '/api/apps', {
      name: 'Entra app',
      idp: 'entra',
      spMetadataXml: SP_METADATA,
    });
    expect(created.status).toBe(201);
    const app = created.json as App;
    expect(app.idp).toBe('entra');
    expect(app.signing).toEqual({ signResponse: false, signAssertion: true });
    expect(app.attributeStatements.map((statement) => statement.name)).toContain(
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    );
    const changed = await call('PATCH', `/api/apps/${app.id}`, { idp: 'ping' });
    expect((changed.json as App).idp).toBe('ping');
    const plain = (await call('POST', '/api/apps', { name: 'Okta app', spMetadataXml: SP_METADATA }))
      .json as App;
    expect(plain.idp).toBe('okta');
    const templates = await call('GET', '/api/personalities');
    expect((templates.json as { idp: string }[]).map((template) => template.idp)).toEqual([
      'okta',
      'entra',
      'onelogin',
      'jumpcloud',
      'rippling',
      'ping',
    ]);
    const bad = await call('POST', '/api/apps', { name: 'x', idp: 'keycloak', spMetadataXml: SP_METADATA });
    expect(bad.status).toBe(400);
  });
});

describe('JSON API: apps and assignments', () => {
  it('creates an app from SP metadata XML and manages direct and group assignments', async () => {
    const created = await call('POST', '/api/apps', {
      name: 'Team app',
      template: 'catalogue',
      spMetadataXml: SP_METADATA,
    });
    expect(created.status).toBe(201);
    const app = created.json as App;
    expect(app.sp?.acsUrl).toBe('https://sp.example.com/acs');
    expect(app.template).toBe('catalogue');
    const person = sim.directory.listPeople()[1] as Person;
    const engineering = sim.directory.listGroups()[0] as Group;
    await call('POST', `/api/apps/${app.id}/assignments`, { personId: person.id });
    const both = await call('POST', `/api/apps/${app.id}/assignments`, { groupId: engineering.id });
    const view = both.json as { people: string[]; groups: string[]; effectivePeople: string[] };
    expect(view.people).toEqual([person.id]);
    expect(view.groups).toEqual([engineering.id]);
    expect(new Set(view.effectivePeople)).toEqual(new Set([person.id, ...engineering.memberIds]));
    const removed = await call('DELETE', `/api/apps/${app.id}/assignments/people/${person.id}`);
    expect((removed.json as { people: string[] }).people).toEqual([]);
  });

  it('refuses an app with no SP description, or with two, with invalid_input', async () => {
    const none = await call('POST', '/api/apps', { name: 'x' });
    expect(none.status).toBe(400);
    expect((none.json as { code: string }).code).toBe('invalid_input');
    const bad = await call('POST', '/api/apps', { name: 'x', spMetadataXml: '<nope/>' });
    expect((bad.json as { code: string }).code).toBe('invalid_sp_metadata');
  });
});

describe('errors: stable codes, JSON or HTML, never a stack trace', () => {
  it('unknown ids are 404 with a code; unknown routes too', async () => {
    const missing = await call('GET', '/api/apps/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 'app_not_found', message: 'no app with id nope' });
    const page = await fetch(`${base}/no/such/page`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('data-error-code="not_found"');
  });

  it('a malformed JSON body is a 400 invalid_body without internals', async () => {
    const res = await fetch(`${base}/api/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 'invalid_body', message: 'the request body is unreadable' });
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('a broken SAMLRequest gets an HTML page with invalid_request', async () => {
    const res = await fetch(`${base}/saml/sso?SAMLRequest=not-deflate`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('data-error-code="invalid_request"');
    expect(html).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('the login page posts to /login and a wrong password answers 401 invalid_credentials', async () => {
    const form = await fetch(`${base}/login`);
    expect(await form.text()).toContain('data-idsim-form="login"');
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=nobody%40example.com&password=x',
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('data-error-code="invalid_credentials"');
  });
});
