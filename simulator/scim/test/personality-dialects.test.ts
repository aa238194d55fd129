// Pins the exact requests of the OneLogin, JumpCloud, Rippling and PingFederate dialects and Entra's manager
// PATCHes, with nock (issue #13; each quirk's source is cited in its dialect module).
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScimDialect } from '../dialect.ts';
import { createEntraDialect } from '../entra.ts';
import { createJumpCloudDialect, JUMPCLOUD_TEST_GROUP, JUMPCLOUD_TEST_USER } from '../jumpcloud.ts';
import type { PushPerson } from '../model.ts';
import { createOneLoginDialect, ONELOGIN_PROBE_USERNAME } from '../onelogin.ts';
import { createPingDialect } from '../ping.ts';
import { ScimPusher } from '../pusher.ts';
import { createRipplingDialect } from '../rippling.ts';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '../wire.ts';

const ORIGIN = 'https://personality-target.example.test';
const BASE = `${ORIGIN}/scim/v2`;
const KEY = 'k3y-personality';
const SCIM_JSON = 'application/scim+json';

const ada: PushPerson = {
  id: 'idp-ada',
  userName: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: 'ada@example.com',
  active: true,
};

const emptyList = { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0, Resources: [] };

function pusher(dialect: ScimDialect): ScimPusher {
  return new ScimPusher({
    baseUrl: BASE,
    key: KEY,
    dialect,
    retry: { maxAttempts: 1 },
    sleep: async () => {},
  });
}

function target(mediaType = SCIM_JSON, withBody = false, authorization = `Bearer ${KEY}`) {
  const reqheaders: Record<string, string> = { accept: mediaType, authorization };
  if (withBody) reqheaders['content-type'] = mediaType;
  return nock(ORIGIN, { reqheaders });
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('OneLogin', () => {
  const json = 'application/json';

  it('connection test: a userName filter for a user that does not exist passes on an empty list and on 404', async () => {
    const probe = { filter: `userName eq "${ONELOGIN_PROBE_USERNAME}"` };
    target(json).get('/scim/v2/Users').query(probe).reply(200, emptyList);
    target(json).get('/scim/v2/Users').query(probe).reply(404, { detail: 'not found' });
    target(json).get('/scim/v2/Users').query(probe).reply(401, { detail: 'bad token' });
    const p = pusher(createOneLoginDialect());
    await expect(p.testCredentials()).resolves.toMatchObject({ ok: true, status: 200 });
    await expect(p.testCredentials()).resolves.toMatchObject({ ok: true, status: 404 });
    await expect(p.testCredentials()).resolves.toMatchObject({ ok: false, reason: 'invalid_key' });
  });

  it('creates from its template, updates and deactivates users by PUT without a GET, groups by PATCH', async () => {
    const template = {
      schemas: [USER_SCHEMA],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      active: true,
    };
    target(json)
      .get('/scim/v2/Users')
      .query({ filter: 'userName eq "ada@example.com"' })
      .reply(200, emptyList);
    target(json, true)
      .post('/scim/v2/Users', template)
      .reply(201, { id: 'u-1', ...template });
    target(json, true)
      .put('/scim/v2/Users/u-1', {
        ...template,
        name: { givenName: 'Ada', familyName: 'King', formatted: 'Ada King' },
        id: 'u-1',
      })
      .reply(200, { id: 'u-1' });
    target(json, true)
      .put('/scim/v2/Users/u-1', {
        ...template,
        name: { givenName: 'Ada', familyName: 'King', formatted: 'Ada King' },
        active: false,
        id: 'u-1',
      })
      .reply(200, { id: 'u-1' });
    target(json, true)
      .post('/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Analysts', members: [] })
      .reply(201, { id: 'g-1', displayName: 'Analysts' });
    target(json, true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'u-1' }] }],
      })
      .reply(204);
    target(json, true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Engine Analysts' }],
      })
      .reply(204);
    const p = pusher(createOneLoginDialect());
    await expect(p.pushUser(ada)).resolves.toMatchObject({ action: 'created' });
    await expect(p.pushUser({ ...ada, familyName: 'King' })).resolves.toMatchObject({ action: 'updated' });
    await expect(p.deactivateUser(ada.id)).resolves.toMatchObject({ action: 'deactivated' });
    const group = { id: 'grp', displayName: 'Analysts', memberIds: [ada.id] };
    await expect(p.pushGroup(group)).resolves.toMatchObject({ action: 'created', added: 1 });
    await expect(p.renameGroup(group.id, 'Engine Analysts')).resolves.toMatchObject({ renamed: true });
    const reads = p.transcript.filter(
      (exchange) => exchange.method === 'GET' && exchange.url.endsWith('/Users/u-1'),
    );
    expect(reads).toEqual([]);
  });
});

describe('JumpCloud', () => {
  it('Test Connection creates a test user and group and deletes both', async () => {
    target()
      .get('/scim/v2/Users')
      .query({ filter: `userName eq "${JUMPCLOUD_TEST_USER}"` })
      .reply(200, emptyList);
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', (body) => body.userName === JUMPCLOUD_TEST_USER && body.active === true)
      .reply(201, { id: 'test-u' });
    target(SCIM_JSON, true)
      .post('/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: JUMPCLOUD_TEST_GROUP, members: [] })
      .reply(201, { id: 'test-g' });
    target().delete('/scim/v2/Groups/test-g').reply(204);
    target().delete('/scim/v2/Users/test-u').reply(204);
    await expect(pusher(createJumpCloudDialect()).testCredentials()).resolves.toMatchObject({ ok: true });
  });

  it('Test Connection deactivates the test user when the target does not support DELETE', async () => {
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true).post('/scim/v2/Users').reply(201, { id: 'test-u' });
    target(SCIM_JSON, true).post('/scim/v2/Groups').reply(201, { id: 'test-g' });
    target().delete('/scim/v2/Groups/test-g').reply(204);
    target().delete('/scim/v2/Users/test-u').reply(405, { detail: 'DELETE not supported' });
    target(SCIM_JSON, true)
      .patch('/scim/v2/Users/test-u', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      })
      .reply(200, { id: 'test-u', active: false });
    await expect(pusher(createJumpCloudDialect()).testCredentials()).resolves.toMatchObject({ ok: true });
  });

  it('skips empty groups, takes over a same-name group, PATCHes members Entra-style and deletes unlinked groups', async () => {
    const p = pusher(createJumpCloudDialect());
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true).post('/scim/v2/Users').reply(201, { id: 'u-1', userName: ada.userName });
    // the app already holds "Ops" with someone else in it: JumpCloud takes it over and replaces the membership
    target()
      .get('/scim/v2/Groups')
      .query({ filter: 'displayName eq "Ops"' })
      .reply(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 1,
        Resources: [{ id: 'g-ops', displayName: 'Ops', members: [{ value: 'u-other' }] }],
      });
    target(SCIM_JSON, true)
      .patch('/scim/v2/Groups/g-ops', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: 'u-1' }] },
          { op: 'remove', path: 'members', value: [{ value: 'u-other' }] },
        ],
      })
      .reply(204);
    const summary = await p.reconcile({
      people: [ada],
      groups: [
        { id: 'grp-ops', displayName: 'Ops', memberIds: [ada.id] },
        { id: 'grp-empty', displayName: 'Nobody', memberIds: [] },
      ],
    });
    expect(summary.failures).toEqual([]);
    expect(summary.groups).toMatchObject({ linked: 1, created: 0 });
    // unbinding the group deletes it in the app and deactivates the person who had the app only through it
    target().delete('/scim/v2/Groups/g-ops').reply(204);
    target(SCIM_JSON, true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      })
      .reply(200, { id: 'u-1', active: false });
    const unbound = await p.reconcile({ people: [], groups: [] });
    expect(unbound.failures).toEqual([]);
    expect(unbound.groups.deleted).toBe(1);
    expect(unbound.users.deactivated).toBe(1);
  });
});

describe('Rippling', () => {
  it('sends only the declared attributes and PATCHes users by path', async () => {
    target().get('/scim/v2/Users').query({ filter: 'userName eq "ada@example.com"' }).reply(200, emptyList);
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', {
        schemas: [USER_SCHEMA],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ value: 'ada@example.com', primary: true }],
        active: true,
        externalId: 'idp-ada',
      })
      .reply(201, { id: 'u-1' });
    target(SCIM_JSON, true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'name.familyName', value: 'King' }],
      })
      .reply(200, { id: 'u-1' });
    const p = pusher(
      createRipplingDialect({
        attributes: ['externalId', 'emails.primary', 'name.givenName', 'name.familyName'],
      }),
    );
    await p.pushUser(ada);
    await expect(p.pushUser({ ...ada, familyName: 'King' })).resolves.toMatchObject({ action: 'updated' });
  });

  it('a narrower attribute list leaves undeclared attributes out', async () => {
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', { schemas: [USER_SCHEMA], userName: 'ada@example.com', active: true })
      .reply(201, { id: 'u-1' });
    await pusher(createRipplingDialect({ attributes: [] })).pushUser(ada);
  });

  it('mutually exclusive groups: a person is a member of one group only; groups by PUT without "Use PATCH"', async () => {
    const p = pusher(createRipplingDialect({ mutuallyExclusiveGroups: true, usePatchForGroups: false }));
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true).post('/scim/v2/Users').reply(201, { id: 'u-1' });
    for (const [name, id] of [
      ['Alpha', 'g-a'],
      ['Beta', 'g-b'],
    ] as const) {
      target()
        .get('/scim/v2/Groups')
        .query({ filter: `displayName eq "${name}"` })
        .reply(200, emptyList);
      target(SCIM_JSON, true)
        .post('/scim/v2/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: name,
          externalId: `grp-${name}`,
          members: [],
        })
        .reply(201, { id, displayName: name, members: [] });
    }
    // only Alpha (first by name) gets Ada, by GET + PUT
    target().get('/scim/v2/Groups/g-a').reply(200, { id: 'g-a', displayName: 'Alpha', members: [] });
    target(SCIM_JSON, true)
      .put('/scim/v2/Groups/g-a', { id: 'g-a', displayName: 'Alpha', members: [{ value: 'u-1' }] })
      .reply(200, { id: 'g-a' });
    const summary = await p.reconcile({
      people: [ada],
      groups: [
        { id: 'grp-Beta', displayName: 'Beta', memberIds: [ada.id] },
        { id: 'grp-Alpha', displayName: 'Alpha', memberIds: [ada.id] },
      ],
    });
    expect(summary.failures).toEqual([]);
  });

  it('without "Create & Delete Groups" groups are only matched to existing ones, never created or deleted', async () => {
    const p = pusher(createRipplingDialect({ createAndDeleteGroups: false }));
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true).post('/scim/v2/Users').reply(201, { id: 'u-1' });
    target().get('/scim/v2/Groups').query({ filter: 'displayName eq "Missing"' }).reply(200, emptyList);
    target()
      .get('/scim/v2/Groups')
      .query({ filter: 'displayName eq "Ops"' })
      .reply(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 1,
        Resources: [{ id: 'g-ops', displayName: 'Ops', members: [] }],
      });
    target(SCIM_JSON, true)
      .patch('/scim/v2/Groups/g-ops', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'u-1' }] }],
      })
      .reply(204);
    const summary = await p.reconcile({
      people: [ada],
      groups: [
        { id: 'grp-ops', displayName: 'Ops', memberIds: [ada.id] },
        { id: 'grp-missing', displayName: 'Missing', memberIds: [ada.id] },
      ],
    });
    expect(summary.groups.linked).toBe(1);
    expect(summary.failures.map((failure) => failure.code)).toEqual(['link_target_not_found']);
    // dropping the group from the IdP deletes nothing, even when asked to
    const dropped = await p.reconcile({ people: [ada], groups: [] }, { removedGroups: 'delete' });
    expect(dropped.writes).toBe(0);
  });

  it('without "Supports Groups" no group request is sent; without pagination no paging parameters', async () => {
    target().get('/scim/v2/Users').query({}).reply(200, emptyList);
    target().get('/scim/v2/Users').query(true).reply(200, emptyList);
    target(SCIM_JSON, true).post('/scim/v2/Users').reply(201, { id: 'u-1' });
    const p = pusher(createRipplingDialect({ supportsGroups: false, supportsPagination: false }));
    await expect(p.testCredentials()).resolves.toMatchObject({ ok: true });
    const summary = await p.reconcile({
      people: [ada],
      groups: [{ id: 'grp', displayName: 'Ignored', memberIds: [ada.id] }],
    });
    expect(summary.failures).toEqual([]);
    expect(p.transcript.some((exchange) => exchange.url.includes('/Groups'))).toBe(false);
  });
});

describe('PingFederate', () => {
  it('matches by userName, updates users by GET + PUT, finds groups by reading every group', async () => {
    target().get('/scim/v2/Users').query({ filter: 'userName eq "ada@example.com"' }).reply(200, emptyList);
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', {
        schemas: [USER_SCHEMA],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        displayName: 'Ada Lovelace',
        emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
        externalId: 'idp-ada',
        active: true,
      })
      .reply(201, { id: 'u-1' });
    target()
      .get('/scim/v2/Users/u-1')
      .reply(200, { id: 'u-1', userName: 'ada@example.com', title: 'Countess' });
    target(SCIM_JSON, true)
      .put('/scim/v2/Users/u-1', (body) => body.title === 'Countess' && body.active === false)
      .reply(200, { id: 'u-1' });
    // group lookup: no filter, pages of 100 until the name is found
    target()
      .get('/scim/v2/Groups')
      .query({ startIndex: '1', count: '100' })
      .reply(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 101,
        Resources: Array.from({ length: 100 }, (_, i) => ({ id: `g-${i}`, displayName: `Other ${i}` })),
      });
    target()
      .get('/scim/v2/Groups')
      .query({ startIndex: '101', count: '100' })
      .reply(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 101,
        Resources: [{ id: 'g-x', displayName: 'Pilots', members: [] }],
      });
    const p = pusher(createPingDialect());
    await p.pushUser(ada);
    await expect(p.deactivateUser(ada.id)).resolves.toMatchObject({ action: 'deactivated' });
    await expect(
      p.pushGroup({ id: 'grp', displayName: 'Pilots', memberIds: [] }, 'link', 'PILOTS'),
    ).resolves.toMatchObject({ appId: 'g-x' });
  });

  it('basic authentication; disabled users skipped unless "Provision disabled users"', async () => {
    const basic = `Basic ${Buffer.from('svc:s3cret').toString('base64')}`;
    const authentication = { kind: 'basic', username: 'svc', password: 's3cret' } as const;
    target(SCIM_JSON, false, basic).get('/scim/v2/Users').query(true).times(2).reply(200, emptyList);
    target(SCIM_JSON, true, basic)
      .post('/scim/v2/Users', (body) => body.active === false)
      .reply(201, { id: 'u-1', active: false });
    const off = pusher(createPingDialect({ authentication }));
    await expect(off.pushUser({ ...ada, active: false })).resolves.toMatchObject({ action: 'skipped' });
    const on = pusher(createPingDialect({ authentication, provisionDisabledUsers: true }));
    await expect(on.pushUser({ ...ada, active: false })).resolves.toMatchObject({ action: 'created' });
  });
});

describe('Entra manager through the enterprise extension', () => {
  const path = `${ENTERPRISE_USER_SCHEMA}:manager`;

  it.each([
    [false, ['Add', 'Replace', 'Remove']],
    [true, ['add', 'replace', 'remove']],
  ])('aadOptscim062020 %s: set (Add), change (Replace) and remove the manager', async (flag, ops) => {
    const p = pusher(createEntraDialect({ scim2020Compliance: flag }));
    const boss: PushPerson = {
      ...ada,
      id: 'idp-boss',
      userName: 'boss@example.com',
      email: 'boss@example.com',
    };
    const boss2: PushPerson = {
      ...boss,
      id: 'idp-boss2',
      userName: 'boss2@example.com',
      email: 'boss2@example.com',
    };
    const worker: PushPerson = { ...ada, managerId: 'idp-boss' };
    target().get('/scim/v2/Users').query(true).times(3).reply(200, emptyList);
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', (body) => body.userName === 'boss@example.com')
      .reply(201, { id: 'u-boss' });
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', (body) => body.userName === 'boss2@example.com')
      .reply(201, { id: 'u-boss2' });
    target(SCIM_JSON, true)
      .post('/scim/v2/Users', (body) => body.userName === 'ada@example.com' && !(path in body))
      .reply(201, { id: 'u-ada' });
    const managerPatch = (op: string, value?: string) =>
      target(SCIM_JSON, true)
        .patch('/scim/v2/Users/u-ada', {
          schemas: [PATCH_OP_SCHEMA],
          Operations: [value === undefined ? { op, path } : { op, path, value }],
        })
        .reply(200, { id: 'u-ada' });
    managerPatch(ops[0] ?? '', 'u-boss');
    expect((await p.reconcile({ people: [boss, boss2, worker], groups: [] })).failures).toEqual([]);
    managerPatch(ops[1] ?? '', 'u-boss2');
    expect(
      (await p.reconcile({ people: [boss, boss2, { ...worker, managerId: 'idp-boss2' }], groups: [] }))
        .failures,
    ).toEqual([]);
    managerPatch(ops[2] ?? '');
    expect(
      (await p.reconcile({ people: [boss, boss2, { ...worker, managerId: null }], groups: [] })).failures,
    ).toEqual([]);
    // nothing changed: no write
    const again = await p.reconcile({ people: [boss, boss2, { ...worker, managerId: null }], groups: [] });
    expect(again.writes).toBe(0);
  });
});
