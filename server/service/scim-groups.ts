// SCIM Groups of a team: pushed groups and their members (create, read, list, replace, patch members, delete).
// Catalogue GRP-01..04, GRP-06; RFC 7644 3.14 (versions). Control-side groups and the shared lookups: groups.ts.
import { DomainError } from '../domain/errors.ts';
import { assertGroupDisplayName, assertLinkable, assertMembersKnown } from '../domain/groups.ts';
import type { Group } from '../domain/model.ts';
import type { ScimGroupInput, ScimGroupRecord, ScimListQuery, ScimPage } from '../scim/directory.ts';
import type { ServiceContext } from './context.ts';
import { insertGroup, requireGroup } from './groups.ts';
import { requireTeam } from './lifecycle.ts';
import { assertVersion } from './service-kit.ts';

function groupRecord(ctx: ServiceContext, group: Group): ScimGroupRecord {
  return {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    members: ctx.store.groups.members(group.id).map((member) => ({
      value: member.membershipId,
      display: member.display,
    })),
    version: group.version,
    created: group.createdAt,
    lastModified: group.updatedAt,
  };
}

/** GRP-01: every member id must be a user of this team already. */
function assertMembers(ctx: ServiceContext, teamId: string, ids: readonly string[]): void {
  assertMembersKnown(ids, ctx.store.memberships.existingIds(teamId, ids));
}

export function createScimGroup(ctx: ServiceContext, teamId: string, input: ScimGroupInput): ScimGroupRecord {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    assertMembers(ctx, teamId, input.memberIds);
    // GRP-02: "create" makes a new group with the pushed membership.
    const group = insertGroup(ctx, teamId, input.displayName, input.externalId, true);
    ctx.store.groups.addMembers(group.id, [...new Set(input.memberIds)]);
    return groupRecord(ctx, group);
  });
}

export function getGroup(ctx: ServiceContext, teamId: string, id: string): ScimGroupRecord {
  return ctx.store.transaction(() => groupRecord(ctx, requireGroup(ctx, teamId, id)));
}

/** Renames / re-identifies; GRP-03: the first SCIM write to a hand-made group links it (must be empty). */
function reviseGroup(
  ctx: ServiceContext,
  group: Group,
  displayName: string | undefined,
  externalId: string | null | undefined,
): Group {
  assertLinkable(group, ctx.store.groups.countMembers(group.id));
  let name = group.displayName;
  if (displayName !== undefined) {
    name = assertGroupDisplayName(displayName);
    const holder = ctx.store.groups.getByDisplayName(group.teamId, name);
    if (holder && holder.id !== group.id) {
      throw new DomainError('uniqueness', `a group named ${name} exists`, { attribute: 'displayName' });
    }
  }
  const next: Group = {
    ...group,
    displayName: name,
    externalId: externalId === undefined ? group.externalId : externalId,
    managedByScim: true,
    version: group.version + 1,
    updatedAt: ctx.nowIso(),
  };
  ctx.store.groups.update(next);
  return next;
}

export function replaceGroup(
  ctx: ServiceContext,
  teamId: string,
  id: string,
  input: ScimGroupInput,
  expectedVersion?: number,
): ScimGroupRecord {
  return ctx.store.transaction(() => {
    const group = requireGroup(ctx, teamId, id);
    assertVersion(group.version, expectedVersion);
    assertMembers(ctx, teamId, input.memberIds);
    const next = reviseGroup(ctx, group, input.displayName, input.externalId);
    const wanted = new Set(input.memberIds);
    const current = ctx.store.groups.memberIds(group.id);
    ctx.store.groups.removeMembers(
      group.id,
      current.filter((memberId) => !wanted.has(memberId)),
    );
    ctx.store.groups.addMembers(group.id, [...wanted]);
    return groupRecord(ctx, next);
  });
}

/** GRP-04: membership deltas reach the team at once; unknown ids to add fail the whole call (GRP-01). */
export function patchGroupMembers(
  ctx: ServiceContext,
  teamId: string,
  id: string,
  change: { add: string[]; remove: string[]; displayName?: string; externalId?: string | null },
  expectedVersion?: number,
): ScimGroupRecord {
  return ctx.store.transaction(() => {
    const group = requireGroup(ctx, teamId, id);
    assertVersion(group.version, expectedVersion);
    assertMembers(ctx, teamId, change.add);
    const next = reviseGroup(ctx, group, change.displayName, change.externalId);
    ctx.store.groups.removeMembers(group.id, change.remove);
    ctx.store.groups.addMembers(group.id, [...new Set(change.add)]);
    return groupRecord(ctx, next);
  });
}

export function deleteGroup(ctx: ServiceContext, teamId: string, id: string, expectedVersion?: number): void {
  ctx.store.transaction(() => {
    const group = requireGroup(ctx, teamId, id);
    assertVersion(group.version, expectedVersion);
    ctx.store.workspaces.removeGrantsOfMember('group', group.id);
    ctx.store.groups.delete(group.id);
  });
}

export function listScimGroups(
  ctx: ServiceContext,
  teamId: string,
  query: ScimListQuery,
): ScimPage<ScimGroupRecord> {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    const page = ctx.store.groups.list(teamId, query);
    return {
      totalResults: page.totalResults,
      resources: page.items.map((group) => groupRecord(ctx, group)),
    };
  });
}
