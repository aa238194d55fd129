// The team service: product actions (ControlService), the SCIM directory (ScimDirectory) and sign-in building blocks.
// Encodes catalogue KEY-01..04, PRV-01..10, DEA-01..09, REM-01..03, GRP-01..06, SSO-02/06/07, JIT-02..07, ORG-01..08.
import type {
  AccessView,
  AccountView,
  ApiKeyView,
  AuthMethodKind,
  AuthMethodView,
  ControlService,
  DomainView,
  GroupView,
  InviteView,
  MemberView,
  NewPerson,
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
import { emailDomain, emailKey, normaliseDomainName, normaliseEmail } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import { assertGroupDisplayName, assertLinkable, assertMembersKnown } from '../domain/groups.ts';
import {
  assertInviteUsable,
  assertResetTokenUsable,
  INVITE_LIFETIME_MS,
  INVITE_TOKEN_PREFIX,
  PASSWORD_RESET_LIFETIME_MS,
  RESET_TOKEN_PREFIX,
} from '../domain/invites.ts';
import type {
  Account,
  AuditEvent,
  AuthMethod,
  Group,
  Membership,
  Organisation,
  Team,
  WorkspaceGrant,
} from '../domain/model.ts';
import { hashPassword, verifyPasswordHash } from '../domain/passwords.ts';
import { assertPlanAllowsScim, isPlanName } from '../domain/plans.ts';
import {
  assertMayAssignRole,
  assertNotLastSuperAdmin,
  assertTeamAdmin,
  isTeamAdminRole,
  isTeamRole,
} from '../domain/roles.ts';
import {
  assertMayGenerateScimKey,
  assertScimKeyUsable,
  newScimKeySecret,
  SCIM_KEY_SHOWN_CHARS,
} from '../domain/scim-keys.ts';
import { assertSeatAvailable, assertValidSeatCount } from '../domain/seats.ts';
import { digestSecret, generateSecret } from '../domain/tokens.ts';
import { baseUsername, firstFreeUsername, slugify } from '../domain/usernames.ts';
import {
  assertWorkspaceName,
  effectiveWorkspaceRole,
  isWorkspaceRole,
  isWorkspaceType,
} from '../domain/workspaces.ts';
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
import type { Store } from '../store/store.ts';
import { createServiceContext, type ServiceContext, type TeamServiceOptions } from './context.ts';
import { assertImportableScimKey } from './imported-scim-key.ts';
import {
  createAccount,
  deactivateMembership,
  departTeam,
  findOrCreateAccount,
  joinTeam,
  needsWorkspaceHandover,
  reactivateMembership,
  requireAccount,
  requireMembership,
  requireTeam,
  updateMembership,
} from './lifecycle.ts';
import { MailOutbox } from './outbox.ts';
import {
  accountView,
  apiKeyView,
  authMethodView,
  domainView,
  inviteView,
  memberView,
  organisationView,
  scimUserRecord,
  teamView,
  workspaceView,
} from './views.ts';

/** ORG-03 decision: an IdP session younger than 8 h counts as recent. */
export const DEFAULT_RECENT_AUTH_HOURS = 8;

export type { OrganisationMembershipView };

/** What a team sign-in page needs to decide (JIT-01..06, DEA-01/02, REM-02, SSO-03/05). */
export interface TeamSignInFacts {
  team: TeamView;
  account: AccountView | null;
  member: MemberView | null;
  /** REM-02: an admin removed this account from the team and nobody added it back */
  removedFromTeam: boolean;
  /** the enabled password method, if any (SSO-03/05) */
  passwordMethod: AuthMethodView | null;
  /** enabled SAML methods */
  samlMethods: AuthMethodView[];
}

export interface PortalAdmission {
  account: AccountView;
  /** ORG-05: null when the account exists but is not a member (no membership is granted) */
  membership: OrganisationMembershipView | null;
  /** ORG-02: true when the portal created the account */
  created: boolean;
}

export interface RegisteredAccount {
  account: AccountView;
  /** PRV-10 / SSO-02: the membership made by domain capture, else null */
  member: MemberView | null;
}

export interface AuditInput {
  type: string;
  teamId?: string | null;
  accountId?: string | null;
  data?: Record<string, unknown>;
}

const DEFAULT_LABELS: Record<AuthMethodKind, string> = { password: 'Email and password', saml: 'SAML SSO' };

function assertVersion(actual: number, expected: number | undefined): void {
  // RFC 7644 3.14: If-Match with a stale version is refused (412 at the protocol layer).
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('version_mismatch', `resource version is ${actual}, not ${expected}`, {
      expected,
      actual,
    });
  }
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

/** Audit record of a change of the portal's SSO method (ORG-01); the setting itself is a column of the organisation. */
const PORTAL_METHOD_EVENT = 'portal.auth_method_set';

export class TeamService implements ControlService, ScimDirectory {
  /** digest → team id of SCIM keys found usable, valid while the store's change count is #usableKeysAt */
  readonly #usableKeys = new Map<string, string>();
  #usableKeysAt = -1;
  readonly #ctx: ServiceContext;
  /** JIT-07: where password reset links go; read through listOutbox (the operator's test mailbox). */
  readonly outbox: MailOutbox;

  constructor(store: Store, options: TeamServiceOptions = {}) {
    this.#ctx = createServiceContext(store, options);
    this.outbox = new MailOutbox({ now: this.#ctx.now });
  }

  get #store(): Store {
    return this.#ctx.store;
  }

  #tx<T>(fn: () => T): T {
    return this.#store.transaction(fn);
  }

  #audit(input: AuditInput): AuditEvent {
    return this.#store.audit.append({
      at: this.#ctx.nowIso(),
      type: input.type,
      teamId: input.teamId ?? null,
      accountId: input.accountId ?? null,
      data: input.data ?? {},
    });
  }

  #memberView(membership: Membership, status?: MemberView['status']): MemberView {
    return memberView(membership, requireAccount(this.#ctx, membership.accountId), status);
  }

  #requireOrganisation(organisationId: string): Organisation {
    const organisation = this.#store.organisations.get(organisationId);
    if (!organisation) {
      throw new DomainError('not_found', `organisation ${organisationId} not found`, {
        resource: 'organisation',
        id: organisationId,
      });
    }
    return organisation;
  }

  /** JIT-05 / KEY-03 / PRV-07: the actor's active Admin/Super Admin membership, else `forbidden`. */
  #requireAdmin(teamId: string, actorId: string, action: string): Membership {
    const actor = this.#store.memberships.getByAccount(teamId, actorId);
    assertTeamAdmin(actor, action);
    return actor as Membership;
  }

  // ---------------------------------------------------------------- organisations and the portal (ORG-*)

  createOrganisation(input: { slug: string; name: string; privateInstance?: boolean }): OrganisationView {
    return this.#tx(() => organisationView(this.#createOrganisation(input)));
  }

  #createOrganisation(input: { slug: string; name: string; privateInstance?: boolean }): Organisation {
    const slug = slugify(input.slug);
    if (slug === '' || slug !== input.slug.trim().toLowerCase()) {
      throw new DomainError(
        'invalid_value',
        'an organisation slug is lower-case letters, digits and dashes',
        {
          attribute: 'slug',
        },
      );
    }
    if (this.#store.organisations.getBySlug(slug)) {
      throw new DomainError('uniqueness', `organisation slug ${slug} is taken`, { attribute: 'slug' });
    }
    const privateInstance = input.privateInstance ?? false;
    const organisation: Organisation = {
      id: this.#ctx.newId(),
      slug,
      name: input.name.trim() === '' ? slug : input.name.trim(),
      // ORG-07: portal JIT is always on for private instances; otherwise off until an admin turns it on.
      portalJitEnabled: privateInstance,
      privateInstance,
      defaultPermission: 'member',
      recentAuthHours: DEFAULT_RECENT_AUTH_HOURS,
      portalAuthMethodId: null,
    };
    this.#store.organisations.insert(organisation);
    return organisation;
  }

  updatePortal(organisationId: string, patch: Partial<OrganisationView['portal']>): OrganisationView {
    return this.#tx(() => {
      const current = this.#requireOrganisation(organisationId);
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
        next.portalAuthMethodId = this.#checkPortalMethod(next, patch.authMethodId);
        this.#audit({
          type: PORTAL_METHOD_EVENT,
          teamId: null,
          data: { organisationId: next.id, methodId: next.portalAuthMethodId },
        });
      }
      this.#store.organisations.update(next);
      return organisationView(next);
    });
  }

  /** ORG-01: the portal's method must be a SAML method of a team of this organisation; returns the id to store. */
  #checkPortalMethod(organisation: Organisation, methodId: string | null): string | null {
    if (methodId === null) return null;
    const method = this.#store.authMethods.get(methodId);
    const team = method ? this.#store.teams.get(method.teamId) : null;
    if (method?.kind !== 'saml' || !team || team.organisationId !== organisation.id) {
      throw new DomainError(
        'invalid_value',
        'the portal needs a SAML auth method of a team of this organisation',
        {
          attribute: 'authMethodId',
        },
      );
    }
    return methodId;
  }

  getOrganisation(organisationId: string): OrganisationView {
    return this.#tx(() => organisationView(this.#requireOrganisation(organisationId)));
  }

  getOrganisationBySlug(slug: string): OrganisationView {
    return this.#tx(() => {
      const organisation = this.#store.organisations.getBySlug(slug);
      if (!organisation)
        throw new DomainError('not_found', `organisation ${slug} not found`, { resource: 'organisation' });
      return organisationView(organisation);
    });
  }

  /** ORG-02 (one organisation) — see admitByPortalToOrganisations. */
  admitByPortal(organisationId: string, person: Omit<NewPerson, 'password'>): PortalAdmission {
    return this.admitByPortalToOrganisations([organisationId], person);
  }

  /**
   * ORG-02 / ORG-05 / ORG-08: a new person gets an account (username `firstname-lastname`, collisions `-2`, ...,
   * no password) and, in every listed organisation with portal JIT on, a membership with that organisation's
   * default permission. An existing account gets no new membership (ORG-05: an admin must invite).
   * The first organisation's portal must have JIT on (`jit_disabled`).
   */
  admitByPortalToOrganisations(
    organisationIds: readonly string[],
    person: Omit<NewPerson, 'password'>,
  ): PortalAdmission {
    return this.#tx(() => {
      const organisations = organisationIds.map((id) => this.#requireOrganisation(id));
      const first = organisations[0];
      if (!first) throw new DomainError('invalid_value', 'name at least one organisation');
      if (!first.portalJitEnabled) {
        throw new DomainError(
          'jit_disabled',
          'portal JIT provisioning is not enabled for this organisation',
          {
            organisationId: first.id,
          },
        );
      }
      const existing = this.#store.accounts.getByEmail(normaliseEmail(person.email));
      if (existing) {
        const membership = this.#store.organisationMemberships.get(first.id, existing.id);
        return {
          account: accountView(existing),
          membership: membership
            ? { organisationId: first.id, accountId: existing.id, permission: membership.permission }
            : null,
          created: false,
        };
      }
      const username = firstFreeUsername(baseUsername(person.givenName, person.familyName), (candidate) =>
        this.#store.accounts.usernameTaken(candidate),
      );
      const account = createAccount(this.#ctx, { ...person }, username);
      const now = this.#ctx.nowIso();
      for (const organisation of organisations) {
        if (!organisation.portalJitEnabled) continue;
        this.#store.organisationMemberships.upsert({
          organisationId: organisation.id,
          accountId: account.id,
          permission: organisation.defaultPermission,
          createdAt: now,
        });
      }
      this.#audit({ type: 'portal.account_created', accountId: account.id, data: { organisationIds } });
      return {
        account: accountView(account),
        membership: { organisationId: first.id, accountId: account.id, permission: first.defaultPermission },
        created: true,
      };
    });
  }

  getOrganisationMembership(organisationId: string, accountId: string): OrganisationMembershipView | null {
    return this.#tx(() => {
      const membership = this.#store.organisationMemberships.get(organisationId, accountId);
      return membership ? { organisationId, accountId, permission: membership.permission } : null;
    });
  }

  /** ORG-05: an organisation admin invites (adds) an existing account with a permission. */
  setOrganisationMembership(
    organisationId: string,
    accountId: string,
    permission: OrgPermission,
  ): OrganisationMembershipView {
    return this.#tx(() => {
      this.#requireOrganisation(organisationId);
      requireAccount(this.#ctx, accountId);
      if (!['member', 'contributor', 'admin'].includes(permission)) {
        throw new DomainError('invalid_value', 'permission is member, contributor or admin', {
          attribute: 'permission',
        });
      }
      const existing = this.#store.organisationMemberships.get(organisationId, accountId);
      this.#store.organisationMemberships.upsert({
        organisationId,
        accountId,
        permission,
        createdAt: existing?.createdAt ?? this.#ctx.nowIso(),
      });
      return { organisationId, accountId, permission };
    });
  }

  // ---------------------------------------------------------------- teams and members

  createTeam(input: {
    organisationId?: string;
    name: string;
    plan: PlanName;
    licensedSeats: number;
    autoFlex?: boolean;
    trueUp?: boolean;
    owner: NewPerson;
  }): { team: TeamView; owner: MemberView } {
    return this.#tx(() => {
      if (!isPlanName(input.plan))
        throw new DomainError('invalid_value', `unknown plan ${String(input.plan)}`);
      assertValidSeatCount(input.licensedSeats);
      const name = input.name.trim();
      if (name === '') throw new DomainError('invalid_value', 'a team needs a name', { attribute: 'name' });
      const teamId = this.#ctx.newId();
      const organisationId =
        input.organisationId === undefined
          ? // Decision: a team created without an organisation gets its own one-team organisation.
            this.#createOrganisation({
              slug: `${slugify(name) || 'team'}-${teamId.slice(0, 8).toLowerCase()}`,
              name,
            }).id
          : this.#requireOrganisation(input.organisationId).id;
      const team: Team = {
        id: teamId,
        organisationId,
        name,
        plan: input.plan,
        licensedSeats: input.licensedSeats,
        usedSeats: 0,
        autoFlex: input.autoFlex ?? false,
        trueUp: input.trueUp ?? false,
        scimEnabled: false,
      };
      this.#store.teams.insert(team);
      const { account } = findOrCreateAccount(this.#ctx, input.owner);
      // Decision: the owner takes a seat like any active member, but creating a team is never refused for it.
      const owner = joinTeam(this.#ctx, { ...team, autoFlex: true }, account.id, { role: 'Super Admin' });
      this.#audit({ type: 'team.created', teamId, accountId: account.id });
      return { team: teamView(requireTeam(this.#ctx, teamId)), owner: memberView(owner, account) };
    });
  }

  getTeam(teamId: string): TeamView {
    return this.#tx(() => teamView(requireTeam(this.#ctx, teamId)));
  }

  updateTeam(
    teamId: string,
    actorId: string,
    patch: { plan?: PlanName; licensedSeats?: number; autoFlex?: boolean; trueUp?: boolean },
  ): TeamView {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'change the plan or seats');
      if (patch.plan !== undefined && !isPlanName(patch.plan)) {
        throw new DomainError('invalid_value', `unknown plan ${String(patch.plan)}`, { attribute: 'plan' });
      }
      if (patch.licensedSeats !== undefined) assertValidSeatCount(patch.licensedSeats);
      const plan = patch.plan ?? team.plan;
      const next: Team = {
        ...team,
        plan,
        licensedSeats: patch.licensedSeats ?? team.licensedSeats,
        autoFlex: patch.autoFlex ?? team.autoFlex,
        trueUp: patch.trueUp ?? team.trueUp,
        // KEY-01 decision: leaving Enterprise turns SCIM off (keys stay, and fail KEY-04 until it is on again).
        scimEnabled: plan === 'Enterprise' ? team.scimEnabled : false,
      };
      this.#store.teams.update(next);
      return teamView(requireTeam(this.#ctx, teamId));
    });
  }

  addMember(teamId: string, actorId: string, person: NewPerson & { role: TeamRole }): MemberView {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const actor = this.#requireAdmin(teamId, actorId, 'add members');
      if (!isTeamRole(person.role))
        throw new DomainError('invalid_value', `unknown role ${String(person.role)}`);
      assertMayAssignRole(actor, null, person.role);
      const { account } = findOrCreateAccount(this.#ctx, person);
      const existing = this.#store.memberships.getByAccount(teamId, account.id);
      if (existing?.status === 'active') {
        throw new DomainError('uniqueness', `${account.email} is already a member`, { attribute: 'email' });
      }
      const membership = existing
        ? reactivateMembership(this.#ctx, team, existing, { role: person.role })
        : joinTeam(this.#ctx, team, account.id, { role: person.role });
      this.#audit({ type: 'member.added', teamId, accountId: account.id, data: { by: actorId } });
      return memberView(membership, account);
    });
  }

  setMemberRole(teamId: string, actorId: string, accountId: string, role: TeamRole): MemberView {
    return this.#tx(() => {
      const actor = this.#requireAdmin(teamId, actorId, 'change member roles');
      if (!isTeamRole(role)) throw new DomainError('invalid_value', `unknown role ${String(role)}`);
      const target = requireMembership(this.#ctx, teamId, accountId);
      assertMayAssignRole(actor, target.role, role);
      if (target.role === 'Super Admin' && role !== 'Super Admin') {
        assertNotLastSuperAdmin(target, this.#store.memberships.countActiveWithRole(teamId, 'Super Admin'));
      }
      const next = updateMembership(this.#ctx, target, { role });
      return this.#memberView(next);
    });
  }

  listMembers(teamId: string): MemberView[] {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      // One joined query instead of an account read per member (large teams).
      const rows = this.#store.memberships.listMemberRows(teamId, {
        sortOrder: 'ascending',
        startIndex: 1,
        count: Number.MAX_SAFE_INTEGER,
      });
      return rows.items.map((row) => memberView(row.membership, row.account));
    });
  }

  getMember(teamId: string, accountId: string): MemberView {
    return this.#tx(() => this.#memberView(requireMembership(this.#ctx, teamId, accountId)));
  }

  removeMember(teamId: string, actorId: string, accountId: string, handoverToId?: string): MemberView {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      // PRV-07: only team Admins and Super Admins remove members.
      this.#requireAdmin(teamId, actorId, 'remove members');
      const target = requireMembership(this.#ctx, teamId, accountId);
      assertNotLastSuperAdmin(target, this.#store.memberships.countActiveWithRole(teamId, 'Super Admin'));
      let handoverAdminId: string | null = null;
      if (needsWorkspaceHandover(this.#ctx, teamId, accountId)) {
        // REM-01 decision: refused until a hand-over admin is named.
        if (handoverToId === undefined) {
          throw new DomainError(
            'handover_required',
            'name a team admin to receive the member’s workspaces first',
            {
              accountId,
            },
          );
        }
        const handover = this.#store.memberships.getByAccount(teamId, handoverToId);
        if (handover?.status !== 'active' || !isTeamAdminRole(handover.role) || handoverToId === accountId) {
          throw new DomainError(
            'invalid_value',
            'the hand-over must be another active team Admin or Super Admin',
            {
              attribute: 'handoverToId',
            },
          );
        }
        handoverAdminId = handoverToId;
      }
      const account = requireAccount(this.#ctx, accountId);
      departTeam(this.#ctx, target, handoverAdminId ?? actorId);
      this.#audit({
        type: 'member.removed',
        teamId,
        accountId,
        data: { by: actorId, handoverTo: handoverAdminId },
      });
      return memberView(target, account, 'removed');
    });
  }

  leaveTeam(teamId: string, accountId: string): void {
    this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const membership = requireMembership(this.#ctx, teamId, accountId);
      // PRV-05: with SCIM enabled, members cannot leave on their own.
      if (team.scimEnabled) {
        throw new DomainError(
          'managed_by_scim',
          'this team is managed through SCIM; ask your identity provider admin',
          {
            teamId,
          },
        );
      }
      assertNotLastSuperAdmin(membership, this.#store.memberships.countActiveWithRole(teamId, 'Super Admin'));
      departTeam(this.#ctx, membership, null);
      this.#audit({ type: 'member.left', teamId, accountId });
    });
  }

  /** PRV-06: refused while any team of the account has SCIM on. */
  #assertSelfServiceAllowed(accountId: string, what: string): void {
    for (const membership of this.#store.memberships.listByAccount(accountId)) {
      if (this.#store.teams.get(membership.teamId)?.scimEnabled) {
        throw new DomainError('managed_by_scim', `${what} is managed by your identity provider (SCIM)`, {
          teamId: membership.teamId,
        });
      }
    }
  }

  changeOwnEmail(accountId: string, newEmail: string): AccountView {
    return this.#tx(() => {
      const account = requireAccount(this.#ctx, accountId);
      this.#assertSelfServiceAllowed(accountId, 'your email');
      const email = normaliseEmail(newEmail);
      const holder = this.#store.accounts.getByEmail(email);
      if (holder && holder.id !== accountId) {
        throw new DomainError('uniqueness', `${email} is already used by another account`, {
          attribute: 'email',
        });
      }
      const next: Account = { ...account, email };
      this.#store.accounts.update(next);
      return accountView(next);
    });
  }

  changeOwnPassword(accountId: string, currentPassword: string | null, newPassword: string): AccountView {
    return this.#tx(() => {
      const account = requireAccount(this.#ctx, accountId);
      this.#assertSelfServiceAllowed(accountId, 'your password');
      if (account.passwordHash !== null) {
        if (currentPassword === null || !verifyPasswordHash(currentPassword, account.passwordHash)) {
          throw new DomainError('invalid_credentials', 'the current password is wrong');
        }
      }
      const next: Account = { ...account, passwordHash: hashPassword(newPassword) };
      this.#store.accounts.update(next);
      return accountView(next);
    });
  }

  getAccount(accountId: string): AccountView {
    return this.#tx(() => accountView(requireAccount(this.#ctx, accountId)));
  }

  findAccountByEmail(email: string): AccountView | null {
    return this.#tx(() => {
      const account = this.#store.accounts.getByEmail(email);
      return account ? accountView(account) : null;
    });
  }

  // ---------------------------------------------------------------- invites (JIT-04, JIT-06)

  createInvite(
    teamId: string,
    actorId: string,
    input: { email: string; role?: TeamRole },
  ): { invite: InviteView; token: string } {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      const actor = this.#requireAdmin(teamId, actorId, 'invite members');
      const role = input.role ?? 'Member';
      if (!isTeamRole(role)) throw new DomainError('invalid_value', `unknown role ${String(role)}`);
      assertMayAssignRole(actor, null, role);
      const email = normaliseEmail(input.email);
      const token = generateSecret(INVITE_TOKEN_PREFIX);
      const now = this.#ctx.now();
      const invite = {
        id: this.#ctx.newId(),
        teamId,
        email,
        role,
        tokenDigest: digestSecret(token),
        status: 'pending' as const,
        expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS).toISOString(),
        createdAt: now.toISOString(),
      };
      this.#store.invites.insert(invite);
      return { invite: inviteView(invite), token };
    });
  }

  listInvites(teamId: string): InviteView[] {
    return this.#tx(() => this.#store.invites.listByTeam(teamId).map(inviteView));
  }

  /** JIT-04: the invitee becomes a member only now; the account's email must be the invited one. */
  acceptInvite(token: string, accountId: string): MemberView {
    return this.#tx(() => {
      const invite = this.#store.invites.getByDigest(digestSecret(token));
      assertInviteUsable(invite, this.#ctx.now());
      const account = requireAccount(this.#ctx, accountId);
      if (emailKey(account.email) !== emailKey(invite.email)) {
        throw new DomainError('invite_invalid', 'the invite was sent to another email address', {
          inviteId: invite.id,
        });
      }
      const team = requireTeam(this.#ctx, invite.teamId);
      const existing = this.#store.memberships.getByAccount(team.id, account.id);
      let membership: Membership;
      if (existing?.status === 'active') membership = existing;
      else if (existing) membership = reactivateMembership(this.#ctx, team, existing, { role: invite.role });
      else membership = joinTeam(this.#ctx, team, account.id, { role: invite.role });
      this.#store.invites.update({ ...invite, status: 'accepted' });
      this.#audit({
        type: 'invite.accepted',
        teamId: team.id,
        accountId: account.id,
        data: { inviteId: invite.id },
      });
      return memberView(membership, account);
    });
  }

  /**
   * JIT-04 / JIT-10: an invitee with no account signs in with SSO; the passwordless account and the membership the
   * invite grants are made in one transaction, so a refused invite (used, expired, other email) leaves no account.
   */
  acceptInviteAsNewAccount(token: string, person: Omit<NewPerson, 'password'>): MemberView {
    return this.#tx(() => {
      const invite = this.#store.invites.getByDigest(digestSecret(token));
      assertInviteUsable(invite, this.#ctx.now());
      const { account } = this.registerAccount({
        email: person.email,
        givenName: person.givenName,
        familyName: person.familyName,
      });
      return this.acceptInvite(token, account.id);
    });
  }

  // ---------------------------------------------------------------- authentication methods (SSO-*, JIT-01/05)

  addAuthMethod(
    teamId: string,
    actorId: string,
    input: {
      kind: AuthMethodKind;
      label?: string;
      enabled?: boolean;
      autoAddUsers?: boolean;
      saml?: SamlConnection;
    },
  ): AuthMethodView {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'change authentication methods');
      if (input.kind !== 'password' && input.kind !== 'saml') {
        throw new DomainError('invalid_value', `unknown auth method kind ${String(input.kind)}`, {
          attribute: 'kind',
        });
      }
      if (
        input.kind === 'password' &&
        this.#store.authMethods.listByTeam(teamId).some((m) => m.kind === 'password')
      ) {
        throw new DomainError('uniqueness', 'the team already has an email/password method', {
          attribute: 'kind',
        });
      }
      const method: AuthMethod = {
        id: this.#ctx.newId(),
        teamId,
        kind: input.kind,
        label: input.label?.trim() || DEFAULT_LABELS[input.kind],
        enabled: input.enabled ?? true,
        autoAddUsers: input.autoAddUsers ?? false,
        saml: input.kind === 'saml' ? assertSaml(input.saml) : null,
        createdAt: this.#ctx.nowIso(),
      };
      this.#store.authMethods.insert(method);
      this.#audit({ type: 'auth_method.added', teamId, accountId: actorId, data: { methodId: method.id } });
      return authMethodView(method);
    });
  }

  #requireMethod(teamId: string, methodId: string): AuthMethod {
    const method = this.#store.authMethods.get(methodId);
    if (!method || method.teamId !== teamId) {
      throw new DomainError('not_found', `auth method ${methodId} not found`, {
        resource: 'authMethod',
        id: methodId,
      });
    }
    return method;
  }

  updateAuthMethod(
    teamId: string,
    actorId: string,
    methodId: string,
    patch: { label?: string; enabled?: boolean; autoAddUsers?: boolean; saml?: SamlConnection },
  ): AuthMethodView {
    return this.#tx(() => {
      // JIT-05: only a team Admin or Super Admin; nothing changes otherwise.
      this.#requireAdmin(teamId, actorId, 'change authentication methods');
      const method = this.#requireMethod(teamId, methodId);
      const next: AuthMethod = {
        ...method,
        label: patch.label === undefined ? method.label : patch.label.trim() || DEFAULT_LABELS[method.kind],
        enabled: patch.enabled ?? method.enabled,
        autoAddUsers: patch.autoAddUsers ?? method.autoAddUsers,
        saml: method.kind === 'saml' && patch.saml !== undefined ? assertSaml(patch.saml) : method.saml,
      };
      this.#store.authMethods.update(next);
      this.#audit({ type: 'auth_method.updated', teamId, accountId: actorId, data: { methodId } });
      return authMethodView(next);
    });
  }

  removeAuthMethod(teamId: string, actorId: string, methodId: string): void {
    this.#tx(() => {
      this.#requireAdmin(teamId, actorId, 'change authentication methods');
      this.#requireMethod(teamId, methodId);
      this.#store.authMethods.delete(methodId);
      this.#audit({ type: 'auth_method.removed', teamId, accountId: actorId, data: { methodId } });
    });
  }

  listAuthMethods(teamId: string): AuthMethodView[] {
    return this.#tx(() => this.#store.authMethods.listByTeam(teamId).map(authMethodView));
  }

  getAuthMethod(teamId: string, methodId: string): AuthMethodView {
    return this.#tx(() => authMethodView(this.#requireMethod(teamId, methodId)));
  }

  /** The SAML ACS names only the method: the method with this id in whatever team it is, or null. */
  findAuthMethod(methodId: string): AuthMethodView | null {
    return this.#tx(() => {
      const method = this.#store.authMethods.get(methodId);
      return method ? authMethodView(method) : null;
    });
  }

  /** ORG-01: the SAML method whose IdP serves the organisation's portal, or null when none is set. */
  findPortalAuthMethod(organisationId: string): AuthMethodView | null {
    return this.#tx(() => {
      const methodId = this.#requireOrganisation(organisationId).portalAuthMethodId;
      const method = methodId === null ? null : this.#store.authMethods.get(methodId);
      return method ? authMethodView(method) : null;
    });
  }

  // ---------------------------------------------------------------- SCIM enablement and keys (KEY-01..04)

  setScimEnabled(teamId: string, actorId: string, enabled: boolean): TeamView {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'enable SCIM'); // KEY-03
      if (enabled) assertPlanAllowsScim(team.plan); // KEY-01
      // SSO-06: enabling SCIM removes nobody.
      this.#store.teams.update({ ...team, scimEnabled: enabled });
      this.#audit({ type: enabled ? 'scim.enabled' : 'scim.disabled', teamId, accountId: actorId });
      return teamView(requireTeam(this.#ctx, teamId));
    });
  }

  generateScimKey(teamId: string, actorId: string): { key: string; apiKey: ApiKeyView } {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'generate a SCIM API key'); // KEY-03
      assertMayGenerateScimKey(team, this.#store.authMethods.listByTeam(teamId)); // KEY-01, KEY-02
      const key = newScimKeySecret();
      const apiKey = {
        id: this.#ctx.newId(),
        teamId,
        digest: digestSecret(key),
        prefix: key.slice(0, SCIM_KEY_SHOWN_CHARS),
        status: 'ACTIVE' as const,
        createdAt: this.#ctx.nowIso(),
      };
      this.#store.apiKeys.insert(apiKey);
      this.#audit({ type: 'scim.key_generated', teamId, accountId: actorId, data: { keyId: apiKey.id } });
      return { key, apiKey: apiKeyView(apiKey) };
    });
  }

  /**
   * A caller-chosen key ("a known SCIM key" for scripts, idsim issue #2): KEY-01..03 apply as for generateScimKey, the
   * key must pass assertImportableScimKey and is stored only as its digest. Importing a key that is already an ACTIVE
   * key of this team returns it unchanged (a restart with the same key); any other holder is a conflict.
   */
  importScimKey(teamId: string, actorId: string, key: string): ApiKeyView {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'add a SCIM API key'); // KEY-03
      assertMayGenerateScimKey(team, this.#store.authMethods.listByTeam(teamId)); // KEY-01, KEY-02
      assertImportableScimKey(key);
      const digest = digestSecret(key);
      const existing = this.#store.apiKeys.getByDigest(digest);
      if (existing) {
        if (existing.teamId === teamId && existing.status === 'ACTIVE') return apiKeyView(existing);
        throw new DomainError('uniqueness', 'this SCIM API key is already in use', { attribute: 'key' });
      }
      const apiKey = {
        id: this.#ctx.newId(),
        teamId,
        digest,
        // a listing shows at most a quarter of a chosen key (generated keys show their fixed prefix + 6)
        prefix: key.slice(0, Math.min(SCIM_KEY_SHOWN_CHARS, Math.floor(key.length / 4))),
        status: 'ACTIVE' as const,
        createdAt: this.#ctx.nowIso(),
      };
      this.#store.apiKeys.insert(apiKey);
      this.#audit({ type: 'scim.key_imported', teamId, accountId: actorId, data: { keyId: apiKey.id } });
      return apiKeyView(apiKey);
    });
  }

  revokeScimKey(teamId: string, actorId: string, keyId: string): ApiKeyView {
    return this.#tx(() => {
      this.#requireAdmin(teamId, actorId, 'revoke a SCIM API key');
      const key = this.#store.apiKeys.get(keyId);
      if (!key || key.teamId !== teamId) throw new DomainError('not_found', `API key ${keyId} not found`);
      const next = { ...key, status: 'REVOKED' as const };
      this.#store.apiKeys.update(next);
      this.#audit({ type: 'scim.key_revoked', teamId, accountId: actorId, data: { keyId } });
      return apiKeyView(next);
    });
  }

  listScimKeys(teamId: string): ApiKeyView[] {
    return this.#tx(() => this.#store.apiKeys.listByTeam(teamId).map(apiKeyView));
  }

  /** KEY-04: sha256 lookup and constant-time compare, no KDF per request (shared/targets.md). */
  /**
   * KEY-04 on every SCIM request. Keys found usable are remembered by digest until the store next changes (any
   * write: a revoked key, SCIM turned off, a plan change), so a revoked key still fails at once while the hot path
   * runs no query. Looking a SHA-256 digest up in a Map leaks nothing about the key.
   */
  authenticate(bearerKey: string): ScimTenant {
    const digest = digestSecret(bearerKey);
    const changeCount = this.#store.changeCount();
    if (changeCount !== this.#usableKeysAt) {
      this.#usableKeys.clear();
      this.#usableKeysAt = changeCount;
    }
    const cachedTeamId = this.#usableKeys.get(digest);
    if (cachedTeamId !== undefined) return { teamId: cachedTeamId };
    return this.#tx(() => {
      const stored = this.#store.apiKeys.getByDigest(digest);
      const team = stored ? this.#store.teams.get(stored.teamId) : null;
      assertScimKeyUsable(stored, digest, team);
      this.#usableKeys.set(digest, stored.teamId);
      return { teamId: stored.teamId };
    });
  }

  // ---------------------------------------------------------------- domains (SSO-02, PRV-08, PRV-10)

  addDomain(organisationId: string, name: string): DomainView {
    return this.#tx(() => {
      this.#requireOrganisation(organisationId);
      const domainName = normaliseDomainName(name);
      if (this.#store.domains.get(organisationId, domainName)) {
        throw new DomainError('uniqueness', `${domainName} is already added`, { attribute: 'domain' });
      }
      const domain = { organisationId, name: domainName, verified: false, captureTeamId: null };
      this.#store.domains.upsert(domain);
      return domainView(domain);
    });
  }

  #requireDomain(organisationId: string, name: string) {
    const domain = this.#store.domains.get(organisationId, normaliseDomainName(name));
    if (!domain) throw new DomainError('not_found', `domain ${name} not found`, { resource: 'domain' });
    return domain;
  }

  /** Decision: verification is an explicit control action (the reference server does no DNS look-ups). */
  verifyDomain(organisationId: string, name: string): DomainView {
    return this.#tx(() => {
      const domain = this.#requireDomain(organisationId, name);
      const holder = this.#store.domains.findVerified(domain.name);
      if (holder && holder.organisationId !== organisationId) {
        throw new DomainError('uniqueness', `${domain.name} is verified by another organisation`, {
          attribute: 'domain',
        });
      }
      const next = { ...domain, verified: true };
      this.#store.domains.upsert(next);
      return domainView(next);
    });
  }

  /**
   * SSO-02: only verified domains can be captured; capture consolidates every existing account of the domain
   * into the team at once (as Members, seat rules apply: too few seats refuses the whole capture).
   */
  setDomainCapture(organisationId: string, name: string, teamId: string | null): DomainView {
    return this.#tx(() => {
      const domain = this.#requireDomain(organisationId, name);
      if (teamId !== null) {
        if (!domain.verified) {
          throw new DomainError('domain_not_verified', `${domain.name} is not verified`, {
            domain: domain.name,
          });
        }
        const team = requireTeam(this.#ctx, teamId);
        if (team.organisationId !== organisationId) {
          throw new DomainError('invalid_value', 'the team belongs to another organisation', {
            attribute: 'teamId',
          });
        }
        for (const account of this.#store.accounts.listByEmailDomain(domain.name)) {
          if (emailDomain(account.email) !== domain.name) continue;
          if (this.#store.memberships.getByAccount(teamId, account.id)) continue;
          joinTeam(this.#ctx, requireTeam(this.#ctx, teamId), account.id, { role: 'Member' });
          this.#audit({
            type: 'member.captured',
            teamId,
            accountId: account.id,
            data: { domain: domain.name },
          });
        }
      }
      const next = { ...domain, captureTeamId: teamId };
      this.#store.domains.upsert(next);
      return domainView(next);
    });
  }

  listDomains(organisationId: string): DomainView[] {
    return this.#tx(() => this.#store.domains.listByOrganisation(organisationId).map(domainView));
  }

  // ---------------------------------------------------------------- workspaces (DEA-03..09, REM-01..03, GRP-05)

  createWorkspace(
    teamId: string,
    actorId: string,
    input: { name: string; type: WorkspaceType; ownerId?: string },
  ): WorkspaceView {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      const actor = this.#store.memberships.getByAccount(teamId, actorId);
      if (actor?.status !== 'active' || actor.role === 'Guest') {
        throw new DomainError('forbidden', 'only active team members (not guests) create workspaces');
      }
      if (!isWorkspaceType(input.type))
        throw new DomainError('invalid_value', `unknown workspace type ${input.type}`);
      const ownerId = input.ownerId ?? actorId;
      if (ownerId !== actorId) {
        assertTeamAdmin(actor, 'create a workspace for someone else');
        const owner = this.#store.memberships.getByAccount(teamId, ownerId);
        if (owner?.status !== 'active') {
          throw new DomainError('invalid_value', 'the owner must be an active team member', {
            attribute: 'ownerId',
          });
        }
      }
      const workspace = {
        id: this.#ctx.newId(),
        teamId,
        name: assertWorkspaceName(input.name),
        type: input.type,
        ownerId,
        createdAt: this.#ctx.nowIso(),
      };
      this.#store.workspaces.insert(workspace);
      this.#store.workspaces.setGrant({
        workspaceId: workspace.id,
        kind: 'account',
        memberId: ownerId,
        role: 'Admin',
      });
      return workspaceView(workspace, this.#store.workspaces.grants(workspace.id));
    });
  }

  shareWorkspace(
    teamId: string,
    actorId: string,
    workspaceId: string,
    grant: { kind: 'account' | 'group'; id: string; role: WorkspaceRole },
  ): WorkspaceView {
    return this.#tx(() => {
      const workspace = this.#store.workspaces.get(workspaceId);
      if (!workspace || workspace.teamId !== teamId) {
        throw new DomainError('not_found', `workspace ${workspaceId} not found`, { resource: 'workspace' });
      }
      // GRP-05: any workspace Admin may share (with people or pushed groups); team admins may too.
      const actorRole = this.#roleOn(workspace.id, teamId, actorId);
      const actor = this.#store.memberships.getByAccount(teamId, actorId);
      const teamAdmin = actor?.status === 'active' && isTeamAdminRole(actor.role);
      if (actorRole !== 'Admin' && !teamAdmin) {
        throw new DomainError('forbidden', 'only a workspace Admin or a team admin may share this workspace');
      }
      if (!isWorkspaceRole(grant.role))
        throw new DomainError('invalid_value', `unknown workspace role ${grant.role}`);
      if (grant.kind === 'account') {
        const member = this.#store.memberships.getByAccount(teamId, grant.id);
        if (member?.status !== 'active') {
          throw new DomainError('not_found', `account ${grant.id} is not an active team member`, {
            resource: 'member',
          });
        }
      } else if (grant.kind === 'group') {
        if (!this.#store.groups.get(teamId, grant.id)) {
          throw new DomainError('not_found', `group ${grant.id} not found`, { resource: 'group' });
        }
      } else {
        throw new DomainError('invalid_value', 'grants go to an account or a group', { attribute: 'kind' });
      }
      this.#store.workspaces.setGrant({
        workspaceId,
        kind: grant.kind,
        memberId: grant.id,
        role: grant.role,
      });
      return workspaceView(workspace, this.#store.workspaces.grants(workspaceId));
    });
  }

  listWorkspaces(teamId: string): WorkspaceView[] {
    return this.#tx(() =>
      this.#store.workspaces
        .listByTeam(teamId)
        .map((workspace) => workspaceView(workspace, this.#store.workspaces.grants(workspace.id))),
    );
  }

  #roleOn(workspaceId: string, teamId: string, accountId: string): WorkspaceRole | null {
    const workspace = this.#store.workspaces.get(workspaceId);
    if (!workspace) return null;
    const membership = this.#store.memberships.getByAccount(teamId, accountId);
    const groupIds = new Set(membership ? this.#store.groups.groupsOfMember(membership.id) : []);
    return effectiveWorkspaceRole(workspace, this.#store.workspaces.grants(workspaceId), {
      accountId,
      membership: membership ? { role: membership.role, status: membership.status } : null,
      groupIds,
    });
  }

  getAccess(teamId: string, accountId: string): AccessView[] {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      const membership = this.#store.memberships.getByAccount(teamId, accountId);
      const groupIds = new Set(membership ? this.#store.groups.groupsOfMember(membership.id) : []);
      const subject = {
        accountId,
        membership: membership ? { role: membership.role, status: membership.status } : null,
        groupIds,
      };
      return this.#store.workspaces.listByTeam(teamId).map((workspace) => ({
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        type: workspace.type,
        role: effectiveWorkspaceRole(workspace, this.#store.workspaces.grants(workspace.id), subject),
      }));
    });
  }

  // ---------------------------------------------------------------- groups (control side; GRP-03 link targets)

  createGroup(teamId: string, actorId: string, input: { displayName: string }): GroupView;
  createGroup(teamId: string, input: ScimGroupInput): ScimGroupRecord;
  createGroup(
    teamId: string,
    second: string | ScimGroupInput,
    third?: { displayName: string },
  ): GroupView | ScimGroupRecord {
    if (typeof second === 'string') return this.#createTeamGroup(teamId, second, third?.displayName ?? '');
    return this.#createScimGroup(teamId, second);
  }

  #createTeamGroup(teamId: string, actorId: string, displayNameInput: string): GroupView {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'create groups');
      const group = this.#insertGroup(teamId, displayNameInput, null, false);
      return this.#groupView(group);
    });
  }

  /**
   * GRP-03: an admin fills a hand-made team group with active members (by account id). Groups the IdP manages
   * (SCIM) change only through SCIM (`managed_by_scim`).
   */
  addGroupMembers(teamId: string, actorId: string, groupId: string, accountIds: string[]): GroupView {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      this.#requireAdmin(teamId, actorId, 'change group members');
      const group = this.#scimGroup(teamId, groupId);
      if (group.managedByScim) {
        throw new DomainError('managed_by_scim', 'this group is managed by the identity provider (SCIM)', {
          groupId,
        });
      }
      const membershipIds = accountIds.map((accountId) => {
        const membership = this.#store.memberships.getByAccount(teamId, accountId);
        if (membership?.status !== 'active') {
          throw new DomainError('invalid_value', `account ${accountId} is not an active team member`, {
            attribute: 'accountIds',
            accountId,
          });
        }
        return membership.id;
      });
      this.#store.groups.addMembers(group.id, [...new Set(membershipIds)]);
      this.#audit({ type: 'group.members_added', teamId, accountId: actorId, data: { groupId, accountIds } });
      return this.#groupView(group);
    });
  }

  /** JIT-07: the server's outbox, oldest first (no store transaction: it lives in memory). */
  listOutbox(to?: string): OutboxMessageView[] {
    return this.outbox.list(to);
  }

  listGroups(teamId: string): GroupView[];
  listGroups(teamId: string, query: ScimListQuery): ScimPage<ScimGroupRecord>;
  listGroups(teamId: string, query?: ScimListQuery): GroupView[] | ScimPage<ScimGroupRecord> {
    if (query === undefined) {
      return this.#tx(() => this.#store.groups.listByTeam(teamId).map((group) => this.#groupView(group)));
    }
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      const page = this.#store.groups.list(teamId, query);
      return {
        totalResults: page.totalResults,
        resources: page.items.map((group) => this.#groupRecord(group)),
      };
    });
  }

  /** GroupView.memberIds are account ids (the control API speaks of accounts). */
  #groupView(group: Group): GroupView {
    return {
      id: group.id,
      teamId: group.teamId,
      displayName: group.displayName,
      externalId: group.externalId,
      memberIds: this.#store.groups.members(group.id).map((member) => member.accountId),
    };
  }

  #insertGroup(
    teamId: string,
    displayNameInput: string,
    externalId: string | null,
    managedByScim: boolean,
  ): Group {
    const displayName = assertGroupDisplayName(displayNameInput);
    if (this.#store.groups.getByDisplayName(teamId, displayName)) {
      throw new DomainError('uniqueness', `a group named ${displayName} exists`, {
        attribute: 'displayName',
      });
    }
    const now = this.#ctx.nowIso();
    const group: Group = {
      id: this.#ctx.newId(),
      teamId,
      displayName,
      externalId,
      managedByScim,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.#store.groups.insert(group);
    return group;
  }

  // ---------------------------------------------------------------- SCIM users (PRV-*, DEA-*, SSO-07)

  #scimUser(teamId: string, id: string): { membership: Membership; account: Account } {
    const row = this.#store.memberships.getMemberRow(teamId, id);
    if (!row) throw new DomainError('not_found', `User ${id} not found`, { resource: 'User', id });
    return row;
  }

  #assertExternalIdFree(teamId: string, externalId: string | null, ownId: string | null): void {
    if (externalId === null) return;
    const holder = this.#store.memberships.findByExternalId(teamId, externalId);
    if (holder && holder.id !== ownId) {
      throw new DomainError('uniqueness', `externalId ${externalId} is already used in this team`, {
        attribute: 'externalId',
      });
    }
  }

  /**
   * PRV-01: userName is the email. A new email creates a passwordless account. SSO-07 decision: an existing member
   * of the team that SCIM does not manage yet is adopted (same resource id, becomes SCIM-managed; the protocol
   * layer answers 201 as for any create). A member already SCIM-managed is a conflict (409 uniqueness).
   */
  createUser(teamId: string, input: ScimUserInput): ScimUserRecord {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const email = normaliseEmail(input.userName);
      const externalId = input.externalId;
      const account = this.#store.accounts.getByEmail(email);
      const existing = account ? this.#store.memberships.getByAccount(teamId, account.id) : null;
      if (existing?.managedByScim) {
        throw new DomainError('uniqueness', `userName ${email} already exists`, { attribute: 'userName' });
      }
      this.#assertExternalIdFree(teamId, externalId, existing?.id ?? null);
      let target: Account;
      if (account) {
        // PRV-04: the IdP's given and family names are the only attributes mapped onto the account.
        target = { ...account, givenName: input.givenName, familyName: input.familyName };
        this.#store.accounts.update(target);
      } else {
        target = createAccount(this.#ctx, {
          email,
          givenName: input.givenName,
          familyName: input.familyName,
        });
      }
      let membership: Membership;
      if (existing) {
        const patch = { managedByScim: true, externalId };
        membership = input.active
          ? reactivateMembership(this.#ctx, team, existing, patch)
          : deactivateMembership(this.#ctx, existing, patch);
        this.#audit({ type: 'scim.member_adopted', teamId, accountId: target.id });
      } else {
        membership = joinTeam(this.#ctx, team, target.id, {
          role: 'Member',
          active: input.active,
          managedByScim: true,
          externalId,
        });
      }
      return scimUserRecord(membership, target);
    });
  }

  getUser(teamId: string, id: string): ScimUserRecord {
    // One SELECT is atomic on its own: no BEGIN/COMMIT around the hottest read.
    const { membership, account } = this.#scimUser(teamId, id);
    return scimUserRecord(membership, account);
  }

  listUsers(teamId: string, query: ScimListQuery): ScimPage<ScimUserRecord> {
    return this.#tx(() => {
      const page = this.#store.memberships.listMemberRows(teamId, query);
      return {
        totalResults: page.totalResults,
        resources: page.items.map((row) => scimUserRecord(row.membership, row.account)),
      };
    });
  }

  /**
   * PUT: names, userName (PRV-08: only into a domain the team's organisation verified), externalId, and active
   * (DEA-01 deactivation / DEA-07..09 + PRV-09 reactivation). Any SCIM write makes the member SCIM-managed (SSO-07).
   */
  replaceUser(teamId: string, id: string, input: ScimUserInput, expectedVersion?: number): ScimUserRecord {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const { membership, account } = this.#scimUser(teamId, id);
      assertVersion(membership.version, expectedVersion);
      const email = normaliseEmail(input.userName);
      if (email !== account.email) {
        if (emailKey(email) !== emailKey(account.email)) {
          const domain = emailDomain(email);
          const verified = this.#store.domains.get(team.organisationId, domain);
          if (!verified?.verified) {
            throw new DomainError('domain_not_verified', `the team has not verified ${domain}`, { domain });
          }
          const holder = this.#store.accounts.getByEmail(email);
          if (holder && holder.id !== account.id) {
            throw new DomainError('uniqueness', `userName ${email} already exists`, {
              attribute: 'userName',
            });
          }
        }
      }
      this.#assertExternalIdFree(teamId, input.externalId, membership.id);
      const nextAccount: Account = {
        ...account,
        email,
        givenName: input.givenName,
        familyName: input.familyName,
      };
      this.#store.accounts.update(nextAccount);
      const patch = { managedByScim: true, externalId: input.externalId };
      let next: Membership;
      if (input.active && membership.status !== 'active')
        next = reactivateMembership(this.#ctx, team, membership, patch);
      else if (!input.active && membership.status === 'active')
        next = deactivateMembership(this.#ctx, membership, patch);
      else next = updateMembership(this.#ctx, membership, patch);
      if (input.active !== (membership.status === 'active')) {
        this.#audit({
          type: input.active ? 'scim.reactivated' : 'scim.deactivated',
          teamId,
          accountId: account.id,
        });
      }
      return scimUserRecord(next, nextAccount);
    });
  }

  /** Removes the SCIM resource and the membership; workspaces go to the team as on deactivation. */
  deleteUser(teamId: string, id: string, expectedVersion?: number): void {
    this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      const { membership } = this.#scimUser(teamId, id);
      assertVersion(membership.version, expectedVersion);
      departTeam(this.#ctx, membership, null);
      this.#audit({ type: 'scim.deleted', teamId, accountId: membership.accountId });
    });
  }

  // ---------------------------------------------------------------- SCIM groups (GRP-01..04, GRP-06)

  #scimGroup(teamId: string, id: string): Group {
    const group = this.#store.groups.get(teamId, id);
    if (!group) throw new DomainError('not_found', `Group ${id} not found`, { resource: 'Group', id });
    return group;
  }

  #groupRecord(group: Group): ScimGroupRecord {
    return {
      id: group.id,
      displayName: group.displayName,
      externalId: group.externalId,
      members: this.#store.groups.members(group.id).map((member) => ({
        value: member.membershipId,
        display: member.display,
      })),
      version: group.version,
      created: group.createdAt,
      lastModified: group.updatedAt,
    };
  }

  /** GRP-01: every member id must be a user of this team already. */
  #assertMembers(teamId: string, ids: readonly string[]): void {
    assertMembersKnown(ids, this.#store.memberships.existingIds(teamId, ids));
  }

  #createScimGroup(teamId: string, input: ScimGroupInput): ScimGroupRecord {
    return this.#tx(() => {
      requireTeam(this.#ctx, teamId);
      this.#assertMembers(teamId, input.memberIds);
      // GRP-02: "create" makes a new group with the pushed membership.
      const group = this.#insertGroup(teamId, input.displayName, input.externalId, true);
      this.#store.groups.addMembers(group.id, [...new Set(input.memberIds)]);
      return this.#groupRecord(group);
    });
  }

  getGroup(teamId: string, id: string): ScimGroupRecord {
    return this.#tx(() => this.#groupRecord(this.#scimGroup(teamId, id)));
  }

  /** Renames / re-identifies; GRP-03: the first SCIM write to a hand-made group links it (must be empty). */
  #reviseGroup(group: Group, displayName: string | undefined, externalId: string | null | undefined): Group {
    assertLinkable(group, this.#store.groups.countMembers(group.id));
    let name = group.displayName;
    if (displayName !== undefined) {
      name = assertGroupDisplayName(displayName);
      const holder = this.#store.groups.getByDisplayName(group.teamId, name);
      if (holder && holder.id !== group.id) {
        throw new DomainError('uniqueness', `a group named ${name} exists`, { attribute: 'displayName' });
      }
    }
    const next: Group = {
      ...group,
      displayName: name,
      externalId: externalId === undefined ? group.externalId : externalId,
      managedByScim: true,
      version: group.version + 1,
      updatedAt: this.#ctx.nowIso(),
    };
    this.#store.groups.update(next);
    return next;
  }

  replaceGroup(teamId: string, id: string, input: ScimGroupInput, expectedVersion?: number): ScimGroupRecord {
    return this.#tx(() => {
      const group = this.#scimGroup(teamId, id);
      assertVersion(group.version, expectedVersion);
      this.#assertMembers(teamId, input.memberIds);
      const next = this.#reviseGroup(group, input.displayName, input.externalId);
      const wanted = new Set(input.memberIds);
      const current = this.#store.groups.memberIds(group.id);
      this.#store.groups.removeMembers(
        group.id,
        current.filter((memberId) => !wanted.has(memberId)),
      );
      this.#store.groups.addMembers(group.id, [...wanted]);
      return this.#groupRecord(next);
    });
  }

  /** GRP-04: membership deltas reach the team at once; unknown ids to add fail the whole call (GRP-01). */
  patchGroupMembers(
    teamId: string,
    id: string,
    change: { add: string[]; remove: string[]; displayName?: string; externalId?: string | null },
    expectedVersion?: number,
  ): ScimGroupRecord {
    return this.#tx(() => {
      const group = this.#scimGroup(teamId, id);
      assertVersion(group.version, expectedVersion);
      this.#assertMembers(teamId, change.add);
      const next = this.#reviseGroup(group, change.displayName, change.externalId);
      this.#store.groups.removeMembers(group.id, change.remove);
      this.#store.groups.addMembers(group.id, [...new Set(change.add)]);
      return this.#groupRecord(next);
    });
  }

  deleteGroup(teamId: string, id: string, expectedVersion?: number): void {
    this.#tx(() => {
      const group = this.#scimGroup(teamId, id);
      assertVersion(group.version, expectedVersion);
      this.#store.workspaces.removeGrantsOfMember('group', group.id);
      this.#store.groups.delete(group.id);
    });
  }

  // ---------------------------------------------------------------- sign-in building blocks (JIT-*, PRV-10, SSO-02)

  /**
   * PRV-10 / SSO-02: a new account; when its email domain is verified and captured by a team, it joins that team
   * at once as a Member (seat rules apply: with no seat the whole registration is refused).
   */
  registerAccount(person: NewPerson): RegisteredAccount {
    return this.#tx(() => {
      const account = createAccount(this.#ctx, person);
      const domain = this.#store.domains.findVerified(emailDomain(account.email));
      let member: MemberView | null = null;
      if (domain?.captureTeamId) {
        const team = requireTeam(this.#ctx, domain.captureTeamId);
        const membership = joinTeam(this.#ctx, team, account.id, { role: 'Member' });
        this.#audit({
          type: 'member.captured',
          teamId: team.id,
          accountId: account.id,
          data: { domain: domain.name },
        });
        member = memberView(membership, account);
      }
      return { account: accountView(account), member };
    });
  }

  /** Password sign-in check (DEA-02, REM-02: works regardless of team status). */
  verifyPassword(email: string, password: string): AccountView {
    return this.#tx(() => {
      const account = this.#store.accounts.getByEmail(email);
      if (!account || account.passwordHash === null || !verifyPasswordHash(password, account.passwordHash)) {
        throw new DomainError('invalid_credentials', 'wrong email or password');
      }
      return accountView(account);
    });
  }

  /**
   * JIT-01..03 (and JIT-09 with capture): first SSO sign-in through a team's SAML method. An active member is
   * returned as is; a deactivated one (DEA-01) or one an admin removed (REM-02) gets `not_a_member`; otherwise the
   * method's "Automatically add new users" must be on (`jit_disabled`) and a seat free (`no_seats_available`).
   * New accounts have no password (JIT-10); the new member's role is Member (JIT-02 decision).
   */
  admitByJit(teamId: string, methodId: string, person: Omit<NewPerson, 'password'>): MemberView {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const method = this.#requireMethod(teamId, methodId);
      if (method.kind !== 'saml' || !method.enabled) {
        throw new DomainError('invalid_state', 'this SSO method is not enabled', { methodId });
      }
      const account = this.#store.accounts.getByEmail(normaliseEmail(person.email));
      const membership = account ? this.#store.memberships.getByAccount(teamId, account.id) : null;
      if (account && membership) {
        if (membership.status !== 'active') {
          throw new DomainError('not_a_member', 'your membership of this team is deactivated', { teamId });
        }
        return memberView(membership, account);
      }
      if (account && this.#wasRemoved(teamId, account.id)) {
        throw new DomainError(
          'not_a_member',
          'you were removed from this team; ask an admin to add you back',
          {
            teamId,
          },
        );
      }
      if (!method.autoAddUsers) {
        throw new DomainError(
          'jit_disabled',
          'You need to be invited to join the team: JIT provisioning is not enabled for your team. Contact a team administrator.',
          { teamId },
        );
      }
      assertSeatAvailable(team);
      const target = account ?? createAccount(this.#ctx, { ...person });
      const joined = joinTeam(this.#ctx, team, target.id, { role: 'Member' });
      this.#audit({ type: 'member.jit_added', teamId, accountId: target.id, data: { methodId } });
      return memberView(joined, target);
    });
  }

  /** REM-02: the account's last departure from this team was a removal by an admin (not leaving, not SCIM). */
  #wasRemoved(teamId: string, accountId: string): boolean {
    const departures = new Set(['member.removed', 'member.left', 'scim.deleted']);
    const last = this.#store.audit
      .list({ teamId, accountId })
      .findLast((event) => departures.has(event.type));
    return last?.type === 'member.removed';
  }

  /** JIT-07: a single-use token valid 1 h, stored as a digest; null when no account has that email. */
  createPasswordResetToken(email: string): { token: string; expiresAt: string } | null {
    return this.#tx(() => {
      const account = this.#store.accounts.getByEmail(email);
      if (!account) return null;
      const token = generateSecret(RESET_TOKEN_PREFIX);
      const expiresAt = new Date(this.#ctx.now().getTime() + PASSWORD_RESET_LIFETIME_MS).toISOString();
      this.#store.passwordResets.insert({
        digest: digestSecret(token),
        accountId: account.id,
        expiresAt,
        usedAt: null,
      });
      this.#audit({ type: 'password.reset_requested', accountId: account.id });
      return { token, expiresAt };
    });
  }

  /** JIT-07 / JIT-10: sets a new password with a valid token (decision: allowed even with SCIM on — recovery). */
  resetPassword(token: string, newPassword: string): AccountView {
    return this.#tx(() => {
      const digest = digestSecret(token);
      const stored = this.#store.passwordResets.getByDigest(digest);
      assertResetTokenUsable(stored, this.#ctx.now());
      const account = requireAccount(this.#ctx, stored.accountId);
      const next: Account = { ...account, passwordHash: hashPassword(newPassword) };
      this.#store.accounts.update(next);
      this.#store.passwordResets.markUsed(digest, this.#ctx.nowIso());
      this.#audit({ type: 'password.reset', accountId: account.id });
      return accountView(next);
    });
  }

  /** JIT-06 decision: linking (and other sign-in facts) is recorded as an audit event. */
  recordAuditEvent(input: AuditInput): AuditEvent {
    return this.#tx(() => this.#audit(input));
  }

  listAuditEvents(filter: { teamId?: string; accountId?: string; type?: string } = {}): AuditEvent[] {
    return this.#tx(() => this.#store.audit.list(filter));
  }

  getTeamSignInFacts(teamId: string, email: string): TeamSignInFacts {
    return this.#tx(() => {
      const team = requireTeam(this.#ctx, teamId);
      const account = this.#store.accounts.getByEmail(email);
      const membership = account ? this.#store.memberships.getByAccount(teamId, account.id) : null;
      const methods = this.#store.authMethods.listByTeam(teamId).filter((method) => method.enabled);
      const password = methods.find((method) => method.kind === 'password');
      return {
        team: teamView(team),
        account: account ? accountView(account) : null,
        member: account && membership ? memberView(membership, account) : null,
        removedFromTeam: account !== null && membership === null && this.#wasRemoved(teamId, account.id),
        passwordMethod: password ? authMethodView(password) : null,
        samlMethods: methods.filter((method) => method.kind === 'saml').map(authMethodView),
      };
    });
  }

  /** Teams the account is an active member of (sign-in landing pages). */
  listTeamsOfAccount(accountId: string): MemberView[] {
    return this.#tx(() =>
      this.#store.memberships.listByAccount(accountId).map((membership) => this.#memberView(membership)),
    );
  }
}

export function createTeamService(store: Store, options?: TeamServiceOptions): TeamService {
  return new TeamService(store, options);
}

export type { WorkspaceGrant };
