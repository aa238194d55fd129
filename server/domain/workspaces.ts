// Workspace access rules: effective role of an account, hand-over on deactivation and removal, access on return.
// Catalogue DEA-01, DEA-03..09 (deactivation / reactivation), REM-01..03 (removal by an admin), GRP-05 (groups).
import type { TeamRole, WorkspaceRole, WorkspaceType } from '../control/port.ts';
import { DomainError } from './errors.ts';
import type { Workspace, WorkspaceGrant } from './model.ts';
import { isTeamAdminRole } from './roles.ts';

export const WORKSPACE_TYPES: readonly WorkspaceType[] = ['private', 'internal', 'public', 'partner'];
export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['Admin', 'Editor', 'Viewer'];

const ROLE_RANK: Record<WorkspaceRole, number> = { Admin: 3, Editor: 2, Viewer: 1 };

export function isWorkspaceType(value: string): value is WorkspaceType {
  return (WORKSPACE_TYPES as readonly string[]).includes(value);
}

export function isWorkspaceRole(value: string): value is WorkspaceRole {
  return (WORKSPACE_ROLES as readonly string[]).includes(value);
}

export function assertWorkspaceName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) {
    throw new DomainError('invalid_value', 'a workspace needs a name of 1 to 200 characters', {
      attribute: 'name',
    });
  }
  return trimmed;
}

function strongest(roles: readonly WorkspaceRole[]): WorkspaceRole | null {
  let best: WorkspaceRole | null = null;
  for (const role of roles) {
    if (best === null || ROLE_RANK[role] > ROLE_RANK[best]) best = role;
  }
  return best;
}

/** Who is asking: the account, its membership of the workspace's team (null if none) and its groups there. */
export interface AccessSubject {
  accountId: string;
  membership: { role: TeamRole; status: 'active' | 'deactivated' } | null;
  groupIds: ReadonlySet<string>;
}

/**
 * The account's effective role on a workspace, or null.
 * - DEA-01 / REM-02: no active membership, no access at all (own private workspaces wait for DEA-07).
 * - Explicit grants to the account or to one of its groups (GRP-05) count.
 * - A 'team' grant ("the team became its admin", DEA-03..05) gives its role to the team's Admins/Super Admins.
 * - Decision: a public workspace is readable (Viewer) by every active member except Guests; internal, private and
 *   partner workspaces are reached only through grants. Hence DEA-09/REM-03: a member who comes back has the
 *   access of any other member (public: Viewer) and nothing of their former grants.
 */
export function effectiveWorkspaceRole(
  workspace: Workspace,
  grants: readonly WorkspaceGrant[],
  subject: AccessSubject,
): WorkspaceRole | null {
  const membership = subject.membership;
  if (membership?.status !== 'active') return null;
  const roles: WorkspaceRole[] = [];
  for (const grant of grants) {
    if (grant.workspaceId !== workspace.id) continue;
    if (grant.kind === 'account' && grant.memberId === subject.accountId) roles.push(grant.role);
    if (grant.kind === 'group' && subject.groupIds.has(grant.memberId)) roles.push(grant.role);
    if (grant.kind === 'team' && grant.memberId === workspace.teamId && isTeamAdminRole(membership.role)) {
      roles.push(grant.role);
    }
  }
  if (workspace.type === 'public' && membership.role !== 'Guest') roles.push('Viewer');
  return strongest(roles);
}

/** A change to one workspace: grants to drop, a team-admin grant to add, a new owner. */
export interface WorkspaceChange {
  workspaceId: string;
  removeAccountGrant: boolean;
  addTeamAdmin: boolean;
  /** undefined: owner unchanged */
  newOwnerId?: string | null;
  /** REM-01: the hand-over admin receives Admin on it */
  grantAdminTo?: string;
}

export interface WorkspaceWithGrants {
  workspace: Workspace;
  grants: readonly WorkspaceGrant[];
}

function otherAccountAdmins(entry: WorkspaceWithGrants, accountId: string): number {
  return entry.grants.filter(
    (grant) => grant.kind === 'account' && grant.memberId !== accountId && grant.role === 'Admin',
  ).length;
}

function hasTeamGrant(entry: WorkspaceWithGrants): boolean {
  return entry.grants.some((grant) => grant.kind === 'team');
}

function holdsAdmin(entry: WorkspaceWithGrants, accountId: string): boolean {
  return (
    entry.workspace.ownerId === accountId ||
    entry.grants.some(
      (grant) => grant.kind === 'account' && grant.memberId === accountId && grant.role === 'Admin',
    )
  );
}

function grantsOf(entry: WorkspaceWithGrants, accountId: string): boolean {
  return entry.grants.some((grant) => grant.kind === 'account' && grant.memberId === accountId);
}

/**
 * DEA-01 and DEA-03..08: what deactivating `accountId` does to the workspaces it owns or holds a grant on.
 * - Its own private workspaces are kept for it untouched (DEA-07: regained on reactivation).
 *   (keepOwnPrivate false, for a departure without a named hand-over: they go to the team like the rest.)
 * - Everywhere else its grant is dropped (DEA-08/09: not restored on reactivation).
 * - A workspace it administered with no other account admin left stays the same type (internal DEA-03, public
 *   DEA-04, partner DEA-05) and the team becomes its admin; other members keep their roles (DEA-06).
 */
export function planDeactivation(
  accountId: string,
  entries: readonly WorkspaceWithGrants[],
  options: { keepOwnPrivate: boolean } = { keepOwnPrivate: true },
): WorkspaceChange[] {
  const changes: WorkspaceChange[] = [];
  for (const entry of entries) {
    const { workspace } = entry;
    const owns = workspace.ownerId === accountId;
    if (!owns && !grantsOf(entry, accountId)) continue;
    if (owns && workspace.type === 'private' && options.keepOwnPrivate) continue;
    const orphaned =
      holdsAdmin(entry, accountId) && otherAccountAdmins(entry, accountId) === 0 && !hasTeamGrant(entry);
    const change: WorkspaceChange = {
      workspaceId: workspace.id,
      removeAccountGrant: grantsOf(entry, accountId),
      addTeamAdmin: orphaned,
    };
    if (owns) change.newOwnerId = null;
    changes.push(change);
  }
  return changes;
}

/**
 * REM-01: removal drops every grant of the account in the team; every workspace it owns (private ones included)
 * or administers alone goes to the named hand-over admin, who becomes owner and Admin. REM-03 follows: nothing
 * is kept to restore later.
 */
export function planRemoval(
  accountId: string,
  handoverAdminId: string,
  entries: readonly WorkspaceWithGrants[],
): WorkspaceChange[] {
  const changes: WorkspaceChange[] = [];
  for (const entry of entries) {
    const owns = entry.workspace.ownerId === accountId;
    if (!owns && !grantsOf(entry, accountId)) continue;
    const handOver = owns || (holdsAdmin(entry, accountId) && otherAccountAdmins(entry, accountId) === 0);
    const change: WorkspaceChange = {
      workspaceId: entry.workspace.id,
      removeAccountGrant: grantsOf(entry, accountId),
      addTeamAdmin: false,
    };
    if (owns) change.newOwnerId = handoverAdminId;
    if (handOver) change.grantAdminTo = handoverAdminId;
    changes.push(change);
  }
  return changes;
}

/** Does the account own or hold any grant on a team workspace (REM-01: then a hand-over must be named)? */
export function needsHandover(accountId: string, entries: readonly WorkspaceWithGrants[]): boolean {
  return entries.some((entry) => entry.workspace.ownerId === accountId || grantsOf(entry, accountId));
}
