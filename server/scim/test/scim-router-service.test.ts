// The SCIM router over HTTP against the real TeamService on an in-memory SQLite store: the port's real adapter.
// RFC 7644 3.3-3.6; KEY-04, PRV-02, PRV-03, PRV-09, GRP-01, DEA-01 end to end through SQL filters.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SCIM_ERROR_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_PATCH_OP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '../../../protocol/scim/schemas.ts';
import { createScimRouter } from '../../http/scim-router.ts';
import { createScimReadyTeam, createTeamService } from '../../service/index.ts';
import { openSqliteStore } from '../../store/index.ts';

const IDP_CERT = readFileSync(
  new URL('../../../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);

let server: Server;
let base: string;
let key: string;
let revokedKey: string;
let setSeats: (seats: number) => void;

beforeAll(async () => {
  const service = createTeamService(openSqliteStore({ path: ':memory:' }));
  const ready = createScimReadyTeam(service, { licensedSeats: 10, idpCertificates: [IDP_CERT] });
  service.revokeScimKey(ready.teamId, ready.ownerId, ready.keyId);
  revokedKey = ready.key;
  key = service.generateScimKey(ready.teamId, ready.ownerId).key;
  setSeats = (seats) => void service.updateTeam(ready.teamId, ready.ownerId, { licensedSeats: seats });

  const app = express();
  app.set('etag', false);
  app.use('/scim/v2', createScimRouter(service));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function call(method: string, path: string, body?: unknown, bearer = key) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

function user(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [SCIM_USER_SCHEMA],
    userName,
    name: { givenName: 'Given', familyName: 'Family' },
    active: true,
    ...extra,
  };
}

describe('SCIM router on the TeamService and SQLite', () => {
  it('KEY-04: a revoked key is 401', async () => {
    const reply = await call('GET', '/Users', undefined, revokedKey);
    expect(reply.status).toBe(401);
    expect(reply.json.schemas).toEqual([SCIM_ERROR_SCHEMA]);
  });

  it('creates, finds by a case-insensitive userName filter, deactivates (DEA-01) and reads back', async () => {
    const created = await call('POST', '/Users', user('Ada.Lovelace@acme.test', { externalId: 'okta-1' }));
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const found = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ada.lovelace@ACME.test"')}`,
    );
    expect(found.json.totalResults).toBe(1);
    const patched = await call('PATCH', `/Users/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patched.status).toBe(200);
    expect(patched.json.active).toBe(false);
    const read = await call('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.json.active).toBe(false);
  });

  it('refuses PRV-02 (missing names), PRV-03 (password) and duplicates (409 uniqueness)', async () => {
    expect(
      (await call('POST', '/Users', user('x1@acme.test', { name: { givenName: 'A' } }))).json.scimType,
    ).toBe('invalidValue');
    expect((await call('POST', '/Users', user('x2@acme.test', { password: 'p' }))).status).toBe(400);
    await call('POST', '/Users', user('dup@acme.test'));
    const duplicate = await call('POST', '/Users', user('DUP@acme.test'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.scimType).toBe('uniqueness');
  });

  it('GRP-01: unknown members → 400 invalidValue naming them; groups patch members', async () => {
    const member = String((await call('POST', '/Users', user('grace@acme.test'))).json.id);
    const refused = await call('POST', '/Groups', {
      schemas: [SCIM_GROUP_SCHEMA],
      displayName: 'Ghosts',
      members: [{ value: 'no-such-user' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.scimType).toBe('invalidValue');
    expect(String(refused.json.detail)).toContain('no-such-user');
    expect(
      (await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Ghosts"')}`)).json
        .totalResults,
    ).toBe(0);

    const group = await call('POST', '/Groups', {
      schemas: [SCIM_GROUP_SCHEMA],
      displayName: 'Eng',
      members: [],
    });
    expect(group.status).toBe(201);
    const groupId = String(group.json.id);
    const added = await call('PATCH', `/Groups/${groupId}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: member }] }],
    });
    expect(added.status).toBe(204);
    const withMember = await call(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members[value eq "${member}"]`)}`,
    );
    expect(withMember.json.totalResults).toBe(1);
    await call('PATCH', `/Groups/${groupId}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'remove', path: `members[value eq "${member}"]` }],
    });
    expect((await call('GET', `/Groups/${groupId}`)).json.members).toEqual([]);
  });

  it('issue #12: externalId is not enforced unique (RFC 7643 3.1), and /Schemas says uniqueness none', async () => {
    const first = await call('POST', '/Users', user('twin.one@acme.test', { externalId: 'shared-ext' }));
    const second = await call('POST', '/Users', user('twin.two@acme.test', { externalId: 'shared-ext' }));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.externalId).toBe('shared-ext');
    const replaced = await call(
      'PUT',
      `/Users/${String(first.json.id)}`,
      user('twin.one@acme.test', { externalId: 'shared-ext' }),
    );
    expect(replaced.status).toBe(200);
    const schema = await call('GET', `/Schemas/${SCIM_USER_SCHEMA}`);
    const declared = (schema.json.attributes as Array<Record<string, unknown>>).find(
      (a) => a.name === 'externalId',
    );
    expect(declared?.uniqueness).toBe('none');
    await call('DELETE', `/Users/${String(first.json.id)}`);
    await call('DELETE', `/Users/${String(second.json.id)}`);
  });

  it('issue #12: the Group schema declares every sub-attribute a group member is returned with (members.type)', async () => {
    const member = await call('POST', '/Users', user('member.type@acme.test'));
    const group = await call('POST', '/Groups', {
      schemas: [SCIM_GROUP_SCHEMA],
      displayName: 'Typed members',
      members: [{ value: String(member.json.id) }],
    });
    expect(group.status).toBe(201);
    const schema = await call('GET', `/Schemas/${SCIM_GROUP_SCHEMA}`);
    const members = (schema.json.attributes as Array<Record<string, unknown>>).find(
      (a) => a.name === 'members',
    );
    const declared = new Set(
      ((members?.subAttributes ?? []) as Array<{ name: string }>).map((sub) => sub.name),
    );
    for (const returned of group.json.members as Array<Record<string, unknown>>) {
      for (const name of Object.keys(returned)) expect(declared, name).toContain(name);
    }
    expect(declared).toContain('type');
    await call('DELETE', `/Groups/${String(group.json.id)}`);
    await call('DELETE', `/Users/${String(member.json.id)}`);
  });

  it('issue #12: a root query answers 501 whether sent as GET /?filter= or POST /.search (RFC 7644 3.4.2.1, 3.4.3)', async () => {
    const get = await call('GET', `/?filter=${encodeURIComponent('userName pr')}`);
    const post = await call('POST', '/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName pr',
    });
    for (const reply of [get, post]) {
      expect(reply.status).toBe(501);
      expect(reply.json.schemas).toEqual([SCIM_ERROR_SCHEMA]);
      expect(reply.json.status).toBe('501');
    }
  });

  it('PRV-09: with every seat taken, a create is 403 "no seats available"', async () => {
    setSeats(1);
    const reply = await call('POST', '/Users', user('late@acme.test'));
    expect(reply.status).toBe(403);
    expect(reply.json.detail).toBe('no seats available');
  });
});
