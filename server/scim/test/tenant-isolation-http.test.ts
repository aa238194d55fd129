// Tenant isolation over SCIM HTTP (idsim #16/#17): the four steps of the reported takeover, the email change by
// PUT and by PATCH with and without a path, and a rename, all from another organisation's key; nothing is written.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_ERROR_SCHEMA, SCIM_PATCH_OP_SCHEMA, SCIM_USER_SCHEMA } from '../../../protocol/scim/schemas.ts';
import { createScimRouter } from '../../http/scim-router.ts';
import { createScimReadyTeam, createTeamService, type TeamService } from '../../service/index.ts';
import { openSqliteStore } from '../../store/index.ts';

let server: Server;
let base: string;
let service: TeamService;
let attackerKey: string;
let victimTeamId: string;

beforeAll(async () => {
  service = createTeamService(openSqliteStore({ path: ':memory:' }));
  const victim = createScimReadyTeam(service, {
    name: 'Acme',
    owner: { email: 'owner@acme.example', givenName: 'O', familyName: 'A' },
  });
  const attacker = createScimReadyTeam(service, {
    name: 'Evil',
    owner: { email: 'boss@evil-b.example', givenName: 'M', familyName: 'E' },
  });
  victimTeamId = victim.teamId;
  attackerKey = attacker.key;
  const victimOrg = service.getTeam(victim.teamId).organisationId;
  const attackerOrg = service.getTeam(attacker.teamId).organisationId;
  expect(victimOrg).not.toBe(attackerOrg);
  service.addDomain(victimOrg, 'acme.example');
  service.verifyDomain(victimOrg, 'acme.example');
  service.addDomain(attackerOrg, 'evil-b.example');
  service.verifyDomain(attackerOrg, 'evil-b.example');
  service.addMember(victim.teamId, victim.ownerId, {
    email: 'admin@acme.example',
    givenName: 'Ada',
    familyName: 'Admin',
    password: 'victim-pass-1',
    role: 'Super Admin',
  });
  // a person both teams added by hand (a collaborator in an unverified domain): the attacker may adopt the
  // membership (SSO-07), never the identity
  for (const [teamId, actor] of [
    [victim.teamId, victim.ownerId],
    [attacker.teamId, attacker.ownerId],
  ] as const) {
    service.addMember(teamId, actor, {
      email: 'pat@shared.example',
      givenName: 'Pat',
      familyName: 'Shared',
      role: 'Member',
    });
  }
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

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${attackerKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

const user = (userName: string, givenName = 'Mallory') => ({
  schemas: [SCIM_USER_SCHEMA],
  userName,
  name: { givenName, familyName: 'Evil' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  active: true,
});

const victimState = () => {
  const admin = service.findAccountByEmail('admin@acme.example');
  return { admin, teams: admin === null ? [] : service.listTeamsOfAccount(admin.id) };
};

describe('idsim #17 the reported takeover stops at step 2', () => {
  it("POST /Users with the victim Super Admin's email is a 403 SCIM error and writes nothing", async () => {
    const before = victimState();
    for (const userName of ['admin@acme.example', 'Admin@ACME.example']) {
      const reply = await call('POST', '/Users', user(userName));
      expect(reply.status).toBe(403);
      expect(reply.json?.schemas).toEqual([SCIM_ERROR_SCHEMA]);
    }
    expect(victimState()).toEqual(before);
    const search = await call('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName eq "admin@acme.example"',
    });
    expect(search.json?.totalResults).toBe(0);
  });

  it('a look-alike of the address is a 400 invalidValue, not a second door', async () => {
    for (const userName of ['\u212Admin@acme.example', ' admin@acme.example', 'admin@acme.example\u00a0']) {
      const reply = await call('POST', '/Users', user(userName));
      expect(reply.status).toBe(400);
      expect(reply.json?.scimType).toBe('invalidValue');
    }
  });
});

describe('idsim #16/#17 writes to an adopted shared account', () => {
  let id = '';
  beforeAll(async () => {
    const adopted = await call('POST', '/Users', user('pat@shared.example', 'Renamed'));
    expect(adopted.status).toBe(201);
    id = String(adopted.json?.id);
    // the victim team relies on the account: the attacker's names were not applied
    expect((adopted.json?.name as { givenName?: string } | undefined)?.givenName).toBe('Pat');
  });

  it.each([
    ['PUT', () => ['PUT', user('pat@evil-b.example')]],
    [
      'PATCH with a path',
      () => [
        'PATCH',
        {
          schemas: [SCIM_PATCH_OP_SCHEMA],
          Operations: [{ op: 'replace', path: 'userName', value: 'pat@evil-b.example' }],
        },
      ],
    ],
    [
      'PATCH without a path',
      () => [
        'PATCH',
        {
          schemas: [SCIM_PATCH_OP_SCHEMA],
          Operations: [{ op: 'replace', value: { userName: 'pat@evil-b.example' } }],
        },
      ],
    ],
  ] as const)('an email change by %s is a 403 and changes nothing', async (_how, request) => {
    const [method, body] = request();
    const reply = await call(method as string, `/Users/${id}`, body);
    expect(reply.status).toBe(403);
    expect(service.findAccountByEmail('pat@evil-b.example')).toBeNull();
    expect(service.findAccountByEmail('pat@shared.example')?.givenName).toBe('Pat');
  });

  it('a rename by PATCH answers with the names the account keeps; the victim team reads them unchanged', async () => {
    const reply = await call('PATCH', `/Users/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', path: 'name.givenName', value: 'Owned' }],
    });
    expect(reply.status).toBe(200);
    expect((reply.json?.name as { givenName?: string } | undefined)?.givenName).toBe('Pat');
    const inVictim = service
      .listMembers(victimTeamId)
      .find((member) => member.account.email === 'pat@shared.example');
    expect(inVictim?.account.givenName).toBe('Pat');
  });
});
