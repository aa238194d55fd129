// Organisations and their login portal: creation, portal settings, portal JIT admission and organisation memberships.
// Catalogue ORG-01..08.
import type {
  AccountView,
  NewPerson,
  OrganisationMembershipView,
  OrganisationView,
  OrgPermission,
} from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { Organisation } from '../domain/model.ts';
import { isSsoKind } from '../domain/sso-kinds.ts';
import { baseUsername, firstFreeUsername, slugify } from '../domain/usernames.ts';
import type { ServiceContext } from './context.ts';
import { assertedAddress } from './identity-standing.ts';
import { createAccount, requireAccount } from './lifecycle.ts';
import { appendAudit } from './service-kit.ts';
import { accountView, organisationView } from './views.ts';

/** ORG-03 decision: an IdP session younger than 8 h counts as recent. */
export const DEFAULT_RECENT_AUTH_HOURS = 8;

export interface PortalAdmission {
  account: AccountView;
  /** ORG-05: null when the account exists but is not a member (no membership is granted) */
  membership: OrganisationMembershipView | null;
  /** ORG-02: true when the portal created the account */
  created: boolean;
}

/** Audit record of a change of the portal's SSO method (ORG-01); the setting itself is a column of the organisation. */
const PORTAL_METHOD_EVENT = 'portal.auth_method_set';

export function requireOrganisation(ctx: ServiceContext, organisationId: string): Organisation {
  const organisation = ctx.store.organisations.get(organisationId);
  if (!organisation) {
    throw new DomainError('not_found', `organisation ${organisationId} not found`, {
      resource: 'organisation',
      id: organisationId,
    });
  }
  return organisation;
}

export function createOrganisation(
  ctx: ServiceContext,
  input: { slug: string; name: string; privateInstance?: boolean },
): OrganisationView {
  return ctx.store.transaction(() => organisationView(insertOrganisation(ctx, input)));
}

export function insertOrganisation(
  ctx: ServiceContext,
  input: { slug: string; name: string; privateInstance?: boolean },
): Organisation {
  const slug = slugify(input.slug);
  if (slug === '' || slug !== input.slug.trim().toLowerCase()) {
    throw new DomainError('invalid_value', 'an organisation slug is lower-case letters, digits and dashes', {
      attribute: 'slug',
    });
  }
  if (ctx.store.organisations.getBySlug(slug)) {
    throw new DomainError('uniqueness', `organisation slug ${slug} is taken`, { attribute: 'slug' });
  }
  const privateInstance = input.privateInstance ?? false;
  const organisation: Organisation = {
    id: ctx.newId(),
    slug,
    name: input.name.trim() === '' ? slug : input.name.trim(),
    // ORG-07: portal JIT is always on for private instances; otherwise off until an admin turns it on.
    portalJitEnabled: privateInstance,
    privateInstance,
    defaultPermission: 'member',
    recentAuthHours: DEFAULT_RECENT_AUTH_HOURS,
    portalAuthMethodId: null,
  };
  ctx.store.organisations.insert(organisation);
  return organisation;
}

export function updatePortal(
  ctx: ServiceContext,
  organisationId: string,
  patch: Partial<OrganisationView['portal']>,
): OrganisationView {
  return ctx.store.transaction(() => {
    const current = requireOrganisation(ctx, organisationId);
    const privateInstance = patch.privateInstance ?? current.privateInstance;
    let jitEnabled = patch.jitEnabled ?? current.portalJitEnabled;
    if (privateInstance) {
      // ORG-07: cannot be switched off on a private instance.
      if (patch.jitEnabled === false) {
        throw new DomainError('invalid_state', 'portal JIT is always on for private instances', {
          attribute: 'jitEnabled',
        });
      }
      jitEnabled = true;
    }
    const permission = patch.defaultPermission ?? current.defaultPermission;
    if (!['member', 'contributor', 'admin'].includes(permission)) {
      throw new DomainError('invalid_value', 'defaultPermission is member, contributor or admin', {
        attribute: 'defaultPermission',
      });
    }
    const hours = patch.recentAuthHours ?? current.recentAuthHours;
    if (!Number.isFinite(hours) || hours <= 0) {
      throw new DomainError('invalid_value', 'recentAuthHours must be positive', {
        attribute: 'recentAuthHours',
      });
    }
    const next: Organisation = {
      ...current,
      privateInstance,
      portalJitEnabled: jitEnabled,
      defaultPermission: permission,
      recentAuthHours: hours,
    };
    if (patch.authMethodId !== undefined) {
      next.portalAuthMethodId = checkPortalMethod(ctx, next, patch.authMethodId);
      appendAudit(ctx, {
        type: PORTAL_METHOD_EVENT,
        teamId: null,
        data: { organisationId: next.id, methodId: next.portalAuthMethodId },
      });
    }
    ctx.store.organisations.update(next);
    return organisationView(next);
  });
}

/** ORG-01: the portal's method must be an SSO (SAML or OIDC) method of a team of this organisation; returns its id. */
function checkPortalMethod(
  ctx: ServiceContext,
  organisation: Organisation,
  methodId: string | null,
): string | null {
  if (methodId === null) return null;
  const method = ctx.store.authMethods.get(methodId);
  const team = method ? ctx.store.teams.get(method.teamId) : null;
  if (!method || !isSsoKind(method.kind) || !team || team.organisationId !== organisation.id) {
    throw new DomainError(
      'invalid_value',
      'the portal needs a SAML or OIDC auth method of a team of this organisation',
      {
        attribute: 'authMethodId',
      },
    );
  }
  return methodId;
}

export function getOrganisation(ctx: ServiceContext, organisationId: string): OrganisationView {
  return ctx.store.transaction(() => organisationView(requireOrganisation(ctx, organisationId)));
}

export function getOrganisationBySlug(ctx: ServiceContext, slug: string): OrganisationView {
  return ctx.store.transaction(() => {
    const organisation = ctx.store.organisations.getBySlug(slug);
    if (!organisation)
      throw new DomainError('not_found', `organisation ${slug} not found`, { resource: 'organisation' });
    return organisationView(organisation);
  });
}

/** ORG-02 (one organisation) — see admitByPortalToOrganisations. */
export function admitByPortal(
  ctx: ServiceContext,
  organisationId: string,
  person: Omit<NewPerson, 'password'>,
): PortalAdmission {
  return admitByPortalToOrganisations(ctx, [organisationId], person);
}

/**
 * ORG-02 / ORG-05 / ORG-08: a new person gets an account (username `firstname-lastname`, collisions `-2`, ...,
 * no password) and, in every listed organisation with portal JIT on, a membership with that organisation's
 * default permission. An existing account gets no new membership (ORG-05: an admin must invite).
 * The first organisation's portal must have JIT on (`jit_disabled`).
 */
export function admitByPortalToOrganisations(
  ctx: ServiceContext,
  organisationIds: readonly string[],
  person: Omit<NewPerson, 'password'>,
): PortalAdmission {
  return ctx.store.transaction(() => {
    const organisations = organisationIds.map((id) => requireOrganisation(ctx, id));
    const first = organisations[0];
    if (!first) throw new DomainError('invalid_value', 'name at least one organisation');
    if (!first.portalJitEnabled) {
      throw new DomainError('jit_disabled', 'portal JIT provisioning is not enabled for this organisation', {
        organisationId: first.id,
      });
    }
    const existing = ctx.store.accounts.getByEmail(assertedAddress(ctx, first.id, person.email));
    if (existing) {
      const membership = ctx.store.organisationMemberships.get(first.id, existing.id);
      return {
        account: accountView(existing),
        membership: membership
          ? { organisationId: first.id, accountId: existing.id, permission: membership.permission }
          : null,
        created: false,
      };
    }
    const username = firstFreeUsername(baseUsername(person.givenName, person.familyName), (candidate) =>
      ctx.store.accounts.usernameTaken(candidate),
    );
    const account = createAccount(ctx, { ...person }, username);
    const now = ctx.nowIso();
    for (const organisation of organisations) {
      if (!organisation.portalJitEnabled) continue;
      ctx.store.organisationMemberships.upsert({
        organisationId: organisation.id,
        accountId: account.id,
        permission: organisation.defaultPermission,
        createdAt: now,
      });
    }
    appendAudit(ctx, { type: 'portal.account_created', accountId: account.id, data: { organisationIds } });
    return {
      account: accountView(account),
      membership: { organisationId: first.id, accountId: account.id, permission: first.defaultPermission },
      created: true,
    };
  });
}

export function getOrganisationMembership(
  ctx: ServiceContext,
  organisationId: string,
  accountId: string,
): OrganisationMembershipView | null {
  return ctx.store.transaction(() => {
    const membership = ctx.store.organisationMemberships.get(organisationId, accountId);
    return membership ? { organisationId, accountId, permission: membership.permission } : null;
  });
}

/** ORG-05: an organisation admin invites (adds) an existing account with a permission. */
export function setOrganisationMembership(
  ctx: ServiceContext,
  organisationId: string,
  accountId: string,
  permission: OrgPermission,
): OrganisationMembershipView {
  return ctx.store.transaction(() => {
    requireOrganisation(ctx, organisationId);
    requireAccount(ctx, accountId);
    if (!['member', 'contributor', 'admin'].includes(permission)) {
      throw new DomainError('invalid_value', 'permission is member, contributor or admin', {
        attribute: 'permission',
      });
    }
    const existing = ctx.store.organisationMemberships.get(organisationId, accountId);
    ctx.store.organisationMemberships.upsert({
      organisationId,
      accountId,
      permission,
      createdAt: existing?.createdAt ?? ctx.nowIso(),
    });
    return { organisationId, accountId, permission };
  });
}
