// Product steps where the IdP provisions people and groups into the team over SCIM, in Okta's request shapes
// (spec/idp-dialects.md). Catalogue PRV-01..09, DEA-01, SSO-07, GRP-01..06, KEY-04, OKT-01..04.
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { HttpReply } from '../conformance/target.ts';
import {
  SCIM_ERROR_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_PATCH_OP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '../protocol/scim/schemas.ts';
import type { ScimDialect } from '../simulator/scim/dialect.ts';
import { createOktaDialect } from '../simulator/scim/okta.ts';
import { ScimPusher } from '../simulator/scim/pusher.ts';
import {
  choosePersonality,
  createBody,
  dialectOf,
  groupMembersPushed,
  linkGroupAs,
  personalityPusher,
  pushGroupAs,
  pushPerson,
  pushPersonOf,
  recordPusherExchange,
  setPersonActive,
} from './idp-personality.ts';
import { parseNames, sameSet } from './people.ts';
import type { IdsimWorld } from './world.ts';

interface UserShape {
  email: string;
  givenName?: string;
  familyName?: string;
  active?: boolean;
  extra?: Record<string, unknown>;
}

/** Okta's create body (idp-dialects.md "Create"): userName carries the email (PRV-01). */
function oktaUserBody(shape: UserShape): Record<string, unknown> {
  const name: Record<string, string> = {};
  if (shape.givenName !== undefined) name.givenName = shape.givenName;
  if (shape.familyName !== undefined) name.familyName = shape.familyName;
  const body: Record<string, unknown> = {
    schemas: [SCIM_USER_SCHEMA],
    userName: shape.email,
    name,
    emails: [{ primary: true, value: shape.email, type: 'work' }],
    displayName: `${shape.givenName ?? ''} ${shape.familyName ?? ''}`.trim(),
    locale: 'en-US',
    externalId: `okta-${shape.email}`,
    groups: [],
    ...(shape.extra ?? {}),
  };
  if (shape.active !== undefined) body.active = shape.active;
  return body;
}

function deactivation(active: boolean): Record<string, unknown> {
  return { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: { active } }] };
}

async function provision(
  world: IdsimWorld,
  name: string,
  shape: Partial<UserShape> = {},
): Promise<HttpReply> {
  const person = world.person(name);
  const dialect = dialectOf(world);
  if (dialect !== null) return provisionAs(world, dialect, name, shape);
  const scim = await world.scim();
  const reply = await scim.request('POST', '/Users', {
    body: oktaUserBody({
      email: person.email,
      givenName: name,
      familyName: 'Tester',
      active: true,
      ...shape,
    }),
  });
  world.lastScimReply = reply;
  const id = (reply.json as { id?: unknown } | null)?.id;
  if (reply.status === 201 && typeof id === 'string') person.scimId = id;
  return reply;
}

/**
 * issue #13: with a personality, the IdP's own pusher assigns the person (lookup, then create or link); a body with
 * additions (a password, a title) is that IdP's create body with them added.
 */
async function provisionAs(
  world: IdsimWorld,
  dialect: ScimDialect,
  name: string,
  shape: Partial<UserShape>,
): Promise<HttpReply> {
  const person = world.person(name);
  const email = shape.email ?? person.email;
  if (shape.extra !== undefined) {
    const body = { ...createBody(world, dialect, name, email), ...shape.extra };
    const reply = await (await world.scim()).request('POST', '/Users', { body });
    world.lastScimReply = reply;
    const id = (reply.json as { id?: unknown } | null)?.id;
    if (reply.status === 201 && typeof id === 'string') person.scimId = id;
    return reply;
  }
  const pushed = {
    ...pushPersonOf(world, name),
    userName: email,
    email,
    ...(shape.givenName === undefined ? {} : { givenName: shape.givenName }),
    ...(shape.familyName === undefined ? {} : { familyName: shape.familyName }),
  };
  await pushPerson(world, name, pushed);
  return lastReply(world);
}

function scimIdOf(world: IdsimWorld, name: string): string {
  const id = world.person(name).scimId;
  assert.ok(id !== null, `${name} was not provisioned through SCIM`);
  return id;
}

async function send(world: IdsimWorld, method: string, path: string, body?: unknown): Promise<HttpReply> {
  const reply = await (await world.scim()).request(method, path, body === undefined ? {} : { body });
  world.lastScimReply = reply;
  return reply;
}

function lastReply(world: IdsimWorld): HttpReply {
  assert.ok(world.lastScimReply, 'no SCIM request was sent');
  return world.lastScimReply;
}

Given('the IdP is {string}', function (this: IdsimWorld, idp: string) {
  choosePersonality(this, idp);
});

When('the IdP provisions {person}', async function (this: IdsimWorld, name: string) {
  await provision(this, name);
});

Given('the IdP has provisioned {person}', async function (this: IdsimWorld, name: string) {
  // OKT-03: provisioning follows assignment to the app, so the person can also sign in through the IdP
  this.idpAssigned.add(name);
  const reply = await provision(this, name);
  assert.equal(reply.status, 201, reply.text);
  // resolve the account now: later steps may change the email the lookup would use (PRV-08)
  await this.accountIdOf(name);
});

When(
  'the IdP provisions {person} with the email in upper case',
  async function (this: IdsimWorld, name: string) {
    await provision(this, name, { email: this.person(name).email.toUpperCase() });
  },
);

When(
  /^the IdP provisions (\w+) without (a given name|a family name|an active status)$/,
  async function (this: IdsimWorld, name: string, missing: string) {
    const person = this.person(name);
    const dialect = dialectOf(this);
    if (dialect !== null) {
      // the personality's create body with the attribute left out
      const body = createBody(this, dialect, name, person.email);
      const names = (body.name ?? {}) as Record<string, unknown>;
      if (missing === 'a given name') delete names.givenName;
      if (missing === 'a family name') delete names.familyName;
      if (missing === 'an active status') delete body.active;
      this.lastScimReply = await (await this.scim()).request('POST', '/Users', { body });
      return;
    }
    const shape: UserShape = { email: person.email, givenName: name, familyName: 'Tester', active: true };
    if (missing === 'a given name') delete shape.givenName;
    if (missing === 'a family name') delete shape.familyName;
    if (missing === 'an active status') delete shape.active;
    this.lastScimReply = await (await this.scim()).request('POST', '/Users', { body: oktaUserBody(shape) });
  },
);

When('the IdP provisions {person} with blank names', async function (this: IdsimWorld, name: string) {
  await provision(this, name, { givenName: '', familyName: '' });
});

When('the IdP provisions {person} with a password', async function (this: IdsimWorld, name: string) {
  await provision(this, name, { extra: { password: 'Synced-Password-1' } });
});

When(
  'the IdP provisions {person} with a title {string} and a phone number',
  async function (this: IdsimWorld, name: string, title: string) {
    await provision(this, name, {
      extra: { title, phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work' }] },
    });
  },
);

When(
  'the IdP renames {person} to {string} {string}',
  async function (this: IdsimWorld, name: string, givenName: string, familyName: string) {
    if (dialectOf(this) !== null) {
      await pushPerson(this, name, { ...pushPersonOf(this, name), givenName, familyName });
      return;
    }
    const id = scimIdOf(this, name);
    const current = await send(this, 'GET', `/Users/${id}`);
    const body = { ...(current.json as Record<string, unknown>), name: { givenName, familyName } };
    await send(this, 'PUT', `/Users/${id}`, body);
  },
);

When('the IdP deactivates {person}', async function (this: IdsimWorld, name: string) {
  if (dialectOf(this) !== null) return setPersonActive(this, name, false);
  await send(this, 'PATCH', `/Users/${scimIdOf(this, name)}`, deactivation(false));
});

When('the IdP reactivates {person}', async function (this: IdsimWorld, name: string) {
  if (dialectOf(this) !== null) return setPersonActive(this, name, true);
  await send(this, 'PATCH', `/Users/${scimIdOf(this, name)}`, deactivation(true));
});

async function changeEmail(world: IdsimWorld, name: string, email: string): Promise<void> {
  if (dialectOf(world) !== null) {
    await pushPerson(world, name, { ...pushPersonOf(world, name), userName: email, email });
    return;
  }
  const id = scimIdOf(world, name);
  const current = await send(world, 'GET', `/Users/${id}`);
  const body = {
    ...(current.json as Record<string, unknown>),
    userName: email,
    emails: [{ primary: true, value: email, type: 'work' }],
  };
  await send(world, 'PUT', `/Users/${id}`, body);
}

When(
  "the IdP changes {person}'s email to {string} at the team domain",
  async function (this: IdsimWorld, name: string, local: string) {
    await changeEmail(this, name, `${local}@${this.teamFixture.domain}`);
  },
);

When(
  "the IdP changes {person}'s email to {string}",
  async function (this: IdsimWorld, name: string, email: string) {
    await changeEmail(this, name, email);
  },
);

Then(
  "{person}'s account email is {string} at the team domain",
  async function (this: IdsimWorld, name, local) {
    const account = await this.control.getAccount(await this.accountIdOf(name as string));
    assert.equal(account.email.toLowerCase(), `${local as string}@${this.teamFixture.domain}`);
  },
);

Then(/^(\w+)'s account email is (?:her|his) SCIM userName$/, async function (this: IdsimWorld, name: string) {
  const resource = await send(this, 'GET', `/Users/${scimIdOf(this, name)}`);
  const account = await this.control.getAccount(await this.accountIdOf(name));
  assert.equal(
    account.email.toLowerCase(),
    String((resource.json as { userName?: unknown }).userName).toLowerCase(),
  );
});

Then(
  "{person}'s account is named {string} {string}",
  async function (this: IdsimWorld, name: string, givenName: string, familyName: string) {
    const account = await this.control.getAccount(await this.accountIdOf(name));
    assert.deepEqual([account.givenName, account.familyName], [givenName, familyName]);
  },
);

Then('the SCIM request succeeds with status {int}', function (this: IdsimWorld, status: number) {
  const reply = lastReply(this);
  assert.equal(reply.status, status, reply.text);
});

function assertScimError(reply: HttpReply, status: number): Record<string, unknown> {
  assert.equal(reply.status, status, reply.text);
  const body = reply.json as Record<string, unknown> | null;
  assert.ok(
    body !== null && Array.isArray(body.schemas) && body.schemas.includes(SCIM_ERROR_SCHEMA),
    reply.text,
  );
  return body;
}

Then('the SCIM request is refused with status {int}', function (this: IdsimWorld, status: number) {
  assertScimError(lastReply(this), status);
});

Then(
  'the SCIM request is refused with status {int} and scimType {string}',
  function (this: IdsimWorld, status: number, scimType: string) {
    assert.equal(assertScimError(lastReply(this), status).scimType, scimType);
  },
);

Then(
  'the SCIM request is refused with status {int} and detail {string}',
  function (this: IdsimWorld, status: number, detail: string) {
    assert.match(String(assertScimError(lastReply(this), status).detail), new RegExp(detail, 'i'));
  },
);

Then(
  "{person}'s SCIM resource has no title and no phone number",
  async function (this: IdsimWorld, name: string) {
    const resource = (await send(this, 'GET', `/Users/${scimIdOf(this, name)}`)).json as Record<
      string,
      unknown
    >;
    assert.equal(resource.title, undefined);
    assert.equal(resource.phoneNumbers, undefined);
  },
);

Then(
  /^(\w+)'s SCIM resource carries (?:her|his) username, given name and family name$/,
  async function (this: IdsimWorld, name: string) {
    const resource = (await send(this, 'GET', `/Users/${scimIdOf(this, name)}`)).json as {
      userName?: string;
      name?: { givenName?: string; familyName?: string };
    };
    assert.equal(resource.userName?.toLowerCase(), this.person(name).email);
    assert.deepEqual([resource.name?.givenName, resource.name?.familyName], [name, 'Tester']);
  },
);

Then('the IdP can still read {person} with active false', async function (this: IdsimWorld, name: string) {
  const reply = await send(this, 'GET', `/Users/${scimIdOf(this, name)}`);
  assert.equal(reply.status, 200);
  assert.equal((reply.json as { active?: unknown }).active, false);
});

Then("{person}'s seat is free again", async function (this: IdsimWorld, name: string) {
  const teamId = this.teamFixture.teamId;
  const accountId = await this.accountIdOf(name);
  const [team, members] = [await this.control.getTeam(teamId), await this.control.listMembers(teamId)];
  const active = members.filter((member) => member.status === 'active');
  assert.ok(!active.some((member) => member.account.id === accountId));
  assert.equal(team.seats.used, active.length);
});

When("the IdP's key is replaced by a wrong one", function (this: IdsimWorld) {
  this.scimDriver = this.target.scimWithKey('idsim_scim_this-key-was-never-issued');
});

When('the IdP tests its API credentials', async function (this: IdsimWorld) {
  if (dialectOf(this) !== null) {
    // the personality's own test (OneLogin's userName miss, JumpCloud's create-and-delete, ...)
    const check = await (await personalityPusher(this)).testCredentials();
    const status = check.ok ? 200 : (check.status ?? 0);
    this.lastScimReply = {
      status,
      headers: {},
      json: null,
      text: check.ok ? '' : check.message,
      setCookies: [],
    };
    return;
  }
  // Okta's "Test API Credentials" (idp-dialects.md): GET /Users?startIndex=1&count=2
  await send(this, 'GET', '/Users?startIndex=1&count=2');
});

Then('the credentials test succeeds', function (this: IdsimWorld) {
  assert.equal(lastReply(this).status, 200, lastReply(this).text);
});

Then('the credentials test fails', function (this: IdsimWorld) {
  assert.ok([401, 403].includes(lastReply(this).status), `status ${lastReply(this).status}`);
});

Then("the team's SCIM base URL ends with {string}", async function (this: IdsimWorld, suffix: string) {
  assert.ok((await this.scim()).baseUrl.endsWith(suffix), (await this.scim()).baseUrl);
});

Then('a request with the key in the Authorization header succeeds', async function (this: IdsimWorld) {
  assert.equal((await send(this, 'GET', '/Users?startIndex=1&count=1')).status, 200);
});

Then(
  'a request without the header is refused with status {int}',
  async function (this: IdsimWorld, status: number) {
    const reply = await (await this.scim()).request('GET', '/Users', { bearer: null });
    assert.equal(reply.status, status);
  },
);

/** OKT-04: the simulator's SCIM pusher speaking Okta's dialect for one of the two app kinds. */
async function pusherFor(world: IdsimWorld, app: string): Promise<ScimPusher> {
  const key = `pusher:${app}`;
  const known = world.pushers.get(key);
  if (known !== undefined) return known;
  const scim = await world.scim();
  const pusher = new ScimPusher({
    baseUrl: scim.baseUrl,
    key: scim.bearerKey,
    // the catalogue (OIN template) app PATCHes; the generic SCIM 2.0 test app (AIW) PUTs (idp-dialects.md)
    dialect: createOktaDialect({ updateMode: app === 'catalogue' ? 'patch' : 'put' }),
    keepTranscript: false,
    onExchange: (exchange) => recordPusherExchange(world, exchange),
  });
  world.pushers.set(key, pusher);
  return pusher;
}

When(
  /^the IdP's (catalogue|generic SCIM 2\.0 test) app (provisions|deactivates) (\w+)$/,
  async function (this: IdsimWorld, app: string, action: string, name: string) {
    const pusher = await pusherFor(this, app);
    const person = this.person(name);
    if (action === 'provisions') {
      const result = await pusher.pushUser({
        id: name,
        userName: person.email,
        givenName: name,
        familyName: 'Tester',
        email: person.email,
        active: true,
      });
      assert.equal(result.action, 'created');
      person.scimId = result.appId;
    } else {
      assert.equal((await pusher.deactivateUser(name)).action, 'deactivated');
    }
  },
);

// ---- groups (GRP-01..06)

function groupBody(displayName: string, memberIds: readonly string[]): Record<string, unknown> {
  return { schemas: [SCIM_GROUP_SCHEMA], displayName, members: memberIds.map((value) => ({ value })) };
}

async function pushGroup(
  world: IdsimWorld,
  displayName: string,
  names: readonly string[],
): Promise<HttpReply> {
  if (dialectOf(world) !== null) {
    await pushGroupAs(world, displayName, names);
    return lastReply(world);
  }
  const reply = await send(
    world,
    'POST',
    '/Groups',
    groupBody(
      displayName,
      names.map((name) => scimIdOf(world, name)),
    ),
  );
  const id = (reply.json as { id?: unknown } | null)?.id;
  if (reply.status === 201 && typeof id === 'string') world.groups.set(displayName, id);
  return reply;
}

function groupIdOf(world: IdsimWorld, displayName: string): string {
  const id = world.groups.get(displayName);
  assert.ok(id !== undefined, `the IdP has not pushed group "${displayName}"`);
  return id;
}

When(
  'the IdP pushes group {string} with {person} and a member the team has never seen',
  async function (this: IdsimWorld, displayName: string, name: string) {
    const unknown = '00000000-0000-4000-8000-00000000dead';
    await send(this, 'POST', '/Groups', groupBody(displayName, [scimIdOf(this, name), unknown]));
  },
);

When(
  /^the IdP pushes group "([^"]+)" with (\w+(?:, \w+)*(?: and \w+)?)$/,
  async function (this: IdsimWorld, group, list) {
    await pushGroup(this, group as string, parseNames(list as string));
  },
);

Given(
  /^the IdP has pushed group "([^"]+)" with (\w+(?:, \w+)*(?: and \w+)?)$/,
  async function (this: IdsimWorld, group: string, list: string) {
    const reply = await pushGroup(this, group, parseNames(list));
    assert.equal(reply.status, 201, reply.text);
  },
);

Then('the team has no group {string}', async function (this: IdsimWorld, displayName: string) {
  const groups = await this.control.listGroups(this.teamFixture.teamId);
  assert.ok(!groups.some((group) => group.displayName === displayName));
});

Then(
  /^the team group "([^"]+)" has members (\w+(?:, \w+)*(?: and \w+)?)$/,
  async function (this: IdsimWorld, displayName: string, list: string) {
    const groups = await this.control.listGroups(this.teamFixture.teamId);
    const group = groups.find((candidate) => candidate.displayName === displayName);
    assert.ok(group, `no team group "${displayName}"`);
    const names = parseNames(list);
    const accountIds = await Promise.all(names.map((name) => this.accountIdOf(name)));
    const scimIds = names.map((name) => this.person(name).scimId ?? '');
    // GroupView.memberIds may name accounts or SCIM resources; either way the set must match exactly
    assert.ok(
      sameSet(group.memberIds, accountIds) || sameSet(group.memberIds, scimIds),
      `members ${JSON.stringify(group.memberIds)}`,
    );
  },
);

Given(
  '{person} creates the team group {string}',
  async function (this: IdsimWorld, name: string, group: string) {
    await this.control.createGroup(this.teamFixture.teamId, await this.accountIdOf(name), {
      displayName: group,
    });
  },
);

Given(
  '{person} creates the team group {string} with {person} in it',
  async function (this: IdsimWorld, name: string, group: string, memberName: string) {
    const { teamId } = this.teamFixture;
    const actor = await this.accountIdOf(name);
    const created = await this.control.createGroup(teamId, actor, { displayName: group });
    await this.control.addGroupMembers(teamId, actor, created.id, [await this.accountIdOf(memberName)]);
  },
);

When(
  'the IdP tries to link its group {string} to the team group {string}',
  async function (this: IdsimWorld, idpGroup: string, teamGroup: string) {
    // GRP-03: Okta's "link" renames the matched team group first; a group with members must be refused
    const found = await send(
      this,
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "${teamGroup}"`)}`,
    );
    const id = (found.json as { Resources?: { id?: string }[] }).Resources?.[0]?.id;
    assert.ok(id !== undefined, `the IdP cannot see team group "${teamGroup}"`);
    await send(this, 'PATCH', `/Groups/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', value: { id, displayName: idpGroup } }],
    });
  },
);

When(
  /^the IdP links its group "([^"]+)" with (\w+(?:, \w+)*(?: and \w+)?) to the team group "([^"]+)"$/,
  async function (this: IdsimWorld, idpGroup: string, list: string, teamGroup: string) {
    if (dialectOf(this) !== null) return linkGroupAs(this, idpGroup, parseNames(list), teamGroup);
    // Okta "link": it imports the app's groups, matches one, then renames it and pushes membership by PATCH
    const found = await send(
      this,
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "${teamGroup}"`)}`,
    );
    const id = (found.json as { Resources?: { id?: string }[] }).Resources?.[0]?.id;
    assert.ok(id !== undefined, `the IdP cannot see team group "${teamGroup}"`);
    const members = parseNames(list).map((name) => ({ value: scimIdOf(this, name) }));
    const reply = await send(this, 'PATCH', `/Groups/${id}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [
        { op: 'replace', value: { id, displayName: idpGroup } },
        { op: 'add', path: 'members', value: members },
      ],
    });
    assert.ok([200, 204].includes(reply.status), reply.text);
    this.groups.set(idpGroup, id);
  },
);

When(
  'the IdP adds {person} to group {string}',
  async function (this: IdsimWorld, name: string, group: string) {
    if (dialectOf(this) !== null) return pushGroupAs(this, group, [...groupMembersPushed(this, group), name]);
    const reply = await send(this, 'PATCH', `/Groups/${groupIdOf(this, group)}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: scimIdOf(this, name), display: name }] }],
    });
    assert.ok([200, 204].includes(reply.status), reply.text);
  },
);

When(
  'the IdP removes {person} from group {string}',
  async function (this: IdsimWorld, name: string, group: string) {
    if (dialectOf(this) !== null) {
      return pushGroupAs(
        this,
        group,
        groupMembersPushed(this, group).filter((member) => member !== name),
      );
    }
    const reply = await send(this, 'PATCH', `/Groups/${groupIdOf(this, group)}`, {
      schemas: [SCIM_PATCH_OP_SCHEMA],
      Operations: [{ op: 'remove', path: `members[value eq "${scimIdOf(this, name)}"]` }],
    });
    assert.ok([200, 204].includes(reply.status), reply.text);
  },
);

When('the IdP reads its groups from the team', async function (this: IdsimWorld) {
  const dialect = dialectOf(this);
  if (dialect !== null) {
    const query = dialect
      .listPage(1)
      .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
      .join('&');
    await send(this, 'GET', query === '' ? '/Groups' : `/Groups?${query}`);
    return;
  }
  await send(this, 'GET', '/Groups?startIndex=1&count=100');
});

Then(
  /^the IdP sees group "([^"]+)" with members (\w+(?:, \w+)*(?: and \w+)?)$/,
  function (this: IdsimWorld, displayName: string, list: string) {
    const resources = (
      lastReply(this).json as { Resources?: { displayName?: string; members?: { value: string }[] }[] }
    ).Resources;
    const group = resources?.find((candidate) => candidate.displayName === displayName);
    assert.ok(group, `group "${displayName}" not listed`);
    const expected = parseNames(list).map((name) => scimIdOf(this, name));
    assert.ok(
      sameSet(
        (group.members ?? []).map((member) => member.value),
        expected,
      ),
      JSON.stringify(group.members),
    );
  },
);
