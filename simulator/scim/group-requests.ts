// Group request bodies several IdP dialects share: an empty group to create, a rename at `displayName`, membership
// PatchOps by value list or value filter, and a whole group for PUT. RFC 7643 4.2 (Group), RFC 7644 3.5.2 (PATCH).
import type { JsonObject, PatchBody, PatchOperation, ScimMember, ScimResourceJson } from './wire.ts';
import { GROUP_SCHEMA, patchOf, quotedFilterValue } from './wire.ts';

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
