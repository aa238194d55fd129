// The PingFederate dialect: the requests of PingFederate's SCIM Provisioner (docs.pingidentity.com, "SCIM
// Provisioner": user and group management, settings reference, specifications); issue #13, OKT-03, GRP-02/04.
//
// Sourced:
// - users are synchronised by `userName`: an existing user with the mapped userName is linked (user and group
//   management page, "Synchronizing existing users");
// - "Provision disabled users": off by default; on, a disabled user is created with a disabled flag (settings
//   reference; PingID SDK provisioning options);
// - authentication: none, basic, OAuth 2 bearer token or client credentials (settings reference);
// - PATCH is not used for users, it is for groups; group "filtering" reads every group and matches the name
//   (specifications table) — so user updates are PUTs of the whole resource;
// - SCIM 1.1 or 2.0: only 2.0 is modelled here.
// Decided where the documentation is silent (each one an option):
// - PUT follows a GET of the resource (Ping's SCIM developer guide shows read-modify-PUT); deactivation is that PUT
//   with active false ("Remove User Action: Disable");
// - the connection check is `GET /Users?startIndex=1&count=1`; membership PATCH uses `add` with a value list and
//   `remove` at `members[value eq "id"]`; Accept/Content-Type application/scim+json.
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
  replacedGroup,
} from './request-shapes.ts';
import type { JsonObject, PatchBody, ScimMember, ScimResourceJson } from './wire.ts';
import { patchOf, requestHeadersOf, USER_SCHEMA } from './wire.ts';

export type PingAuthentication =
  | { kind: 'bearer' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' };

export interface PingDialectOptions {
  /** default bearer: the pusher's key is the access token */
  authentication?: PingAuthentication;
  provisionDisabledUsers?: boolean;
}

function basicCredentials(username: string, password: string): string {
  // RFC 7617 2: user-id ":" password, base64 of the UTF-8 bytes
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function createPingDialect(options: PingDialectOptions = {}): ScimDialect {
  const authentication = options.authentication ?? { kind: 'bearer' };
  const mapped = (person: PushPerson): JsonObject => ({
    userName: person.userName,
    name: { givenName: person.givenName, familyName: person.familyName },
    displayName: displayNameOf(person),
    emails: [{ value: person.email, type: 'work', primary: true }],
  });

  return {
    name: 'ping',
    updateMethod: 'PUT',
    groupUpdateMethod: 'PATCH',
    pageSize: 100,
    behaviour: {
      provisionDisabledUsers: options.provisionDisabledUsers ?? false,
      groupLookupScansAll: true,
    },

    requestHeaders: (key: string, hasBody: boolean): Record<string, string> =>
      requestHeadersOf(
        authentication.kind === 'bearer'
          ? `Bearer ${key}`
          : authentication.kind === 'basic'
            ? basicCredentials(authentication.username, authentication.password)
            : null,
        hasBody,
      ),

    credentialsProbe: (): QueryParams => pageQuery(1, 1),
    groupCredentialsProbe: (): QueryParams => pageQuery(1, 1),
    userLookup: (person: PushPerson): QueryParams => eqFilter('userName', person.userName),
    // Not sent: groups are found by reading every page (behaviour.groupLookupScansAll).
    groupLookup: (displayName: string): QueryParams => eqFilter('displayName', displayName),
    listPage: (startIndex: number): QueryParams => pageQuery(startIndex, 100),

    createUser: (person: PushPerson): JsonObject => ({
      schemas: [USER_SCHEMA],
      ...mapped(person),
      externalId: person.id,
      active: person.active,
    }),

    // Never sent (users are PUT); the equivalent no-path replace for the interface.
    updateUser: (person: PushPerson, previous: PushPerson): PatchBody | null =>
      replaceChanged(mapped(person), mapped(previous)),

    replaceUser: (person: PushPerson, current: ScimResourceJson): JsonObject => ({
      ...current,
      ...mapped(person),
      externalId: person.id,
      active: person.active,
    }),

    setActive: (active: boolean): PatchBody => patchOf([{ op: 'replace', path: 'active', value: active }]),

    createGroup: (group: { id: string; displayName: string }): JsonObject => emptyGroup(group.displayName),

    renameGroup: (_appId: string, displayName: string): PatchBody => renameAtPath(displayName),

    changeMembers: (_appId: string, add: ScimMember[], removeIds: string[]): PatchBody =>
      membershipPatch(add, removeIds, { removal: 'filter' }),

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject =>
      replacedGroup(current, displayName, members),
  };
}
