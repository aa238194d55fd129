// SCIM Users of a team: a User is a membership with its account (create or adopt, read, list, replace, delete).
// Catalogue PRV-01..10, DEA-01..09, SSO-07; RFC 7644 3.3 (create), 3.5.1 (replace), 3.6 (delete), 3.14 (versions).
import { emailDomain, emailKey, normaliseEmail } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import type { Account, Membership } from '../domain/model.ts';
import type { ScimListQuery, ScimPage, ScimUserInput, ScimUserRecord } from '../scim/directory.ts';
import type { ServiceContext } from './context.ts';
import {
  deactivateMembership,
  departTeam,
  insertAccount,
  joinTeam,
  reactivateMembership,
  requireTeam,
  updateMembership,
} from './lifecycle.ts';
import { appendAudit, assertVersion } from './service-kit.ts';
import { scimUserRecord } from './views.ts';

function requireScimUser(
  ctx: ServiceContext,
  teamId: string,
  id: string,
): { membership: Membership; account: Account } {
  const row = ctx.store.memberships.getMemberRow(teamId, id);
  if (!row) throw new DomainError('not_found', `User ${id} not found`, { resource: 'User', id });
  return row;
}

/**
 * PRV-01: userName is the email. A new email creates a passwordless account. SSO-07 decision: an existing member
 * of the team that SCIM does not manage yet is adopted (same resource id, becomes SCIM-managed; the protocol
 * layer answers 201 as for any create). A member already SCIM-managed is a conflict (409 uniqueness).
 * externalId is stored as sent and may repeat (RFC 7643 3.1: the service provider does not enforce its uniqueness).
 */
export function createUser(ctx: ServiceContext, teamId: string, input: ScimUserInput): ScimUserRecord {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const email = normaliseEmail(input.userName);
    const externalId = input.externalId;
    const account = ctx.store.accounts.getByEmail(email);
    const existing = account ? ctx.store.memberships.getByAccount(teamId, account.id) : null;
    if (existing?.managedByScim) {
      throw new DomainError('uniqueness', `userName ${email} already exists`, { attribute: 'userName' });
    }
    let target: Account;
    if (account) {
      // PRV-04: the IdP's given and family names are the only attributes mapped onto the account.
      target = { ...account, givenName: input.givenName, familyName: input.familyName };
      ctx.store.accounts.update(target);
    } else {
      target = insertAccount(ctx, {
        email,
        givenName: input.givenName,
        familyName: input.familyName,
      });
    }
    let membership: Membership;
    if (existing) {
      const patch = { managedByScim: true, externalId };
      membership = input.active
        ? reactivateMembership(ctx, team, existing, patch)
        : deactivateMembership(ctx, existing, patch);
      appendAudit(ctx, { type: 'scim.member_adopted', teamId, accountId: target.id });
    } else {
      membership = joinTeam(ctx, team, target.id, {
        role: 'Member',
        active: input.active,
        managedByScim: true,
        externalId,
      });
    }
    return scimUserRecord(membership, target);
  });
}

export function getUser(ctx: ServiceContext, teamId: string, id: string): ScimUserRecord {
  // One SELECT is atomic on its own: no BEGIN/COMMIT around the hottest read.
  const { membership, account } = requireScimUser(ctx, teamId, id);
  return scimUserRecord(membership, account);
}

export function listUsers(
  ctx: ServiceContext,
  teamId: string,
  query: ScimListQuery,
): ScimPage<ScimUserRecord> {
  return ctx.store.transaction(() => {
    const page = ctx.store.memberships.listMemberRows(teamId, query);
    return {
      totalResults: page.totalResults,
      resources: page.items.map((row) => scimUserRecord(row.membership, row.account)),
    };
  });
}

/**
 * PUT: names, userName (PRV-08: only into a domain the team's organisation verified), externalId, and active
 * (DEA-01 deactivation / DEA-07..09 + PRV-09 reactivation). Any SCIM write makes the member SCIM-managed (SSO-07).
 */
export function replaceUser(
  ctx: ServiceContext,
  teamId: string,
  id: string,
  input: ScimUserInput,
  expectedVersion?: number,
): ScimUserRecord {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const { membership, account } = requireScimUser(ctx, teamId, id);
    assertVersion(membership.version, expectedVersion);
    const email = normaliseEmail(input.userName);
    if (email !== account.email) {
      if (emailKey(email) !== emailKey(account.email)) {
        const domain = emailDomain(email);
        const verified = ctx.store.domains.get(team.organisationId, domain);
        if (!verified?.verified) {
          throw new DomainError('domain_not_verified', `the team has not verified ${domain}`, { domain });
        }
        const holder = ctx.store.accounts.getByEmail(email);
        if (holder && holder.id !== account.id) {
          throw new DomainError('uniqueness', `userName ${email} already exists`, {
            attribute: 'userName',
          });
        }
      }
    }
    // RFC 7643 3.1: externalId uniqueness is not the service provider's to enforce (issue #12 decision).
    const nextAccount: Account = {
      ...account,
      email,
      givenName: input.givenName,
      familyName: input.familyName,
    };
    ctx.store.accounts.update(nextAccount);
    const patch = { managedByScim: true, externalId: input.externalId };
    let next: Membership;
    if (input.active && membership.status !== 'active')
      next = reactivateMembership(ctx, team, membership, patch);
    else if (!input.active && membership.status === 'active')
      next = deactivateMembership(ctx, membership, patch);
    else next = updateMembership(ctx, membership, patch);
    if (input.active !== (membership.status === 'active')) {
      appendAudit(ctx, {
        type: input.active ? 'scim.reactivated' : 'scim.deactivated',
        teamId,
        accountId: account.id,
      });
    }
    return scimUserRecord(next, nextAccount);
  });
}

/** Removes the SCIM resource and the membership; workspaces go to the team as on deactivation. */
export function deleteUser(ctx: ServiceContext, teamId: string, id: string, expectedVersion?: number): void {
  ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    const { membership } = requireScimUser(ctx, teamId, id);
    assertVersion(membership.version, expectedVersion);
    departTeam(ctx, membership, null);
    appendAudit(ctx, { type: 'scim.deleted', teamId, accountId: membership.accountId });
  });
}
