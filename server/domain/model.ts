// The team domain's stored records: organisations, teams, accounts, memberships, invites, auth methods, keys,
// domains, workspaces and groups (idsim issue #2). Plain data, no behaviour; the store persists exactly these.
import type {
  ApiKeyStatus,
  AuthMethodKind,
  MembershipStatus,
  OidcConnection,
  OrgPermission,
  PlanName,
  SamlConnection,
  TeamRole,
  WorkspaceRole,
  WorkspaceType,
} from '../control/port.ts';

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  /** ORG-01: portal JIT on; ORG-07: always true when privateInstance */
  portalJitEnabled: boolean;
  privateInstance: boolean;
  /** ORG-08 */
  defaultPermission: OrgPermission;
  /** ORG-03: IdP session age that counts as "recent" (decision: 8 h) */
  recentAuthHours: number;
  /** ORG-01: the SAML method whose IdP serves the portal (a method of one of the organisation's teams) */
  portalAuthMethodId: string | null;
}

export interface Team {
  id: string;
  organisationId: string;
  name: string;
  plan: PlanName;
  licensedSeats: number;
  /** maintained by the store: number of active memberships (DEA-01: deactivated ones free their seat) */
  usedSeats: number;
  autoFlex: boolean;
  trueUp: boolean;
  scimEnabled: boolean;
}

export interface Account {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  /** ORG-02 portal username, null for team-only accounts */
  username: string | null;
  /** `scrypt$N$r$p$salt$hash` (passwords.ts), null when the account has no password (JIT-10, ORG-02) */
  passwordHash: string | null;
  /**
   * PRV-10 / SSO-02: the address is proven (an emailed confirmation link, or the organisation's IdP vouched for it
   * through SCIM or SSO); domain capture takes only confirmed accounts. Self-registered or self-changed: false.
   */
  emailConfirmed: boolean;
  createdAt: string;
}

/**
 * A team membership; also the SCIM User resource of that team (id = SCIM id, PRV-01). Removed memberships are
 * deleted rows: MembershipStatus 'removed' only appears in the view returned by a removal.
 */
export interface Membership {
  id: string;
  teamId: string;
  accountId: string;
  role: TeamRole;
  status: Exclude<MembershipStatus, 'removed'>;
  managedByScim: boolean;
  externalId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Invite {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  /** sha256 of the invite token; the token itself is shown once */
  tokenDigest: string;
  status: 'pending' | 'accepted' | 'revoked';
  expiresAt: string;
  createdAt: string;
}

export interface AuthMethod {
  id: string;
  teamId: string;
  kind: AuthMethodKind;
  label: string;
  enabled: boolean;
  autoAddUsers: boolean;
  saml: SamlConnection | null;
  /** kind `oidc`: the OP and client, secret included (only views redact it) */
  oidc: OidcConnection | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  teamId: string;
  /** hex sha256 of the whole key (KEY-04 lookup without a KDF, targets.md) */
  digest: string;
  prefix: string;
  status: ApiKeyStatus;
  createdAt: string;
}

export interface VerifiedDomain {
  name: string;
  organisationId: string;
  verified: boolean;
  captureTeamId: string | null;
}

export interface Workspace {
  id: string;
  teamId: string;
  name: string;
  type: WorkspaceType;
  /** the account that owns it; null once the team took it over (DEA-03..05, REM-01 hand-over keeps an owner) */
  ownerId: string | null;
  createdAt: string;
}

export type GrantKind = 'account' | 'group' | 'team';

/** A role on a workspace; kind 'team' means "the team is its admin": team Admins/Super Admins hold that role. */
export interface WorkspaceGrant {
  workspaceId: string;
  kind: GrantKind;
  memberId: string;
  role: WorkspaceRole;
}

export interface Group {
  id: string;
  teamId: string;
  displayName: string;
  externalId: string | null;
  /** GRP-02/03: true once the IdP created or linked it */
  managedByScim: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * PRV-10 / SSO-02: a sign-up in a verified domain waiting for its emailed link (single use, 1 h). No account exists
 * until the link is used, so nothing can sign in as it or be captured before.
 */
export interface SignUpConfirmation {
  digest: string;
  email: string;
  givenName: string;
  familyName: string;
  /** scrypt hash of the chosen password (passwords.ts) */
  passwordHash: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface PasswordResetToken {
  digest: string;
  accountId: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface OrganisationMembership {
  organisationId: string;
  accountId: string;
  permission: OrgPermission;
  createdAt: string;
}

export interface AuditEvent {
  id: number;
  at: string;
  type: string;
  teamId: string | null;
  accountId: string | null;
  data: Record<string, unknown>;
}
