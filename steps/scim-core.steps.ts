// Protocol steps for @scim-core: a plain SCIM client against any service provider, no product knowledge.
// RFC 7644 3.3 (create), 3.4.2 (filter, paging), 3.5 (PUT, PATCH), 3.6 (DELETE), 3.12 (errors), 3.14 (ETags), 4.
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { HttpReply } from '../conformance/target.ts';
import {
  SCIM_ERROR_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_LIST_RESPONSE_SCHEMA,
  SCIM_PATCH_OP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '../protocol/scim/schemas.ts';
import { scenarioSuffix } from './people.ts';
import type { IdsimWorld } from './world.ts';

type Json = Record<string, unknown>;

function suffix(world: IdsimWorld): string {
  let value = world.remembered.get('suffix');
  if (value === undefined) {
    value = scenarioSuffix();
    world.remembered.set('suffix', value);
  }
  return value;
}

/** Unique per scenario, so scenarios can share a target store that outlives them. */
function userNameOf(world: IdsimWorld, handle: string): string {
  return `${handle}.${suffix(world)}@scim-core.example`;
}

function groupNameOf(world: IdsimWorld, name: string): string {
  return `${name} ${suffix(world)}`;
}

function userBody(world: IdsimWorld, handle: string, extra: Json = {}): Json {
  return {
    schemas: [SCIM_USER_SCHEMA],
    userName: userNameOf(world, handle),
    name: { givenName: handle, familyName: 'Core' },
    active: true,
    ...extra,
  };
}

async function send(
  world: IdsimWorld,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; bearer?: string | null } = {},
): Promise<HttpReply> {
  const reply = await (await world.scim()).request(method, path, options);
  world.lastScimReply = reply;
  return reply;
}

function reply(world: IdsimWorld): HttpReply {
  assert.ok(world.lastScimReply, 'no SCIM request was sent');
  return world.lastScimReply;
}

function body(world: IdsimWorld): Json {
  const json = reply(world).json;
  assert.ok(json !== null && typeof json === 'object', `not JSON: ${reply(world).text.slice(0, 200)}`);
  return json as Json;
}

function idOf(world: IdsimWorld, kind: 'user' | 'group', handle: string): string {
  const id = world.remembered.get(`${kind}:${handle}`);
  assert.ok(id !== undefined, `no ${kind} "${handle}" in this scenario`);
  return id;
}

async function createUser(world: IdsimWorld, handle: string, extra: Json = {}): Promise<HttpReply> {
  const created = await send(world, 'POST', '/Users', { body: userBody(world, handle, extra) });
  const id = (created.json as Json | null)?.id;
  if (created.status === 201 && typeof id === 'string') world.remembered.set(`user:${handle}`, id);
  return created;
}

async function ensureUsers(world: IdsimWorld, handles: readonly string[]): Promise<void> {
  for (const handle of handles) {
    const created = await createUser(world, handle);
    assert.equal(created.status, 201, created.text);
  }
}

async function createGroup(world: IdsimWorld, name: string, handles: readonly string[]): Promise<HttpReply> {
  const created = await send(world, 'POST', '/Groups', {
    body: {
      schemas: [SCIM_GROUP_SCHEMA],
      displayName: groupNameOf(world, name),
      members: handles.map((handle) => ({ value: idOf(world, 'user', handle) })),
    },
  });
  const id = (created.json as Json | null)?.id;
  if (created.status === 201 && typeof id === 'string') world.remembered.set(`group:${name}`, id);
  return created;
}

function patchOp(operations: Json[]): Json {
  return { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations };
}

// ---- users

When('the client creates the user {string}', async function (this: IdsimWorld, handle: string) {
  await createUser(this, handle);
});

Given('the user {string} exists', async function (this: IdsimWorld, handle: string) {
  await ensureUsers(this, [handle]);
});

Given(
  'the users {string} and {string} exist',
  async function (this: IdsimWorld, first: string, second: string) {
    await ensureUsers(this, [first, second]);
  },
);

Given(
  'the users {string}, {string} and {string} exist',
  async function (this: IdsimWorld, a: string, b: string, c) {
    await ensureUsers(this, [a, b, c as string]);
  },
);

Given('the user {string} exists with a work email', async function (this: IdsimWorld, handle: string) {
  const created = await createUser(this, handle, {
    emails: [{ value: userNameOf(this, handle), type: 'work', primary: true }],
  });
  assert.equal(created.status, 201, created.text);
});

When('the client reads the user {string}', async function (this: IdsimWorld, handle: string) {
  await send(this, 'GET', `/Users/${idOf(this, 'user', handle)}`);
});

When('the client reads a user that does not exist', async function (this: IdsimWorld) {
  await send(this, 'GET', '/Users/00000000-0000-4000-8000-000000000000');
});

When(
  'the client replaces the user {string} with given name {string} and family name {string}',
  async function (this: IdsimWorld, handle: string, givenName: string, familyName: string) {
    await send(this, 'PUT', `/Users/${idOf(this, 'user', handle)}`, {
      body: userBody(this, handle, { name: { givenName, familyName } }),
    });
  },
);

When(
  /^the client patches the user "([^"]*)" with replace of value (\{.*\})$/,
  async function (this: IdsimWorld, handle: string, value: string) {
    await send(this, 'PATCH', `/Users/${idOf(this, 'user', handle)}`, {
      body: patchOp([{ op: 'replace', value: JSON.parse(value) as unknown }]),
    });
  },
);

When(
  'the client patches the user {string} with replace at {string} of value {string}',
  async function (this: IdsimWorld, handle: string, path: string, value: string) {
    await send(this, 'PATCH', `/Users/${idOf(this, 'user', handle)}`, {
      body: patchOp([{ op: 'replace', path, value }]),
    });
  },
);

When(
  'the client patches the user {string} with replace at {string} of a new email',
  async function (this: IdsimWorld, handle: string, path: string) {
    await send(this, 'PATCH', `/Users/${idOf(this, 'user', handle)}`, {
      body: patchOp([{ op: 'replace', path, value: userNameOf(this, `${handle}-new`) }]),
    });
  },
);

When('the client deletes the user {string}', async function (this: IdsimWorld, handle: string) {
  await send(this, 'DELETE', `/Users/${idOf(this, 'user', handle)}`);
});

When('the client creates a user without userName', async function (this: IdsimWorld) {
  await send(this, 'POST', '/Users', {
    body: { schemas: [SCIM_USER_SCHEMA], name: { givenName: 'No', familyName: 'Name' }, active: true },
  });
});

// ---- responses

Then('the response status is {int}', function (this: IdsimWorld, status: number) {
  assert.equal(reply(this).status, status, reply(this).text.slice(0, 300));
});

Then('the response status is {int} or {int}', function (this: IdsimWorld, first: number, second: number) {
  assert.ok(
    [first, second].includes(reply(this).status),
    `${reply(this).status}: ${reply(this).text.slice(0, 300)}`,
  );
});

Then('the response is a User resource with userName {string}', function (this: IdsimWorld, handle: string) {
  const resource = body(this);
  assert.ok(
    (resource.schemas as unknown[] | undefined)?.includes(SCIM_USER_SCHEMA),
    'core User schema missing',
  );
  assert.equal(String(resource.userName).toLowerCase(), userNameOf(this, handle).toLowerCase());
});

Then(
  'the response has an id, meta.resourceType {string} and a meta.location ending with its id',
  function (this: IdsimWorld, resourceType: string) {
    const resource = body(this);
    assert.equal(typeof resource.id, 'string');
    const meta = resource.meta as Json | undefined;
    assert.equal(meta?.resourceType, resourceType);
    assert.ok(String(meta?.location).endsWith(String(resource.id)), `location ${String(meta?.location)}`);
  },
);

Then(
  'the response is a SCIM error with status {int} and scimType {string}',
  function (this: IdsimWorld, status: number, scimType: string) {
    assert.equal(reply(this).status, status, reply(this).text.slice(0, 300));
    const error = body(this);
    assert.ok((error.schemas as unknown[] | undefined)?.includes(SCIM_ERROR_SCHEMA), 'Error schema missing');
    assert.equal(error.scimType, scimType);
  },
);

Then('the response is a SCIM error with status {int}', function (this: IdsimWorld, status: number) {
  assert.equal(reply(this).status, status, reply(this).text.slice(0, 300));
  const error = body(this);
  assert.ok((error.schemas as unknown[] | undefined)?.includes(SCIM_ERROR_SCHEMA), 'Error schema missing');
  // RFC 7644 3.12: "status" is the HTTP status code as a string
  assert.equal(error.status, String(status));
});

Then(
  'the response has name.givenName {string} and name.familyName {string}',
  function (this: IdsimWorld, givenName: string, familyName: string) {
    const name = body(this).name as Json | undefined;
    assert.deepEqual([name?.givenName, name?.familyName], [givenName, familyName]);
  },
);

Then('the response has name.givenName {string}', function (this: IdsimWorld, givenName: string) {
  assert.equal((body(this).name as Json | undefined)?.givenName, givenName);
});

Then('the response has active false', function (this: IdsimWorld) {
  assert.equal(body(this).active, false);
});

// ---- filters and paging

function filterPath(resource: string, filter: string): string {
  return `/${resource}?filter=${encodeURIComponent(filter)}`;
}

When(
  'the client lists users with filter userName eq the upper-cased userName of {string}',
  async function (this: IdsimWorld, handle: string) {
    await send(this, 'GET', filterPath('Users', `userName eq "${userNameOf(this, handle).toUpperCase()}"`));
  },
);

When(
  'the client lists users with filter userName eq the userName of {string} and active eq true',
  async function (this: IdsimWorld, handle: string) {
    await send(
      this,
      'GET',
      filterPath('Users', `userName eq "${userNameOf(this, handle)}" and active eq true`),
    );
  },
);

When(
  'the client lists users with filter userName eq the userName of {string} and attributes {string}',
  async function (this: IdsimWorld, handle: string, attributes: string) {
    const path = filterPath('Users', `userName eq "${userNameOf(this, handle)}"`);
    await send(this, 'GET', `${path}&attributes=${encodeURIComponent(attributes)}`);
  },
);

When(
  'the client lists groups with filter displayName eq {string} excluding {string}',
  async function (this: IdsimWorld, name: string, excluded: string) {
    const path = filterPath('Groups', `displayName eq "${groupNameOf(this, name)}"`);
    await send(this, 'GET', `${path}&excludedAttributes=${encodeURIComponent(excluded)}`);
  },
);

Then('every listed resource has an id and a userName and no name', function (this: IdsimWorld) {
  const listed = resources(listResponse(this));
  assert.ok(listed.length > 0, 'nothing listed');
  for (const resource of listed) {
    assert.equal(typeof resource.id, 'string');
    assert.equal(typeof resource.userName, 'string');
    assert.equal(resource.name, undefined);
  }
});

Then('no listed resource has {string}', function (this: IdsimWorld, attribute: string) {
  const listed = resources(listResponse(this));
  assert.ok(listed.length > 0, 'nothing listed');
  for (const resource of listed) assert.equal(resource[attribute], undefined);
});

When(
  'the client lists users with filter userName eq {string}',
  async function (this: IdsimWorld, value: string) {
    await send(this, 'GET', filterPath('Users', `userName eq "${value}"`));
  },
);

When(
  'the client lists users with the raw filter {string}',
  async function (this: IdsimWorld, filter: string) {
    await send(this, 'GET', filterPath('Users', filter));
  },
);

When(
  'the client lists users with startIndex {int} and count {int}',
  async function (this: IdsimWorld, startIndex: number, count: number) {
    await send(this, 'GET', `/Users?startIndex=${startIndex}&count=${count}`);
  },
);

function listResponse(world: IdsimWorld): Json {
  const list = body(world);
  assert.equal(reply(world).status, 200, reply(world).text.slice(0, 300));
  assert.ok(
    (list.schemas as unknown[] | undefined)?.includes(SCIM_LIST_RESPONSE_SCHEMA),
    'ListResponse schema missing',
  );
  return list;
}

function resources(list: Json): Json[] {
  return Array.isArray(list.Resources) ? (list.Resources as Json[]) : [];
}

Then('the response is a ListResponse with totalResults {int}', function (this: IdsimWorld, total: number) {
  assert.equal(listResponse(this).totalResults, total);
});

Then('the list holds the user {string}', function (this: IdsimWorld, handle: string) {
  const id = idOf(this, 'user', handle);
  assert.ok(resources(listResponse(this)).some((resource) => resource.id === id));
});

Then(
  'the response is a ListResponse with {int} resources, startIndex {int} and itemsPerPage {int}',
  function (this: IdsimWorld, count: number, startIndex: number, itemsPerPage: number) {
    const list = listResponse(this);
    assert.equal(resources(list).length, count);
    assert.equal(list.startIndex, startIndex);
    assert.equal(list.itemsPerPage, itemsPerPage);
  },
);

Then('the response is a ListResponse with {int} resources', function (this: IdsimWorld, count: number) {
  assert.equal(resources(listResponse(this)).length, count);
});

Then('the totalResults is at least {int}', function (this: IdsimWorld, minimum: number) {
  const total = listResponse(this).totalResults;
  assert.ok(typeof total === 'number' && total >= minimum, `totalResults ${String(total)}`);
});

// ---- groups

When(
  'the client creates the group {string} with {string}',
  async function (this: IdsimWorld, name: string, handle) {
    await createGroup(this, name, [handle as string]);
  },
);

Given('the group {string} exists', async function (this: IdsimWorld, name: string) {
  const created = await createGroup(this, name, []);
  assert.equal(created.status, 201, created.text);
});

Given(
  'the group {string} exists with {string}',
  async function (this: IdsimWorld, name: string, handle: string) {
    const created = await createGroup(this, name, [handle]);
    assert.equal(created.status, 201, created.text);
  },
);

Given(
  'the group {string} exists with {string} and {string}',
  async function (this: IdsimWorld, name: string, first: string, second: string) {
    const created = await createGroup(this, name, [first, second]);
    assert.equal(created.status, 201, created.text);
  },
);

function memberIds(group: Json): string[] {
  const members = Array.isArray(group.members) ? (group.members as Json[]) : [];
  return members.map((member) => String(member.value)).sort();
}

Then(
  'the response is a Group with displayName {string} and members {string}',
  function (this: IdsimWorld, name: string, handle: string) {
    const group = body(this);
    assert.equal(group.displayName, groupNameOf(this, name));
    assert.deepEqual(memberIds(group), [idOf(this, 'user', handle)]);
  },
);

When(
  'the client patches the group {string} adding {string}',
  async function (this: IdsimWorld, name: string, handle) {
    await send(this, 'PATCH', `/Groups/${idOf(this, 'group', name)}`, {
      body: patchOp([
        { op: 'add', path: 'members', value: [{ value: idOf(this, 'user', handle as string) }] },
      ]),
    });
  },
);

When(
  'the client patches the group {string} removing {string} by filter path',
  async function (this: IdsimWorld, name: string, handle: string) {
    await send(this, 'PATCH', `/Groups/${idOf(this, 'group', name)}`, {
      body: patchOp([{ op: 'remove', path: `members[value eq "${idOf(this, 'user', handle)}"]` }]),
    });
  },
);

async function groupMembers(world: IdsimWorld, name: string): Promise<string[]> {
  const read = await (await world.scim()).request('GET', `/Groups/${idOf(world, 'group', name)}`);
  assert.equal(read.status, 200, read.text);
  return memberIds(read.json as Json);
}

Then(
  'the group {string} has members {string} and {string}',
  async function (this: IdsimWorld, name: string, first: string, second: string) {
    const expected = [idOf(this, 'user', first), idOf(this, 'user', second)].sort();
    assert.deepEqual(await groupMembers(this, name), expected);
  },
);

Then(
  'the group {string} has members {string}',
  async function (this: IdsimWorld, name: string, handle: string) {
    assert.deepEqual(await groupMembers(this, name), [idOf(this, 'user', handle)]);
  },
);

When(
  'the client lists groups with filter displayName eq {string}',
  async function (this: IdsimWorld, name: string) {
    await send(this, 'GET', filterPath('Groups', `displayName eq "${groupNameOf(this, name)}"`));
  },
);

When('the client deletes the group {string}', async function (this: IdsimWorld, name: string) {
  await send(this, 'DELETE', `/Groups/${idOf(this, 'group', name)}`);
});

When('the client reads the group {string}', async function (this: IdsimWorld, name: string) {
  await send(this, 'GET', `/Groups/${idOf(this, 'group', name)}`);
});

// ---- versions and errors (RFC 7644 3.14)

Then('the response has an ETag header equal to meta.version', function (this: IdsimWorld) {
  const etag = reply(this).headers.etag;
  assert.ok(etag !== undefined, 'no ETag header');
  assert.equal(etag, (body(this).meta as Json | undefined)?.version);
});

Given('the client remembers the version of {string}', async function (this: IdsimWorld, handle: string) {
  const read = await send(this, 'GET', `/Users/${idOf(this, 'user', handle)}`);
  const version = ((read.json as Json).meta as Json | undefined)?.version;
  assert.equal(typeof version, 'string', 'the resource has no meta.version');
  this.remembered.set(`version:${handle}`, version as string);
});

Given('the user {string} was changed since', async function (this: IdsimWorld, handle: string) {
  const changed = await send(this, 'PUT', `/Users/${idOf(this, 'user', handle)}`, {
    body: userBody(this, handle, { name: { givenName: 'Changed', familyName: 'Since' } }),
  });
  assert.equal(changed.status, 200, changed.text);
});

When(
  'the client replaces the user {string} with the remembered version in If-Match',
  async function (this: IdsimWorld, handle: string) {
    const version = this.remembered.get(`version:${handle}`);
    assert.ok(version !== undefined);
    await send(this, 'PUT', `/Users/${idOf(this, 'user', handle)}`, {
      body: userBody(this, handle, { name: { givenName: 'Stale', familyName: 'Write' } }),
      headers: { 'if-match': version },
    });
  },
);

When('the client lists users without credentials', async function (this: IdsimWorld) {
  await send(this, 'GET', '/Users', { bearer: null });
});

When('the client lists users with a wrong key', async function (this: IdsimWorld) {
  await send(this, 'GET', '/Users', { bearer: 'this-key-was-never-issued' });
});

// ---- discovery (RFC 7644 4)

When('the client reads {string}', async function (this: IdsimWorld, path: string) {
  await send(this, 'GET', path);
});

Then('the response has the schema {string}', function (this: IdsimWorld, schema: string) {
  assert.ok((body(this).schemas as unknown[] | undefined)?.includes(schema));
});

Then(/^the response states support for (.+)$/, function (this: IdsimWorld, list: string) {
  const config = body(this);
  for (const [, feature] of list.matchAll(/"([^"]+)"/g)) {
    const entry = config[feature as string] as Json | undefined;
    assert.equal(typeof entry?.supported, 'boolean', `${String(feature)}.supported missing`);
  }
});

Then(
  'the resource types include {string} and {string}',
  function (this: IdsimWorld, first: string, second: string) {
    const names = resources(body(this)).map((resource) => resource.name);
    assert.ok(names.includes(first) && names.includes(second), JSON.stringify(names));
  },
);

Then('the schemas include {string} and {string}', function (this: IdsimWorld, first: string, second: string) {
  const ids = resources(body(this)).map((resource) => resource.id);
  assert.ok(ids.includes(first) && ids.includes(second), JSON.stringify(ids));
});
