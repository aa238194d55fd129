// A recording fake of the ControlService port for the control API's HTTP tests: every call is logged with its
// arguments and answered with a view built from them; `failWith` makes the next call throw (error mapping tests).
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
  NewPerson,
  OrganisationMembershipView,
  OrganisationView,
  OutboxMessageView,
  TeamRole,
  TeamView,
  WorkspaceView,
} from '../port.ts';

export interface RecordedCall {
  method: keyof ControlService;
  args: unknown[];
}

export const FAKE_ADMIN_ID = 'acct-admin';

function organisation(id: string, slug = 'acme', name = 'Acme'): OrganisationView {
  return {
    id,
    slug,
    name,
    portal: {
      jitEnabled: false,
      privateInstance: false,
      defaultPermission: 'member',
      recentAuthHours: 8,
      authMethodId: null,
    },
  };
}

function team(id: string): TeamView {
  return {
    id,
    organisationId: 'org-1',
    name: 'Team',
    plan: 'Enterprise',
    seats: { licensed: 10, used: 1, autoFlex: false, trueUp: false },
    scimEnabled: false,
  };
}

function account(id: string, email = `${id}@example.com`): AccountView {
  return { id, email, givenName: 'Ada', familyName: 'Lovelace', username: null, hasPassword: true };
}

function member(teamId: string, accountId: string, role: TeamRole = 'Member'): MemberView {
  return {
    account: account(accountId),
    teamId,
    role,
    status: 'active',
    managedByScim: false,
    scimId: `scim-${accountId}`,
  };
}

function apiKey(teamId: string, id: string): ApiKeyView {
  return { id, teamId, status: 'ACTIVE', prefix: 'idsim_ab', createdAt: '2026-11-25T00:00:00.000Z' };
}

function domain(organisationId: string, name: string): DomainView {
  return { name, organisationId, verified: false, captureTeamId: null };
}

function workspace(teamId: string, id: string): WorkspaceView {
  return { id, teamId, name: 'Roadmap', type: 'internal', members: [] };
}

export class FakeControlService implements ControlService {
  readonly calls: RecordedCall[] = [];
  private nextFailure: unknown = undefined;

  /** The next service call throws `error` instead of answering. */
  failWith(error: unknown): void {
    this.nextFailure = error;
  }

  lastCall(): RecordedCall | undefined {
    return this.calls.at(-1);
  }

  private record(method: keyof ControlService, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.nextFailure !== undefined) {
      const failure = this.nextFailure;
      this.nextFailure = undefined;
      throw failure;
    }
  }

  createOrganisation(input: { slug: string; name: string; privateInstance?: boolean }): OrganisationView {
    this.record('createOrganisation', [input]);
    return organisation('org-1', input.slug, input.name);
  }
  updatePortal(organisationId: string, patch: Partial<OrganisationView['portal']>): OrganisationView {
    this.record('updatePortal', [organisationId, patch]);
    const view = organisation(organisationId);
    return { ...view, portal: { ...view.portal, ...patch } };
  }
  getOrganisation(organisationId: string): OrganisationView {
    this.record('getOrganisation', [organisationId]);
    return organisation(organisationId);
  }
  createTeam(input: Parameters<ControlService['createTeam']>[0]): { team: TeamView; owner: MemberView } {
    this.record('createTeam', [input]);
    return {
      team: { ...team('team-1'), name: input.name, plan: input.plan },
      owner: member('team-1', FAKE_ADMIN_ID, 'Super Admin'),
    };
  }
  getTeam(teamId: string): TeamView {
    this.record('getTeam', [teamId]);
    return team(teamId);
  }
  updateTeam(teamId: string, actorId: string, patch: Parameters<ControlService['updateTeam']>[2]): TeamView {
    this.record('updateTeam', [teamId, actorId, patch]);
    return { ...team(teamId), ...(patch.plan ? { plan: patch.plan } : {}) };
  }
  addMember(teamId: string, actorId: string, person: NewPerson & { role: TeamRole }): MemberView {
    this.record('addMember', [teamId, actorId, person]);
    return member(teamId, 'acct-new', person.role);
  }
  setMemberRole(teamId: string, actorId: string, accountId: string, role: TeamRole): MemberView {
    this.record('setMemberRole', [teamId, actorId, accountId, role]);
    return member(teamId, accountId, role);
  }
  listMembers(teamId: string): MemberView[] {
    this.record('listMembers', [teamId]);
    return [member(teamId, FAKE_ADMIN_ID, 'Super Admin')];
  }
  getMember(teamId: string, accountId: string): MemberView {
    this.record('getMember', [teamId, accountId]);
    return member(teamId, accountId);
  }
  removeMember(teamId: string, actorId: string, accountId: string, handoverToId?: string): MemberView {
    this.record('removeMember', [teamId, actorId, accountId, handoverToId]);
    return { ...member(teamId, accountId), status: 'removed' };
  }
  leaveTeam(teamId: string, accountId: string): void {
    this.record('leaveTeam', [teamId, accountId]);
  }
  changeOwnEmail(accountId: string, newEmail: string): AccountView {
    this.record('changeOwnEmail', [accountId, newEmail]);
    return account(accountId, newEmail);
  }
  changeOwnPassword(accountId: string, currentPassword: string | null, newPassword: string): AccountView {
    this.record('changeOwnPassword', [accountId, currentPassword, newPassword]);
    return account(accountId);
  }
  getAccount(accountId: string): AccountView {
    this.record('getAccount', [accountId]);
    return account(accountId);
  }
  findAccountByEmail(email: string): AccountView | null {
    this.record('findAccountByEmail', [email]);
    return email.startsWith('nobody@') ? null : account('acct-found', email);
  }
  createInvite(
    teamId: string,
    actorId: string,
    input: { email: string; role?: TeamRole },
  ): { invite: InviteView; token: string } {
    this.record('createInvite', [teamId, actorId, input]);
    return {
      invite: {
        id: 'inv-1',
        teamId,
        email: input.email,
        role: input.role ?? 'Member',
        status: 'pending',
        expiresAt: '2026-12-09T00:00:00.000Z',
      },
      token: 'invite-token',
    };
  }
  listInvites(teamId: string): InviteView[] {
    this.record('listInvites', [teamId]);
    return [];
  }
  addAuthMethod(
    teamId: string,
    actorId: string,
    input: Parameters<ControlService['addAuthMethod']>[2],
  ): AuthMethodView {
    this.record('addAuthMethod', [teamId, actorId, input]);
    return {
      id: 'am-1',
      teamId,
      kind: input.kind,
      label: input.label ?? '',
      enabled: input.enabled ?? true,
      autoAddUsers: input.autoAddUsers ?? false,
      saml: input.saml ?? null,
      oidc: null,
    };
  }
  updateAuthMethod(
    teamId: string,
    actorId: string,
    methodId: string,
    patch: Parameters<ControlService['updateAuthMethod']>[3],
  ): AuthMethodView {
    this.record('updateAuthMethod', [teamId, actorId, methodId, patch]);
    return {
      id: methodId,
      teamId,
      kind: 'saml',
      label: patch.label ?? '',
      enabled: patch.enabled ?? true,
      autoAddUsers: patch.autoAddUsers ?? false,
      saml: null,
      oidc: null,
    };
  }
  removeAuthMethod(teamId: string, actorId: string, methodId: string): void {
    this.record('removeAuthMethod', [teamId, actorId, methodId]);
  }
  listAuthMethods(teamId: string): AuthMethodView[] {
    this.record('listAuthMethods', [teamId]);
    return [];
  }
  setScimEnabled(teamId: string, actorId: string, enabled: boolean): TeamView {
    this.record('setScimEnabled', [teamId, actorId, enabled]);
    return { ...team(teamId), scimEnabled: enabled };
  }
  generateScimKey(teamId: string, actorId: string): { key: string; apiKey: ApiKeyView } {
    this.record('generateScimKey', [teamId, actorId]);
    return { key: 'idsim_abcdef', apiKey: apiKey(teamId, 'key-1') };
  }
  revokeScimKey(teamId: string, actorId: string, keyId: string): ApiKeyView {
    this.record('revokeScimKey', [teamId, actorId, keyId]);
    return { ...apiKey(teamId, keyId), status: 'REVOKED' };
  }
  listScimKeys(teamId: string): ApiKeyView[] {
    this.record('listScimKeys', [teamId]);
    return [apiKey(teamId, 'key-1')];
  }
  addDomain(organisationId: string, name: string): DomainView {
    this.record('addDomain', [organisationId, name]);
    return domain(organisationId, name);
  }
  verifyDomain(organisationId: string, name: string): DomainView {
    this.record('verifyDomain', [organisationId, name]);
    return { ...domain(organisationId, name), verified: true };
  }
  setDomainCapture(organisationId: string, name: string, teamId: string | null): DomainView {
    this.record('setDomainCapture', [organisationId, name, teamId]);
    return { ...domain(organisationId, name), verified: true, captureTeamId: teamId };
  }
  listDomains(organisationId: string): DomainView[] {
    this.record('listDomains', [organisationId]);
    return [domain(organisationId, 'example.com')];
  }
  createWorkspace(
    teamId: string,
    actorId: string,
    input: Parameters<ControlService['createWorkspace']>[2],
  ): WorkspaceView {
    this.record('createWorkspace', [teamId, actorId, input]);
    return { ...workspace(teamId, 'ws-1'), name: input.name, type: input.type };
  }
  shareWorkspace(
    teamId: string,
    actorId: string,
    workspaceId: string,
    grant: Parameters<ControlService['shareWorkspace']>[3],
  ): WorkspaceView {
    this.record('shareWorkspace', [teamId, actorId, workspaceId, grant]);
    return { ...workspace(teamId, workspaceId), members: [grant] };
  }
  listWorkspaces(teamId: string): WorkspaceView[] {
    this.record('listWorkspaces', [teamId]);
    return [workspace(teamId, 'ws-1')];
  }
  getAccess(teamId: string, accountId: string): AccessView[] {
    this.record('getAccess', [teamId, accountId]);
    return [{ workspaceId: 'ws-1', workspaceName: 'Roadmap', type: 'internal', role: 'Viewer' }];
  }
  createGroup(teamId: string, actorId: string, input: { displayName: string }): GroupView {
    this.record('createGroup', [teamId, actorId, input]);
    return { id: 'grp-1', teamId, displayName: input.displayName, externalId: null, memberIds: [] };
  }
  listGroups(teamId: string): GroupView[] {
    this.record('listGroups', [teamId]);
    return [];
  }
  addGroupMembers(teamId: string, actorId: string, groupId: string, accountIds: string[]): GroupView {
    this.record('addGroupMembers', [teamId, actorId, groupId, accountIds]);
    return { id: groupId, teamId, displayName: 'Group', externalId: null, memberIds: accountIds };
  }
  getOrganisationMembership(organisationId: string, accountId: string): OrganisationMembershipView | null {
    this.record('getOrganisationMembership', [organisationId, accountId]);
    return accountId === 'not-a-member' ? null : { organisationId, accountId, permission: 'member' };
  }
  listOutbox(to?: string): OutboxMessageView[] {
    this.record('listOutbox', [to]);
    return [];
  }
}
