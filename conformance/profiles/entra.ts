// Microsoft Entra's SCIM validator test list offline, its requests sent in the simulator's Entra dialect.
// AzureAD/SCIMReferenceCode SCIM-Validation-Test-Overview.md; MicrosoftDocs/entra-docs scim-validator-tutorial.md.
import { createEntraDialect } from '../../simulator/scim/entra.ts';
import type { PushPerson } from '../../simulator/scim/model.ts';
import type { HttpReply } from '../target.ts';
import type { AcceptanceProfile, ProfileContext, ProfileTest } from './profile.ts';
import { described, fail, notApplicable, pass, record } from './profile.ts';

const dialect = createEntraDialect({ scim2020Compliance: true });
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The validator's pagination test needs at least this many users and reads them 5 at a time. */
export const ENTRA_PAGINATION_USERS = 11;
export const ENTRA_PAGE_SIZE = 5;
/** The provisioning service's throughput floor for a SCIM endpoint. */
export const ENTRA_MIN_REQUESTS_PER_SECOND = 25;

async function send(
  context: ProfileContext,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpReply> {
  const { authorization: _authorization, ...headers } = dialect.requestHeaders(
    context.scim.bearerKey,
    body !== undefined,
  );
  return context.scim.request(method, path, { headers, ...(body === undefined ? {} : { body }) });
}

function person(context: ProfileContext, n: number | string, changes: Partial<PushPerson> = {}): PushPerson {
  return {
    id: `entra-${context.unique}-${n}`,
    userName: `entra-${context.unique}-${n}@example.com`,
    givenName: 'Entra',
    familyName: `User ${n}`,
    email: `entra-${context.unique}-${n}@example.com`,
    active: true,
    ...changes,
  };
}

function ok(reply: HttpReply): boolean {
  return reply.status === 200 || reply.status === 204;
}

function resources(reply: HttpReply): Record<string, unknown>[] {
  const list = record(reply.json).Resources;
  return Array.isArray(list) ? list.map(record) : [];
}

async function createUser(context: ProfileContext, n: number | string): Promise<HttpReply> {
  return send(context, 'POST', '/Users', dialect.createUser(person(context, n)));
}

async function userId(context: ProfileContext, key: string, n: number | string): Promise<string | null> {
  const known = context.state.get(key);
  if (known !== undefined) return known;
  const reply = await createUser(context, n);
  const id = record(reply.json).id;
  if (reply.status !== 201 || typeof id !== 'string') return null;
  context.state.set(key, id);
  return id;
}

async function memberIds(context: ProfileContext, groupId: string): Promise<string[]> {
  const reply = await send(context, 'GET', `/Groups/${encodeURIComponent(groupId)}`);
  const members = record(reply.json).members;
  return Array.isArray(members) ? members.map((member) => String(record(member).value)) : [];
}

async function supportsEnterpriseManager(context: ProfileContext): Promise<boolean> {
  const reply = await send(context, 'GET', '/ResourceTypes/User');
  const extensions = record(reply.json).schemaExtensions;
  return Array.isArray(extensions) && extensions.some((extension) => record(extension).schema === ENTERPRISE);
}

const tests: ProfileTest[] = [
  {
    id: 'schema-discoverability',
    title: 'Schema discoverability: /ServiceProviderConfig, /Schemas and /ResourceTypes',
    expects: 'Each answers 200; /Schemas and /ResourceTypes are ListResponses naming User (and Group).',
    async run(context) {
      for (const path of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes']) {
        const reply = await send(context, 'GET', path);
        if (reply.status !== 200) return fail(`${path}: ${described(reply)}`);
      }
      const types = resources(await send(context, 'GET', '/ResourceTypes')).map((type) => type.name);
      return types.includes('User')
        ? pass(`resource types ${types.join(', ')}`)
        : fail(`no User resource type: ${JSON.stringify(types)}`);
    },
  },
  {
    id: 'user-create',
    title: 'User create (POST /Users with the core and enterprise schemas)',
    expects: 'HTTP 201 with an id; the enterprise extension schema in the body is accepted.',
    async run(context) {
      const reply = await createUser(context, 'main');
      if (reply.status !== 201) return fail(described(reply));
      context.state.set('user', String(record(reply.json).id));
      return pass('201');
    },
  },
  {
    id: 'filter-miss',
    title: 'A filter that matches nobody answers 200 with 0 results',
    expects: 'HTTP 200 with totalResults 0; a 404 here makes Entra fail every create.',
    async run(context) {
      const reply = await send(
        context,
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "entra-nobody-${context.unique}"`)}`,
      );
      return reply.status === 200 && record(reply.json).totalResults === 0
        ? pass('200, totalResults 0')
        : fail(described(reply));
    },
  },
  {
    id: 'user-filter',
    title: 'User lookup by userName finds the created user',
    expects: 'userName eq answers 200 with exactly that user.',
    async run(context) {
      const query = dialect.userLookup(person(context, 'main'));
      const reply = await send(
        context,
        'GET',
        `/Users?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      );
      const ids = resources(reply).map((resource) => resource.id);
      return ids.length === 1 && ids[0] === context.state.get('user')
        ? pass('found')
        : fail(described(reply));
    },
  },
  {
    id: 'user-update',
    title: 'User update (PATCH with Entra value paths)',
    expects: 'HTTP 200 or 204, and a GET shows the new givenName and familyName.',
    async run(context) {
      const id = context.state.get('user');
      if (id === undefined) return fail('no user from the create test');
      const update = dialect.updateUser(
        person(context, 'main', { givenName: 'Changed', familyName: 'Name' }),
        person(context, 'main'),
      );
      const reply = await send(context, 'PATCH', `/Users/${encodeURIComponent(id)}`, update);
      if (!ok(reply)) return fail(described(reply));
      const name = record(record((await send(context, 'GET', `/Users/${encodeURIComponent(id)}`)).json).name);
      return name.givenName === 'Changed' && name.familyName === 'Name'
        ? pass('new names on read-back')
        : fail(`read back ${JSON.stringify(name)}`);
    },
  },
  {
    id: 'null-update',
    title: 'Null update: an optional attribute set to an empty string, then to null',
    expects: 'Both PATCHes answer 200 or 204 (or a 400 SCIM error), never a 5xx.',
    async run(context) {
      const id = context.state.get('user');
      if (id === undefined) return fail('no user from the create test');
      for (const value of ['', null]) {
        const reply = await send(context, 'PATCH', `/Users/${encodeURIComponent(id)}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'externalId', value }],
        });
        if (reply.status >= 500 || (!ok(reply) && reply.status !== 400))
          return fail(`value ${JSON.stringify(value)}: ${described(reply)}`);
      }
      return pass('no server error');
    },
  },
  ...(['set', 'change', 'remove'] as const).map(
    (step): ProfileTest => ({
      id: `manager-${step}`,
      title: `Manager ${step} (enterprise extension manager by PATCH)`,
      expects:
        'PATCH on the enterprise manager answers 200 or 204 and a GET shows the change; n/a without the enterprise extension.',
      async run(context) {
        if (!(await supportsEnterpriseManager(context)))
          return notApplicable(
            '/ResourceTypes/User lists no enterprise extension: Entra will not map manager',
          );
        const id = context.state.get('user');
        const manager = await userId(
          context,
          step === 'change' ? 'manager2' : 'manager',
          step === 'change' ? 'mgr2' : 'mgr',
        );
        if (id === undefined || manager === null) return fail('no user or manager to work with');
        const path = `${ENTERPRISE}:manager`;
        const operation =
          step === 'remove'
            ? { op: 'remove', path }
            : { op: step === 'set' ? 'add' : 'replace', path, value: manager };
        const reply = await send(context, 'PATCH', `/Users/${encodeURIComponent(id)}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [operation],
        });
        if (!ok(reply)) return fail(described(reply));
        const read = record((await send(context, 'GET', `/Users/${encodeURIComponent(id)}`)).json);
        const value = record(record(read[ENTERPRISE]).manager).value;
        const expected = step === 'remove' ? undefined : manager;
        return value === expected
          ? pass(`manager is ${String(value)}`)
          : fail(`manager read back as ${JSON.stringify(value)}`);
      },
    }),
  ),
  {
    id: 'user-disable',
    title: 'User disable (PATCH active false)',
    expects: 'HTTP 200 or 204; the user stays readable with active false.',
    async run(context) {
      const id = context.state.get('user');
      if (id === undefined) return fail('no user from the create test');
      const reply = await send(
        context,
        'PATCH',
        `/Users/${encodeURIComponent(id)}`,
        dialect.setActive(false),
      );
      if (!ok(reply)) return fail(described(reply));
      const read = await send(context, 'GET', `/Users/${encodeURIComponent(id)}`);
      return record(read.json).active === false ? pass('active false on read-back') : fail(described(read));
    },
  },
  {
    id: 'group-create',
    title: 'Group create (POST /Groups, members added later)',
    expects: 'HTTP 201 with an id.',
    async run(context) {
      const reply = await send(
        context,
        'POST',
        '/Groups',
        dialect.createGroup({ id: `grp-${context.unique}`, displayName: `Entra ${context.unique}` }),
      );
      if (reply.status !== 201) return fail(described(reply));
      context.state.set('group', String(record(reply.json).id));
      return pass('201');
    },
  },
  {
    id: 'group-update',
    title: 'Group update (PATCH replace displayName)',
    expects: 'HTTP 200 or 204, and a GET shows the new displayName.',
    async run(context) {
      const id = context.state.get('group');
      if (id === undefined) return fail('no group from the create test');
      const name = `Entra renamed ${context.unique}`;
      const reply = await send(
        context,
        'PATCH',
        `/Groups/${encodeURIComponent(id)}`,
        dialect.renameGroup(id, name),
      );
      if (!ok(reply)) return fail(described(reply));
      const read = await send(context, 'GET', `/Groups/${encodeURIComponent(id)}`);
      return record(read.json).displayName === name ? pass('renamed') : fail(described(read));
    },
  },
  {
    id: 'member-add',
    title: 'Group member add (PATCH add members)',
    expects: 'HTTP 200 or 204, and the group lists the new member.',
    async run(context) {
      const group = context.state.get('group');
      const member = await userId(context, 'member1', 'm1');
      if (group === undefined || member === null) return fail('no group or member to work with');
      const reply = await send(
        context,
        'PATCH',
        `/Groups/${encodeURIComponent(group)}`,
        dialect.changeMembers(group, [{ value: member }], []),
      );
      if (!ok(reply)) return fail(described(reply));
      return (await memberIds(context, group)).includes(member)
        ? pass('member listed')
        : fail('the member is not listed');
    },
  },
  {
    id: 'multi-member-add',
    title: 'Several members added in one PATCH',
    expects: 'One PATCH adding three members answers 200 or 204, and all three are listed.',
    async run(context) {
      const group = context.state.get('group');
      if (group === undefined) return fail('no group from the create test');
      const ids: string[] = [];
      for (const n of ['m2', 'm3', 'm4']) {
        const id = await userId(context, `member-${n}`, n);
        if (id === null) return fail('could not create the members');
        ids.push(id);
      }
      const reply = await send(
        context,
        'PATCH',
        `/Groups/${encodeURIComponent(group)}`,
        dialect.changeMembers(
          group,
          ids.map((value) => ({ value })),
          [],
        ),
      );
      if (!ok(reply)) return fail(described(reply));
      const listed = await memberIds(context, group);
      const missing = ids.filter((id) => !listed.includes(id));
      return missing.length === 0 ? pass('all three listed') : fail(`${missing.length} of 3 missing`);
    },
  },
  {
    id: 'member-remove',
    title: 'Group member remove (PATCH remove members)',
    expects: 'HTTP 200 or 204, and the member is no longer listed while the others stay.',
    async run(context) {
      const group = context.state.get('group');
      const member = context.state.get('member1');
      if (group === undefined || member === undefined)
        return fail('no group or member from the earlier tests');
      const reply = await send(
        context,
        'PATCH',
        `/Groups/${encodeURIComponent(group)}`,
        dialect.changeMembers(group, [], [member]),
      );
      if (!ok(reply)) return fail(described(reply));
      const listed = await memberIds(context, group);
      return !listed.includes(member) && listed.length >= 3
        ? pass('removed, the others stay')
        : fail(`members now ${JSON.stringify(listed)}`);
    },
  },
  {
    id: 'group-delete',
    title: 'Group delete (optional)',
    expects: 'DELETE answers 204 and a GET then answers 404.',
    async run(context) {
      const group = context.state.get('group');
      if (group === undefined) return fail('no group from the create test');
      const reply = await send(context, 'DELETE', `/Groups/${encodeURIComponent(group)}`);
      if (reply.status !== 204) return fail(described(reply));
      const read = await send(context, 'GET', `/Groups/${encodeURIComponent(group)}`);
      return read.status === 404 ? pass('204, then 404') : fail(`after delete: ${described(read)}`);
    },
  },
  {
    id: 'user-delete',
    title: 'User delete (optional)',
    expects: 'DELETE answers 204 and a GET then answers 404.',
    async run(context) {
      const id = context.state.get('user');
      if (id === undefined) return fail('no user from the create test');
      const reply = await send(context, 'DELETE', `/Users/${encodeURIComponent(id)}`);
      if (reply.status !== 204) return fail(described(reply));
      const read = await send(context, 'GET', `/Users/${encodeURIComponent(id)}`);
      return read.status === 404 ? pass('204, then 404') : fail(`after delete: ${described(read)}`);
    },
  },
  {
    id: 'user-pagination',
    title: `User pagination: at least ${ENTRA_PAGINATION_USERS} users read ${ENTRA_PAGE_SIZE} at a time`,
    expects: `Pages of count=${ENTRA_PAGE_SIZE} hold at most ${ENTRA_PAGE_SIZE} users each, agree on totalResults, and together list each user once.`,
    async run(context) {
      for (let n = 0; n < ENTRA_PAGINATION_USERS; n += 1) {
        const reply = await createUser(context, `page-${n}`);
        if (reply.status !== 201) return fail(`creating user ${n}: ${described(reply)}`);
      }
      const first = await send(context, 'GET', `/Users?startIndex=1&count=${ENTRA_PAGE_SIZE}`);
      const total = record(first.json).totalResults;
      if (typeof total !== 'number' || total < ENTRA_PAGINATION_USERS)
        return fail(`totalResults ${JSON.stringify(total)}: ${described(first)}`);
      const seen = new Set<string>();
      for (let start = 1; start <= total; start += ENTRA_PAGE_SIZE) {
        const page = await send(context, 'GET', `/Users?startIndex=${start}&count=${ENTRA_PAGE_SIZE}`);
        const listed = resources(page);
        if (listed.length > ENTRA_PAGE_SIZE) return fail(`page at ${start} holds ${listed.length} users`);
        if (record(page.json).totalResults !== total)
          return fail(`page at ${start} says totalResults ${JSON.stringify(record(page.json).totalResults)}`);
        for (const user of listed) {
          if (seen.has(String(user.id))) return fail(`user ${String(user.id)} is on two pages`);
          seen.add(String(user.id));
        }
      }
      return seen.size === total
        ? pass(`${total} users on ${Math.ceil(total / ENTRA_PAGE_SIZE)} pages`)
        : fail(`${seen.size} users paged of ${total}`);
    },
  },
  {
    id: 'throughput',
    title: `At least ${ENTRA_MIN_REQUESTS_PER_SECOND} requests per second`,
    expects: `${ENTRA_MIN_REQUESTS_PER_SECOND * 2} userName lookups, 5 at a time, at ${ENTRA_MIN_REQUESTS_PER_SECOND} or more requests per second.`,
    async run(context) {
      const total = ENTRA_MIN_REQUESTS_PER_SECOND * 2;
      const started = performance.now();
      let failed = 0;
      for (let sent = 0; sent < total; sent += 5) {
        const batch = await Promise.all(
          [0, 1, 2, 3, 4].map((i) =>
            send(
              context,
              'GET',
              `/Users?filter=${encodeURIComponent(`userName eq "entra-rate-${context.unique}-${sent + i}"`)}`,
            ),
          ),
        );
        failed += batch.filter((reply) => reply.status !== 200).length;
      }
      const rate = total / ((performance.now() - started) / 1000);
      if (failed > 0) return fail(`${failed} of ${total} lookups did not answer 200`);
      return rate >= ENTRA_MIN_REQUESTS_PER_SECOND
        ? pass(`${rate.toFixed(0)} requests/s`)
        : fail(`${rate.toFixed(1)} requests/s`);
    },
  },
];

export const ENTRA_PROFILE: AcceptanceProfile = {
  name: 'entra',
  title: 'Microsoft Entra ID: SCIM validator test list',
  sources: [
    'AzureAD/SCIMReferenceCode: SCIM-Validation-Test-Overview.md (validator test list)',
    'MicrosoftDocs/entra-docs: docs/identity/app-provisioning/scim-validator-tutorial.md',
    'MicrosoftDocs/entra-docs: use-scim-to-provision-users-and-groups.md (request shapes of the Entra dialect, simulator/scim/entra.ts)',
  ],
  tests,
};
