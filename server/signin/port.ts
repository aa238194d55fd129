// What the sign-in layer needs from the team service (TeamService satisfies SignInPort as it is) and the two reads
// it needs besides: an auth method by its id alone (the ACS URL names only the method) and the portal's method.
import type {
  AccountView,
  AuthMethodView,
  InviteView,
  MemberView,
  NewPerson,
  OrganisationView,
} from '../control/port.ts';
import type {
  OrganisationMembershipView,
  PortalAdmission,
  RegisteredAccount,
  TeamSignInFacts,
} from '../service/team-service.ts';

export interface SignInPort {
  getTeamSignInFacts(teamId: string, email: string): TeamSignInFacts;
  getAccount(accountId: string): AccountView;
  findAccountByEmail(email: string): AccountView | null;
  /** the organisation that verified the address's domain, null when none did (idsim #16/#17) */
  emailDomainOwner(email: string): string | null;
  verifyPassword(email: string, password: string): AccountView;
  admitByJit(teamId: string, methodId: string, person: Omit<NewPerson, 'password'>): MemberView;
  acceptInvite(token: string, accountId: string): MemberView;
  /** JIT-04 / JIT-10: the passwordless account and the invited membership, in one transaction */
  acceptInviteAsNewAccount(token: string, person: Omit<NewPerson, 'password'>): MemberView;
  listInvites(teamId: string): InviteView[];
  registerAccount(person: NewPerson): RegisteredAccount;
  createPasswordResetToken(email: string): { token: string; expiresAt: string } | null;
  resetPassword(token: string, newPassword: string): AccountView;
  recordAuditEvent(input: {
    type: string;
    teamId?: string | null;
    accountId?: string | null;
    data?: Record<string, unknown>;
  }): unknown;
  getOrganisationBySlug(slug: string): OrganisationView;
  getOrganisation(organisationId: string): OrganisationView;
  getOrganisationMembership(organisationId: string, accountId: string): OrganisationMembershipView | null;
  admitByPortal(organisationId: string, person: Omit<NewPerson, 'password'>): PortalAdmission;
  listTeamsOfAccount(accountId: string): MemberView[];
}

/** The two auth-method reads of the SAML ACS and the portal (TeamService offers both). */
export interface AuthMethodDirectory {
  /** the auth method with this id, in whatever team it is; null when none */
  findAuthMethod(methodId: string): AuthMethodView | null;
  /** ORG-01: the SAML method whose IdP serves the organisation's portal; null when none is configured */
  findPortalMethod(organisationId: string): AuthMethodView | null;
}

/** Uses the service's own lookups when it has them (duck-typed), else finds nothing. */
export function directoryFromService(service: object): AuthMethodDirectory {
  const candidate = service as Partial<AuthMethodDirectory> & {
    findPortalAuthMethod?: (organisationId: string) => AuthMethodView | null;
  };
  return {
    findAuthMethod: (methodId) => candidate.findAuthMethod?.call(service, methodId) ?? null,
    findPortalMethod: (organisationId) =>
      candidate.findPortalMethod?.call(service, organisationId) ??
      candidate.findPortalAuthMethod?.call(service, organisationId) ??
      null,
  };
}
