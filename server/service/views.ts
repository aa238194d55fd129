// Turns stored records into the views of the control port and the SCIM directory port.
// Never exposes secrets: password hashes become `hasPassword`, key digests are never shown (KEY-03/04).
import type {
  AccountView,
  ApiKeyView,
  AuthMethodView,
  DomainView,
  InviteView,
  MemberView,
  OrganisationView,
  TeamView,
  WorkspaceView,
} from '../control/port.ts';
import type {
  Account,
  ApiKey,
  AuthMethod,
  Invite,
  Membership,
  Organisation,
  Team,
  VerifiedDomain,
  Workspace,
  WorkspaceGrant,
} from '../domain/model.ts';
import { DEFAULT_OIDC_SCOPES } from '../domain/sso-kinds.ts';
import type { ScimUserRecord } from '../scim/directory.ts';

export function organisationView(o: Organisation): OrganisationView {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    portal: {
      jitEnabled: o.portalJitEnabled,
      privateInstance: o.privateInstance,
      defaultPermission: o.defaultPermission,
      recentAuthHours: o.recentAuthHours,
      authMethodId: o.portalAuthMethodId,
    },
  };
}

export function teamView(t: Team): TeamView {
  return {
    id: t.id,
    organisationId: t.organisationId,
    name: t.name,
    plan: t.plan,
    seats: { licensed: t.licensedSeats, used: t.usedSeats, autoFlex: t.autoFlex, trueUp: t.trueUp },
    scimEnabled: t.scimEnabled,
  };
}

export function accountView(a: Account): AccountView {
  return {
    id: a.id,
    email: a.email,
    givenName: a.givenName,
    familyName: a.familyName,
    username: a.username,
    hasPassword: a.passwordHash !== null,
  };
}

export function memberView(m: Membership, a: Account, status: MemberView['status'] = m.status): MemberView {
  return {
    account: accountView(a),
    teamId: m.teamId,
    role: m.role,
    status,
    managedByScim: m.managedByScim,
    scimId: m.id,
  };
}

export function inviteView(i: Invite): InviteView {
  return {
    id: i.id,
    teamId: i.teamId,
    email: i.email,
    role: i.role,
    status: i.status,
    expiresAt: i.expiresAt,
  };
}

export function authMethodView(m: AuthMethod): AuthMethodView {
  return {
    id: m.id,
    teamId: m.teamId,
    kind: m.kind,
    label: m.label,
    enabled: m.enabled,
    autoAddUsers: m.autoAddUsers,
    saml: m.saml,
    oidc:
      m.oidc === null
        ? null
        : {
            issuer: m.oidc.issuer,
            clientId: m.oidc.clientId,
            hasClientSecret: (m.oidc.clientSecret ?? '') !== '',
            scopes: m.oidc.scopes ?? [...DEFAULT_OIDC_SCOPES],
          },
  };
}

export function apiKeyView(k: ApiKey): ApiKeyView {
  return { id: k.id, teamId: k.teamId, status: k.status, prefix: k.prefix, createdAt: k.createdAt };
}

export function domainView(d: VerifiedDomain): DomainView {
  return {
    name: d.name,
    organisationId: d.organisationId,
    verified: d.verified,
    captureTeamId: d.captureTeamId,
  };
}

export function workspaceView(w: Workspace, grants: readonly WorkspaceGrant[]): WorkspaceView {
  return {
    id: w.id,
    teamId: w.teamId,
    name: w.name,
    type: w.type,
    members: grants.map((grant) => ({ kind: grant.kind, id: grant.memberId, role: grant.role })),
  };
}

/** PRV-01: userName is the account email; PRV-04: only names are mapped; DEA-01: active = membership active. */
export function scimUserRecord(m: Membership, a: Account): ScimUserRecord {
  return {
    id: m.id,
    userName: a.email,
    externalId: m.externalId,
    givenName: a.givenName,
    familyName: a.familyName,
    active: m.status === 'active',
    version: m.version,
    created: m.createdAt,
    lastModified: m.updatedAt,
  };
}
