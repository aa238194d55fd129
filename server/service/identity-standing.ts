// The facts the identity-authority rules (domain/identity-authority.ts) decide on, read from the store: the
// canonical address, the organisation owning its domain, the teams an account belongs to. idsim #10/#16/#17.
import { canonicalEmail, emailDomain } from '../domain/emails.ts';
import {
  type AddressStanding,
  assertMaySpeakFor,
  type IdentityWriter,
  mayWriteProfile,
} from '../domain/identity-authority.ts';
import type { Account, Team } from '../domain/model.ts';
import type { ServiceContext } from './context.ts';

export function writerOf(team: Team): IdentityWriter {
  return { teamId: team.id, organisationId: team.organisationId };
}

/** Who owns the domain of an address already stored (an account's email: not re-validated). */
export function storedAddressStanding(ctx: ServiceContext, address: string): AddressStanding {
  const domain = emailDomain(address);
  return { address, domain, domainOwner: ctx.store.domains.findVerified(domain)?.organisationId ?? null };
}

/** An incoming address in canonical form (refused with `identity_invalid` otherwise) and who owns its domain. */
export function addressStanding(ctx: ServiceContext, rawAddress: string): AddressStanding {
  return storedAddressStanding(ctx, canonicalEmail(rawAddress));
}

/** An address an organisation's IdP asserts (SCIM create, JIT, portal, invite by SSO): canonical and not foreign. */
export function assertedAddress(ctx: ServiceContext, organisationId: string, rawAddress: string): string {
  const standing = addressStanding(ctx, rawAddress);
  assertMaySpeakFor({ organisationId }, standing);
  return standing.address;
}

/** May this team's IdP write the account's names (domain owner, or the account's only team)? */
export function teamMayWriteProfile(ctx: ServiceContext, team: Team, account: Account): boolean {
  const otherTeamIds = ctx.store.memberships
    .listByAccount(account.id)
    .map((membership) => membership.teamId)
    .filter((teamId) => teamId !== team.id);
  return mayWriteProfile(writerOf(team), storedAddressStanding(ctx, account.email), { otherTeamIds });
}
