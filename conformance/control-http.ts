// The control capability over HTTP: a client of the control API (docs/control-api.openapi.yaml, base /control/v1).
// Implements ControlDriver 1:1 on the routes of the control conventions; error bodies become TargetRefusal codes.
import type {
  AccessView,
  AccountView,
  ApiKeyView,
  AuthMethodView,
  DomainView,
  GroupView,
  InviteView,
  MemberView,
  OrganisationMembershipView,
  OrganisationView,
  OutboxMessageView,
  TeamView,
  WorkspaceView,
} from '../server/control/port.ts';
import { recordedFetch } from './recorded-fetch.ts';
import type { ControlDriver, TranscriptSink } from './target.ts';
import { TargetRefusal } from './target.ts';

export interface ControlHttpOptions {
  /** base URL of the control API, e.g. http://127.0.0.1:4000/control/v1 */
  baseUrl: string;
  token: string;
  record: TranscriptSink;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function refusalFrom(status: number, json: unknown, text: string): TargetRefusal {
  const error = (json as ErrorBody | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 200);
  const details =
    error?.details !== null && typeof error?.details === 'object'
      ? (error.details as Record<string, unknown>)
      : {};
  return new TargetRefusal(code, message, status, details);
}

const enc = encodeURIComponent;

export function createHttpControlDriver(options: ControlHttpOptions): ControlDriver {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown, actorId?: string): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/json',
    };
    if (actorId !== undefined) headers['x-idsim-actor'] = actorId;
    const reply = await recordedFetch('control', options.record, {
      method,
      url: `${base}${path}`,
      headers,
      body,
    });
    if (reply.status >= 400) throw refusalFrom(reply.status, reply.json, reply.text);
    return reply.json as T;
  }

  return {
    createOrganisation: (input) => call<OrganisationView>('POST', '/organisations', input),
    updatePortal: (orgId, patch) =>
      call<OrganisationView>('PATCH', `/organisations/${enc(orgId)}/portal`, patch),
    getOrganisation: (orgId) => call<OrganisationView>('GET', `/organisations/${enc(orgId)}`),
    getOrganisationMembership: async (orgId, accountId) => {
      try {
        return await call<OrganisationMembershipView>(
          'GET',
          `/organisations/${enc(orgId)}/members/${enc(accountId)}`,
        );
      } catch (error) {
        if (error instanceof TargetRefusal && error.status === 404) return null;
        throw error;
      }
    },
    createTeam: (input) => call<{ team: TeamView; owner: MemberView }>('POST', '/teams', input),
    getTeam: (teamId) => call<TeamView>('GET', `/teams/${enc(teamId)}`),
    updateTeam: (teamId, actorId, patch) => call<TeamView>('PATCH', `/teams/${enc(teamId)}`, patch, actorId),
    addMember: (teamId, actorId, person) =>
      call<MemberView>('POST', `/teams/${enc(teamId)}/members`, person, actorId),
    setMemberRole: (teamId, actorId, accountId, role) =>
      call<MemberView>('PATCH', `/teams/${enc(teamId)}/members/${enc(accountId)}`, { role }, actorId),
    listMembers: (teamId) => call<MemberView[]>('GET', `/teams/${enc(teamId)}/members`),
    getMember: (teamId, accountId) =>
      call<MemberView>('GET', `/teams/${enc(teamId)}/members/${enc(accountId)}`),
    removeMember: (teamId, actorId, accountId, handoverToId) => {
      const query = handoverToId === undefined ? '' : `?handoverTo=${enc(handoverToId)}`;
      return call<MemberView>(
        'DELETE',
        `/teams/${enc(teamId)}/members/${enc(accountId)}${query}`,
        undefined,
        actorId,
      );
    },
    leaveTeam: async (teamId, accountId) => {
      await call<unknown>('POST', `/teams/${enc(teamId)}/members/${enc(accountId)}/leave`);
    },
    changeOwnEmail: (accountId, email) =>
      call<AccountView>('POST', `/accounts/${enc(accountId)}/email`, { email }),
    changeOwnPassword: (accountId, currentPassword, newPassword) =>
      call<AccountView>('POST', `/accounts/${enc(accountId)}/password`, { currentPassword, newPassword }),
    getAccount: (accountId) => call<AccountView>('GET', `/accounts/${enc(accountId)}`),
    findAccountByEmail: async (email) => {
      try {
        return await call<AccountView>('GET', `/accounts?email=${enc(email)}`);
      } catch (error) {
        if (error instanceof TargetRefusal && error.status === 404) return null;
        throw error;
      }
    },
    createInvite: (teamId, actorId, input) =>
      call<{ invite: InviteView; token: string }>('POST', `/teams/${enc(teamId)}/invites`, input, actorId),
    listInvites: (teamId) => call<InviteView[]>('GET', `/teams/${enc(teamId)}/invites`),
    addAuthMethod: (teamId, actorId, input) =>
      call<AuthMethodView>('POST', `/teams/${enc(teamId)}/auth-methods`, input, actorId),
    updateAuthMethod: (teamId, actorId, methodId, patch) =>
      call<AuthMethodView>('PATCH', `/teams/${enc(teamId)}/auth-methods/${enc(methodId)}`, patch, actorId),
    removeAuthMethod: async (teamId, actorId, methodId) => {
      await call<unknown>(
        'DELETE',
        `/teams/${enc(teamId)}/auth-methods/${enc(methodId)}`,
        undefined,
        actorId,
      );
    },
    listAuthMethods: (teamId) => call<AuthMethodView[]>('GET', `/teams/${enc(teamId)}/auth-methods`),
    setScimEnabled: (teamId, actorId, enabled) =>
      call<TeamView>('PUT', `/teams/${enc(teamId)}/scim`, { enabled }, actorId),
    generateScimKey: (teamId, actorId) =>
      call<{ key: string; apiKey: ApiKeyView }>('POST', `/teams/${enc(teamId)}/scim/keys`, {}, actorId),
    revokeScimKey: (teamId, actorId, keyId) =>
      call<ApiKeyView>('POST', `/teams/${enc(teamId)}/scim/keys/${enc(keyId)}/revoke`, {}, actorId),
    listScimKeys: (teamId) => call<ApiKeyView[]>('GET', `/teams/${enc(teamId)}/scim/keys`),
    addDomain: (orgId, name) => call<DomainView>('POST', `/organisations/${enc(orgId)}/domains`, { name }),
    verifyDomain: (orgId, name) =>
      call<DomainView>('POST', `/organisations/${enc(orgId)}/domains/${enc(name)}/verify`, {}),
    setDomainCapture: (orgId, name, teamId) =>
      call<DomainView>('PUT', `/organisations/${enc(orgId)}/domains/${enc(name)}/capture`, { teamId }),
    listDomains: (orgId) => call<DomainView[]>('GET', `/organisations/${enc(orgId)}/domains`),
    createWorkspace: (teamId, actorId, input) =>
      call<WorkspaceView>('POST', `/teams/${enc(teamId)}/workspaces`, input, actorId),
    shareWorkspace: (teamId, actorId, workspaceId, grant) =>
      call<WorkspaceView>(
        'POST',
        `/teams/${enc(teamId)}/workspaces/${enc(workspaceId)}/grants`,
        grant,
        actorId,
      ),
    listWorkspaces: (teamId) => call<WorkspaceView[]>('GET', `/teams/${enc(teamId)}/workspaces`),
    getAccess: (teamId, accountId) =>
      call<AccessView[]>('GET', `/teams/${enc(teamId)}/members/${enc(accountId)}/access`),
    createGroup: (teamId, actorId, input) =>
      call<GroupView>('POST', `/teams/${enc(teamId)}/groups`, input, actorId),
    listGroups: (teamId) => call<GroupView[]>('GET', `/teams/${enc(teamId)}/groups`),
    addGroupMembers: (teamId, actorId, groupId, accountIds) =>
      call<GroupView>(
        'POST',
        `/teams/${enc(teamId)}/groups/${enc(groupId)}/members`,
        { accountIds },
        actorId,
      ),
    listOutbox: (to) =>
      call<OutboxMessageView[]>('GET', to === undefined ? '/outbox' : `/outbox?to=${enc(to)}`),
  };
}
