// The JumpCloud dialect: the requests of JumpCloud's "Custom SCIM Identity Management integration" (JumpCloud support
// article "Provision and manage users and groups in apps using a custom SCIM integration"); issue #13, OKT-03, GRP-02/04.
//
// Sourced:
// - Test Connection creates a test user and a test group; both are deleted when the target supports DELETE, and the
//   test user is deactivated when DELETE of users is not supported (JumpCloud support article, "Considerations");
// - the admin gives a test user email for that test (same article; BoxyHQ's JumpCloud guide);
// - empty groups are not pushed; a group of the same name that already exists in the app is taken over; unbinding a
//   group from the app removes its members' access, so they are deactivated (JumpCloud group provisioning notes,
//   acceptance-profiles.md);
// - group membership PATCH in Entra's style: `value: [{value}]` at `members`, removal without a value filter
//   (Unimoni's JumpCloud setup note, a third-party report).
// Decided where the documentation is silent (each one an option or a constant below):
// - users are updated by PATCH `replace` with no path (RFC 7644 3.5.2.3) and deactivated with `active` false;
// - the test group is named "JumpCloud Test Group"; the test user is given "Test" "User";
// - an unlinked group is DELETEd in the app (`deleteUnlinkedGroups`), its members deactivated by the reconcile;
// - lower-case ops and real booleans; Accept/Content-Type application/scim+json; count=100 pages on import.
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
import { patchOf, quotedFilterValue, requestHeadersOf, USER_SCHEMA } from './wire.ts';

export interface JumpCloudDialectOptions {
  /** the "Test User Email" the admin enters for Test Connection */
  testUserEmail?: string;
  testGroupName?: string;
  /** push groups without members too (JumpCloud skips them) */
  pushEmptyGroups?: boolean;
}

export const JUMPCLOUD_TEST_USER = 'jumpcloud-test-user@idsim.example';
export const JUMPCLOUD_TEST_GROUP = 'JumpCloud Test Group';

export function createJumpCloudDialect(options: JumpCloudDialectOptions = {}): ScimDialect {
  const testUser = options.testUserEmail ?? JUMPCLOUD_TEST_USER;
  const testGroup = options.testGroupName ?? JUMPCLOUD_TEST_GROUP;
  const attributes = (person: PushPerson): JsonObject => ({
    userName: person.userName,
    name: { givenName: person.givenName, familyName: person.familyName },
    displayName: displayNameOf(person),
    emails: [{ value: person.email, type: 'work', primary: true }],
  });

  return {
    name: 'jumpcloud',
    updateMethod: 'PATCH',
    groupUpdateMethod: 'PATCH',
    pageSize: 100,
    behaviour: {
      credentialsCreateAndDelete: { userName: testUser, groupName: testGroup },
      skipEmptyGroups: !options.pushEmptyGroups,
      deleteUnlinkedGroups: true,
    },

    requestHeaders: (key: string, hasBody: boolean): Record<string, string> =>
      requestHeadersOf(`Bearer ${key}`, hasBody),

    credentialsProbe: (): QueryParams => [['filter', `userName eq ${quotedFilterValue(testUser)}`]],
    groupCredentialsProbe: (): QueryParams => [['filter', `displayName eq ${quotedFilterValue(testGroup)}`]],
    userLookup: (person: PushPerson): QueryParams => eqFilter('userName', person.userName),
    groupLookup: (displayName: string): QueryParams => eqFilter('displayName', displayName),
    listPage: (startIndex: number): QueryParams => pageQuery(startIndex, 100),

    createUser: (person: PushPerson): JsonObject => ({
      schemas: [USER_SCHEMA],
      ...attributes(person),
      externalId: person.id,
      active: person.active,
    }),

    updateUser: (person: PushPerson, previous: PushPerson): PatchBody | null =>
      replaceChanged(attributes(person), attributes(previous)),

    replaceUser: (person: PushPerson, current: ScimResourceJson): JsonObject => ({
      ...current,
      ...attributes(person),
      active: person.active,
    }),

    setActive: (active: boolean): PatchBody => patchOf([{ op: 'replace', path: 'active', value: active }]),

    createGroup: (group: { id: string; displayName: string }): JsonObject => emptyGroup(group.displayName),

    renameGroup: (_appId: string, displayName: string): PatchBody => renameAtPath(displayName),

    // Entra-style value lists for both directions, never a `members[value eq ...]` filter.
    changeMembers: (_appId: string, add: ScimMember[], removeIds: string[]): PatchBody =>
      membershipPatch(add, removeIds, { removal: 'list' }),

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject =>
      replacedGroup(current, displayName, members),
  };
}
