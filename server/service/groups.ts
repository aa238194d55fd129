// Groups of a team, control side: hand-made groups an admin creates and fills, and the group insert and lookup that
// the SCIM side (scim-groups.ts) shares. Catalogue GRP-03 (hand-made groups are link targets for SCIM).
import type { GroupView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import { assertGroupDisplayName } from '../domain/groups.ts';
import type { Group } from '../domain/model.ts';
import type { ServiceContext } from './context.ts';
import { requireTeam } from './lifecycle.ts';
import { appendAudit, requireAdmin } from './service-kit.ts';

export function createTeamGroup(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  displayNameInput: string,
): GroupView {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'create groups');
    const group = insertGroup(ctx, teamId, displayNameInput, null, false);
    return groupView(ctx, group);
  });
}

/**
 * GRP-03: an admin fills a hand-made team group with active members (by account id). Groups the IdP manages
 * (SCIM) change only through SCIM (`managed_by_scim`).
 */
export function addGroupMembers(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  groupId: string,
  accountIds: string[],
): GroupView {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'change group members');
    const group = requireGroup(ctx, teamId, groupId);
    if (group.managedByScim) {
      throw new DomainError('managed_by_scim', 'this group is managed by the identity provider (SCIM)', {
        groupId,
      });
    }
    const membershipIds = accountIds.map((accountId) => {
      const membership = ctx.store.memberships.getByAccount(teamId, accountId);
      if (membership?.status !== 'active') {
        throw new DomainError('invalid_value', `account ${accountId} is not an active team member`, {
          attribute: 'accountIds',
          accountId,
        });
      }
      return membership.id;
    });
    ctx.store.groups.addMembers(group.id, [...new Set(membershipIds)]);
    appendAudit(ctx, {
      type: 'group.members_added',
      teamId,
      accountId: actorId,
      data: { groupId, accountIds },
    });
    return groupView(ctx, group);
  });
}

export function listTeamGroups(ctx: ServiceContext, teamId: string): GroupView[] {
  return ctx.store.transaction(() =>
    ctx.store.groups.listByTeam(teamId).map((group) => groupView(ctx, group)),
  );
}

/** GroupView.memberIds are account ids (the control API speaks of accounts). */
function groupView(ctx: ServiceContext, group: Group): GroupView {
  return {
    id: group.id,
    teamId: group.teamId,
    displayName: group.displayName,
    externalId: group.externalId,
    memberIds: ctx.store.groups.members(group.id).map((member) => member.accountId),
  };
}

export function insertGroup(
  ctx: ServiceContext,
  teamId: string,
  displayNameInput: string,
  externalId: string | null,
  managedByScim: boolean,
): Group {
  const displayName = assertGroupDisplayName(displayNameInput);
  if (ctx.store.groups.getByDisplayName(teamId, displayName)) {
    throw new DomainError('uniqueness', `a group named ${displayName} exists`, {
      attribute: 'displayName',
    });
  }
  const now = ctx.nowIso();
  const group: Group = {
    id: ctx.newId(),
    teamId,
    displayName,
    externalId,
    managedByScim,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.groups.insert(group);
  return group;
}

export function requireGroup(ctx: ServiceContext, teamId: string, id: string): Group {
  const group = ctx.store.groups.get(teamId, id);
  if (!group) throw new DomainError('not_found', `Group ${id} not found`, { resource: 'Group', id });
  return group;
}
