// Okta's OIN submission tests offline: the "SCIM 2.0 Spec Test" request sequence and the "CRUD" lifecycle, the latter
// sent in the simulator's Okta dialect instead of through a real org. Acceptance-profiles.md; sources cited below.
import type { ScimDialect } from '../../simulator/scim/dialect.ts';
import type { PushPerson } from '../../simulator/scim/model.ts';
import { createOktaDialect } from '../../simulator/scim/okta.ts';
import type { JsonObject } from '../../simulator/scim/wire.ts';
import type { HttpReply } from '../target.ts';
import type { AcceptanceProfile, ProfileContext, ProfileTest, TestVerdict } from './profile.ts';
import { described, fail, notApplicable, pass, record } from './profile.ts';

/**
 * okta/okta-developer-docs, guides/scim-provisioning-integration-prepare ("Test your SCIM API": the Runscope spec
 * test, SCIMFiles/ export): every request carries this user agent and asks for application/scim+json.
 */
export const OKTA_SPEC_TEST_USER_AGENT = 'OKTA SCIM Integration';
/** The spec test's optional Groups step must answer within this many milliseconds. */
export const OKTA_GROUPS_MAX_MS = 600;

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

function specHeaders(withBody = false): Record<string, string> {
  // The spec test posts its new user as application/json, not application/scim+json.
  return {
    'user-agent': OKTA_SPEC_TEST_USER_AGENT,
    accept: 'application/scim+json',
    'accept-charset': 'utf-8',
    ...(withBody ? { 'content-type': 'application/json' } : {}),
  };
}

function spec(
  context: ProfileContext,
  method: string,
  path: string,
  body?: unknown,
  bearer?: string,
): Promise<HttpReply> {
  return context.scim.request(method, path, {
    headers: specHeaders(body !== undefined),
    ...(body === undefined ? {} : { body }),
    ...(bearer === undefined ? {} : { bearer }),
  });
}

/** The fields the spec test reads from a user: id, name.givenName, name.familyName, userName, active, emails[0].value. */
function missingUserFields(user: Record<string, unknown>): string[] {
  const name = record(user.name);
  const emails = Array.isArray(user.emails) ? user.emails : [];
  const fields: [string, unknown][] = [
    ['id', user.id],
    ['name.givenName', name.givenName],
    ['name.familyName', name.familyName],
    ['userName', user.userName],
    ['active', user.active],
    ['emails[0].value', record(emails[0]).value],
  ];
  return fields.filter(([, value]) => value === undefined || value === null).map(([field]) => field);
}

function isList(reply: HttpReply): boolean {
  const schemas = record(reply.json).schemas;
  return reply.status === 200 && Array.isArray(schemas) && schemas.includes(LIST_SCHEMA);
}

function isError(reply: HttpReply, status: number): boolean {
  const body = record(reply.json);
  return reply.status === status && Array.isArray(body.schemas) && body.schemas.includes(ERROR_SCHEMA);
}

function randomUser(context: ProfileContext): JsonObject {
  return {
    schemas: [USER_SCHEMA],
    userName: `okta-spec-${context.unique}@example.com`,
    name: { givenName: 'Spec', familyName: `Test ${context.unique}` },
    emails: [{ primary: true, value: `okta-spec-${context.unique}@example.com`, type: 'work' }],
    active: true,
  };
}

const specTests: ProfileTest[] = [
  {
    id: 'spec-01',
    title: 'Required: GET /Users?count=1&startIndex=1 lists users with numeric paging fields',
    expects:
      'HTTP 200 and a ListResponse whose totalResults, itemsPerPage and startIndex are numbers, and whose first user ' +
      'has id, name.givenName, name.familyName, userName, active and emails[0].value.',
    async run(context) {
      // The hosted test expects the app to hold at least one user; an empty tenant gets one first.
      let reply = await spec(context, 'GET', '/Users?count=1&startIndex=1');
      if (isList(reply) && record(reply.json).totalResults === 0) {
        await spec(context, 'POST', '/Users', {
          ...randomUser(context),
          userName: `okta-seed-${context.unique}@example.com`,
        });
        reply = await spec(context, 'GET', '/Users?count=1&startIndex=1');
      }
      if (!isList(reply)) return fail(`not a 200 ListResponse: ${described(reply)}`);
      const list = record(reply.json);
      const nonNumeric = ['totalResults', 'itemsPerPage', 'startIndex'].filter(
        (key) => typeof list[key] !== 'number',
      );
      if (nonNumeric.length > 0) return fail(`${nonNumeric.join(', ')} not numbers: ${described(reply)}`);
      const first = record(Array.isArray(list.Resources) ? list.Resources[0] : undefined);
      const missing = missingUserFields(first);
      if (missing.length > 0) return fail(`the first user has no ${missing.join(', ')}: ${described(reply)}`);
      context.state.set('existingId', String(first.id));
      return pass(
        `a ListResponse with ${String(list.totalResults)} users; the first has every field Okta reads`,
      );
    },
  },
  {
    id: 'spec-02',
    title: 'Required: GET /Users/{id} returns that user with the same fields',
    expects: 'HTTP 200 with id, name.givenName, name.familyName, userName, active and emails[0].value.',
    async run(context) {
      const id = context.state.get('existingId');
      if (id === undefined) return fail('no user id from the first test');
      const reply = await spec(context, 'GET', `/Users/${encodeURIComponent(id)}`);
      if (reply.status !== 200) return fail(described(reply));
      const missing = missingUserFields(record(reply.json));
      return missing.length > 0
        ? fail(`no ${missing.join(', ')}: ${described(reply)}`)
        : pass('the user with every field');
    },
  },
  {
    id: 'spec-03',
    title: 'Required: a userName filter for a user that does not exist answers 200 with no results',
    expects: 'HTTP 200 and a ListResponse with totalResults 0 (not 404).',
    async run(context) {
      const filter = encodeURIComponent(`userName eq "okta-nobody-${context.unique}"`);
      const reply = await spec(context, 'GET', `/Users?filter=${filter}`);
      if (!isList(reply)) return fail(described(reply));
      return record(reply.json).totalResults === 0 ? pass('200 with totalResults 0') : fail(described(reply));
    },
  },
  {
    id: 'spec-04',
    title: 'Required: GET /Users/{unknown id} answers 404 with a SCIM Error',
    expects: 'HTTP 404 with the Error schema and a detail message.',
    async run(context) {
      const reply = await spec(context, 'GET', `/Users/${crypto.randomUUID()}`);
      if (!isError(reply, 404)) return fail(described(reply));
      return typeof record(reply.json).detail === 'string'
        ? pass('404 with the Error schema and a detail')
        : fail(`no detail: ${described(reply)}`);
    },
  },
  {
    id: 'spec-05',
    title: 'Required: the random user about to be created does not exist yet',
    expects: 'A userName filter on the random email answers 200 with totalResults 0.',
    async run(context) {
      const filter = encodeURIComponent(`userName eq "${String(randomUser(context).userName)}"`);
      const reply = await spec(context, 'GET', `/Users?filter=${filter}`);
      if (!isList(reply)) return fail(described(reply));
      return record(reply.json).totalResults === 0
        ? pass('not there yet')
        : fail(`already there: ${described(reply)}`);
    },
  },
  {
    id: 'spec-06',
    title: 'Required: POST /Users (sent as application/json) creates the user',
    expects: 'HTTP 201 with the new id, active true, and the userName, givenName and familyName sent.',
    async run(context) {
      const body = randomUser(context);
      const reply = await spec(context, 'POST', '/Users', body);
      const user = record(reply.json);
      if (reply.status !== 201) return fail(described(reply));
      const name = record(user.name);
      const sentName = record(body.name);
      if (user.active !== true) return fail(`active is ${JSON.stringify(user.active)}: ${described(reply)}`);
      if (
        String(user.userName).toLowerCase() !== String(body.userName).toLowerCase() ||
        name.givenName !== sentName.givenName ||
        name.familyName !== sentName.familyName
      ) {
        return fail(`the names sent are not echoed: ${described(reply)}`);
      }
      context.state.set('createdId', String(user.id));
      return pass(`201, user ${String(user.id)}`);
    },
  },
  {
    id: 'spec-07',
    title: 'Required: GET /Users/{new id} reads the new user back',
    expects: 'HTTP 200 with the same userName.',
    async run(context) {
      const id = context.state.get('createdId');
      if (id === undefined) return fail('no user was created by the previous test');
      const reply = await spec(context, 'GET', `/Users/${encodeURIComponent(id)}`);
      const same =
        String(record(reply.json).userName).toLowerCase() ===
        String(randomUser(context).userName).toLowerCase();
      return reply.status === 200 && same ? pass('200, the same user') : fail(described(reply));
    },
  },
  {
    id: 'spec-08',
    title: 'Required: the same POST /Users again is refused with 409',
    expects: 'HTTP 409 (the user already exists).',
    async run(context) {
      const reply = await spec(context, 'POST', '/Users', randomUser(context));
      return reply.status === 409 ? pass('409') : fail(described(reply));
    },
  },
  {
    id: 'spec-09',
    title: 'Required: a userName filter with the userName upper-cased answers 200',
    expects: 'HTTP 200 (userName is compared without case, RFC 7643 4.1.1).',
    async run(context) {
      const filter = encodeURIComponent(
        `userName eq "${String(randomUser(context).userName).toUpperCase()}"`,
      );
      const reply = await spec(context, 'GET', `/Users?filter=${filter}`);
      return reply.status === 200 ? pass('200') : fail(described(reply));
    },
  },
  {
    id: 'spec-10',
    title: `Optional: GET /Groups answers 200 within ${OKTA_GROUPS_MAX_MS} ms`,
    expects: `HTTP 200 in at most ${OKTA_GROUPS_MAX_MS} ms (only needed when the app pushes groups).`,
    async run(context) {
      const started = performance.now();
      const reply = await spec(context, 'GET', '/Groups');
      const ms = Math.round(performance.now() - started);
      if (reply.status === 404 || reply.status === 501)
        return notApplicable(`no Groups endpoint (${reply.status}): group push will not be offered`);
      if (reply.status !== 200) return fail(described(reply));
      return ms <= OKTA_GROUPS_MAX_MS ? pass(`200 in ${ms} ms`) : fail(`200, but in ${ms} ms`);
    },
  },
  {
    id: 'spec-11',
    title: 'Required: a request with a wrong bearer token is refused with 401',
    expects: 'HTTP 401 with the Error schema and status "401" (a string).',
    async run(context) {
      const reply = await spec(context, 'GET', '/Users', undefined, `okta-wrong-${context.unique}`);
      if (!isError(reply, 401)) return fail(described(reply));
      return record(reply.json).status === '401'
        ? pass('401 with the Error schema')
        : fail(`status is ${JSON.stringify(record(reply.json).status)}, not "401"`);
    },
  },
  {
    id: 'spec-12',
    title: 'Required: GET /Users/00919288221112222 (an id that cannot exist) answers 404',
    expects: 'HTTP 404.',
    async run(context) {
      const reply = await spec(context, 'GET', '/Users/00919288221112222');
      return reply.status === 404 ? pass('404') : fail(described(reply));
    },
  },
];

// ---- CRUD lifecycle, in Okta's provisioning dialect (okta/okta-developer-docs,
// guides/build-provisioning-integration/test-scim-app: create, verify, update firstName, deactivate, reactivate, unassign)

async function dialectSend(
  context: ProfileContext,
  dialect: ScimDialect,
  method: string,
  path: string,
  body?: unknown,
) {
  const { authorization: _authorization, ...headers } = dialect.requestHeaders(
    context.scim.bearerKey,
    body !== undefined,
  );
  return context.scim.request(method, path, { headers, ...(body === undefined ? {} : { body }) });
}

function query(params: [string, string][]): string {
  return params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

function person(context: ProfileContext, changes: Partial<PushPerson> = {}): PushPerson {
  return {
    id: `00u${context.unique}`,
    userName: `okta-crud-${context.unique}@example.com`,
    givenName: 'Crud',
    familyName: 'Lifecycle',
    email: `okta-crud-${context.unique}@example.com`,
    active: true,
    ...changes,
  };
}

async function readActive(
  context: ProfileContext,
  dialect: ScimDialect,
): Promise<{ reply: HttpReply; active: unknown }> {
  const reply = await dialectSend(
    context,
    dialect,
    'GET',
    `/Users/${encodeURIComponent(context.state.get('crudId') ?? '')}`,
  );
  return { reply, active: record(reply.json).active };
}

function crudTests(dialect: ScimDialect): ProfileTest[] {
  const setActive = (active: boolean, id: string, title: string, expects: string): ProfileTest => ({
    id,
    title,
    expects,
    async run(context): Promise<TestVerdict> {
      const userId = context.state.get('crudId');
      if (userId === undefined) return fail('no user was created by the CRUD create test');
      const patched = await dialectSend(
        context,
        dialect,
        'PATCH',
        `/Users/${encodeURIComponent(userId)}`,
        dialect.setActive(active),
      );
      if (patched.status !== 200 && patched.status !== 204) return fail(described(patched));
      const { reply, active: now } = await readActive(context, dialect);
      return now === active
        ? pass(`active is ${String(active)} on read-back`)
        : fail(`read back active ${JSON.stringify(now)}: ${described(reply)}`);
    },
  });
  return [
    {
      id: 'crud-01',
      title: 'CRUD: Okta creates the assigned user (POST /Users in its dialect)',
      expects:
        'Okta first looks the user up by userName (200, 0 results), then POSTs it: HTTP 201 with an id.',
      async run(context) {
        const lookup = await dialectSend(
          context,
          dialect,
          'GET',
          `/Users?${query(dialect.userLookup(person(context)))}`,
        );
        if (!isList(lookup)) return fail(`the lookup before create: ${described(lookup)}`);
        const reply = await dialectSend(
          context,
          dialect,
          'POST',
          '/Users',
          dialect.createUser(person(context)),
        );
        if (reply.status !== 201 || typeof record(reply.json).id !== 'string') return fail(described(reply));
        context.state.set('crudId', String(record(reply.json).id));
        return pass('201 after an empty lookup');
      },
    },
    {
      id: 'crud-02',
      title: 'CRUD: the user is found on the server by a userName filter',
      expects: 'A userName eq filter answers 200 with exactly that user.',
      async run(context) {
        const reply = await dialectSend(
          context,
          dialect,
          'GET',
          `/Users?${query(dialect.userLookup(person(context)))}`,
        );
        const resources = Array.isArray(record(reply.json).Resources)
          ? (record(reply.json).Resources as unknown[])
          : [];
        const ids = resources.map((resource) => record(resource).id);
        return isList(reply) && ids.length === 1 && ids[0] === context.state.get('crudId')
          ? pass('found, one result')
          : fail(described(reply));
      },
    },
    {
      id: 'crud-03',
      title: "CRUD: Okta updates the user's first name",
      expects:
        'The update (PATCH replace for OIN apps) answers 200 or 204, and a GET shows the new givenName.',
      async run(context) {
        const userId = context.state.get('crudId');
        if (userId === undefined) return fail('no user was created by the CRUD create test');
        const update = dialect.updateUser(person(context, { givenName: 'Renamed' }), person(context));
        const reply = await dialectSend(
          context,
          dialect,
          'PATCH',
          `/Users/${encodeURIComponent(userId)}`,
          update,
        );
        if (reply.status !== 200 && reply.status !== 204) return fail(described(reply));
        const read = await dialectSend(context, dialect, 'GET', `/Users/${encodeURIComponent(userId)}`);
        const given = record(record(read.json).name).givenName;
        return given === 'Renamed'
          ? pass('givenName is Renamed on read-back')
          : fail(`read back givenName ${JSON.stringify(given)}`);
      },
    },
    setActive(
      false,
      'crud-04',
      'CRUD: Okta deactivates the user',
      'PATCH active false answers 200 or 204; the user stays readable with active false.',
    ),
    setActive(
      true,
      'crud-05',
      'CRUD: Okta reactivates and reassigns the user',
      'PATCH active true answers 200 or 204; a GET shows active true.',
    ),
    setActive(
      false,
      'crud-06',
      'CRUD: Okta unassigns the app from the user',
      'Okta deactivates instead of deleting: PATCH active false, then a GET shows active false.',
    ),
  ];
}

export const OKTA_OIN_PROFILE: AcceptanceProfile = {
  name: 'okta-oin',
  title: 'Okta OIN: SCIM 2.0 Spec Test and CRUD test',
  sources: [
    'okta/okta-developer-docs: docs/guides/scim-provisioning-integration-prepare/main ("Test your SCIM API", Runscope spec test in SCIMFiles/)',
    'okta/okta-developer-docs: docs/guides/build-provisioning-integration/test-scim-app ("Runscope tests for CRUD")',
    'okta/okta-developer-docs: docs/reference/scim/scim-20 (request shapes of the Okta dialect, simulator/scim/okta.ts)',
  ],
  tests: [...specTests, ...crudTests(createOktaDialect({ updateMode: 'patch' }))],
};
