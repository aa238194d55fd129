// The port between the SCIM protocol layer (server/scim) and the team service (server/service):
// SCIM handlers speak only this interface; the service implements it on the Store, one transaction per call.
import type { ScimFilter } from '../../protocol/scim/filter.ts';

/** A team member as SCIM sees it. PRV-01: userName carries the email; PRV-04: only these names are mapped. */
export interface ScimUserRecord {
  id: string;
  userName: string;
  externalId: string | null;
  givenName: string;
  familyName: string;
  active: boolean;
  /** Monotonic per resource; rendered as the weak ETag W/"<version>" (RFC 7644 3.14). */
  version: number;
  created: string;
  lastModified: string;
}

export interface ScimGroupMember {
  /** id of a ScimUserRecord in the same team */
  value: string;
  display: string;
}

export interface ScimGroupRecord {
  id: string;
  displayName: string;
  externalId: string | null;
  members: ScimGroupMember[];
  version: number;
  created: string;
  lastModified: string;
}

/** What a create or full replace (PUT) carries after protocol validation. */
export interface ScimUserInput {
  userName: string;
  externalId: string | null;
  givenName: string;
  familyName: string;
  active: boolean;
}

export interface ScimGroupInput {
  displayName: string;
  externalId: string | null;
  /** user ids; GRP-01: unknown ids make the whole call fail, nothing stored */
  memberIds: string[];
}

export interface ScimListQuery {
  filter?: ScimFilter;
  /** canonical attribute path, e.g. 'userName', 'name.familyName', 'meta.lastModified' */
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  /** 1-based, already clamped (RFC 7644 3.4.2.4) */
  startIndex: number;
  count: number;
}

export interface ScimPage<T> {
  totalResults: number;
  resources: T[];
}

/** The tenant a bearer key resolves to (KEY-04). */
export interface ScimTenant {
  teamId: string;
}

export interface ScimDirectory {
  /** Resolves a bearer key; throws a typed error for unknown, revoked key or SCIM not enabled. */
  authenticate(bearerKey: string): ScimTenant;

  createUser(teamId: string, input: ScimUserInput): ScimUserRecord;
  getUser(teamId: string, id: string): ScimUserRecord;
  listUsers(teamId: string, query: ScimListQuery): ScimPage<ScimUserRecord>;
  /** expectedVersion: from If-Match; a mismatch throws a precondition error (412). */
  replaceUser(teamId: string, id: string, input: ScimUserInput, expectedVersion?: number): ScimUserRecord;
  deleteUser(teamId: string, id: string, expectedVersion?: number): void;

  createGroup(teamId: string, input: ScimGroupInput): ScimGroupRecord;
  getGroup(teamId: string, id: string): ScimGroupRecord;
  listGroups(teamId: string, query: ScimListQuery): ScimPage<ScimGroupRecord>;
  replaceGroup(teamId: string, id: string, input: ScimGroupInput, expectedVersion?: number): ScimGroupRecord;
  /** Membership delta without rewriting the whole group (PATCH add/remove on members). */
  patchGroupMembers(
    teamId: string,
    id: string,
    change: { add: string[]; remove: string[]; displayName?: string; externalId?: string | null },
    expectedVersion?: number,
  ): ScimGroupRecord;
  deleteGroup(teamId: string, id: string, expectedVersion?: number): void;
}
