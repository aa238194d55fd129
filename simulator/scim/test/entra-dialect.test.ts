// Pins the exact requests of the Entra ID dialect, without and with the aadOptscim062020 flag, with nock.
// Microsoft Entra provisioning tutorial + "Known issues ... SCIM 2.0 protocol compliance"; OKT-03, GRP-02, GRP-04.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEntraDialect } from '../entra.ts';
import type { PushPerson } from '../model.ts';
import { ScimPusher } from '../pusher.ts';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from '../wire.ts';

const ORIGIN = 'https://entra-target.example.test';
const BASE = `${ORIGIN}/scim/v2`;
const KEY = 'k3y-entra';

const grace: PushPerson = {
  id: '6a1f-obj',
  userName: 'grace@example.com',
  givenName: 'Grace',
  familyName: 'Hopper',
  email: 'grace@example.com',
  active: true,
};

const emptyList = { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0, Resources: [] };

function pusher(scim2020Compliance: boolean): ScimPusher {
  return new ScimPusher({
    baseUrl: BASE,
    key: KEY,
    dialect: createEntraDialect({ scim2020Compliance }),
    retry: { maxAttempts: 1 },
    sleep: async () => {},
  });
}

function entra(withBody = false) {
  const reqheaders: Record<string, string> = {
    accept: 'application/scim+json',
    authorization: `Bearer ${KEY}`,
  };
  if (withBody) reqheaders['content-type'] = 'application/scim+json';
  return nock(ORIGIN, { reqheaders });
}

async function provisioned(p: ScimPusher, person: PushPerson = grace, appId = 'u-1'): Promise<void> {
  entra().get('/scim/v2/Users').query(true).reply(200, emptyList);
  entra(true).post('/scim/v2/Users').reply(201, { id: appId, userName: person.userName, active: true });
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

describe('Entra create flow (both modes)', () => {
  it('looks up with filter userName eq only, then POSTs the Entra body', async () => {
    entra().get('/scim/v2/Users').query({ filter: 'userName eq "grace@example.com"' }).reply(200, emptyList);
    entra(true)
      .post('/scim/v2/Users', {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        externalId: '6a1f-obj',
        userName: 'grace@example.com',
        active: true,
        displayName: 'Grace Hopper',
        emails: [{ primary: true, type: 'work', value: 'grace@example.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'Grace Hopper', familyName: 'Hopper', givenName: 'Grace' },
        roles: [],
      })
      .reply(201, { id: 'u-1', userName: 'grace@example.com', active: true });
    const p = pusher(false);
    await expect(p.pushUser(grace)).resolves.toMatchObject({ action: 'created', appId: 'u-1' });
    expect(p.transcript[0]?.url).toBe(`${BASE}/Users?filter=userName%20eq%20%22grace%40example.com%22`);
    expect(p.transcript[0]?.requestHeaders['user-agent']).toBeUndefined();
  });
});

describe('Entra without aadOptscim062020: capitalised ops, "False" strings, members removed by value list', () => {
  it('updates attributes one Replace op per value path', async () => {
    const p = pusher(false);
    await provisioned(p);
    entra(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'displayName', value: 'Grace Murray' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'gm@example.com' },
          { op: 'Replace', path: 'name.familyName', value: 'Murray' },
        ],
      })
      .reply(200, { id: 'u-1' });
    await expect(
      p.pushUser({ ...grace, familyName: 'Murray', email: 'gm@example.com' }),
    ).resolves.toMatchObject({
      action: 'updated',
    });
  });

  it('disables with {"op":"Replace","path":"active","value":"False"}', async () => {
    const p = pusher(false);
    await provisioned(p);
    entra(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      })
      .reply(200, { id: 'u-1', active: false });
    await expect(p.deactivateUser(grace.id)).resolves.toMatchObject({ action: 'deactivated' });
  });

  it('creates groups empty with externalId, adds members by value, removes with path members and a value list', async () => {
    const p = pusher(false);
    await provisioned(p);
    entra(true)
      .post('/scim/v2/Groups', {
        schemas: [GROUP_SCHEMA],
        externalId: 'grp-obj-1',
        displayName: 'Pilots',
        meta: { resourceType: 'Group' },
      })
      .reply(201, { id: 'g-1', displayName: 'Pilots' });
    entra(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u-1' }] }],
      })
      .reply(204);
    entra(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u-1' }] }],
      })
      .reply(204);
    entra(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Replace', path: 'displayName', value: 'Aviators' }],
      })
      .reply(204);
    const group = { id: 'grp-obj-1', displayName: 'Pilots', memberIds: [grace.id] };
    await expect(p.pushGroup(group)).resolves.toMatchObject({ action: 'created', added: 1 });
    await expect(p.pushMembership({ ...group, memberIds: [] })).resolves.toMatchObject({ removed: 1 });
    await expect(p.renameGroup(group.id, 'Aviators')).resolves.toMatchObject({ renamed: true });
  });

  it('finds groups by displayName with excludedAttributes=members', async () => {
    entra()
      .get('/scim/v2/Groups')
      .query({ excludedAttributes: 'members', filter: 'displayName eq "Pilots"' })
      .reply(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: 1,
        Resources: [{ id: 'g-1', displayName: 'Pilots' }],
      });
    entra().get('/scim/v2/Groups/g-1').reply(200, { id: 'g-1', displayName: 'Pilots', members: [] });
    await expect(
      pusher(false).pushGroup({ id: 'grp', displayName: 'Pilots', memberIds: [] }, 'link'),
    ).resolves.toMatchObject({ action: 'linked', appId: 'g-1', renamed: false });
  });
});

describe('Entra with aadOptscim062020: lower-case ops, booleans, members[value eq] removal, one no-path replace', () => {
  it('updates attributes with one no-path replace keyed by value paths', async () => {
    const p = pusher(true);
    await provisioned(p);
    entra(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { displayName: 'Grace Murray', 'name.familyName': 'Murray' } }],
      })
      .reply(200, { id: 'u-1' });
    await expect(p.pushUser({ ...grace, familyName: 'Murray' })).resolves.toMatchObject({
      action: 'updated',
    });
  });

  it('disables with a boolean and reactivates with true', async () => {
    const p = pusher(true);
    await provisioned(p);
    entra(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      })
      .reply(200, { id: 'u-1' });
    entra(true)
      .patch('/scim/v2/Users/u-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'active', value: true }],
      })
      .reply(200, { id: 'u-1' });
    await p.deactivateUser(grace.id);
    await expect(p.reactivateUser(grace.id)).resolves.toMatchObject({ action: 'reactivated' });
  });

  it('removes members with path members[value eq "id"]', async () => {
    const p = pusher(true);
    await provisioned(p);
    entra(true).post('/scim/v2/Groups').reply(201, { id: 'g-1', displayName: 'Pilots' });
    entra(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'u-1' }] }],
      })
      .reply(204);
    entra(true)
      .patch('/scim/v2/Groups/g-1', {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'remove', path: 'members[value eq "u-1"]' }],
      })
      .reply(204);
    const group = { id: 'grp', displayName: 'Pilots', memberIds: [grace.id] };
    await p.pushGroup(group);
    await expect(p.pushMembership({ ...group, memberIds: [] })).resolves.toMatchObject({ removed: 1 });
  });
});
