// SCIM Users of a team: a User is a membership with its account (create or adopt, read, list, replace, delete).
// Catalogue PRV-01..10, DEA-01..09, SSO-07; RFC 7644 3.3 (create), 3.5.1 (replace), 3.6 (delete), 3.14 (versions).
import { sameEmail } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import { assertMayAdopt, assertMayChangeEmail, assertMaySpeakFor } from '../domain/identity-authority.ts';
import type { Account, Membership } from '../domain/model.ts';
import type { ScimListQuery, ScimPage, ScimUserInput, ScimUserRecord } from '../scim/directory.ts';
import type { ServiceContext } from './context.ts';
import {
  addressStanding,
  storedAddressStanding,
  teamMayWriteProfile,
  writerOf,
} from './identity-standing.ts';
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
 * PRV-01: userName is the email, in canonical form (emails.ts). A new email creates a passwordless account. SSO-07
 * decision: an existing member of the team that SCIM does not manage yet is adopted (same resource id, becomes
 * SCIM-managed; the protocol layer answers 201 as for any create). A member already SCIM-managed is a conflict
 * (409 uniqueness). Tenant isolation (identity-authority.ts): an account outside the team is adopted only when its
 * domain is verified by the team's organisation, no address in another organisation's verified domain is written,
 * and the names are applied only where this team may write the profile. A refusal writes nothing.
 * externalId is stored as sent and may repeat (RFC 7643 3.1: the service provider does not enforce its uniqueness).
 */
export function createUser(ctx: ServiceContext, teamId: string, input: ScimUserInput): ScimUserRecord {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const standing = addressStanding(ctx, input.userName);
    const email = standing.address;
    const externalId = input.externalId;
    const account = ctx.store.accounts.getByEmail(email);
    const existing = account ? ctx.store.memberships.getByAccount(teamId, account.id) : null;
    if (existing?.managedByScim) {
      throw new DomainError('uniqueness', `userName ${email} already exists`, { attribute: 'userName' });
    }
    if (account) assertMayAdopt(writerOf(team), standing, { isMemberOfWriterTeam: existing !== null });
    else assertMaySpeakFor(writerOf(team), standing);
    let target: Account;
    if (account) {
      // PRV-04: the IdP's given and family names are the only attributes mapped onto the account.
      target = teamMayWriteProfile(ctx, team, account)
        ? { ...account, givenName: input.givenName, familyName: input.familyName }
        : account;
      if (target !== account) ctx.store.accounts.update(target);
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
      if (account) appendAudit(ctx, { type: 'scim.member_adopted', teamId, accountId: target.id });
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
 * PUT: names, userName, externalId, and active (DEA-01 deactivation / DEA-07..09 + PRV-09 reactivation). Any SCIM
 * write makes the member SCIM-managed (SSO-07). PRV-08 / idsim #17: the email changes only when both the old and
 * the new address lie in domains the team's organisation verified; names only where this team may write the
 * profile (identity-authority.ts), else they are left as they are and the membership fields still apply.
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
    const requested = addressStanding(ctx, input.userName);
    // Only a change asks who may write the profile: a PATCH of `active` alone (Okta's deactivation) costs no reads.
    const profileChanges =
      requested.address !== account.email ||
      input.givenName !== account.givenName ||
      input.familyName !== account.familyName;
    const mayWriteProfile = profileChanges && teamMayWriteProfile(ctx, team, account);
    let email = account.email;
    if (!sameEmail(requested.address, account.email)) {
      assertMayChangeEmail(writerOf(team), storedAddressStanding(ctx, account.email), requested);
      const holder = ctx.store.accounts.getByEmail(requested.address);
      if (holder && holder.id !== account.id) {
        throw new DomainError('uniqueness', `userName ${requested.address} already exists`, {
          attribute: 'userName',
        });
      }
      email = requested.address;
    } else if (mayWriteProfile) {
      email = requested.address; // a change of ASCII case only: the same identity, shown as the IdP spells it
    }
    // RFC 7643 3.1: externalId uniqueness is not the service provider's to enforce (issue #12 decision).
    // PRV-08: an address the organisation's IdP assigns is vouched for by it (domain capture may take it).
    const emailConfirmed = email === account.email ? account.emailConfirmed : true;
    const nextAccount: Account = mayWriteProfile
      ? { ...account, email, emailConfirmed, givenName: input.givenName, familyName: input.familyName }
      : { ...account, email, emailConfirmed };
    if (
      nextAccount.email !== account.email ||
      nextAccount.givenName !== account.givenName ||
      nextAccount.familyName !== account.familyName
    ) {
      ctx.store.accounts.update(nextAccount);
    }
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
