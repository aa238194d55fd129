// The team service: product actions (ControlService), the SCIM directory (ScimDirectory) and sign-in building blocks.
// Encodes catalogue KEY-01..04, PRV-01..10, DEA-01..09, REM-01..03, GRP-01..06, SSO-02/06/07, JIT-02..07, ORG-01..08.
// This class is the facade: each operation lives in the module of its aggregate and runs in its own store transaction.
import type {
  AccessView,
  AccountView,
  ApiKeyView,
  AuthMethodView,
  ControlService,
  DomainView,
  GroupView,
  InviteView,
  MemberView,
  NewAuthMethod,
  NewPerson,
  NewTeam,
  OrganisationMembershipView,
  OrganisationView,
  OrgPermission,
  OutboxMessageView,
  PlanName,
  SamlConnection,
  TeamRole,
  TeamView,
  WorkspaceRole,
  WorkspaceType,
  WorkspaceView,
} from '../control/port.ts';
import type { AuditEvent, WorkspaceGrant } from '../domain/model.ts';
import type {
  ScimDirectory,
  ScimGroupInput,
  ScimGroupRecord,
  ScimListQuery,
  ScimPage,
  ScimTenant,
  ScimUserInput,
  ScimUserRecord,
} from '../scim/directory.ts';
import type { ScratchTransaction, Store } from '../store/store.ts';
import * as accounts from './accounts.ts';
import * as authMethods from './auth-methods.ts';
import { createServiceContext, type ServiceContext, type TeamServiceOptions } from './context.ts';
import * as domains from './domains.ts';
import * as groups from './groups.ts';
import * as invites from './invites.ts';
import * as members from './members.ts';
import * as organisations from './organisations.ts';
import { MailOutbox } from './outbox.ts';
import * as scimGroups from './scim-groups.ts';
import * as scimKeys from './scim-keys.ts';
import * as scimUsers from './scim-users.ts';
import type { AuditInput } from './service-kit.ts';
import * as signIn from './team-sign-in.ts';
import * as teams from './teams.ts';
import * as workspaces from './workspaces.ts';

export type { RegisteredAccount } from './accounts.ts';
export { DEFAULT_RECENT_AUTH_HOURS, type PortalAdmission } from './organisations.ts';
export type { AuditInput } from './service-kit.ts';
export type { TeamSignInFacts } from './team-sign-in.ts';
export type { OrganisationMembershipView };

export class TeamService implements ControlService, ScimDirectory {
  readonly #ctx: ServiceContext;
  /** KEY-04: holds the cache of SCIM keys found usable (scim-keys.ts) */
  readonly #scimKeys: scimKeys.ScimKeyAuthenticator;
  /** JIT-07: where password reset links go; read through listOutbox (the operator's test mailbox). */
  readonly outbox: MailOutbox;

  constructor(store: Store, options: TeamServiceOptions = {}) {
    this.#ctx = createServiceContext(store, options);
    this.#scimKeys = new scimKeys.ScimKeyAuthenticator(this.#ctx);
    this.outbox = new MailOutbox({ now: this.#ctx.now });
  }

  // ---------------------------------------------------------------- organisations and the portal (ORG-*)

  createOrganisation(input: { slug: string; name: string; privateInstance?: boolean }): OrganisationView {
    return organisations.createOrganisation(this.#ctx, input);
  }

  updatePortal(organisationId: string, patch: Partial<OrganisationView['portal']>): OrganisationView {
    return organisations.updatePortal(this.#ctx, organisationId, patch);
  }

  getOrganisation(organisationId: string): OrganisationView {
    return organisations.getOrganisation(this.#ctx, organisationId);
  }

  getOrganisationBySlug(slug: string): OrganisationView {
    return organisations.getOrganisationBySlug(this.#ctx, slug);
  }

  admitByPortal(organisationId: string, person: Omit<NewPerson, 'password'>): organisations.PortalAdmission {
    return organisations.admitByPortal(this.#ctx, organisationId, person);
  }

  admitByPortalToOrganisations(
    organisationIds: readonly string[],
    person: Omit<NewPerson, 'password'>,
  ): organisations.PortalAdmission {
    return organisations.admitByPortalToOrganisations(this.#ctx, organisationIds, person);
  }

  getOrganisationMembership(organisationId: string, accountId: string): OrganisationMembershipView | null {
    return organisations.getOrganisationMembership(this.#ctx, organisationId, accountId);
  }

  setOrganisationMembership(
    organisationId: string,
    accountId: string,
    permission: OrgPermission,
  ): OrganisationMembershipView {
    return organisations.setOrganisationMembership(this.#ctx, organisationId, accountId, permission);
  }

  // ---------------------------------------------------------------- teams and members

  createTeam(input: NewTeam): { team: TeamView; owner: MemberView } {
    return teams.createTeam(this.#ctx, input);
  }

  getTeam(teamId: string): TeamView {
    return teams.getTeam(this.#ctx, teamId);
  }

  updateTeam(
    teamId: string,
    actorId: string,
    patch: { plan?: PlanName; licensedSeats?: number; autoFlex?: boolean; trueUp?: boolean },
  ): TeamView {
    return teams.updateTeam(this.#ctx, teamId, actorId, patch);
  }

  addMember(teamId: string, actorId: string, person: NewPerson & { role: TeamRole }): MemberView {
    return members.addMember(this.#ctx, teamId, actorId, person);
  }

  setMemberRole(teamId: string, actorId: string, accountId: string, role: TeamRole): MemberView {
    return members.setMemberRole(this.#ctx, teamId, actorId, accountId, role);
  }

  listMembers(teamId: string): MemberView[] {
    return members.listMembers(this.#ctx, teamId);
  }

  getMember(teamId: string, accountId: string): MemberView {
    return members.getMember(this.#ctx, teamId, accountId);
  }

  removeMember(teamId: string, actorId: string, accountId: string, handoverToId?: string): MemberView {
    return members.removeMember(this.#ctx, teamId, actorId, accountId, handoverToId);
  }

  leaveTeam(teamId: string, accountId: string): void {
    members.leaveTeam(this.#ctx, teamId, accountId);
  }

  changeOwnEmail(accountId: string, newEmail: string): AccountView {
    return accounts.changeOwnEmail(this.#ctx, accountId, newEmail);
  }

  changeOwnPassword(accountId: string, currentPassword: string | null, newPassword: string): AccountView {
    return accounts.changeOwnPassword(this.#ctx, accountId, currentPassword, newPassword);
  }

  getAccount(accountId: string): AccountView {
    return accounts.getAccount(this.#ctx, accountId);
  }

  findAccountByEmail(email: string): AccountView | null {
    return accounts.findAccountByEmail(this.#ctx, email);
  }

  /** The organisation that verified the address's domain, or null (tenant isolation, idsim #16/#17). */
  emailDomainOwner(email: string): string | null {
    return accounts.emailDomainOwner(this.#ctx, email);
  }

  // ---------------------------------------------------------------- invites (JIT-04, JIT-06)

  createInvite(
    teamId: string,
    actorId: string,
    input: { email: string; role?: TeamRole },
  ): { invite: InviteView; token: string } {
    return invites.createInvite(this.#ctx, teamId, actorId, input);
  }

  listInvites(teamId: string): InviteView[] {
    return invites.listInvites(this.#ctx, teamId);
  }

  acceptInvite(token: string, accountId: string): MemberView {
    return invites.acceptInvite(this.#ctx, token, accountId);
  }

  acceptInviteAsNewAccount(token: string, person: Omit<NewPerson, 'password'>): MemberView {
    return invites.acceptInviteAsNewAccount(this.#ctx, token, person);
  }

  // ---------------------------------------------------------------- authentication methods (SSO-*, JIT-01/05)

  addAuthMethod(teamId: string, actorId: string, input: NewAuthMethod): AuthMethodView {
    return authMethods.addAuthMethod(this.#ctx, teamId, actorId, input);
  }

  updateAuthMethod(
    teamId: string,
    actorId: string,
    methodId: string,
    patch: { label?: string; enabled?: boolean; autoAddUsers?: boolean; saml?: SamlConnection },
  ): AuthMethodView {
    return authMethods.updateAuthMethod(this.#ctx, teamId, actorId, methodId, patch);
  }

  removeAuthMethod(teamId: string, actorId: string, methodId: string): void {
    authMethods.removeAuthMethod(this.#ctx, teamId, actorId, methodId);
  }

  listAuthMethods(teamId: string): AuthMethodView[] {
    return authMethods.listAuthMethods(this.#ctx, teamId);
  }

  getAuthMethod(teamId: string, methodId: string): AuthMethodView {
    return authMethods.getAuthMethod(this.#ctx, teamId, methodId);
  }

  findAuthMethod(methodId: string): AuthMethodView | null {
    return authMethods.findAuthMethod(this.#ctx, methodId);
  }

  /** issue #14: the OIDC token request's client secret, which views never show */
  findOidcClientSecret(methodId: string): string | null {
    return authMethods.findOidcClientSecret(this.#ctx, methodId);
  }

  findPortalAuthMethod(organisationId: string): AuthMethodView | null {
    return authMethods.findPortalAuthMethod(this.#ctx, organisationId);
  }

  // ---------------------------------------------------------------- SCIM enablement and keys (KEY-01..04)

  setScimEnabled(teamId: string, actorId: string, enabled: boolean): TeamView {
    return scimKeys.setScimEnabled(this.#ctx, teamId, actorId, enabled);
  }

  generateScimKey(teamId: string, actorId: string): { key: string; apiKey: ApiKeyView } {
    return scimKeys.generateScimKey(this.#ctx, teamId, actorId);
  }

  importScimKey(teamId: string, actorId: string, key: string): ApiKeyView {
    return scimKeys.importScimKey(this.#ctx, teamId, actorId, key);
  }

  revokeScimKey(teamId: string, actorId: string, keyId: string): ApiKeyView {
    return scimKeys.revokeScimKey(this.#ctx, teamId, actorId, keyId);
  }

  listScimKeys(teamId: string): ApiKeyView[] {
    return scimKeys.listScimKeys(this.#ctx, teamId);
  }

  authenticate(bearerKey: string): ScimTenant {
    return this.#scimKeys.authenticate(bearerKey);
  }

  // ---------------------------------------------------------------- domains (SSO-02, PRV-08, PRV-10)

  addDomain(organisationId: string, name: string): DomainView {
    return domains.addDomain(this.#ctx, organisationId, name);
  }

  verifyDomain(organisationId: string, name: string): DomainView {
    return domains.verifyDomain(this.#ctx, organisationId, name);
  }

  setDomainCapture(organisationId: string, name: string, teamId: string | null): DomainView {
    return domains.setDomainCapture(this.#ctx, organisationId, name, teamId);
  }

  listDomains(organisationId: string): DomainView[] {
    return domains.listDomains(this.#ctx, organisationId);
  }

  // ---------------------------------------------------------------- workspaces (DEA-03..09, REM-01..03, GRP-05)

  createWorkspace(
    teamId: string,
    actorId: string,
    input: { name: string; type: WorkspaceType; ownerId?: string },
  ): WorkspaceView {
    return workspaces.createWorkspace(this.#ctx, teamId, actorId, input);
  }

  shareWorkspace(
    teamId: string,
    actorId: string,
    workspaceId: string,
    grant: { kind: 'account' | 'group'; id: string; role: WorkspaceRole },
  ): WorkspaceView {
    return workspaces.shareWorkspace(this.#ctx, teamId, actorId, workspaceId, grant);
  }

  listWorkspaces(teamId: string): WorkspaceView[] {
    return workspaces.listWorkspaces(this.#ctx, teamId);
  }

  getAccess(teamId: string, accountId: string): AccessView[] {
    return workspaces.getAccess(this.#ctx, teamId, accountId);
  }

  // ---------------------------------------------------------------- groups (control side; GRP-03 link targets)

  createGroup(teamId: string, actorId: string, input: { displayName: string }): GroupView;
  createGroup(teamId: string, input: ScimGroupInput): ScimGroupRecord;
  createGroup(
    teamId: string,
    second: string | ScimGroupInput,
    third?: { displayName: string },
  ): GroupView | ScimGroupRecord {
    if (typeof second === 'string') {
      return groups.createTeamGroup(this.#ctx, teamId, second, third?.displayName ?? '');
    }
    return scimGroups.createScimGroup(this.#ctx, teamId, second);
  }

  addGroupMembers(teamId: string, actorId: string, groupId: string, accountIds: string[]): GroupView {
    return groups.addGroupMembers(this.#ctx, teamId, actorId, groupId, accountIds);
  }

  /**
   * A scratch transaction over everything the service writes until `discard()` (Store.openScratch): the demo
   * console plays a guided scenario inside one, so what the scenario changed is undone however it ends.
   */
  openScratch(): ScratchTransaction {
    return this.#ctx.store.openScratch();
  }

  /** JIT-07: the server's outbox, oldest first (no store transaction: it lives in memory). */
  listOutbox(to?: string): OutboxMessageView[] {
    return this.outbox.list(to);
  }

  listGroups(teamId: string): GroupView[];
  listGroups(teamId: string, query: ScimListQuery): ScimPage<ScimGroupRecord>;
  listGroups(teamId: string, query?: ScimListQuery): GroupView[] | ScimPage<ScimGroupRecord> {
    if (query === undefined) return groups.listTeamGroups(this.#ctx, teamId);
    return scimGroups.listScimGroups(this.#ctx, teamId, query);
  }

  // ---------------------------------------------------------------- SCIM users (PRV-*, DEA-*, SSO-07)

  createUser(teamId: string, input: ScimUserInput): ScimUserRecord {
    return scimUsers.createUser(this.#ctx, teamId, input);
  }

  getUser(teamId: string, id: string): ScimUserRecord {
    return scimUsers.getUser(this.#ctx, teamId, id);
  }

  listUsers(teamId: string, query: ScimListQuery): ScimPage<ScimUserRecord> {
    return scimUsers.listUsers(this.#ctx, teamId, query);
  }

  replaceUser(teamId: string, id: string, input: ScimUserInput, expectedVersion?: number): ScimUserRecord {
    return scimUsers.replaceUser(this.#ctx, teamId, id, input, expectedVersion);
  }

  deleteUser(teamId: string, id: string, expectedVersion?: number): void {
    scimUsers.deleteUser(this.#ctx, teamId, id, expectedVersion);
  }

  // ---------------------------------------------------------------- SCIM groups (GRP-01..04, GRP-06)

  getGroup(teamId: string, id: string): ScimGroupRecord {
    return scimGroups.getGroup(this.#ctx, teamId, id);
  }

  replaceGroup(teamId: string, id: string, input: ScimGroupInput, expectedVersion?: number): ScimGroupRecord {
    return scimGroups.replaceGroup(this.#ctx, teamId, id, input, expectedVersion);
  }

  patchGroupMembers(
    teamId: string,
    id: string,
    change: { add: string[]; remove: string[]; displayName?: string; externalId?: string | null },
    expectedVersion?: number,
  ): ScimGroupRecord {
    return scimGroups.patchGroupMembers(this.#ctx, teamId, id, change, expectedVersion);
  }

  deleteGroup(teamId: string, id: string, expectedVersion?: number): void {
    scimGroups.deleteGroup(this.#ctx, teamId, id, expectedVersion);
  }

  // ---------------------------------------------------------------- sign-in building blocks (JIT-*, PRV-10, SSO-02)

  registerAccount(person: NewPerson): accounts.RegisteredAccount {
    return accounts.registerAccount(this.#ctx, person);
  }

  verifyPassword(email: string, password: string): AccountView {
    return accounts.verifyPassword(this.#ctx, email, password);
  }

  admitByJit(teamId: string, methodId: string, person: Omit<NewPerson, 'password'>): MemberView {
    return signIn.admitByJit(this.#ctx, teamId, methodId, person);
  }

  createPasswordResetToken(email: string): { token: string; expiresAt: string } | null {
    return accounts.createPasswordResetToken(this.#ctx, email);
  }

  resetPassword(token: string, newPassword: string): AccountView {
    return accounts.resetPassword(this.#ctx, token, newPassword);
  }

  recordAuditEvent(input: AuditInput): AuditEvent {
    return signIn.recordAuditEvent(this.#ctx, input);
  }

  listAuditEvents(filter: { teamId?: string; accountId?: string; type?: string } = {}): AuditEvent[] {
    return signIn.listAuditEvents(this.#ctx, filter);
  }

  getTeamSignInFacts(teamId: string, email: string): signIn.TeamSignInFacts {
    return signIn.getTeamSignInFacts(this.#ctx, teamId, email);
  }

  listTeamsOfAccount(accountId: string): MemberView[] {
    return signIn.listTeamsOfAccount(this.#ctx, accountId);
  }
}

export function createTeamService(store: Store, options?: TeamServiceOptions): TeamService {
  return new TeamService(store, options);
}

export type { WorkspaceGrant };
