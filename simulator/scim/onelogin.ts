// The OneLogin dialect: the requests of OneLogin's "SCIM Provisioner with SAML (SCIM v2 Core)" connector
// (developers.onelogin.com/scim: "Create your SCIM API", "Test your SCIM implementation"); issue #13, OKT-03, GRP-02/04.
//
// Sourced:
// - the connection test (on "Enable") looks up a user that does not exist with a `userName eq` filter and passes on
//   an empty ListResponse or a 404 (developers.onelogin.com/scim, step "Build your SCIM API"; acceptance-profiles.md);
// - users are updated with PUT of the whole user, groups with PATCH (same source);
// - bodies are OneLogin's default SCIM JSON template for the core schema: userName from the "SCIM Username"
//   parameter, name.givenName/familyName/formatted, a primary work email (scim.dev OneLogin guide; OneLogin app
//   template "SCIM v2 Enterprise" as integrators publish it);
// - OneLogin sends and expects `application/json` (its SCIM docs: "the API must accept and return JSON").
// Decided where the documentation is silent (each one an option):
// - the probe's userName is a fixed value in the reserved `.invalid` TLD (RFC 6761), so it can never exist;
// - PUT carries the template only (with the id), not a GET read-back: OneLogin renders its template, it does not
//   merge (`putWithoutRead`);
// - `active` is sent as a JSON boolean (templates that render "{$user.active}" send a string; off by default);
// - membership PATCH: `add` at `members` with `[{value}]`, `remove` at `members[value eq "id"]`; rename: `replace`
//   at `displayName`; no paging parameters on lookups, count=100 pages on import.
import type { QueryParams, ScimDialect } from './dialect.ts';
import type { PushPerson } from './model.ts';
import { displayNameOf } from './model.ts';
import {
  emptyGroup,
  eqFilter,
  membershipPatch,
  pageQuery,
  renameAtPath,
  replaceChanged,
} from './request-shapes.ts';
import type { JsonObject, PatchBody, ScimMember, ScimResourceJson } from './wire.ts';
import { GROUP_SCHEMA, patchOf, quotedFilterValue, requestHeadersOf, USER_SCHEMA } from './wire.ts';

export interface OneLoginDialectOptions {
  /** media type of Accept and Content-Type (default application/json) */
  contentType?: string;
  /** the userName the connection test looks for (never a real user) */
  probeUserName?: string;
  /** send `active` as the string "true"/"false", as a template rendering `{$user.active}` does */
  activeAsString?: boolean;
}

export const ONELOGIN_PROBE_USERNAME = 'onelogin-connection-test@idsim.invalid';

export function createOneLoginDialect(options: OneLoginDialectOptions = {}): ScimDialect {
  const contentType = options.contentType ?? 'application/json';
  const probe = options.probeUserName ?? ONELOGIN_PROBE_USERNAME;
  const active = (value: boolean) => (options.activeAsString ? String(value) : value);

  /** OneLogin's default core template, rendered for one person. */
  const template = (person: PushPerson): JsonObject => ({
    schemas: [USER_SCHEMA],
    userName: person.userName,
    name: {
      givenName: person.givenName,
      familyName: person.familyName,
      formatted: displayNameOf(person),
    },
    emails: [{ value: person.email, type: 'work', primary: true }],
    active: active(person.active),
  });

  return {
    name: 'onelogin',
    updateMethod: 'PUT',
    groupUpdateMethod: 'PATCH',
    pageSize: 100,
    behaviour: { credentialsProbeAccepts404: true, putWithoutRead: true },

    requestHeaders: (key: string, hasBody: boolean): Record<string, string> =>
      requestHeadersOf(`Bearer ${key}`, hasBody, contentType),

    credentialsProbe: (): QueryParams => [['filter', `userName eq ${quotedFilterValue(probe)}`]],
    groupCredentialsProbe: (): QueryParams => [
      ['filter', `displayName eq ${quotedFilterValue('onelogin-connection-test')}`],
    ],
    userLookup: (person: PushPerson): QueryParams => eqFilter('userName', person.userName),
    groupLookup: (displayName: string): QueryParams => eqFilter('displayName', displayName),
    listPage: (startIndex: number): QueryParams => pageQuery(startIndex, 100),

    createUser: (person: PushPerson): JsonObject => template(person),

    // Never sent (users are PUT); kept for the interface as the equivalent no-path replace.
    updateUser(person: PushPerson, previous: PushPerson): PatchBody | null {
      const { schemas: _schemas, active: _active, ...attributes } = template(person);
      return replaceChanged(attributes, template(previous));
    },

    // PUT /Users/{id}: the rendered template and the app's id; deactivation is the same PUT with active false.
    replaceUser: (person: PushPerson, current: ScimResourceJson): JsonObject => ({
      ...template(person),
      id: current.id,
    }),

    setActive: (value: boolean): PatchBody =>
      patchOf([{ op: 'replace', path: 'active', value: active(value) }]),

    createGroup: (group: { id: string; displayName: string }): JsonObject => emptyGroup(group.displayName),

    renameGroup: (_appId: string, displayName: string): PatchBody => renameAtPath(displayName),

    changeMembers: (_appId: string, add: ScimMember[], removeIds: string[]): PatchBody =>
      membershipPatch(add, removeIds, { removal: 'filter' }),

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject => ({
      schemas: [GROUP_SCHEMA],
      id: current.id,
      displayName,
      members: members.map((member) => ({ value: member.value })),
    }),
  };
}
