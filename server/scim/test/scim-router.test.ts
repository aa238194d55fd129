// HTTP tests of the SCIM router against an in-memory ScimDirectory double: CRUD, PATCH shapes, errors, discovery.
// RFC 7644 3.3-3.6, 3.12, 3.14, 4; KEY-04, PRV-02, PRV-03, PRV-04, PRV-09, GRP-01, DEA-01, OKT-01.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SCIM_ERROR_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_PATCH_OP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '../../../protocol/scim/schemas.ts';
import type { Logger } from '../../http/logger.ts';
import { createScimRouter } from '../../http/scim-router.ts';
import {
  EXPLODING_KEY,
  FakeScimDirectory,
  GOOD_KEY,
  REVOKED_KEY,
  SCIM_OFF_KEY,
  SECRET_FAILURE_TEXT,
} from './fake-directory.ts';

let directory: FakeScimDirectory;
let server: Server;
let base: string;
const logged: unknown[] = [];
const logger: Logger = { error: (_message, fields) => logged.push(fields), info: () => {} };

beforeAll(async () => {
  const app = express();
  app.set('etag', false);
  // The directory is swapped per test through this indirection.
  const proxy = new Proxy({} as FakeScimDirectory, {
    get: (_target, name) => {
      const value = Reflect.get(directory, name);
      return typeof value === 'function' ? value.bind(directory) : value;
    },
  });
  app.use('/scim/v2', createScimRouter(proxy, { maxBodyBytes: 4096, logger, settings: { maxResults: 50 } }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  directory = new FakeScimDirectory();
  logged.length = 0;
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    raw?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? GOOD_KEY : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/scim+json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  if (text !== '') {
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { unparseable: text };
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

function expectScimError(reply: Reply, status: number, scimType?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(reply.json.schemas).toEqual([SCIM_ERROR_SCHEMA]);
  expect(reply.json.status).toBe(String(status));
  expect(reply.json.scimType).toBe(scimType);
  expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

function oktaUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  // Okta's create body (Okta SCIM 2.0 reference, "Create the user"), with locale, groups and externalId.
  return {
    schemas: [SCIM_USER_SCHEMA],
    userName,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    active: true,
    ...extra,
  };
}

async function createUser(userName: string): Promise<string> {
  const reply = await call('POST', '/Users', { body: oktaUser(userName) });
  expect(reply.status).toBe(201);
  return String(reply.json.id);
}

describe('KEY-04 / OKT-01: bearer API key', () => {
  it('missing key → 401 with WWW-Authenticate: Bearer', async () => {
    const reply = await call('GET', '/Users', { key: null });
    expectScimError(reply, 401);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['wrong', 'invalid API key'],
    [REVOKED_KEY, 'the API key has been revoked'],
    [SCIM_OFF_KEY, 'SCIM is not enabled for this team'],
  ])('key %s → 401 "%s"', async (key, detail) => {
    const reply = await call('GET', '/Users', { key });
    expectScimError(reply, 401);
    expect(reply.json.detail).toBe(detail);
  });

  it('a non-Bearer scheme is refused', async () => {
    const reply = await call('GET', '/Users', { key: null, headers: { authorization: `Basic ${GOOD_KEY}` } });
    expectScimError(reply, 401);
  });

  it('an unexpected error → generic 500 SCIM body, logged, never echoed', async () => {
    const reply = await call('GET', '/Users', { key: EXPLODING_KEY });
    expectScimError(reply, 500);
    expect(reply.text).not.toContain(SECRET_FAILURE_TEXT);
    expect(JSON.stringify(logged)).toContain(SECRET_FAILURE_TEXT);
  });
});

describe('Users: create and read (RFC 7644 3.3, 3.4.1)', () => {
  it('creates from Okta’s body: 201, Location, ETag, derived emails and displayName', async () => {
    const reply = await call('POST', '/Users', { body: oktaUser('Isaac.Brock@Example.com') });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(reply.headers.get('location')).toBe(`${base}/Users/${reply.json.id}`);
    expect(reply.headers.get('etag')).toBe('W/"1"');
    expect(reply.json).toMatchObject({
      schemas: [SCIM_USER_SCHEMA],
      userName: 'Isaac.Brock@Example.com',
      name: { givenName: 'Test', familyName: 'User' },
      displayName: 'Test User',
      emails: [{ value: 'Isaac.Brock@Example.com', type: 'work', primary: true }],
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
      meta: { resourceType: 'User', version: 'W/"1"', location: `${base}/Users/${reply.json.id}` },
    });
  });

  it('PRV-04: unmapped attributes are accepted, ignored and never stored', async () => {
    const reply = await call('POST', '/Users', {
      body: oktaUser('a@x.io', {
        nickName: 'Babs',
        title: 'CEO',
        locale: 'fr-FR',
        phoneNumbers: [{ value: '1' }],
      }),
    });
    expect(reply.status).toBe(201);
    expect(reply.json).not.toHaveProperty('nickName');
    expect(reply.json).not.toHaveProperty('locale');
    const stored = directory.users.get(String(reply.json.id));
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      [
        'active',
        'created',
        'externalId',
        'familyName',
        'givenName',
        'id',
        'lastModified',
        'userName',
        'version',
      ].sort(),
    );
  });

  it('PRV-02: blank names are accepted', async () => {
    const reply = await call('POST', '/Users', {
      body: oktaUser('b@x.io', { name: { givenName: '', familyName: '' } }),
    });
    expect(reply.status).toBe(201);
    expect(reply.json.name).toEqual({ givenName: '', familyName: '' });
  });

  it.each([
    ['givenName', { name: { familyName: 'User' } }],
    ['familyName', { name: { givenName: 'Test' } }],
    ['name', { name: undefined }],
    ['active', { active: undefined }],
    ['userName', { userName: undefined }],
  ])('PRV-02: missing %s → 400 invalidValue, nothing stored', async (_what, change) => {
    const body = oktaUser('c@x.io', change);
    const reply = await call('POST', '/Users', { body });
    expectScimError(reply, 400, 'invalidValue');
    expect(directory.writes).toBe(0);
  });

  it('PRV-03: a password attribute → 400, nothing stored', async () => {
    const reply = await call('POST', '/Users', { body: oktaUser('d@x.io', { password: 't1meMa$heen' }) });
    expectScimError(reply, 400, 'invalidValue');
    expect(reply.json.detail).toMatch(/password/);
    expect(directory.writes).toBe(0);
  });

  it('duplicate userName (any case) → 409 uniqueness', async () => {
    await createUser('dup@x.io');
    expectScimError(await call('POST', '/Users', { body: oktaUser('DUP@x.io') }), 409, 'uniqueness');
  });

  it('PRV-09: no free seat → 403 "no seats available"', async () => {
    directory.seats = 1;
    await createUser('first@x.io');
    const reply = await call('POST', '/Users', { body: oktaUser('second@x.io') });
    expectScimError(reply, 403);
    expect(reply.json.detail).toBe('no seats available');
  });

  it('unknown schema → 400 invalidSyntax; missing schemas → 400 invalidSyntax', async () => {
    expectScimError(
      await call('POST', '/Users', {
        body: oktaUser('e@x.io', { schemas: [SCIM_USER_SCHEMA, 'urn:x:unknown'] }),
      }),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await call('POST', '/Users', { body: oktaUser('e@x.io', { schemas: undefined }) }),
      400,
      'invalidSyntax',
    );
  });

  it('malformed JSON → 400 invalidSyntax; wrong content type → 415; oversized body → 413', async () => {
    expectScimError(await call('POST', '/Users', { raw: '{"userName":' }), 400, 'invalidSyntax');
    expectScimError(
      await call('POST', '/Users', { raw: '', contentType: 'application/scim+json' }),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await call('POST', '/Users', { body: oktaUser('f@x.io'), contentType: 'text/plain' }),
      415,
    );
    expectScimError(
      await call('POST', '/Users', { body: oktaUser('g@x.io', { pad: 'x'.repeat(5000) }) }),
      413,
    );
    expect(directory.writes).toBe(0);
  });

  it('GET by id → 200 with ETag; unknown id → 404; If-None-Match → 304', async () => {
    const id = await createUser('h@x.io');
    const reply = await call('GET', `/Users/${id}`);
    expect(reply.status).toBe(200);
    expect(reply.json.userName).toBe('h@x.io');
    expect(reply.headers.get('etag')).toBe('W/"1"');
    expectScimError(await call('GET', '/Users/nope'), 404);
    const cached = await call('GET', `/Users/${id}`, { headers: { 'if-none-match': 'W/"1"' } });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
  });

  it('GET with attributes / excludedAttributes projects, keeping id and schemas', async () => {
    const id = await createUser('i@x.io');
    const reply = await call('GET', `/Users/${id}?attributes=userName`);
    expect(Object.keys(reply.json).sort()).toEqual(['id', 'schemas', 'userName']);
    const excluded = await call('GET', `/Users/${id}?excludedAttributes=emails,meta`);
    expect(excluded.json).not.toHaveProperty('emails');
    expect(excluded.json).toHaveProperty('userName');
  });
});

describe('publicBaseUrl option', () => {
  it('builds meta.location and Location from the public origin plus the mount path', async () => {
    const app = express();
    const own = new FakeScimDirectory();
    app.use('/scim/v2', createScimRouter(own, { publicBaseUrl: 'https://idsim.example/' }));
    const listening = await new Promise<Server>((resolve) => {
      const started = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    try {
      const port = (listening.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${GOOD_KEY}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(oktaUser('pub@x.io')),
      });
      const body = (await response.json()) as { id: string; meta: { location: string } };
      expect(response.headers.get('location')).toBe(`https://idsim.example/scim/v2/Users/${body.id}`);
      expect(body.meta.location).toBe(`https://idsim.example/scim/v2/Users/${body.id}`);
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  });
});

describe('Users: list (RFC 7644 3.4.2)', () => {
  it('Okta existence check: userName eq is case-insensitive; not found is 200 with totalResults 0', async () => {
    await createUser('Isaac.Brock@Example.com');
    const found = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "isaac.brock@example.com"')}&startIndex=1&count=100`,
    );
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    const missing = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@x.io"')}`);
    expect(missing.json).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      Resources: [],
    });
  });

  it('Okta connector test: startIndex=1&count=2 pages with integer numbers', async () => {
    for (const name of ['a', 'b', 'c']) await createUser(`${name}@x.io`);
    const reply = await call('GET', '/Users?startIndex=1&count=2');
    expect(reply.json).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect((reply.json.Resources as unknown[]).length).toBe(2);
    const clamped = await call('GET', '/Users?startIndex=-4&count=9999');
    expect(clamped.json).toMatchObject({ startIndex: 1, itemsPerPage: 3 });
  });

  it('bad filter → 400 invalidFilter; bad count → 400 invalidValue', async () => {
    expectScimError(
      await call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`),
      400,
      'invalidFilter',
    );
    expectScimError(await call('GET', '/Users?count=abc'), 400, 'invalidValue');
  });
});

describe('POST .search (RFC 7644 3.4.3)', () => {
  const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

  it('answers the same ListResponse as the GET list, with attributes as a list and numbers as numbers', async () => {
    for (const name of ['a', 'b', 'c']) await createUser(`${name}@x.io`);
    const body = {
      schemas: [SEARCH],
      filter: 'userName sw "b"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    };
    const searched = await call('POST', '/Users/.search', { body });
    const listed = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName sw "b"')}&attributes=userName&startIndex=1&count=10`,
    );
    expect(searched.status).toBe(200);
    expect(searched.json).toEqual(listed.json);
    expect(searched.json).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    const [resource] = searched.json.Resources as Record<string, unknown>[];
    expect(Object.keys(resource ?? {}).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('clamps like the query form and pages groups too', async () => {
    for (const name of ['a', 'b', 'c']) await createUser(`${name}@x.io`);
    const reply = await call('POST', '/Users/.search', {
      body: { schemas: [SEARCH], startIndex: -3, count: 2 },
    });
    expect(reply.json).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    const groups = await call('POST', '/Groups/.search', { body: { schemas: [SEARCH] } });
    expect(groups.status).toBe(200);
    expect(groups.json).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('no SearchRequest schema → invalidSyntax; wrong types → invalidValue; bad filter → invalidFilter', async () => {
    expectScimError(
      await call('POST', '/Users/.search', { body: { filter: 'userName pr' } }),
      400,
      'invalidSyntax',
    );
    expectScimError(await call('POST', '/Users/.search', { body: [SEARCH] }), 400, 'invalidSyntax');
    expectScimError(
      await call('POST', '/Users/.search', { body: { schemas: [SEARCH], count: '10' } }),
      400,
      'invalidValue',
    );
    expectScimError(
      await call('POST', '/Users/.search', { body: { schemas: [SEARCH], attributes: 'userName' } }),
      400,
      'invalidValue',
    );
    expectScimError(
      await call('POST', '/Users/.search', { body: { schemas: [SEARCH], filter: 'userName eq' } }),
      400,
      'invalidFilter',
    );
  });

  it('GET on .search → 405; search across resource types at the root → 501', async () => {
    expectScimError(await call('GET', '/Users/.search'), 405);
    expectScimError(await call('POST', '/.search', { body: { schemas: [SEARCH] } }), 501);
  });
});

describe('Users: PUT, PATCH, DELETE, ETags (RFC 7644 3.5, 3.6, 3.14)', () => {
  it('PUT replaces; If-Match mismatch → 412; match → 200 with the next version', async () => {
    const id = await createUser('j@x.io');
    const body = oktaUser('j@x.io', { id, name: { givenName: 'New', familyName: 'Name' } });
    expectScimError(await call('PUT', `/Users/${id}`, { body, headers: { 'if-match': 'W/"9"' } }), 412);
    const reply = await call('PUT', `/Users/${id}`, { body, headers: { 'if-match': 'W/"1"' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('etag')).toBe('W/"2"');
    expect(reply.json.displayName).toBe('New Name');
  });

  it('DEA-01: Okta deactivation PATCH → 200 active=false, and GET still answers 200 active=false', async () => {
    const id = await createUser('k@x.io');
    const reply = await call('PATCH', `/Users/${id}`, {
      body: { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.active).toBe(false);
    const read = await call('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.json.active).toBe(false);
    expect(directory.users.get(id)?.active).toBe(false);
  });

  it('Entra: "Replace" active "False" and emails[type eq "work"].value are accepted', async () => {
    const id = await createUser('l@x.io');
    const reply = await call('PATCH', `/Users/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'active', value: 'False' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'other@x.io' },
          { op: 'Add', path: 'name.givenName', value: 'Lou' },
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ active: false, name: { givenName: 'Lou' }, userName: 'l@x.io' });
  });

  it('PATCH errors: password → 400; readOnly id → 400 mutability; bad path → 400 invalidPath; remove name → 400', async () => {
    const id = await createUser('m@x.io');
    const patch = (operations: unknown[]) =>
      call('PATCH', `/Users/${id}`, { body: { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations } });
    expectScimError(await patch([{ op: 'add', path: 'password', value: 'x' }]), 400, 'invalidValue');
    expectScimError(await patch([{ op: 'replace', path: 'id', value: 'x' }]), 400, 'mutability');
    expectScimError(await patch([{ op: 'replace', path: 'a..b', value: 'x' }]), 400, 'invalidPath');
    expectScimError(await patch([{ op: 'remove', path: 'name.givenName' }]), 400, 'invalidValue');
    expectScimError(await patch([{ op: 'remove' }]), 400, 'noTarget');
    expect(directory.users.get(id)?.version).toBe(1);
  });

  it('DELETE → 204 then 404; If-Match mismatch → 412', async () => {
    const id = await createUser('n@x.io');
    expectScimError(await call('DELETE', `/Users/${id}`, { headers: { 'if-match': 'W/"5"' } }), 412);
    expect((await call('DELETE', `/Users/${id}`)).status).toBe(204);
    expectScimError(await call('GET', `/Users/${id}`), 404);
  });
});

describe('Groups (RFC 7644; GRP-01, GRP-02, GRP-04)', () => {
  it('GRP-01: unknown members → 400 invalidValue naming the ids, nothing stored', async () => {
    const known = await createUser('o@x.io');
    const writes = directory.writes;
    const reply = await call('POST', '/Groups', {
      body: {
        schemas: [SCIM_GROUP_SCHEMA],
        displayName: 'G',
        members: [{ value: known }, { value: 'ghost-1' }],
      },
    });
    expectScimError(reply, 400, 'invalidValue');
    expect(reply.json.detail).toContain('ghost-1');
    expect(directory.groups.size).toBe(0);
    expect(directory.writes).toBe(writes);
  });

  it('GRP-02 create, Okta rename and membership PATCH → 204 via the member delta; Entra remove', async () => {
    const u1 = await createUser('p1@x.io');
    const u2 = await createUser('p2@x.io');
    const created = await call('POST', '/Groups', {
      body: { schemas: [SCIM_GROUP_SCHEMA], displayName: 'Eng', members: [] },
    });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const patched = await call('PATCH', `/Groups/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [
          { op: 'replace', value: { id, displayName: 'Engineering' } },
          {
            op: 'add',
            path: 'members',
            value: [
              { value: u1, display: 'p1' },
              { value: u2, display: 'p2' },
            ],
          },
        ],
      },
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('etag')).toBe('W/"2"');
    expect(directory.memberPatches).toBe(1);
    expect(directory.groups.get(id)?.displayName).toBe('Engineering');
    expect(directory.groups.get(id)?.members.map((m) => m.value)).toEqual([u1, u2]);

    await call('PATCH', `/Groups/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [{ op: 'remove', path: `members[value eq "${u1}"]` }],
      },
    });
    await call('PATCH', `/Groups/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: u2 }] }],
      },
    });
    expect(directory.groups.get(id)?.members).toEqual([]);

    const read = await call('GET', `/Groups/${id}`);
    expect(read.json).toMatchObject({ displayName: 'Engineering', members: [] });
    const list = await call(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "engineering"')}&excludedAttributes=members`,
    );
    expect(list.json.totalResults).toBe(1);
    expect((list.json.Resources as Array<Record<string, unknown>>)[0]).not.toHaveProperty('members');
  });

  it('membership PATCH with an unknown id → 400 invalidValue; full replace goes through replaceGroup', async () => {
    const u1 = await createUser('q@x.io');
    const created = await call('POST', '/Groups', {
      body: { schemas: [SCIM_GROUP_SCHEMA], displayName: 'Q', members: [] },
    });
    const id = String(created.json.id);
    const bad = await call('PATCH', `/Groups/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'ghost' }] }],
      },
    });
    expectScimError(bad, 400, 'invalidValue');
    const replaced = await call('PATCH', `/Groups/${id}`, {
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'members', value: [{ value: u1 }] }],
      },
    });
    expect(replaced.status).toBe(204);
    expect(directory.memberPatches).toBe(0);
    expect(directory.groups.get(id)?.members.map((m) => m.value)).toEqual([u1]);
  });

  it('DELETE → 204; duplicate displayName → 409 uniqueness', async () => {
    const created = await call('POST', '/Groups', {
      body: { schemas: [SCIM_GROUP_SCHEMA], displayName: 'R' },
    });
    expectScimError(
      await call('POST', '/Groups', { body: { schemas: [SCIM_GROUP_SCHEMA], displayName: 'r' } }),
      409,
      'uniqueness',
    );
    expect((await call('DELETE', `/Groups/${created.json.id}`)).status).toBe(204);
    expect(directory.groups.size).toBe(0);
  });
});

describe('Discovery (RFC 7644 4; RFC 7643 5-7)', () => {
  it('ServiceProviderConfig is truthful', async () => {
    const reply = await call('GET', '/ServiceProviderConfig');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 50 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
  });

  it('Schemas and ResourceTypes list and fetch by id', async () => {
    const schemas = await call('GET', '/Schemas');
    expect(schemas.json.totalResults).toBe(2);
    const userSchema = await call('GET', `/Schemas/${SCIM_USER_SCHEMA}`);
    expect(userSchema.json.id).toBe(SCIM_USER_SCHEMA);
    const names = (userSchema.json.attributes as Array<{ name: string }>).map((attribute) => attribute.name);
    expect(names).not.toContain('password');
    expect((await call('GET', '/ResourceTypes')).json.totalResults).toBe(2);
    expect((await call('GET', '/ResourceTypes/Group')).json.endpoint).toBe('/Groups');
    expectScimError(await call('GET', '/Schemas/urn:nope'), 404);
  });

  it('unknown paths → 404, unsupported Bulk → 501, wrong method → 405, all as SCIM errors', async () => {
    expectScimError(await call('GET', '/Nope'), 404);
    expectScimError(await call('POST', '/Bulk', { body: {} }), 501);
    expectScimError(await call('DELETE', '/ServiceProviderConfig'), 405);
    expectScimError(await call('PATCH', '/Users', { body: {} }), 405);
  });
});

describe('robustness: malformed input never gives a 500', () => {
  /** Deterministic generator (mulberry32) so a failure reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pieces = [
    '"',
    '[',
    ']',
    '(',
    ')',
    ' eq ',
    ' and ',
    ' or ',
    'not',
    ' pr',
    'userName',
    'emails[type eq "work"]',
    '.value',
    'urn:ietf:params:scim:schemas:core:2.0:User:',
    '\\',
    '%',
    '%E0%A4%A',
    '{',
    '}',
    ':',
    ',',
    'null',
    'true',
    '1e999',
    '__proto__',
    'constructor',
    '\u0000',
    '💥',
    'members[value eq "x"]',
    'meta.lastModified gt ',
    "'",
    '*',
    ' co ',
    '0',
  ];

  function junk(next: () => number, size: number): string {
    let text = '';
    for (let index = 0; index < size; index += 1) text += pieces[Math.floor(next() * pieces.length)];
    return text;
  }

  it('hundreds of malformed filters, paths, bodies and PATCH documents', async () => {
    const next = random(20261125);
    const id = await createUser('fuzz@x.io');
    const group = await call('POST', '/Groups', { body: { schemas: [SCIM_GROUP_SCHEMA], displayName: 'F' } });
    const groupId = String(group.json.id);
    const statuses = new Set<number>();
    for (let round = 0; round < 300; round += 1) {
      const text = junk(next, 1 + Math.floor(next() * 8));
      const kind = round % 6;
      let reply: Reply;
      if (kind === 0)
        reply = await call(
          'GET',
          `/Users?filter=${encodeURIComponent(text)}&sortBy=${encodeURIComponent(text)}`,
        );
      else if (kind === 1)
        reply = await call(
          'GET',
          `/Users/${encodeURIComponent(text)}?attributes=${encodeURIComponent(text)}`,
        );
      else if (kind === 2) reply = await call('POST', '/Users', { raw: text });
      else if (kind === 3) {
        reply = await call('PATCH', `/Users/${id}`, {
          body: {
            schemas: [SCIM_PATCH_OP_SCHEMA],
            Operations: [{ op: text.slice(0, 8), path: text, value: text }],
          },
        });
      } else if (kind === 4) {
        reply = await call('PATCH', `/Groups/${groupId}`, {
          body: {
            schemas: [SCIM_PATCH_OP_SCHEMA],
            Operations: [
              { op: 'remove', path: `members[${text}]` },
              { op: 'add', path: text, value: { [text]: text } },
            ],
          },
        });
      } else {
        reply = await call('PUT', `/Users/${id}`, { raw: `{"schemas":["${SCIM_USER_SCHEMA}"],${text}}` });
      }
      statuses.add(reply.status);
      expect(reply.status, `${kind} ${JSON.stringify(text)}`).toBeLessThan(500);
      if (reply.status >= 400) expect(reply.json.schemas).toEqual([SCIM_ERROR_SCHEMA]);
    }
    expect(logged).toEqual([]);
    expect([...statuses].some((status) => status >= 400)).toBe(true);
  });

  it('deeply nested JSON is refused as 400 invalidSyntax before any recursive code sees it', async () => {
    const id = await createUser('deep@x.io');
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const raw = `{"schemas":["${SCIM_PATCH_OP_SCHEMA}"],"Operations":[{"op":"add","path":"x","value":${deep}}]}`;
    expectScimError(await call('PATCH', `/Users/${id}`, { raw }), 400, 'invalidSyntax');
    const brackets = `{"schemas":["${SCIM_PATCH_OP_SCHEMA}"],"Operations":[{"op":"add","path":"x","value":"${'['.repeat(60)}"}]}`;
    expect((await call('PATCH', `/Users/${id}`, { raw: brackets })).status).toBe(200);
  });

  it('a raw malformed percent-encoding in the path is a 4xx SCIM error', async () => {
    const reply = await call('GET', '/Users/%E0%A4%A');
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.json.schemas).toEqual([SCIM_ERROR_SCHEMA]);
  });
});
