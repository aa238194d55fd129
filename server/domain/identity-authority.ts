// Which tenant's identity provider may speak for a (global) account: adoption by SCIM, profile and email writes,
// and sign-in. Catalogue SSO-07, PRV-08, PRV-10 and the tenant-isolation decision of idsim #16/#17. Plain rules.
import { DomainError } from './errors.ts';

/**
 * The rule, in one paragraph (also in the catalogue decision): accounts are global and memberships are per team,
 * so a team's IdP speaks for an account only as far as no other tenant relies on it. An organisation that verified
 * an email domain owns the identities in it: no other organisation's IdP may provision, adopt, rename or sign in an
 * address there. A team's SCIM may adopt an existing account only when the account is already a member of that
 * team (SSO-07) or its address lies in a domain the team's organisation verified (SSO-07, PRV-10). It changes the
 * account's names only when its organisation owns the address's domain, or nobody does and the account belongs to
 * no other team; otherwise the names it sends are not applied (membership fields still are). It changes the email
 * only when both the old and the new address lie in domains its organisation verified (PRV-08).
 */

/** Who writes: the team whose SCIM key or sign-in method is in use, and its organisation. */
export interface IdentityWriter {
  teamId: string;
  organisationId: string;
}

/** What the rules need to know about one address. */
export interface AddressStanding {
  address: string;
  domain: string;
  /** the organisation that verified the address's domain; null when none did */
  domainOwner: string | null;
}

/** An org's IdP never speaks for an address in a domain another organisation verified. */
export function assertMaySpeakFor(
  writer: Pick<IdentityWriter, 'organisationId'>,
  standing: AddressStanding,
): void {
  if (standing.domainOwner !== null && standing.domainOwner !== writer.organisationId) {
    throw new DomainError(
      'foreign_domain',
      `${standing.domain} is verified by another organisation: this team's identity provider cannot provision or sign in its accounts`,
      { domain: standing.domain },
    );
  }
}

/** SSO-07 / PRV-10: adopting an existing account needs a membership in the team already, or the domain. */
export function assertMayAdopt(
  writer: IdentityWriter,
  standing: AddressStanding,
  account: { isMemberOfWriterTeam: boolean },
): void {
  assertMaySpeakFor(writer, standing);
  if (account.isMemberOfWriterTeam || standing.domainOwner === writer.organisationId) return;
  throw new DomainError(
    'account_not_claimable',
    `userName ${standing.address} belongs to an existing account that this team does not manage; verify its domain or invite the person first`,
    { attribute: 'userName' },
  );
}

/** Names (and the case of the address) are written only by the domain's owner, or by the account's only team. */
export function mayWriteProfile(
  writer: IdentityWriter,
  standing: AddressStanding,
  account: { otherTeamIds: readonly string[] },
): boolean {
  if (standing.domainOwner !== null) return standing.domainOwner === writer.organisationId;
  return account.otherTeamIds.every((teamId) => teamId === writer.teamId);
}

/** PRV-08 (idsim #17): both the old and the new address must lie in domains the writer's organisation verified. */
export function assertMayChangeEmail(
  writer: IdentityWriter,
  from: AddressStanding,
  to: AddressStanding,
): void {
  if (from.domainOwner !== writer.organisationId) {
    throw new DomainError(
      'email_change_forbidden',
      `this team's identity provider cannot change the email of ${from.address}: its domain ${from.domain} is not verified by the team's organisation`,
      { attribute: 'userName', domain: from.domain },
    );
  }
  assertMaySpeakFor(writer, to);
  if (to.domainOwner !== writer.organisationId) {
    throw new DomainError('domain_not_verified', `the team has not verified ${to.domain}`, {
      domain: to.domain,
    });
  }
}
