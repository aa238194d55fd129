// The Okta dialect: the requests Okta's SCIM 2.0 client sends ("Okta and SCIM Version 2.0", Okta developer docs).
// KEY-04, OKT-01, OKT-02, OKT-04 (PATCH for catalogue/template apps, PUT for AIW apps), GRP-02..04, GRP-06.
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
import { GROUP_SCHEMA, patchOf, quotedFilterValue, SCIM_CONTENT_TYPE, USER_SCHEMA } from './wire.ts';

export interface OktaDialectOptions {
  /** 'patch': OIN catalogue (template) app; 'put': app integration wizard (AIW) / SCIM 2.0 test app (OKT-04) */
  updateMode?: 'patch' | 'put';
}

/** Okta's SCIM reference: every request carries this User-Agent. */
export const OKTA_USER_AGENT = 'Okta SCIM Client 1.0.0';

/** OKT-02: the mapped profile Okta sends, userName, names, primary work email, displayName. */
function mappedAttributes(person: PushPerson): JsonObject {
  return {
    userName: person.userName,
    name: { givenName: person.givenName, familyName: person.familyName },
    emails: [{ primary: true, value: person.email, type: 'work' }],
    displayName: displayNameOf(person),
  };
}

export function createOktaDialect(options: OktaDialectOptions = {}): ScimDialect {
  const updateMode = options.updateMode ?? 'patch';
  return {
    name: `okta-${updateMode}`,
    updateMethod: updateMode === 'put' ? 'PUT' : 'PATCH',
    groupUpdateMethod: updateMode === 'put' ? 'PUT' : 'PATCH',
    // Okta's import pages with count=100, startIndex +100 until totalResults.
    pageSize: 100,

    requestHeaders(key: string, hasBody: boolean): Record<string, string> {
      const headers: Record<string, string> = {
        accept: SCIM_CONTENT_TYPE,
        authorization: `Bearer ${key}`,
        'user-agent': OKTA_USER_AGENT,
      };
      if (hasBody) headers['content-type'] = SCIM_CONTENT_TYPE;
      return headers;
    },

    // "Test API Credentials": GET /Users?startIndex=1&count=2, fixed values.
    credentialsProbe: (): QueryParams => [
      ['startIndex', '1'],
      ['count', '2'],
    ],

    // Create flow step 1: GET /Users?filter=userName eq "<login>"&startIndex=1&count=100.
    // With group push/import on: GET /Groups?startIndex=1&count=100.
    groupCredentialsProbe: (): QueryParams => [
      ['startIndex', '1'],
      ['count', '100'],
    ],

    userLookup: (person: PushPerson): QueryParams => [
      ['filter', `userName eq ${quotedFilterValue(person.userName)}`],
      ['startIndex', '1'],
      ['count', '100'],
    ],

    groupLookup: (displayName: string): QueryParams => [
      ['filter', `displayName eq ${quotedFilterValue(displayName)}`],
      ['startIndex', '1'],
      ['count', '100'],
    ],

    listPage: (startIndex: number): QueryParams => [
      ['startIndex', String(startIndex)],
      ['count', '100'],
    ],

    // Create flow step 2: POST /Users with externalId = Okta user id, locale, groups:[] and active; no password
    // (PRV-03: password sync off).
    createUser: (person: PushPerson): JsonObject => ({
      schemas: [USER_SCHEMA],
      ...mappedAttributes(person),
      locale: 'en-US',
      externalId: person.id,
      groups: [],
      active: person.active,
    }),

    // Template (catalogue) apps: PATCH replace with no path and the changed attributes as value (RFC 7644 3.5.2.3).
    updateUser(person: PushPerson, previous: PushPerson): PatchBody | null {
      const value: { [key: string]: JsonValue } = {};
      if (person.userName !== previous.userName) value.userName = person.userName;
      if (person.givenName !== previous.givenName || person.familyName !== previous.familyName) {
        value.name = { givenName: person.givenName, familyName: person.familyName };
      }
      if (person.email !== previous.email)
        value.emails = [{ primary: true, value: person.email, type: 'work' }];
      if (displayNameOf(person) !== displayNameOf(previous)) value.displayName = displayNameOf(person);
      if (Object.keys(value).length === 0) return null;
      return patchOf([{ op: 'replace', value }]);
    },

    // AIW apps: GET /Users/{id}, then PUT the whole object back, id and meta included.
    replaceUser(person: PushPerson, current: ScimResourceJson): JsonObject {
      const currentName = current.name;
      const name: JsonObject =
        typeof currentName === 'object' && currentName !== null && !Array.isArray(currentName)
          ? { ...currentName }
          : {};
      name.givenName = person.givenName;
      name.familyName = person.familyName;
      return {
        ...current,
        ...mappedAttributes(person),
        name,
        externalId: person.id,
        active: person.active,
      };
    },

    // Deactivate (unassign) and reactivate (reassign): PATCH replace, no path, value {active}.
    setActive: (active: boolean): PatchBody => patchOf([{ op: 'replace', value: { active } }]),

    // Group push: POST /Groups {schemas, displayName, members: []}.
    createGroup: (group: { id: string; displayName: string }): JsonObject => ({
      schemas: [GROUP_SCHEMA],
      displayName: group.displayName,
      members: [],
    }),

    // Rename: PATCH replace, no path, value {id, displayName}.
    renameGroup: (appId: string, displayName: string): PatchBody =>
      patchOf([{ op: 'replace', value: { id: appId, displayName } }]),

    // Membership: `remove` at members[value eq "<id>"], then `add` at members with [{value, display}].
    changeMembers(_appId: string, add: ScimMember[], removeIds: string[]): PatchBody {
      const operations: PatchOperation[] = removeIds.map((id) => ({
        op: 'remove',
        path: `members[value eq ${quotedFilterValue(id)}]`,
      }));
      if (add.length > 0) {
        operations.push({
          op: 'add',
          path: 'members',
          value: add.map((member) => ({ value: member.value, display: member.display ?? '' })),
        });
      }
      return patchOf(operations);
    },

    replaceGroup: (current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject => ({
      ...current,
      schemas: [GROUP_SCHEMA],
      id: current.id,
      displayName,
      members: members.map((member) => ({ value: member.value, display: member.display ?? '' })),
    }),
  };
}
