// Team members as the product's admins manage them: add, change role, list, remove (with workspace hand-over), leave.
// Catalogue PRV-05, PRV-07, PRV-09, REM-01..03.
import type { MemberView, NewPerson, TeamRole } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import {
  assertMayAssignRole,
  assertNotLastSuperAdmin,
  isTeamAdminRole,
  isTeamRole,
} from '../domain/roles.ts';
import type { ServiceContext } from './context.ts';
import { assertedAddress } from './identity-standing.ts';
import {
  departTeam,
  findOrCreateAccount,
  joinTeam,
  needsWorkspaceHandover,
  reactivateMembership,
  requireAccount,
  requireMembership,
  requireTeam,
  updateMembership,
} from './lifecycle.ts';
import { appendAudit, memberViewOf, requireAdmin } from './service-kit.ts';
import { memberView } from './views.ts';

export function addMember(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  person: NewPerson & { role: TeamRole },
): MemberView {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const actor = requireAdmin(ctx, teamId, actorId, 'add members');
    if (!isTeamRole(person.role))
      throw new DomainError('invalid_value', `unknown role ${String(person.role)}`);
    assertMayAssignRole(actor, null, person.role);
    // Tenant isolation (idsim #16/#17): no admin pulls an address of another organisation's domain into a team.
    assertedAddress(ctx, team.organisationId, person.email);
    const { account } = findOrCreateAccount(ctx, person);
    const existing = ctx.store.memberships.getByAccount(teamId, account.id);
    if (existing?.status === 'active') {
      throw new DomainError('uniqueness', `${account.email} is already a member`, { attribute: 'email' });
    }
    const membership = existing
      ? reactivateMembership(ctx, team, existing, { role: person.role })
      : joinTeam(ctx, team, account.id, { role: person.role });
    appendAudit(ctx, { type: 'member.added', teamId, accountId: account.id, data: { by: actorId } });
    return memberView(membership, account);
  });
}

export function setMemberRole(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  accountId: string,
  role: TeamRole,
): MemberView {
  return ctx.store.transaction(() => {
    const actor = requireAdmin(ctx, teamId, actorId, 'change member roles');
    if (!isTeamRole(role)) throw new DomainError('invalid_value', `unknown role ${String(role)}`);
    const target = requireMembership(ctx, teamId, accountId);
    assertMayAssignRole(actor, target.role, role);
    if (target.role === 'Super Admin' && role !== 'Super Admin') {
      assertNotLastSuperAdmin(target, ctx.store.memberships.countActiveWithRole(teamId, 'Super Admin'));
    }
    const next = updateMembership(ctx, target, { role });
    return memberViewOf(ctx, next);
  });
}

export function listMembers(ctx: ServiceContext, teamId: string): MemberView[] {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    // One joined query instead of an account read per member (large teams).
    const rows = ctx.store.memberships.listMemberRows(teamId, {
      sortOrder: 'ascending',
      startIndex: 1,
      count: Number.MAX_SAFE_INTEGER,
    });
    return rows.items.map((row) => memberView(row.membership, row.account));
  });
}

export function getMember(ctx: ServiceContext, teamId: string, accountId: string): MemberView {
  return ctx.store.transaction(() => memberViewOf(ctx, requireMembership(ctx, teamId, accountId)));
}

export function removeMember(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  accountId: string,
  handoverToId?: string,
): MemberView {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    // PRV-07: only team Admins and Super Admins remove members.
    requireAdmin(ctx, teamId, actorId, 'remove members');
    const target = requireMembership(ctx, teamId, accountId);
    assertNotLastSuperAdmin(target, ctx.store.memberships.countActiveWithRole(teamId, 'Super Admin'));
    let handoverAdminId: string | null = null;
    if (needsWorkspaceHandover(ctx, teamId, accountId)) {
      // REM-01 decision: refused until a hand-over admin is named.
      if (handoverToId === undefined) {
        throw new DomainError(
          'handover_required',
          'name a team admin to receive the member’s workspaces first',
          {
            accountId,
          },
        );
      }
      const handover = ctx.store.memberships.getByAccount(teamId, handoverToId);
      if (handover?.status !== 'active' || !isTeamAdminRole(handover.role) || handoverToId === accountId) {
        throw new DomainError(
          'invalid_value',
          'the hand-over must be another active team Admin or Super Admin',
          {
            attribute: 'handoverToId',
          },
        );
      }
      handoverAdminId = handoverToId;
    }
    const account = requireAccount(ctx, accountId);
    departTeam(ctx, target, handoverAdminId ?? actorId);
    appendAudit(ctx, {
      type: 'member.removed',
      teamId,
      accountId,
      data: { by: actorId, handoverTo: handoverAdminId },
    });
    return memberView(target, account, 'removed');
  });
}

export function leaveTeam(ctx: ServiceContext, teamId: string, accountId: string): void {
  ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const membership = requireMembership(ctx, teamId, accountId);
    // PRV-05: with SCIM enabled, members cannot leave on their own.
    if (team.scimEnabled) {
      throw new DomainError(
        'managed_by_scim',
        'this team is managed through SCIM; ask your identity provider admin',
        {
          teamId,
        },
      );
    }
    assertNotLastSuperAdmin(membership, ctx.store.memberships.countActiveWithRole(teamId, 'Super Admin'));
    departTeam(ctx, membership, null);
    appendAudit(ctx, { type: 'member.left', teamId, accountId });
  });
}
