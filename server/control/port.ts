// The product actions that SCIM does not cover (the "control" capability of the target contract, design.md).
// The team service implements this port; the control HTTP API (server/control/router.ts) exposes it 1:1.

export type PlanName = 'Free' | 'Basic' | 'Professional' | 'Enterprise';
/** Team roles, most to least privileged. Admin and Super Admin are the "team admins" of the catalogue. */
export type TeamRole = 'Super Admin' | 'Admin' | 'Member' | 'Guest';
export type MembershipStatus = 'active' | 'deactivated' | 'removed';
export type AuthMethodKind = 'password' | 'saml' | 'oidc';
export type ApiKeyStatus = 'ACTIVE' | 'REVOKED';
export type WorkspaceType = 'private' | 'internal' | 'public' | 'partner';
export type WorkspaceRole = 'Admin' | 'Editor' | 'Viewer';
/** ORG-08 default permission for portal JIT */
export type OrgPermission = 'member' | 'contributor' | 'admin';

export interface OrganisationView {
  id: string;
  slug: string;
  name: string;
  portal: {
    jitEnabled: boolean;
    privateInstance: boolean;
    defaultPermission: OrgPermission;
    recentAuthHours: number;
    /** ORG-01: the SAML auth method (of one of the organisation's teams) whose IdP serves the portal, or null */
    authMethodId: string | null;
  };
}

/** ORG-02 / ORG-05 / ORG-08: an account's membership of an organisation (through its login portal). */
export interface OrganisationMembershipView {
  organisationId: string;
  accountId: string;
  permission: OrgPermission;
}

/** JIT-07: a message the server would e-mail; the reference server keeps them in its outbox (no mail system). */
export interface OutboxMessageView {
  to: string;
  kind: 'password_reset';
  /** the link the person follows (for a reset: `<base>/reset-password?token=...`) */
  link: string;
  token: string;
  expiresAt: string;
  sentAt: string;
}

export interface SeatsView {
  licensed: number;
  used: number;
  autoFlex: boolean;
  trueUp: boolean;
}

export interface TeamView {
  id: string;
  organisationId: string;
  name: string;
  plan: PlanName;
  seats: SeatsView;
  scimEnabled: boolean;
}

export interface AccountView {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  /** ORG-02 portal username (firstname-lastname), null for team-only accounts */
  username: string | null;
  hasPassword: boolean;
}

export interface MemberView {
  account: AccountView;
  teamId: string;
  role: TeamRole;
  status: MembershipStatus;
  /** SSO-07 / PRV-05..08: true once the IdP provisions this member through SCIM */
  managedByScim: boolean;
  /** the SCIM resource id of this member (stable across deactivate/reactivate) */
  scimId: string;
}

export interface InviteView {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  status: 'pending' | 'accepted' | 'revoked';
  expiresAt: string;
}

export interface SamlConnection {
  idpEntityId: string;
  idpSsoUrl: string;
  /** PEM or base64 DER certificates the SP pins for this IdP */
  idpCertificates: string[];
  idpSloUrl?: string;
  /**
   * Accept RSA-SHA1 signatures and SHA-1 digests from this IdP (legacy only; default false, when such Responses are
   * refused with `algorithm_forbidden`: server/saml/signature-policy.ts).
   */
  allowSha1?: boolean;
}

/** An OpenID Connect method's OP and client (OIDC discovery 1.0 section 4: the issuer's configuration document). */
export interface OidcConnection {
  /** the OP's issuer URL; `<issuer>/.well-known/openid-configuration` is read for the endpoints and keys */
  issuer: string;
  clientId: string;
  /** confidential client secret (client_secret_basic); write-only: views say only whether one is set */
  clientSecret?: string;
  /** scopes beyond `openid`; default `email profile` */
  scopes?: string[];
}

/** What a view shows of an OIDC method: the secret never leaves the service. */
export interface OidcConnectionView {
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string[];
}

export interface AuthMethodView {
  id: string;
  teamId: string;
  kind: AuthMethodKind;
  label: string;
  enabled: boolean;
  /** "Automatically add new users" (JIT-01..03) */
  autoAddUsers: boolean;
  saml: SamlConnection | null;
  /** set for an OIDC method (kind `oidc`) */
  oidc: OidcConnectionView | null;
}

export interface ApiKeyView {
  id: string;
  teamId: string;
  status: ApiKeyStatus;
  /** first characters of the key, for recognising it in a list; never the whole key */
  prefix: string;
  createdAt: string;
}

export interface DomainView {
  name: string;
  organisationId: string;
  verified: boolean;
  /** SSO-02 / PRV-10: capture accounts of this domain into this team */
  captureTeamId: string | null;
}

export interface WorkspaceMemberView {
  kind: 'account' | 'group' | 'team';
  /** account id, group id, or team id */
  id: string;
  role: WorkspaceRole;
}

export interface WorkspaceView {
  id: string;
  teamId: string;
  name: string;
  type: WorkspaceType;
  members: WorkspaceMemberView[];
}

export interface AccessView {
  workspaceId: string;
  workspaceName: string;
  type: WorkspaceType;
  /** effective role of the account, null when it has no access at all */
  role: WorkspaceRole | null;
}

export interface GroupView {
  id: string;
  teamId: string;
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

export interface NewPerson {
  email: string;
  givenName: string;
  familyName: string;
  password?: string;
}

/** createTeam's input: the team and its owner (without organisationId the team gets its own organisation). */
export interface NewTeam {
  organisationId?: string;
  name: string;
  plan: PlanName;
  licensedSeats: number;
  autoFlex?: boolean;
  trueUp?: boolean;
  owner: NewPerson;
}

/** addAuthMethod's input; `saml` is required for a SAML method. */
export interface NewAuthMethod {
  kind: AuthMethodKind;
  label?: string;
  enabled?: boolean;
  autoAddUsers?: boolean;
  saml?: SamlConnection;
  /** required for an OIDC method */
  oidc?: OidcConnection;
}

/**
 * Every method that names an `actorId` checks that account's team role first (JIT-05, KEY-03, PRV-07) and throws
 * DomainError('forbidden') before changing anything. Every method runs in one store transaction.
 */
export interface ControlService {
  createOrganisation(input: { slug: string; name: string; privateInstance?: boolean }): OrganisationView;
  /**
   * ORG-01..08 portal settings. `authMethodId` names the SAML method (of a team of this organisation) whose IdP serves
   * the portal's SSO page; null clears it.
   */
  updatePortal(organisationId: string, patch: Partial<OrganisationView['portal']>): OrganisationView;
  getOrganisation(organisationId: string): OrganisationView;
  /** ORG-02 / ORG-05: the account's membership of the organisation, or null when it is not a member. */
  getOrganisationMembership(organisationId: string, accountId: string): OrganisationMembershipView | null;

  /** Creates a team and its first member, a Super Admin (not counted against free seats only if seats allow). */
  createTeam(input: NewTeam): { team: TeamView; owner: MemberView };
  getTeam(teamId: string): TeamView;
  updateTeam(
    teamId: string,
    actorId: string,
    patch: { plan?: PlanName; licensedSeats?: number; autoFlex?: boolean; trueUp?: boolean },
  ): TeamView;

  /** Direct add by an admin (fixture set-up and the console); seat rules apply. */
  addMember(teamId: string, actorId: string, person: NewPerson & { role: TeamRole }): MemberView;
  setMemberRole(teamId: string, actorId: string, accountId: string, role: TeamRole): MemberView;
  listMembers(teamId: string): MemberView[];
  getMember(teamId: string, accountId: string): MemberView;
  /** REM-01 / PRV-07: admin removal; handoverToId names the admin who receives the member's workspaces. */
  removeMember(teamId: string, actorId: string, accountId: string, handoverToId?: string): MemberView;
  /** PRV-05 */
  leaveTeam(teamId: string, accountId: string): void;
  /** PRV-06 */
  changeOwnEmail(accountId: string, newEmail: string): AccountView;
  changeOwnPassword(accountId: string, currentPassword: string | null, newPassword: string): AccountView;
  getAccount(accountId: string): AccountView;
  findAccountByEmail(email: string): AccountView | null;

  createInvite(
    teamId: string,
    actorId: string,
    input: { email: string; role?: TeamRole },
  ): {
    invite: InviteView;
    token: string;
  };
  listInvites(teamId: string): InviteView[];

  addAuthMethod(teamId: string, actorId: string, input: NewAuthMethod): AuthMethodView;
  updateAuthMethod(
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
  ): AuthMethodView;
  removeAuthMethod(teamId: string, actorId: string, methodId: string): void;
  listAuthMethods(teamId: string): AuthMethodView[];

  setScimEnabled(teamId: string, actorId: string, enabled: boolean): TeamView;
  /** KEY-01..03; the key is returned once and stored only as a digest. */
  generateScimKey(teamId: string, actorId: string): { key: string; apiKey: ApiKeyView };
  revokeScimKey(teamId: string, actorId: string, keyId: string): ApiKeyView;
  listScimKeys(teamId: string): ApiKeyView[];

  addDomain(organisationId: string, name: string): DomainView;
  verifyDomain(organisationId: string, name: string): DomainView;
  /** SSO-02: only verified domains can be captured */
  setDomainCapture(organisationId: string, name: string, teamId: string | null): DomainView;
  listDomains(organisationId: string): DomainView[];

  createWorkspace(
    teamId: string,
    actorId: string,
    input: { name: string; type: WorkspaceType; ownerId?: string },
  ): WorkspaceView;
  shareWorkspace(
    teamId: string,
    actorId: string,
    workspaceId: string,
    grant: { kind: 'account' | 'group'; id: string; role: WorkspaceRole },
  ): WorkspaceView;
  listWorkspaces(teamId: string): WorkspaceView[];
  /** DEA-03..09, REM-01..03: what the account can reach in the team's workspaces right now. */
  getAccess(teamId: string, accountId: string): AccessView[];

  createGroup(teamId: string, actorId: string, input: { displayName: string }): GroupView;
  listGroups(teamId: string): GroupView[];
  /** GRP-03: an admin adds active team members (account ids) to a hand-made team group. */
  addGroupMembers(teamId: string, actorId: string, groupId: string, accountIds: string[]): GroupView;

  /** JIT-07: the server's outbox (operator-only test mailbox), oldest first; `to` filters by recipient email. */
  listOutbox(to?: string): OutboxMessageView[];
}
