// The Rippling dialect: the requests of a Rippling "custom app" with "User Management via SCIM" (Rippling's custom
// SCIM app settings as its integrators document them: WorkOS and Kombo Rippling SCIM guides); issue #13, OKT-03, GRP-02/04.
//
// Sourced:
// - the custom app's toggles: Supports Groups, Mutually Exclusive Groups, Supports Pagination, Create & Delete
//   Groups, "Use PATCH to edit Groups" (Kombo's and WorkOS's Rippling SCIM setup guides);
// - the app declares the SCIM attributes it supports; the guides declare externalId, emails.primary, name.givenName,
//   name.familyName, and Rippling sends only declared attributes (same guides);
// - Rippling may retry a failed create, so duplicate POSTs for one externalId happen (Waymark's Rippling notes).
// Decided where the documentation is silent (each one an option):
// - users are matched by `userName eq`, updated by PATCH with one `replace` per changed attribute path, deactivated
//   with `active` false; without pagination no startIndex/count is sent and only the first page is read;
// - "mutually exclusive groups" keeps a person in the first of their groups by name;
// - without "Create & Delete Groups" a group is only matched to an existing app group of the same name (none: a
//   link_target_not_found failure) and removed groups are never deleted;
// - without "Use PATCH to edit Groups" groups are replaced by GET + PUT;
// - Accept/Content-Type application/scim+json.
import type { QueryParams, ScimDialect } from './dialect.ts';
import type { PushPerson } from './model.ts';
import { emptyGroup, eqFilter, membershipPatch, renameAtPath, replacedGroup } from './request-shapes.ts';
import type { JsonObject, PatchBody, PatchOperation, ScimMember, ScimResourceJson } from './wire.ts';
import { patchOf, requestHeadersOf, USER_SCHEMA } from './wire.ts';

/** The "Supported SCIM Attributes" a Rippling custom app may declare (beyond the always-sent userName and active). */
export type RipplingAttribute = 'externalId' | 'emails.primary' | 'name.givenName' | 'name.familyName';

export const RIPPLING_DEFAULT_ATTRIBUTES: readonly RipplingAttribute[] = [
  'externalId',
  'emails.primary',
  'name.givenName',
  'name.familyName',
];

export interface RipplingDialectOptions {
  supportsGroups?: boolean;
  mutuallyExclusiveGroups?: boolean;
  supportsPagination?: boolean;
  usePatchForGroups?: boolean;
  /** "Create & Delete Groups" (default on); off, groups are matched to the app's existing groups by name only */
  createAndDeleteGroups?: boolean;
  attributes?: readonly RipplingAttribute[];
}

export function createRipplingDialect(options: RipplingDialectOptions = {}): ScimDialect {
  const supportsGroups = options.supportsGroups ?? true;
  const paginated = options.supportsPagination ?? true;
  const usePatch = options.usePatchForGroups ?? true;
  const declared = new Set(options.attributes ?? RIPPLING_DEFAULT_ATTRIBUTES);

  /** Only the declared attributes travel. */
  const body = (person: PushPerson): JsonObject => {
    const out: JsonObject = { userName: person.userName };
    const name: JsonObject = {};
    if (declared.has('name.givenName')) name.givenName = person.givenName;
    if (declared.has('name.familyName')) name.familyName = person.familyName;
    if (Object.keys(name).length > 0) out.name = name;
    if (declared.has('emails.primary')) out.emails = [{ value: person.email, primary: true }];
    return out;
  };

  return {
    name: 'rippling',
    updateMethod: 'PATCH',
    groupUpdateMethod: usePatch ? 'PATCH' : 'PUT',
    pageSize: paginated ? 100 : 0,
    behaviour: {
      groupsDisabled: !supportsGroups,
      mutuallyExclusiveGroups: options.mutuallyExclusiveGroups ?? false,
      groupsLinkOnly: options.createAndDeleteGroups === false,
    },

    requestHeaders: (key: string, hasBody: boolean): Record<string, string> =>
      requestHeadersOf(`Bearer ${key}`, hasBody),

    credentialsProbe: (): QueryParams =>
      paginated
        ? [
            ['startIndex', '1'],
            ['count', '1'],
          ]
        : [],
    groupCredentialsProbe: (): QueryParams =>
      paginated
        ? [
            ['startIndex', '1'],
            ['count', '1'],
          ]
        : [],
    userLookup: (person: PushPerson): QueryParams => eqFilter('userName', person.userName),
    groupLookup: (displayName: string): QueryParams => eqFilter('displayName', displayName),
    listPage: (startIndex: number): QueryParams =>
      paginated
        ? [
            ['startIndex', String(startIndex)],
            ['count', '100'],
          ]
        : [],

    createUser: (person: PushPerson): JsonObject => {
      const created: JsonObject = { schemas: [USER_SCHEMA], ...body(person), active: person.active };
      if (declared.has('externalId')) created.externalId = person.id;
      return created;
    },

    updateUser(person: PushPerson, previous: PushPerson): PatchBody | null {
      const operations: PatchOperation[] = [];
      if (person.userName !== previous.userName)
        operations.push({ op: 'replace', path: 'userName', value: person.userName });
      if (declared.has('name.givenName') && person.givenName !== previous.givenName)
        operations.push({ op: 'replace', path: 'name.givenName', value: person.givenName });
      if (declared.has('name.familyName') && person.familyName !== previous.familyName)
        operations.push({ op: 'replace', path: 'name.familyName', value: person.familyName });
      if (declared.has('emails.primary') && person.email !== previous.email)
        operations.push({ op: 'replace', path: 'emails', value: [{ value: person.email, primary: true }] });
      return operations.length === 0 ? null : patchOf(operations);
    },

    replaceUser: (person: PushPerson, current: ScimResourceJson): JsonObject => ({
      ...current,
      ...body(person),
      active: person.active,
    }),

    setActive: (active: boolean): PatchBody => patchOf([{ op: 'replace', path: 'active', value: active }]),

    createGroup: (group: { id: string; displayName: string }): JsonObject =>
      emptyGroup(group.displayName, { externalId: group.id }),

    renameGroup: (_appId: string, displayName: string): PatchBody => renameAtPath(displayName),

    changeMembers: (_appId: string, add: ScimMember[], removeIds: string[]): PatchBody =>
      membershipPatch(add, removeIds, { removal: 'filter', removeFirst: true }),

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject =>
      replacedGroup(current, displayName, members),
  };
}
