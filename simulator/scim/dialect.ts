// The one interface behind which each IdP's SCIM request shapes live (Okta, Entra, more later).
// OKT-04 (two app kinds), idp-dialects.md; RFC 7644 3.3 (create), 3.4.2 (query), 3.5.1 (PUT), 3.5.2 (PATCH).
import type { PushPerson } from './model.ts';
import type { JsonObject, PatchBody, ScimMember, ScimResourceJson } from './wire.ts';

/** Ordered query parameters, sent as written. */
export type QueryParams = [string, string][];

/**
 * What an IdP does beyond request shapes (personalities, issue #13). Every field is optional and off by default, so
 * the Okta and Entra dialects keep their behaviour.
 */
export interface DialectBehaviour {
  /** OneLogin: the connection test's userName-filter miss may answer 404 instead of an empty list */
  credentialsProbeAccepts404?: boolean;
  /** JumpCloud: Test Connection creates a test user and group, then deletes them (or deactivates the user) */
  credentialsCreateAndDelete?: { userName: string; groupName: string };
  /** PUT-mode users: PUT the IdP's own template with the id, without GETting the resource first (OneLogin, Ping) */
  putWithoutRead?: boolean;
  /** JumpCloud: groups without members are never pushed */
  skipEmptyGroups?: boolean;
  /** Ping: "Provision disabled users": an inactive person unknown to the app is created with active false */
  provisionDisabledUsers?: boolean;
  /** Ping: group "filtering" reads every group and matches the name client-side */
  groupLookupScansAll?: boolean;
  /** Rippling "mutually exclusive groups": a person is pushed as a member of one group only (the first by name) */
  mutuallyExclusiveGroups?: boolean;
  /** Rippling "supports groups" off: no group is pushed at all */
  groupsDisabled?: boolean;
  /** JumpCloud: unlinking a group deletes it in the app (its members lose the app and are deactivated) */
  deleteUnlinkedGroups?: boolean;
  /** Rippling without "Create & Delete Groups": groups are only matched to the app's existing ones, never made or deleted */
  groupsLinkOnly?: boolean;
}

export interface ScimDialect {
  /** short name for transcripts and the CLI, e.g. `okta-patch`, `entra-2020` */
  readonly name: string;
  /** PATCH: attribute and active changes go as PatchOp; PUT: the whole user (GET first unless `putWithoutRead`) */
  readonly updateMethod: 'PATCH' | 'PUT';
  /** how group renames and membership changes go: PatchOp, or GET + PUT of the whole group */
  readonly groupUpdateMethod: 'PATCH' | 'PUT';
  readonly behaviour?: DialectBehaviour;
  /** page size used when reading users or groups back (import) */
  readonly pageSize: number;

  /** headers on every request; `hasBody` adds Content-Type */
  requestHeaders(key: string, hasBody: boolean): Record<string, string>;
  /** the query of "Test API Credentials" / Test Connection on GET /Users */
  credentialsProbe(): QueryParams;
  /** the query of the credentials test on GET /Groups, when groups are pushed or imported */
  groupCredentialsProbe(): QueryParams;
  /** the query that looks a person up on GET /Users before creating them */
  userLookup(person: PushPerson): QueryParams;
  /** the query that looks a group up by name on GET /Groups */
  groupLookup(displayName: string): QueryParams;
  /** one page of a listing (import), startIndex 1-based */
  listPage(startIndex: number): QueryParams;

  /** POST /Users body */
  createUser(person: PushPerson): JsonObject;
  /** PATCH /Users/{id} body for changed attributes (active excluded), or null when nothing changed */
  updateUser(person: PushPerson, previous: PushPerson): PatchBody | null;
  /** PUT /Users/{id} body: the resource read back, with the IdP's values written over it */
  replaceUser(person: PushPerson, current: ScimResourceJson): JsonObject;
  /** PATCH /Users/{id} body that deactivates (false) or reactivates (true) */
  setActive(active: boolean): PatchBody;
  /**
   * Entra: PATCH /Users/{id} body that sets (app id) or removes (null) the enterprise extension's manager
   * (RFC 7643 4.3). Absent: the IdP does not provision managers.
   */
  setManager?(managerAppId: string | null, previousAppId: string | null): PatchBody;

  /** POST /Groups body; members are added afterwards by PATCH (both IdPs create empty groups) */
  createGroup(group: { id: string; displayName: string }): JsonObject;
  /** PATCH /Groups/{id} body that renames */
  renameGroup(appId: string, displayName: string): PatchBody;
  /** PATCH /Groups/{id} body that adds and removes members */
  changeMembers(appId: string, add: ScimMember[], removeIds: string[]): PatchBody;
  /** PUT /Groups/{id} body (PUT-mode apps) */
  replaceGroup(current: ScimResourceJson, displayName: string, members: ScimMember[]): JsonObject;
}
