// The Microsoft Entra ID dialect: request shapes of Entra's provisioning service ("Tutorial: develop and plan
// provisioning for a SCIM endpoint"; "Known issues ... SCIM 2.0 protocol compliance", feature flag aadOptscim062020).
import type { QueryParams, ScimDialect } from './dialect.ts';
import type { PushPerson } from './model.ts';
import { displayNameOf } from './model.ts';
import type {
  JsonObject,
  JsonValue,
  PatchBody,
  PatchOperation,
  ScimMember,
  ScimResourceJson,
} from './wire.ts';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  patchOf,
  quotedFilterValue,
  SCIM_CONTENT_TYPE,
  USER_SCHEMA,
} from './wire.ts';

export interface EntraDialectOptions {
  /**
   * The `aadOptscim062020` flag on the tenant URL. Without it (the default shapes many apps still see): ops
   * capitalised (`Replace`), booleans as strings (`"False"`), members removed with path `members` and a value list.
   * With it: lower-case ops, real booleans, `members[value eq "id"]` paths, one no-path replace for attributes.
   */
  scim2020Compliance?: boolean;
}

const WORK_EMAIL_PATH = 'emails[type eq "work"].value';
const MANAGER_PATH = `${ENTERPRISE_USER_SCHEMA}:manager`;

export function createEntraDialect(options: EntraDialectOptions = {}): ScimDialect {
  const compliant = options.scim2020Compliance ?? false;
  /** Entra without the flag capitalises op names (Add, Replace, Remove). */
  const op = (name: 'add' | 'replace' | 'remove'): string =>
    compliant ? name : `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  /** Entra without the flag sends booleans as the strings "True"/"False". */
  const bool = (value: boolean): JsonValue => (compliant ? value : value ? 'True' : 'False');

  return {
    name: compliant ? 'entra-2020' : 'entra',
    updateMethod: 'PATCH',
    groupUpdateMethod: 'PATCH',
    pageSize: 100,

    requestHeaders(key: string, hasBody: boolean): Record<string, string> {
      const headers: Record<string, string> = { accept: SCIM_CONTENT_TYPE, authorization: `Bearer ${key}` };
      if (hasBody) headers['content-type'] = SCIM_CONTENT_TYPE;
      return headers;
    },

    // Test Connection reads users with a filter on a random value; a ListResponse (even empty) is a pass.
    credentialsProbe: (): QueryParams => [
      ['filter', `userName eq ${quotedFilterValue('00000000-0000-0000-0000-000000000000')}`],
    ],

    // ... and groups likewise, by displayName with members excluded.
    groupCredentialsProbe: (): QueryParams => [
      ['excludedAttributes', 'members'],
      ['filter', `displayName eq ${quotedFilterValue('00000000-0000-0000-0000-000000000000')}`],
    ],

    // Entra matches users with `eq` only, on userName, and sends no paging parameters.
    userLookup: (person: PushPerson): QueryParams => [
      ['filter', `userName eq ${quotedFilterValue(person.userName)}`],
    ],

    // Groups are matched by displayName with members excluded.
    groupLookup: (displayName: string): QueryParams => [
      ['excludedAttributes', 'members'],
      ['filter', `displayName eq ${quotedFilterValue(displayName)}`],
    ],

    listPage: (startIndex: number): QueryParams => [
      ['startIndex', String(startIndex)],
      ['count', '100'],
    ],

    // Entra's create body: core + enterprise schemas, externalId (the Entra object id), formatted name, roles.
    createUser: (person: PushPerson): JsonObject => ({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: person.id,
      userName: person.userName,
      active: person.active,
      displayName: displayNameOf(person),
      emails: [{ primary: true, type: 'work', value: person.email }],
      meta: { resourceType: 'User' },
      name: {
        formatted: displayNameOf(person),
        familyName: person.familyName,
        givenName: person.givenName,
      },
      roles: [],
    }),

    // Attribute updates use value paths (`name.givenName`, `emails[type eq "work"].value`): one op per attribute
    // without the flag, one no-path replace whose value keys are those paths with it.
    updateUser(person: PushPerson, previous: PushPerson): PatchBody | null {
      const changed: [string, string][] = [];
      if (person.userName !== previous.userName) changed.push(['userName', person.userName]);
      if (displayNameOf(person) !== displayNameOf(previous))
        changed.push(['displayName', displayNameOf(person)]);
      if (person.email !== previous.email) changed.push([WORK_EMAIL_PATH, person.email]);
      if (person.givenName !== previous.givenName) changed.push(['name.givenName', person.givenName]);
      if (person.familyName !== previous.familyName) changed.push(['name.familyName', person.familyName]);
      if (changed.length === 0) return null;
      if (compliant) return patchOf([{ op: 'replace', value: Object.fromEntries(changed) }]);
      return patchOf(changed.map(([path, value]) => ({ op: op('replace'), path, value })));
    },

    // Entra never PUTs users; kept for the interface: the read-back resource with the mapped values written over it.
    replaceUser: (person: PushPerson, current: ScimResourceJson): JsonObject => ({
      ...current,
      userName: person.userName,
      displayName: displayNameOf(person),
      emails: [{ primary: true, type: 'work', value: person.email }],
      name: { formatted: displayNameOf(person), familyName: person.familyName, givenName: person.givenName },
      active: person.active,
    }),

    // Unassign: {"op":"Replace","path":"active","value":"False"} (flag: "replace", false).
    setActive: (active: boolean): PatchBody =>
      patchOf([{ op: op('replace'), path: 'active', value: bool(active) }]),

    // Manager (enterprise extension, RFC 7643 4.3) as Entra's provisioning service sends it: the manager's id in the
    // app as a bare string at the extension's full path, `Add` when none was set, `Replace` on a change, and a
    // value-less `Remove` when the manager is cleared (Entra SCIM tutorial "Update User [Manager]"; the validator's
    // manager set / change / remove tests, acceptance-profiles.md).
    setManager(managerAppId: string | null, previousAppId: string | null): PatchBody {
      if (managerAppId === null) return patchOf([{ op: op('remove'), path: MANAGER_PATH }]);
      return patchOf([
        { op: op(previousAppId === null ? 'add' : 'replace'), path: MANAGER_PATH, value: managerAppId },
      ]);
    },

    // Groups are created empty, with Entra's object id as externalId; members follow by PATCH.
    createGroup: (group: { id: string; displayName: string }): JsonObject => ({
      schemas: [GROUP_SCHEMA],
      externalId: group.id,
      displayName: group.displayName,
      meta: { resourceType: 'Group' },
    }),

    renameGroup: (_appId: string, displayName: string): PatchBody =>
      patchOf([{ op: op('replace'), path: 'displayName', value: displayName }]),

    // Members are sent by value only. Removal: path `members` with a value list, or (flag) a value filter path.
    changeMembers(_appId: string, add: ScimMember[], removeIds: string[]): PatchBody {
      const operations: PatchOperation[] = [];
      if (add.length > 0) {
        operations.push({
          op: op('add'),
          path: 'members',
          value: add.map((member) => ({ value: member.value })),
        });
      }
      if (removeIds.length > 0) {
        if (compliant) {
          for (const id of removeIds)
            operations.push({ op: 'remove', path: `members[value eq ${quotedFilterValue(id)}]` });
        } else {
          operations.push({ op: 'Remove', path: 'members', value: removeIds.map((id) => ({ value: id })) });
        }
      }
      return patchOf(operations);
    },

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject => ({
      ...current,
      displayName,
      members: members.map((member) => ({ value: member.value })),
    }),
  };
}
