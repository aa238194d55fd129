// The Store: one small interface over the team domain's persistence, one repository per aggregate.
// design.md "store" layer; every service operation runs inside `transaction` so a failure leaves nothing half-written.
import type { ScimFilter } from '../../protocol/scim/filter.ts';
import type { OrgPermission, WorkspaceRole } from '../control/port.ts';
import type {
  Account,
  ApiKey,
  AuditEvent,
  AuthMethod,
  GrantKind,
  Group,
  Invite,
  Membership,
  Organisation,
  OrganisationMembership,
  PasswordResetToken,
  Team,
  VerifiedDomain,
  Workspace,
  WorkspaceGrant,
} from '../domain/model.ts';

/** A member as the SCIM User resource: membership joined to its account (PRV-01: userName = email). */
export interface MemberRow {
  membership: Membership;
  account: Account;
}

export interface PageQuery {
  filter?: ScimFilter;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  /** 1-based */
  startIndex: number;
  count: number;
}

export interface Page<T> {
  totalResults: number;
  items: T[];
}

export interface OrganisationRepository {
  insert(organisation: Organisation): void;
  update(organisation: Organisation): void;
  get(id: string): Organisation | null;
  getBySlug(slug: string): Organisation | null;
}

export interface TeamRepository {
  /** usedSeats of the argument is ignored: the store counts active memberships itself. */
  insert(team: Team): void;
  /** Writes everything but usedSeats. */
  update(team: Team): void;
  get(id: string): Team | null;
}

export interface AccountRepository {
  insert(account: Account): void;
  update(account: Account): void;
  get(id: string): Account | null;
  /** Case-insensitive (SSO-07). */
  getByEmail(email: string): Account | null;
  usernameTaken(username: string): boolean;
  /** Accounts whose email is in this domain (SSO-02 consolidation), case-insensitive. */
  listByEmailDomain(domain: string): Account[];
}

export interface MembershipRepository {
  insert(membership: Membership): void;
  update(membership: Membership): void;
  delete(id: string): void;
  get(id: string): Membership | null;
  getByAccount(teamId: string, accountId: string): Membership | null;
  listByTeam(teamId: string): Membership[];
  listByAccount(accountId: string): Membership[];
  countActiveWithRole(teamId: string, role: Membership['role']): number;
  /** SCIM view of one member of the team. */
  getMemberRow(teamId: string, membershipId: string): MemberRow | null;
  /** SCIM list: filter compiled to SQL, sorted, paged. */
  listMemberRows(teamId: string, query: PageQuery): Page<MemberRow>;
  /** Members of the team that carry this externalId (case-insensitive), for uniqueness. */
  findByExternalId(teamId: string, externalId: string): Membership | null;
  /** Which of these ids are memberships of the team (GRP-01). */
  existingIds(teamId: string, ids: readonly string[]): Set<string>;
}

export interface InviteRepository {
  insert(invite: Invite): void;
  update(invite: Invite): void;
  getByDigest(digest: string): Invite | null;
  listByTeam(teamId: string): Invite[];
}

export interface AuthMethodRepository {
  insert(method: AuthMethod): void;
  update(method: AuthMethod): void;
  delete(id: string): void;
  get(id: string): AuthMethod | null;
  listByTeam(teamId: string): AuthMethod[];
}

export interface ApiKeyRepository {
  insert(key: ApiKey): void;
  update(key: ApiKey): void;
  get(id: string): ApiKey | null;
  getByDigest(digest: string): ApiKey | null;
  listByTeam(teamId: string): ApiKey[];
}

export interface DomainRepository {
  upsert(domain: VerifiedDomain): void;
  get(organisationId: string, name: string): VerifiedDomain | null;
  listByOrganisation(organisationId: string): VerifiedDomain[];
  /** The verified domain with this name in any organisation (PRV-10 / SSO-02 capture lookup). */
  findVerified(name: string): VerifiedDomain | null;
}

export interface WorkspaceRepository {
  insert(workspace: Workspace): void;
  update(workspace: Workspace): void;
  get(id: string): Workspace | null;
  listByTeam(teamId: string): Workspace[];
  /** Workspaces of the team that the account owns or holds an account grant on. */
  listInvolving(teamId: string, accountId: string): Workspace[];
  grants(workspaceId: string): WorkspaceGrant[];
  setGrant(grant: WorkspaceGrant): void;
  removeGrant(workspaceId: string, kind: GrantKind, memberId: string): void;
  /** Removes every grant naming a group (the group is being deleted). */
  removeGrantsOfMember(kind: GrantKind, memberId: string): void;
}

export interface GroupRepository {
  insert(group: Group): void;
  update(group: Group): void;
  delete(id: string): void;
  get(teamId: string, id: string): Group | null;
  getByDisplayName(teamId: string, displayName: string): Group | null;
  listByTeam(teamId: string): Group[];
  list(teamId: string, query: PageQuery): Page<Group>;
  memberIds(groupId: string): string[];
  /** Member ids with their display (account email), for SCIM group bodies. */
  members(groupId: string): { membershipId: string; accountId: string; display: string }[];
  countMembers(groupId: string): number;
  addMembers(groupId: string, membershipIds: readonly string[]): void;
  removeMembers(groupId: string, membershipIds: readonly string[]): void;
  /** Group ids the membership belongs to. */
  groupsOfMember(membershipId: string): string[];
  removeMemberEverywhere(membershipId: string): void;
}

export interface PasswordResetRepository {
  insert(token: PasswordResetToken): void;
  getByDigest(digest: string): PasswordResetToken | null;
  markUsed(digest: string, usedAt: string): void;
}

export interface OrganisationMembershipRepository {
  upsert(membership: OrganisationMembership): void;
  get(organisationId: string, accountId: string): OrganisationMembership | null;
  listByAccount(accountId: string): OrganisationMembership[];
}

export interface AuditRepository {
  append(event: Omit<AuditEvent, 'id'>): AuditEvent;
  list(filter: { teamId?: string; accountId?: string; type?: string }): AuditEvent[];
}

/** The SP's memory of used assertion IDs (SAML profiles 4.1.4.5); keys are opaque (issuer + assertion ID). */
export interface UsedAssertionRepository {
  /**
   * Atomically records `key` until `expiresAtMs`: true when it was not held (or only by an entry expired at
   * `nowMs`), false when it is still held. One statement, so two concurrent posts cannot both win.
   */
  consume(key: string, expiresAtMs: number, nowMs: number): boolean;
  /** Entries not yet expired at `nowMs`. */
  countLive(nowMs: number): number;
  /** Deletes entries expired at `nowMs`. */
  sweep(nowMs: number): void;
}

/** A request the SP sent and awaits an answer to (core 3.2.2 InResponseTo): an AuthnRequest or a LogoutRequest. */
export interface PendingSamlRequestRow {
  kind: 'authn' | 'logout';
  requestId: string;
  methodId: string;
  createdAtMs: number;
  expiresAtMs: number;
  context: Record<string, string>;
}

export interface PendingSamlRequestRepository {
  /** Inserts or replaces the request of this kind and id. */
  put(row: PendingSamlRequestRow): void;
  /** The request when it exists and has not expired at `nowMs`. */
  get(kind: PendingSamlRequestRow['kind'], requestId: string, nowMs: number): PendingSamlRequestRow | null;
  delete(kind: PendingSamlRequestRow['kind'], requestId: string): void;
  sweep(nowMs: number): void;
}

/** SAML sessions ended by single logout (core 3.7.3.2), one row per ended NameID (and SessionIndex). */
export interface SessionRevocationRow {
  methodId: string;
  nameId: string;
  /** null: every session of the NameID issued up to revokedAtMs */
  sessionIndex: string | null;
  revokedAtMs: number;
  expiresAtMs: number;
}

export interface SessionRevocationRepository {
  insert(row: SessionRevocationRow): void;
  /** The principal's revocations not yet expired at `nowMs`. */
  listLive(methodId: string, nameId: string, nowMs: number): SessionRevocationRow[];
  /** Distinct principals with a live revocation. */
  countLivePrincipals(nowMs: number): number;
  sweep(nowMs: number): void;
}

/** Server-wide secrets that must survive a restart with the data they protect (the session cookie's HMAC key). */
export interface ServerSecretRepository {
  /** The secret called `name`, created with `create` (and kept) the first time it is asked for. */
  getOrCreate(name: string, create: () => Buffer): Buffer;
}

/** Persistence for the team service. Repositories are plain reads and writes; rules live in server/domain. */
export interface Store {
  readonly organisations: OrganisationRepository;
  readonly teams: TeamRepository;
  readonly accounts: AccountRepository;
  readonly memberships: MembershipRepository;
  readonly invites: InviteRepository;
  readonly authMethods: AuthMethodRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly domains: DomainRepository;
  readonly workspaces: WorkspaceRepository;
  readonly groups: GroupRepository;
  readonly passwordResets: PasswordResetRepository;
  readonly organisationMemberships: OrganisationMembershipRepository;
  readonly audit: AuditRepository;
  /** SAML SP state (idsim issue #10): not team data, so writes to it leave changeCount() alone */
  readonly usedAssertions: UsedAssertionRepository;
  readonly pendingSamlRequests: PendingSamlRequestRepository;
  readonly sessionRevocations: SessionRevocationRepository;
  readonly serverSecrets: ServerSecretRepository;
  /**
   * Runs fn atomically: everything it wrote is committed when it returns, and rolled back when it throws.
   * Nested calls join the outer transaction (as savepoints, so an inner failure caught by the caller is undone).
   */
  transaction<T>(fn: () => T): T;
  /**
   * Opens a scratch transaction: every write from now on, however many operations, is undone by `discard()` (the
   * console's guided scenarios, so a scenario's changes never outlive it). Operations inside run as savepoints. An
   * unfinished scratch is never committed: closing the store or a crash rolls it back (SQLite rolls back an
   * unfinished transaction when the file is opened again). One at a time; `transaction` may not be open.
   */
  openScratch(): ScratchTransaction;
  /**
   * A number that changes whenever anything is written through this store (rows inserted, updated or deleted), so
   * callers can keep read caches and drop them on any write. The store is owned by one process: writes made by
   * another process to the same file are not seen here.
   */
  changeCount(): number;
  /** Bulk insert for benchmarks (seedUsers): accounts + active memberships in one transaction. */
  insertMembersBulk(rows: readonly MemberRow[]): void;
  close(): void;
}

/** See Store.openScratch. */
export interface ScratchTransaction {
  /** rolls back everything written since openScratch; idempotent */
  discard(): void;
  readonly open: boolean;
}

export type { OrgPermission, WorkspaceRole };
