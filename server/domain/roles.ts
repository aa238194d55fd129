// Team roles and who may do what: admin-only actions refuse everyone else with `forbidden`.
// Catalogue JIT-05 (auth method settings), KEY-03 (SCIM settings and keys), PRV-07 (member removal).
import type { TeamRole } from '../control/port.ts';
import { DomainError } from './errors.ts';
import type { Membership } from './model.ts';

/**
 * Most to least privileged. Decision: besides Member, Admin and Super Admin (source 001/003), a team service has
 * Guest: an outside collaborator who only sees what is shared with them explicitly (no public/internal access).
 */
export const TEAM_ROLES: readonly TeamRole[] = ['Super Admin', 'Admin', 'Member', 'Guest'];

export function isTeamRole(value: string): value is TeamRole {
  return (TEAM_ROLES as readonly string[]).includes(value);
}

/** Admin and Super Admin are the "team admins" of the catalogue. */
export function isTeamAdminRole(role: TeamRole): boolean {
  return role === 'Admin' || role === 'Super Admin';
}

/**
 * JIT-05 / KEY-03 / PRV-07: the actor must hold an active Admin or Super Admin membership of the team.
 * `actor` is the actor's membership of that team, or null when it has none.
 */
export function assertTeamAdmin(actor: Membership | null, action: string): void {
  if (actor?.status !== 'active' || !isTeamAdminRole(actor.role)) {
    throw new DomainError('forbidden', `only a team Admin or Super Admin may ${action}`, { action });
  }
}

/** Only a Super Admin may grant or take away Super Admin. */
export function assertMayAssignRole(actor: Membership, from: TeamRole | null, to: TeamRole): void {
  if ((to === 'Super Admin' || from === 'Super Admin') && actor.role !== 'Super Admin') {
    throw new DomainError('forbidden', 'only a Super Admin may grant or revoke Super Admin', { from, to });
  }
}

/** A team keeps at least one active Super Admin. */
export function assertNotLastSuperAdmin(target: Membership, activeSuperAdmins: number): void {
  if (target.role === 'Super Admin' && target.status === 'active' && activeSuperAdmins <= 1) {
    throw new DomainError('invalid_state', 'the team must keep at least one active Super Admin', {
      accountId: target.accountId,
    });
  }
}
