// A team's authentication methods: email/password and SAML connections, with "Automatically add new users".
// Catalogue SSO-*, JIT-01/05, ORG-01 (the portal's SAML method).
import type {
  AuthMethodKind,
  AuthMethodView,
  NewAuthMethod,
  OidcConnection,
  SamlConnection,
} from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuthMethod } from '../domain/model.ts';
import type { ServiceContext } from './context.ts';
import { requireTeam } from './lifecycle.ts';
import { requireOrganisation } from './organisations.ts';
import { appendAudit, requireAdmin } from './service-kit.ts';
import { authMethodView } from './views.ts';

const DEFAULT_LABELS: Record<AuthMethodKind, string> = {
  password: 'Email and password',
  saml: 'SAML SSO',
  oidc: 'OpenID Connect SSO',
};

/** OIDC discovery 1.0 section 2: the issuer is an https URL (http allowed for loopback test OPs). */
function assertOidc(oidc: OidcConnection | undefined, previous: OidcConnection | null): OidcConnection {
  const merged = { ...previous, ...oidc } as Partial<OidcConnection>;
  if (typeof merged.issuer !== 'string' || !URL.canParse(merged.issuer)) {
    throw new DomainError('invalid_value', 'an OIDC method needs the issuer URL', {
      attribute: 'oidc.issuer',
    });
  }
  // OIDC Discovery 1.0 section 2: an https issuer; plain http only for a loopback OP (tests, the demo).
  const issuer = new URL(merged.issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback)) {
    throw new DomainError('invalid_value', 'the issuer must be an https URL (http only on loopback)', {
      attribute: 'oidc.issuer',
    });
  }
  if (typeof merged.clientId !== 'string' || merged.clientId === '') {
    throw new DomainError('invalid_value', 'an OIDC method needs the client id', {
      attribute: 'oidc.clientId',
    });
  }
  const scopes = merged.scopes?.filter((s) => s !== 'openid');
  return {
    issuer: merged.issuer.replace(/\/+$/, ''),
    clientId: merged.clientId,
    ...(merged.clientSecret === undefined || merged.clientSecret === ''
      ? {}
      : { clientSecret: merged.clientSecret }),
    ...(scopes === undefined ? {} : { scopes }),
  };
}

function assertSaml(saml: SamlConnection | undefined): SamlConnection {
  if (
    !saml ||
    typeof saml.idpEntityId !== 'string' ||
    saml.idpEntityId === '' ||
    typeof saml.idpSsoUrl !== 'string'
  ) {
    throw new DomainError('invalid_value', 'a SAML method needs idpEntityId, idpSsoUrl and idpCertificates', {
      attribute: 'saml',
    });
  }
  if (!Array.isArray(saml.idpCertificates)) {
    throw new DomainError('invalid_value', 'idpCertificates must be a list', {
      attribute: 'saml.idpCertificates',
    });
  }
  return saml;
}

export function addAuthMethod(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  input: NewAuthMethod,
): AuthMethodView {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'change authentication methods');
    if (input.kind !== 'password' && input.kind !== 'saml' && input.kind !== 'oidc') {
      throw new DomainError('invalid_value', `unknown auth method kind ${String(input.kind)}`, {
        attribute: 'kind',
      });
    }
    if (
      input.kind === 'password' &&
      ctx.store.authMethods.listByTeam(teamId).some((m) => m.kind === 'password')
    ) {
      throw new DomainError('uniqueness', 'the team already has an email/password method', {
        attribute: 'kind',
      });
    }
    const method: AuthMethod = {
      id: ctx.newId(),
      teamId,
      kind: input.kind,
      label: input.label?.trim() || DEFAULT_LABELS[input.kind],
      enabled: input.enabled ?? true,
      autoAddUsers: input.autoAddUsers ?? false,
      saml: input.kind === 'saml' ? assertSaml(input.saml) : null,
      oidc: input.kind === 'oidc' ? assertOidc(input.oidc, null) : null,
      createdAt: ctx.nowIso(),
    };
    ctx.store.authMethods.insert(method);
    appendAudit(ctx, {
      type: 'auth_method.added',
      teamId,
      accountId: actorId,
      data: { methodId: method.id },
    });
    return authMethodView(method);
  });
}

export function requireMethod(ctx: ServiceContext, teamId: string, methodId: string): AuthMethod {
  const method = ctx.store.authMethods.get(methodId);
  if (!method || method.teamId !== teamId) {
    throw new DomainError('not_found', `auth method ${methodId} not found`, {
      resource: 'authMethod',
      id: methodId,
    });
  }
  return method;
}

export function updateAuthMethod(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  methodId: string,
  patch: {
    label?: string;
    enabled?: boolean;
    autoAddUsers?: boolean;
    saml?: SamlConnection;
    oidc?: Partial<OidcConnection>;
  },
): AuthMethodView {
  return ctx.store.transaction(() => {
    // JIT-05: only a team Admin or Super Admin; nothing changes otherwise.
    requireAdmin(ctx, teamId, actorId, 'change authentication methods');
    const method = requireMethod(ctx, teamId, methodId);
    const next: AuthMethod = {
      ...method,
      label: patch.label === undefined ? method.label : patch.label.trim() || DEFAULT_LABELS[method.kind],
      enabled: patch.enabled ?? method.enabled,
      autoAddUsers: patch.autoAddUsers ?? method.autoAddUsers,
      saml: method.kind === 'saml' && patch.saml !== undefined ? assertSaml(patch.saml) : method.saml,
      oidc:
        method.kind === 'oidc' && patch.oidc !== undefined
          ? assertOidc(patch.oidc as OidcConnection, method.oidc)
          : method.oidc,
    };
    ctx.store.authMethods.update(next);
    appendAudit(ctx, { type: 'auth_method.updated', teamId, accountId: actorId, data: { methodId } });
    return authMethodView(next);
  });
}

export function removeAuthMethod(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  methodId: string,
): void {
  ctx.store.transaction(() => {
    requireAdmin(ctx, teamId, actorId, 'change authentication methods');
    requireMethod(ctx, teamId, methodId);
    ctx.store.authMethods.delete(methodId);
    appendAudit(ctx, { type: 'auth_method.removed', teamId, accountId: actorId, data: { methodId } });
  });
}

export function listAuthMethods(ctx: ServiceContext, teamId: string): AuthMethodView[] {
  return ctx.store.transaction(() => ctx.store.authMethods.listByTeam(teamId).map(authMethodView));
}

export function getAuthMethod(ctx: ServiceContext, teamId: string, methodId: string): AuthMethodView {
  return ctx.store.transaction(() => authMethodView(requireMethod(ctx, teamId, methodId)));
}

/** The SAML ACS names only the method: the method with this id in whatever team it is, or null. */
export function findAuthMethod(ctx: ServiceContext, methodId: string): AuthMethodView | null {
  return ctx.store.transaction(() => {
    const method = ctx.store.authMethods.get(methodId);
    return method ? authMethodView(method) : null;
  });
}

/** ORG-01: the SAML method whose IdP serves the organisation's portal, or null when none is set. */
export function findPortalAuthMethod(ctx: ServiceContext, organisationId: string): AuthMethodView | null {
  return ctx.store.transaction(() => {
    const methodId = requireOrganisation(ctx, organisationId).portalAuthMethodId;
    const method = methodId === null ? null : ctx.store.authMethods.get(methodId);
    return method ? authMethodView(method) : null;
  });
}

/** The OIDC client secret of a method (the token request needs it; views never show it). */
export function findOidcClientSecret(ctx: ServiceContext, methodId: string): string | null {
  return ctx.store.transaction(() => ctx.store.authMethods.get(methodId)?.oidc?.clientSecret ?? null);
}
