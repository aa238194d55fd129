// An organisation's email domains: adding, verifying and capturing them for a team.
// Catalogue SSO-02 (capture), PRV-08 (SCIM email changes need a verified domain), PRV-10 (capture on registration).
import type { DomainView } from '../control/port.ts';
import { emailDomain, normaliseDomainName } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import type { ServiceContext } from './context.ts';
import { joinTeam, requireTeam } from './lifecycle.ts';
import { requireOrganisation } from './organisations.ts';
import { appendAudit } from './service-kit.ts';
import { domainView } from './views.ts';

export function addDomain(ctx: ServiceContext, organisationId: string, name: string): DomainView {
  return ctx.store.transaction(() => {
    requireOrganisation(ctx, organisationId);
    const domainName = normaliseDomainName(name);
    if (ctx.store.domains.get(organisationId, domainName)) {
      throw new DomainError('uniqueness', `${domainName} is already added`, { attribute: 'domain' });
    }
    const domain = { organisationId, name: domainName, verified: false, captureTeamId: null };
    ctx.store.domains.upsert(domain);
    return domainView(domain);
  });
}

function requireDomain(ctx: ServiceContext, organisationId: string, name: string) {
  const domain = ctx.store.domains.get(organisationId, normaliseDomainName(name));
  if (!domain) throw new DomainError('not_found', `domain ${name} not found`, { resource: 'domain' });
  return domain;
}

/** Decision: verification is an explicit control action (the reference server does no DNS look-ups). */
export function verifyDomain(ctx: ServiceContext, organisationId: string, name: string): DomainView {
  return ctx.store.transaction(() => {
    const domain = requireDomain(ctx, organisationId, name);
    const holder = ctx.store.domains.findVerified(domain.name);
    if (holder && holder.organisationId !== organisationId) {
      throw new DomainError('uniqueness', `${domain.name} is verified by another organisation`, {
        attribute: 'domain',
      });
    }
    const next = { ...domain, verified: true };
    ctx.store.domains.upsert(next);
    return domainView(next);
  });
}

/**
 * SSO-02: only verified domains can be captured; capture consolidates every existing account of the domain whose
 * address is confirmed into the team at once (as Members, seat rules apply: too few seats refuses the whole
 * capture). PRV-10: an address someone typed in for themselves and never proved is not the organisation's person.
 */
export function setDomainCapture(
  ctx: ServiceContext,
  organisationId: string,
  name: string,
  teamId: string | null,
): DomainView {
  return ctx.store.transaction(() => {
    const domain = requireDomain(ctx, organisationId, name);
    if (teamId !== null) {
      if (!domain.verified) {
        throw new DomainError('domain_not_verified', `${domain.name} is not verified`, {
          domain: domain.name,
        });
      }
      const team = requireTeam(ctx, teamId);
      if (team.organisationId !== organisationId) {
        throw new DomainError('invalid_value', 'the team belongs to another organisation', {
          attribute: 'teamId',
        });
      }
      for (const account of ctx.store.accounts.listByEmailDomain(domain.name)) {
        if (emailDomain(account.email) !== domain.name || !account.emailConfirmed) continue;
        if (ctx.store.memberships.getByAccount(teamId, account.id)) continue;
        joinTeam(ctx, requireTeam(ctx, teamId), account.id, { role: 'Member' });
        appendAudit(ctx, {
          type: 'member.captured',
          teamId,
          accountId: account.id,
          data: { domain: domain.name },
        });
      }
    }
    const next = { ...domain, captureTeamId: teamId };
    ctx.store.domains.upsert(next);
    return domainView(next);
  });
}

export function listDomains(ctx: ServiceContext, organisationId: string): DomainView[] {
  return ctx.store.transaction(() => ctx.store.domains.listByOrganisation(organisationId).map(domainView));
}
