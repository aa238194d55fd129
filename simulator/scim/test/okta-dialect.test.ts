// Pins the exact requests of the Okta dialect (Okta's SCIM 2.0 reference) with nock: method, path, query, headers, body.
// KEY-04, OKT-01..04, PRV-03, GRP-01..04, GRP-06.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushGroup, PushPerson } from '../model.ts';
import { createOktaDialect, OKTA_USER_AGENT } from '../okta.ts';
import { ScimPusher } from '../pusher.ts';
import { LIST_RESPONSE_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../wire.ts';

const ORIGIN = 'https://app.example.test';
const BASE = `${ORIGIN}/scim/v2`;
const KEY = 'k3y-okta';
const PATCH_OP = PATCH_OP_SCHEMA;

const ada: PushPerson = {
  id: '00u1ada',
  userName: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: 'ada@example.com',
  active: true,
};

const list = (resources: object[], totalResults = resources.length) => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});

function pusher(updateMode: 'patch' | 'put' = 'patch'): ScimPusher {
  return new ScimPusher({
    baseUrl: BASE,
    key: KEY,
    dialect: createOktaDialect({ updateMode }),
    retry: { maxAttempts: 1 },
    sleep: async () => {},
  });
}

/** Okta's headers on every request (reqheaders makes nock refuse a request without them). */
function okta(withBody = false) {
  const reqheaders: Record<string, string> = {
    accept: 'application/scim+json',
    authorization: `Bearer ${KEY}`,
    'user-agent': OKTA_USER_AGENT,
  };
  if (withBody) reqheaders['content-type'] = 'application/scim+json';
  return nock(ORIGIN, { reqheaders });
}

/** Creates ada through the create flow, so that a test can start from a provisioned user. */
async function provisioned(p: ScimPusher, person: PushPerson = ada, appId = 'u-1'): Promise<void> {
  okta().get('/scim/v2/Users').query(true).reply(200, list([]));
  okta(true)
    .post('/scim/v2/Users')
    .reply(201, { schemas: [USER_SCHEMA], id: appId, userName: person.userName, active: true });
  await p.pushUser(person);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('KEY-04 Test API Credentials (Okta)', () => {
  it('sends GET /Users?startIndex=1&count=2 with Okta headers and passes on a ListResponse', async () => {
    okta().get('/scim/v2/Users').query({ startIndex: '1', count: '2' }).reply(200, list([], 0));
    const p = pusher();
    await expect(p.testCredentials()).resolves.toEqual({ ok: true, status: 200, totalResults: 0 });
    expect(p.transcript[0]?.url).toBe(`${BASE}/Users?startIndex=1&count=2`);
    expect(p.transcript[0]?.requestHeaders.authorization).toBe('Bearer [redacted]');
  });

  it('also reads GET /Groups?startIndex=1&count=100 when groups are pushed', async () => {
    okta().get('/scim/v2/Users').query({ startIndex: '1', count: '2' }).reply(200, list([], 0));
    okta().get('/scim/v2/Groups').query({ startIndex: '1', count: '100' }).reply(200, list([], 0));
    await expect(pusher().testCredentials({ groups: true })).resolves.toMatchObject({ ok: true });
  });

  it.each([
    [401, 'Invalid API key', 'invalid_key'],
    [401, 'API key has been revoked', 'key_not_active'],
    [403, 'SCIM is not enabled for this team', 'scim_not_enabled'],
    [404, 'Not Found', 'not_found'],
  ])('answers %i "%s" with reason %s', async (status, detail, reason) => {
    okta()
      .get('/scim/v2/Users')
      .query({ startIndex: '1', count: '2' })
      .reply(status, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: String(status),
        detail,
      });
    const result = await pusher().testCredentials();
    expect(result).toMatchObject({ ok: false, status, reason, scimDetail: detail });
    expect(result.ok === false && result.message).toContain(detail);
  });
});

describe('OKT-03 create: look up by userName, then POST /Users (PRV-03: no password)', () => {
  it('sends the documented lookup and create body', async () => {
    okta()
      .get('/scim/v2/Users')
      .query({ filter: 'userName eq "ada@example.com"', startIndex: '1', count: '100' })
      .reply(200, list([]));
    okta(true)
      .post('/scim/v2/Users', {
        schemas: [USER_SCHEMA],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ primary: true, value: 'ada@example.com', type: 'work' }],
        displayName: 'Ada Lovelace',
        locale: 'en-US',
        externalId: '00u1ada',
        groups: [],
        active: true,
      })
      .reply(201, { schemas: [USER_SCHEMA], id: 'u-1', userName: 'ada@example.com', active: true });
    const p = pusher();
    await expect(p.pushUser(ada)).resolves.toEqual({ personId: '00u1ada', action: 'created', appId: 'u-1' });
    expect(p.transcript[0]?.url).toBe(
      `${BASE}/Users?filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100`,
    );
    expect(JSON.stringify(p.transcript[1]?.requestBody)).not.toContain('password');
  });

  it('links to a user that already exists with the same profile, sending no write', async () => {
    okta()
      .get('/scim/v2/Users')
      .query(true)
      .reply(
        200,
        list([
          {
            schemas: [USER_SCHEMA],
            id: 'u-9',
            userName: 'ada@example.com',
            name: { givenName: 'Ada', familyName: 'Lovelace' },
            emails: [{ primary: true, value: 'ada@example.com', type: 'work' }],
            active: true,
          },
        ]),
      );
    const p = pusher();
    await expect(p.pushUser(ada)).resolves.toEqual({ personId: '00u1ada', action: 'linked', appId: 'u-9' });
    expect(p.client.writeCount).toBe(0);
  });

  it('links and updates a found user whose profile differs', async () => {
    okta()
      .get('/scim/v2/Users')
      .query(true)
      .reply(
        200,
        list([
          {
            id: 'u-9',
            userName: 'ada@example.com',
            name: { givenName: 'A', familyName: 'Lovelace' },
            emails: [{ value: 'ada@example.com' }],
            active: true,
          },
        ]),
      );
    okta(true)
      .patch('/scim/v2/Users/u-9', {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            value: { name: { givenName: 'Ada', familyName: 'Lovelace' }, displayName: 'Ada Lovelace' },
          },
        ],
      })
      .reply(200, { id: 'u-9' });
    await expect(pusher().pushUser(ada)).resolves.toMatchObject({ action: 'linked', appId: 'u-9' });
  });
});

describe('OKT-04 updates: PATCH for catalogue apps, GET + PUT for AIW apps', () => {
  it('PATCHes only the changed attributes, and nothing when nothing changed', async () => {
    const p = pusher('patch');
    await provisioned(p);
    okta(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            value: { name: { givenName: 'Ada', familyName: 'King' }, displayName: 'Ada King' },
          },
        ],
      })
      .reply(200, { id: 'u-1' });
    await expect(p.pushUser({ ...ada, familyName: 'King' })).resolves.toMatchObject({ action: 'updated' });
    await expect(p.pushUser({ ...ada, familyName: 'King' })).resolves.toMatchObject({ action: 'unchanged' });
    expect(p.transcript).toHaveLength(3);
  });

  it('AIW: GETs the user and PUTs the whole object back, id and meta included', async () => {
    const p = pusher('put');
    await provisioned(p);
    const current = {
      schemas: [USER_SCHEMA],
      id: 'u-1',
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      emails: [{ primary: true, value: 'ada@example.com', type: 'work' }],
      active: true,
      meta: { resourceType: 'User', version: 'W/"1"' },
    };
    okta().get('/scim/v2/Users/u-1').reply(200, current);
    okta(true)
      .put('/scim/v2/Users/u-1', {
        schemas: [USER_SCHEMA],
        id: 'u-1',
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'King', formatted: 'Ada Lovelace' },
        emails: [{ primary: true, value: 'ada@example.com', type: 'work' }],
        displayName: 'Ada King',
        externalId: '00u1ada',
        active: true,
        meta: { resourceType: 'User', version: 'W/"1"' },
      })
      .reply(200, current);
    await expect(p.pushUser({ ...ada, familyName: 'King' })).resolves.toMatchObject({ action: 'updated' });
  });

  it('AIW: deactivation is a GET + PUT with active false', async () => {
    const p = pusher('put');
    await provisioned(p);
    okta()
      .get('/scim/v2/Users/u-1')
      .reply(200, { schemas: [USER_SCHEMA], id: 'u-1', userName: 'ada@example.com' });
    okta(true)
      .put(
        '/scim/v2/Users/u-1',
        (body: { active?: unknown; id?: unknown }) => body.active === false && body.id === 'u-1',
      )
      .reply(200, { id: 'u-1' });
    await expect(p.deactivateUser(ada.id)).resolves.toMatchObject({ action: 'deactivated' });
  });
});

describe('OKT-03 / DEA-01 deactivate and reactivate', () => {
  it('sends PATCH replace {active:false} with no path, then {active:true}', async () => {
    const p = pusher();
    await provisioned(p);
    okta(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      })
      .reply(200, { id: 'u-1', active: false });
    okta(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: true } }],
      })
      .reply(200, { id: 'u-1', active: true });
    await expect(p.deactivateUser(ada.id)).resolves.toMatchObject({ action: 'deactivated', appId: 'u-1' });
    await expect(p.reactivateUser(ada.id)).resolves.toMatchObject({ action: 'reactivated', appId: 'u-1' });
  });
});

describe('GRP-02 / GRP-04 group push and membership (Okta)', () => {
  const engineers: PushGroup = { id: '00g1', displayName: 'Engineers', memberIds: ['00u1ada'] };

  it('creates the group empty, then adds members by PATCH; a membership change removes by value filter', async () => {
    const p = pusher();
    await provisioned(p);
    await provisioned(
      p,
      { ...ada, id: '00u2bob', userName: 'bob@example.com', email: 'bob@example.com' },
      'u-2',
    );
    okta(true)
      .post('/scim/v2/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Engineers',
        members: [],
      })
      .reply(201, { id: 'g-1', displayName: 'Engineers', members: [] });
    okta(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'u-1', display: 'ada@example.com' }] }],
      })
      .reply(204);
    await expect(p.pushGroup(engineers, 'create')).resolves.toMatchObject({
      action: 'created',
      appId: 'g-1',
      added: 1,
    });

    okta(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'remove', path: 'members[value eq "u-1"]' },
          { op: 'add', path: 'members', value: [{ value: 'u-2', display: 'bob@example.com' }] },
        ],
      })
      .reply(204);
    await expect(p.pushMembership({ ...engineers, memberIds: ['00u2bob'] })).resolves.toMatchObject({
      action: 'updated',
      added: 1,
      removed: 1,
    });
  });

  it('renames with PATCH replace value {id, displayName} and deletes with DELETE', async () => {
    const p = pusher();
    okta(true).post('/scim/v2/Groups').reply(201, { id: 'g-1', displayName: 'Empty', members: [] });
    await p.pushGroup({ id: '00g2', displayName: 'Empty', memberIds: [] });
    okta(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { id: 'g-1', displayName: 'Renamed' } }],
      })
      .reply(204);
    okta().delete('/scim/v2/Groups/g-1').reply(204);
    await expect(p.renameGroup('00g2', 'Renamed')).resolves.toMatchObject({ renamed: true });
    await expect(p.deleteGroup('00g2')).resolves.toMatchObject({ action: 'deleted' });
    expect(p.appIdOfGroup('00g2')).toBeNull();
  });

  it('GRP-01: refuses a group whose members are not provisioned, before sending anything', async () => {
    const p = pusher();
    await expect(p.pushGroup(engineers)).rejects.toMatchObject({ code: 'members_not_provisioned' });
    expect(p.transcript).toHaveLength(0);
  });
});

describe('GRP-03 link to an existing empty group', () => {
  it('finds the group by name, checks it is empty and renames it to the IdP name', async () => {
    const p = pusher();
    okta()
      .get('/scim/v2/Groups')
      .query({ filter: 'displayName eq "team-eng"', startIndex: '1', count: '100' })
      .reply(200, list([{ id: 'g-7', displayName: 'team-eng', members: [] }]));
    okta(true)
      .patch('/scim/v2/Groups/g-7', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { id: 'g-7', displayName: 'Engineers' } }],
      })
      .reply(204);
    await expect(
      p.pushGroup({ id: '00g1', displayName: 'Engineers', memberIds: [] }, 'link', 'team-eng'),
    ).resolves.toMatchObject({ action: 'linked', appId: 'g-7', renamed: true });
  });

  it('refuses a group that has members', async () => {
    okta()
      .get('/scim/v2/Groups')
      .query(true)
      .reply(200, list([{ id: 'g-7', displayName: 'team-eng', members: [{ value: 'u-5' }] }]));
    await expect(
      pusher().pushGroup({ id: '00g1', displayName: 'Engineers', memberIds: [] }, 'link', 'team-eng'),
    ).rejects.toMatchObject({ code: 'link_target_not_empty' });
  });
});

describe('GRP-06 import groups', () => {
  it('pages with count=100, startIndex +100 until totalResults', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => ({
      id: `g-${i}`,
      displayName: `G${i}`,
      members: [],
    }));
    const page2 = Array.from({ length: 20 }, (_, i) => ({
      id: `g-${100 + i}`,
      displayName: `G${100 + i}`,
      members: [{ value: 'u-1', display: 'ada' }],
    }));
    okta().get('/scim/v2/Groups').query({ startIndex: '1', count: '100' }).reply(200, list(page1, 120));
    okta().get('/scim/v2/Groups').query({ startIndex: '101', count: '100' }).reply(200, list(page2, 120));
    const groups = await pusher().importGroups();
    expect(groups).toHaveLength(120);
    expect(groups[119]).toEqual({
      id: 'g-119',
      displayName: 'G119',
      externalId: null,
      members: [{ value: 'u-1', display: 'ada' }],
    });
  });
});
