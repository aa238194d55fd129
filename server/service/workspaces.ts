// Workspaces of a team: creation, sharing with members and groups, and each member's effective access.
// Catalogue DEA-03..09, REM-01..03 (hand-over, in lifecycle.ts) and GRP-05 (sharing with pushed groups).
import type { AccessView, WorkspaceRole, WorkspaceType, WorkspaceView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import { assertTeamAdmin, isTeamAdminRole } from '../domain/roles.ts';
import {
  assertWorkspaceName,
  effectiveWorkspaceRole,
  isWorkspaceRole,
  isWorkspaceType,
} from '../domain/workspaces.ts';
import type { ServiceContext } from './context.ts';
import { requireTeam } from './lifecycle.ts';
import { workspaceView } from './views.ts';

export function createWorkspace(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  input: { name: string; type: WorkspaceType; ownerId?: string },
): WorkspaceView {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    const actor = ctx.store.memberships.getByAccount(teamId, actorId);
    if (actor?.status !== 'active' || actor.role === 'Guest') {
      throw new DomainError('forbidden', 'only active team members (not guests) create workspaces');
    }
    if (!isWorkspaceType(input.type))
      throw new DomainError('invalid_value', `unknown workspace type ${input.type}`);
    const ownerId = input.ownerId ?? actorId;
    if (ownerId !== actorId) {
      assertTeamAdmin(actor, 'create a workspace for someone else');
      const owner = ctx.store.memberships.getByAccount(teamId, ownerId);
      if (owner?.status !== 'active') {
        throw new DomainError('invalid_value', 'the owner must be an active team member', {
          attribute: 'ownerId',
        });
      }
    }
    const workspace = {
      id: ctx.newId(),
      teamId,
      name: assertWorkspaceName(input.name),
      type: input.type,
      ownerId,
      createdAt: ctx.nowIso(),
    };
    ctx.store.workspaces.insert(workspace);
    ctx.store.workspaces.setGrant({
      workspaceId: workspace.id,
      kind: 'account',
      memberId: ownerId,
      role: 'Admin',
    });
    return workspaceView(workspace, ctx.store.workspaces.grants(workspace.id));
  });
}

export function shareWorkspace(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  workspaceId: string,
  grant: { kind: 'account' | 'group'; id: string; role: WorkspaceRole },
): WorkspaceView {
  return ctx.store.transaction(() => {
    const workspace = ctx.store.workspaces.get(workspaceId);
    if (!workspace || workspace.teamId !== teamId) {
      throw new DomainError('not_found', `workspace ${workspaceId} not found`, { resource: 'workspace' });
    }
    // GRP-05: any workspace Admin may share (with people or pushed groups); team admins may too.
    const actorRole = roleOn(ctx, workspace.id, teamId, actorId);
    const actor = ctx.store.memberships.getByAccount(teamId, actorId);
    const teamAdmin = actor?.status === 'active' && isTeamAdminRole(actor.role);
    if (actorRole !== 'Admin' && !teamAdmin) {
      throw new DomainError('forbidden', 'only a workspace Admin or a team admin may share this workspace');
    }
    if (!isWorkspaceRole(grant.role))
      throw new DomainError('invalid_value', `unknown workspace role ${grant.role}`);
    if (grant.kind === 'account') {
      const member = ctx.store.memberships.getByAccount(teamId, grant.id);
      if (member?.status !== 'active') {
        throw new DomainError('not_found', `account ${grant.id} is not an active team member`, {
          resource: 'member',
        });
      }
    } else if (grant.kind === 'group') {
      if (!ctx.store.groups.get(teamId, grant.id)) {
        throw new DomainError('not_found', `group ${grant.id} not found`, { resource: 'group' });
      }
    } else {
      throw new DomainError('invalid_value', 'grants go to an account or a group', { attribute: 'kind' });
    }
    ctx.store.workspaces.setGrant({
      workspaceId,
      kind: grant.kind,
      memberId: grant.id,
      role: grant.role,
    });
    return workspaceView(workspace, ctx.store.workspaces.grants(workspaceId));
  });
}

export function listWorkspaces(ctx: ServiceContext, teamId: string): WorkspaceView[] {
  return ctx.store.transaction(() =>
    ctx.store.workspaces
      .listByTeam(teamId)
      .map((workspace) => workspaceView(workspace, ctx.store.workspaces.grants(workspace.id))),
  );
}

function roleOn(
  ctx: ServiceContext,
  workspaceId: string,
  teamId: string,
  accountId: string,
): WorkspaceRole | null {
  const workspace = ctx.store.workspaces.get(workspaceId);
  if (!workspace) return null;
  const membership = ctx.store.memberships.getByAccount(teamId, accountId);
  const groupIds = new Set(membership ? ctx.store.groups.groupsOfMember(membership.id) : []);
  return effectiveWorkspaceRole(workspace, ctx.store.workspaces.grants(workspaceId), {
    accountId,
    membership: membership ? { role: membership.role, status: membership.status } : null,
    groupIds,
  });
}

export function getAccess(ctx: ServiceContext, teamId: string, accountId: string): AccessView[] {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    const membership = ctx.store.memberships.getByAccount(teamId, accountId);
    const groupIds = new Set(membership ? ctx.store.groups.groupsOfMember(membership.id) : []);
    const subject = {
      accountId,
      membership: membership ? { role: membership.role, status: membership.status } : null,
      groupIds,
    };
    return ctx.store.workspaces.listByTeam(teamId).map((workspace) => ({
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      type: workspace.type,
      role: effectiveWorkspaceRole(workspace, ctx.store.workspaces.grants(workspace.id), subject),
    }));
  });
}
