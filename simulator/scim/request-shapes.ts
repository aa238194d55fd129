// Request pieces several IdP dialects share: eq-filter and paging queries, a no-path replace of what changed, an
// empty group to create, a rename at `displayName`, membership PatchOps by value list or value filter, a whole group
// for PUT. RFC 7644 3.4.2.2 (filters), 3.4.2.4 (paging), 3.5.2 (PATCH); RFC 7643 4.2 (Group).
import type { QueryParams } from './dialect.ts';
import type {
  JsonObject,
  JsonValue,
  PatchBody,
  PatchOperation,
  ScimMember,
  ScimResourceJson,
} from './wire.ts';
import { GROUP_SCHEMA, patchOf, quotedFilterValue } from './wire.ts';

/** `filter=<attribute> eq "<value>"`, nothing else. */
export function eqFilter(attribute: string, value: string): QueryParams {
  return [['filter', `${attribute} eq ${quotedFilterValue(value)}`]];
}

/** `startIndex=<n>&count=<size>`, 1-based. */
export function pageQuery(startIndex: number, count: number): QueryParams {
  return [
    ['startIndex', String(startIndex)],
    ['count', String(count)],
  ];
}

/** One `replace` with no path whose value holds the attributes that differ (RFC 7644 3.5.2.3), or null. */
export function replaceChanged(now: JsonObject, before: JsonObject): PatchBody | null {
  const value: { [key: string]: JsonValue } = {};
  for (const [name, item] of Object.entries(now)) {
    if (JSON.stringify(before[name]) !== JSON.stringify(item)) value[name] = item;
  }
  return Object.keys(value).length === 0 ? null : patchOf([{ op: 'replace', value }]);
}

/** POST /Groups with no members: the IdPs create groups empty and add members by PATCH. */
export function emptyGroup(displayName: string, extra: JsonObject = {}): JsonObject {
  return { schemas: [GROUP_SCHEMA], displayName, ...extra, members: [] };
}

/** Rename with one `replace` at the `displayName` path. */
export function renameAtPath(displayName: string): PatchBody {
  return patchOf([{ op: 'replace', path: 'displayName', value: displayName }]);
}

export interface MembershipShape {
  /** `filter`: one `remove` per member at `members[value eq "id"]`; `list`: one `remove` at `members` with values */
  removal: 'filter' | 'list';
  /** removals before additions (Okta's order, Rippling), or after */
  removeFirst?: boolean;
}

/** Adds (`add` at `members` with `[{value}]`) and removals, in the dialect's shape. */
export function membershipPatch(add: ScimMember[], removeIds: string[], shape: MembershipShape): PatchBody {
  const additions: PatchOperation[] =
    add.length === 0
      ? []
      : [{ op: 'add', path: 'members', value: add.map((member) => ({ value: member.value })) }];
  const removals: PatchOperation[] =
    removeIds.length === 0
      ? []
      : shape.removal === 'list'
        ? [{ op: 'remove', path: 'members', value: removeIds.map((id) => ({ value: id })) }]
        : removeIds.map((id) => ({ op: 'remove', path: `members[value eq ${quotedFilterValue(id)}]` }));
  return patchOf(shape.removeFirst ? [...removals, ...additions] : [...additions, ...removals]);
}

/** PUT /Groups/{id}: the group read back with the IdP's name and members written over it. */
export function replacedGroup(
  current: ScimResourceJson,
  displayName: string,
  members: ScimMember[],
): JsonObject {
  return { ...current, displayName, members: members.map((member) => ({ value: member.value })) };
}
