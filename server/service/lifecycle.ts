// Membership lifecycle steps shared by the control actions and the SCIM directory: join, deactivate, reactivate, depart.
// Catalogue PRV-09 (seats), DEA-01 and DEA-03..09 (deactivation/reactivation), REM-01..03 (removal and hand-over).
import type { NewPerson, TeamRole } from '../control/port.ts';
import { canonicalEmail } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import type { Account, Membership, Team } from '../domain/model.ts';
import { hashPassword } from '../domain/passwords.ts';
import { assertSeatAvailable } from '../domain/seats.ts';
import {
  planDeactivation,
  planRemoval,
  type WorkspaceChange,
  type WorkspaceWithGrants,
} from '../domain/workspaces.ts';
import type { ServiceContext } from './context.ts';

export function requireTeam(ctx: ServiceContext, teamId: string): Team {
  const team = ctx.store.teams.get(teamId);
  if (!team) throw new DomainError('not_found', `team ${teamId} not found`, { resource: 'team', id: teamId });
  return team;
}

export function requireAccount(ctx: ServiceContext, accountId: string): Account {
  const account = ctx.store.accounts.get(accountId);
  if (!account)
    throw new DomainError('not_found', `account ${accountId} not found`, {
      resource: 'account',
      id: accountId,
    });
  return account;
}

export function requireMembership(ctx: ServiceContext, teamId: string, accountId: string): Membership {
  const membership = ctx.store.memberships.getByAccount(teamId, accountId);
  if (!membership) {
    throw new DomainError('not_found', `account ${accountId} is not a member of team ${teamId}`, {
      resource: 'member',
      id: accountId,
    });
  }
  return membership;
}

function assertNames(person: Pick<NewPerson, 'givenName' | 'familyName'>): void {
  // PRV-02: names must be present but may be blank.
  if (typeof person.givenName !== 'string' || typeof person.familyName !== 'string') {
    throw new DomainError('invalid_value', 'givenName and familyName are required (they may be empty)');
  }
}

/** Creates an account; the email must be free (case-insensitive). Password, when given, is hashed (scrypt). */
export function createAccount(
  ctx: ServiceContext,
  person: NewPerson,
  username: string | null = null,
): Account {
  const email = canonicalEmail(person.email);
  if (ctx.store.accounts.getByEmail(email)) {
    throw new DomainError('uniqueness', `an account with email ${email} already exists`, {
      attribute: 'email',
    });
  }
  return insertAccount(ctx, person, username);
}

/**
 * Inserts the account for a caller that has just found no account with this email in the same transaction
 * (SCIM create runs on every provisioning push: one lookup, not two). The unique email index still backs it.
 */
export function insertAccount(
  ctx: ServiceContext,
  person: NewPerson,
  username: string | null = null,
): Account {
  assertNames(person);
  const email = canonicalEmail(person.email);
  const account: Account = {
    id: ctx.newId(),
    email,
    givenName: person.givenName,
    familyName: person.familyName,
    username,
    passwordHash: person.password === undefined ? null : hashPassword(person.password),
    createdAt: ctx.nowIso(),
  };
  ctx.store.accounts.insert(account);
  return account;
}

/** The account with this email, or a new one (passwordless unless the person brings a password). */
export function findOrCreateAccount(
  ctx: ServiceContext,
  person: NewPerson,
): { account: Account; created: boolean } {
  const existing = ctx.store.accounts.getByEmail(canonicalEmail(person.email));
  if (existing) return { account: existing, created: false };
  return { account: createAccount(ctx, person), created: true };
}

/** Inserts a membership; an active one needs a seat (PRV-09, JIT-03). */
export function joinTeam(
  ctx: ServiceContext,
  team: Team,
  accountId: string,
  options: { role: TeamRole; active?: boolean; managedByScim?: boolean; externalId?: string | null },
): Membership {
  const active = options.active ?? true;
  if (active) assertSeatAvailable(team);
  const now = ctx.nowIso();
  const membership: Membership = {
    id: ctx.newId(),
    teamId: team.id,
    accountId,
    role: options.role,
    status: active ? 'active' : 'deactivated',
    managedByScim: options.managedByScim ?? false,
    externalId: options.externalId ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.memberships.insert(membership);
  return membership;
}

function workspaceEntries(ctx: ServiceContext, teamId: string, accountId: string): WorkspaceWithGrants[] {
  return ctx.store.workspaces
    .listInvolving(teamId, accountId)
    .map((workspace) => ({ workspace, grants: ctx.store.workspaces.grants(workspace.id) }));
}

export function needsWorkspaceHandover(ctx: ServiceContext, teamId: string, accountId: string): boolean {
  return ctx.store.workspaces.listInvolving(teamId, accountId).length > 0;
}

function applyWorkspaceChanges(
  ctx: ServiceContext,
  teamId: string,
  accountId: string,
  changes: WorkspaceChange[],
) {
  for (const change of changes) {
    if (change.removeAccountGrant) ctx.store.workspaces.removeGrant(change.workspaceId, 'account', accountId);
    if (change.addTeamAdmin) {
      ctx.store.workspaces.setGrant({
        workspaceId: change.workspaceId,
        kind: 'team',
        memberId: teamId,
        role: 'Admin',
      });
    }
    if (change.grantAdminTo !== undefined) {
      ctx.store.workspaces.setGrant({
        workspaceId: change.workspaceId,
        kind: 'account',
        memberId: change.grantAdminTo,
        role: 'Admin',
      });
    }
    if (change.newOwnerId !== undefined) {
      const workspace = ctx.store.workspaces.get(change.workspaceId);
      if (workspace) ctx.store.workspaces.update({ ...workspace, ownerId: change.newOwnerId });
    }
  }
}

function touch(ctx: ServiceContext, membership: Membership, patch: Partial<Membership>): Membership {
  const next: Membership = {
    ...membership,
    ...patch,
    version: membership.version + 1,
    updatedAt: ctx.nowIso(),
  };
  ctx.store.memberships.update(next);
  return next;
}

/** DEA-01, DEA-03..06: out of the team (seat freed), workspaces handed to the team where orphaned. */
export function deactivateMembership(
  ctx: ServiceContext,
  membership: Membership,
  patch: Partial<Membership> = {},
): Membership {
  if (membership.status === 'active') {
    applyWorkspaceChanges(
      ctx,
      membership.teamId,
      membership.accountId,
      planDeactivation(membership.accountId, workspaceEntries(ctx, membership.teamId, membership.accountId)),
    );
  }
  return touch(ctx, membership, { ...patch, status: 'deactivated' });
}

/** PRV-09 seat rule, then DEA-07..09: nothing to restore beyond own private workspaces, which were kept. */
export function reactivateMembership(
  ctx: ServiceContext,
  team: Team,
  membership: Membership,
  patch: Partial<Membership> = {},
): Membership {
  if (membership.status !== 'active') assertSeatAvailable(team);
  return touch(ctx, membership, { ...patch, status: 'active' });
}

/** Updates a membership (SCIM attribute changes) bumping its version. */
export function updateMembership(
  ctx: ServiceContext,
  membership: Membership,
  patch: Partial<Membership>,
): Membership {
  return touch(ctx, membership, patch);
}

/**
 * REM-01..03 and SCIM DELETE: the membership row goes away with its group memberships. With a named hand-over
 * admin (REM-01) its workspaces go to that admin; without one (SCIM DELETE, leaving) they go to the team.
 */
export function departTeam(
  ctx: ServiceContext,
  membership: Membership,
  handoverAdminId: string | null,
): void {
  const entries = workspaceEntries(ctx, membership.teamId, membership.accountId);
  const changes =
    handoverAdminId === null
      ? planDeactivation(membership.accountId, entries, { keepOwnPrivate: false })
      : planRemoval(membership.accountId, handoverAdminId, entries);
  applyWorkspaceChanges(ctx, membership.teamId, membership.accountId, changes);
  const now = ctx.nowIso();
  for (const groupId of ctx.store.groups.groupsOfMember(membership.id)) {
    const group = ctx.store.groups.get(membership.teamId, groupId);
    if (group) ctx.store.groups.update({ ...group, version: group.version + 1, updatedAt: now });
  }
  ctx.store.groups.removeMemberEverywhere(membership.id);
  ctx.store.memberships.delete(membership.id);
}
