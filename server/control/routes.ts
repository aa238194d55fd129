// The control API's route table: one entry per route of docs/control-api.openapi.yaml, each a thin handler that
// validates its input and calls exactly one ControlService method (design.md "target contract", capability 3).
import type { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { ControlApiError, summariseIssues } from './errors.ts';
import type { ControlService } from './port.ts';
import {
  addAuthMethodBody,
  addDomainBody,
  addGroupMembersBody,
  addMemberBody,
  changeEmailBody,
  changePasswordBody,
  createGroupBody,
  createInviteBody,
  createOrganisationBody,
  createTeamBody,
  createWorkspaceBody,
  findAccountQuery,
  outboxQuery,
  removeMemberQuery,
  setDomainCaptureBody,
  setMemberRoleBody,
  setScimEnabledBody,
  shareWorkspaceBody,
  updateAuthMethodBody,
  updatePortalBody,
  updateTeamBody,
} from './schemas.ts';

export type ControlMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler sees of an HTTP request: plain values, no express objects. */
export interface ControlRequest {
  params: Readonly<Record<string, string>>;
  query: unknown;
  body: unknown;
  /** the X-Idsim-Actor header, or null when absent/empty */
  actorId: string | null;
}

export interface ControlResult {
  status: number;
  /** absent for 204 */
  body?: unknown;
}

export interface ControlRoute {
  method: ControlMethod;
  /** express path syntax (`:param`), relative to the control base path */
  path: string;
  /** the ControlService method it calls; also the OpenAPI operationId */
  operationId: keyof ControlService;
  /** true when the route reads `X-Idsim-Actor` (400 `actor_required` when missing) */
  needsActor: boolean;
  successStatus: 200 | 201 | 204;
  handle(service: ControlService, request: ControlRequest): ControlResult;
}

interface ActorRequest extends ControlRequest {
  actorId: string;
}

type RouteSpec = Omit<ControlRoute, 'handle' | 'needsActor'> &
  (
    | { needsActor: true; call(service: ControlService, request: ActorRequest): unknown }
    | { needsActor: false; call(service: ControlService, request: ControlRequest): unknown }
  );

function route(spec: RouteSpec): ControlRoute {
  const { call, ...rest } = spec;
  return {
    ...rest,
    handle(service, request) {
      let value: unknown;
      if (spec.needsActor) {
        const actorId = request.actorId;
        if (actorId === null) {
          throw new ControlApiError(
            'actor_required',
            'this route needs the X-Idsim-Actor header (an account id)',
          );
        }
        value = spec.call(service, { ...request, actorId });
      } else {
        value = spec.call(service, request);
      }
      return spec.successStatus === 204 ? { status: 204 } : { status: spec.successStatus, body: value };
    },
  };
}

/** Parses `input` with `schema`, or throws 400 `invalid_request` listing the issues under details.issues. */
function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(input ?? (where === 'query' ? {} : undefined));
  if (!result.success) {
    throw new ControlApiError('invalid_request', `request ${where} failed validation`, {
      issues: summariseIssues(result.error),
    });
  }
  return result.data;
}

function param(request: ControlRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined || value === '') {
    throw new ControlApiError('invalid_request', `missing path parameter ${name}`);
  }
  return value;
}

export const controlRoutes: readonly ControlRoute[] = [
  // Organisations and the login portal (ORG-01..08)
  route({
    method: 'post',
    path: '/organisations',
    operationId: 'createOrganisation',
    needsActor: false,
    successStatus: 201,
    call: (service, request) =>
      service.createOrganisation(parse(createOrganisationBody, request.body, 'body')),
  }),
  route({
    method: 'get',
    path: '/organisations/:orgId',
    operationId: 'getOrganisation',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.getOrganisation(param(request, 'orgId')),
  }),
  route({
    method: 'get',
    path: '/organisations/:orgId/members/:accountId',
    operationId: 'getOrganisationMembership',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => {
      const membership = service.getOrganisationMembership(
        param(request, 'orgId'),
        param(request, 'accountId'),
      );
      if (membership === null) {
        throw new DomainError('not_found', 'the account is not a member of the organisation', {
          resource: 'organisationMembership',
        });
      }
      return membership;
    },
  }),
  route({
    method: 'patch',
    path: '/organisations/:orgId/portal',
    operationId: 'updatePortal',
    needsActor: false,
    successStatus: 200,
    call: (service, request) =>
      service.updatePortal(param(request, 'orgId'), parse(updatePortalBody, request.body, 'body')),
  }),

  // Teams, plans and seats
  route({
    method: 'post',
    path: '/teams',
    operationId: 'createTeam',
    needsActor: false,
    successStatus: 201,
    call: (service, request) => service.createTeam(parse(createTeamBody, request.body, 'body')),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId',
    operationId: 'getTeam',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.getTeam(param(request, 'teamId')),
  }),
  route({
    method: 'patch',
    path: '/teams/:teamId',
    operationId: 'updateTeam',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.updateTeam(
        param(request, 'teamId'),
        request.actorId,
        parse(updateTeamBody, request.body, 'body'),
      ),
  }),

  // Members (REM-01, PRV-05..07)
  route({
    method: 'post',
    path: '/teams/:teamId/members',
    operationId: 'addMember',
    needsActor: true,
    successStatus: 201,
    call: (service, request) =>
      service.addMember(
        param(request, 'teamId'),
        request.actorId,
        parse(addMemberBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/members',
    operationId: 'listMembers',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listMembers(param(request, 'teamId')),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/members/:accountId',
    operationId: 'getMember',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.getMember(param(request, 'teamId'), param(request, 'accountId')),
  }),
  route({
    method: 'patch',
    path: '/teams/:teamId/members/:accountId',
    operationId: 'setMemberRole',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.setMemberRole(
        param(request, 'teamId'),
        request.actorId,
        param(request, 'accountId'),
        parse(setMemberRoleBody, request.body, 'body').role,
      ),
  }),
  route({
    method: 'delete',
    path: '/teams/:teamId/members/:accountId',
    operationId: 'removeMember',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.removeMember(
        param(request, 'teamId'),
        request.actorId,
        param(request, 'accountId'),
        parse(removeMemberQuery, request.query, 'query').handoverTo,
      ),
  }),
  route({
    method: 'post',
    path: '/teams/:teamId/members/:accountId/leave',
    operationId: 'leaveTeam',
    needsActor: false,
    successStatus: 204,
    call: (service, request) => service.leaveTeam(param(request, 'teamId'), param(request, 'accountId')),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/members/:accountId/access',
    operationId: 'getAccess',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.getAccess(param(request, 'teamId'), param(request, 'accountId')),
  }),

  // Accounts (PRV-06)
  route({
    method: 'get',
    path: '/accounts',
    operationId: 'findAccountByEmail',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => {
      const { email } = parse(findAccountQuery, request.query, 'query');
      const account = service.findAccountByEmail(email);
      if (account === null) throw new DomainError('not_found', 'no account with that email', { email });
      return account;
    },
  }),
  route({
    method: 'get',
    path: '/accounts/:accountId',
    operationId: 'getAccount',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.getAccount(param(request, 'accountId')),
  }),
  route({
    method: 'post',
    path: '/accounts/:accountId/email',
    operationId: 'changeOwnEmail',
    needsActor: false,
    successStatus: 200,
    call: (service, request) =>
      service.changeOwnEmail(param(request, 'accountId'), parse(changeEmailBody, request.body, 'body').email),
  }),
  route({
    method: 'post',
    path: '/accounts/:accountId/password',
    operationId: 'changeOwnPassword',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => {
      const body = parse(changePasswordBody, request.body, 'body');
      return service.changeOwnPassword(
        param(request, 'accountId'),
        body.currentPassword ?? null,
        body.newPassword,
      );
    },
  }),

  // Invites (JIT-04)
  route({
    method: 'post',
    path: '/teams/:teamId/invites',
    operationId: 'createInvite',
    needsActor: true,
    successStatus: 201,
    call: (service, request) =>
      service.createInvite(
        param(request, 'teamId'),
        request.actorId,
        parse(createInviteBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/invites',
    operationId: 'listInvites',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listInvites(param(request, 'teamId')),
  }),

  // Authentication methods and JIT (SSO-01..05, JIT-01..05)
  route({
    method: 'post',
    path: '/teams/:teamId/auth-methods',
    operationId: 'addAuthMethod',
    needsActor: true,
    successStatus: 201,
    call: (service, request) =>
      service.addAuthMethod(
        param(request, 'teamId'),
        request.actorId,
        parse(addAuthMethodBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/auth-methods',
    operationId: 'listAuthMethods',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listAuthMethods(param(request, 'teamId')),
  }),
  route({
    method: 'patch',
    path: '/teams/:teamId/auth-methods/:methodId',
    operationId: 'updateAuthMethod',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.updateAuthMethod(
        param(request, 'teamId'),
        request.actorId,
        param(request, 'methodId'),
        parse(updateAuthMethodBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'delete',
    path: '/teams/:teamId/auth-methods/:methodId',
    operationId: 'removeAuthMethod',
    needsActor: true,
    successStatus: 204,
    call: (service, request) =>
      service.removeAuthMethod(param(request, 'teamId'), request.actorId, param(request, 'methodId')),
  }),

  // SCIM switch and keys (KEY-01..04)
  route({
    method: 'put',
    path: '/teams/:teamId/scim',
    operationId: 'setScimEnabled',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.setScimEnabled(
        param(request, 'teamId'),
        request.actorId,
        parse(setScimEnabledBody, request.body, 'body').enabled,
      ),
  }),
  route({
    method: 'post',
    path: '/teams/:teamId/scim/keys',
    operationId: 'generateScimKey',
    needsActor: true,
    successStatus: 201,
    call: (service, request) => service.generateScimKey(param(request, 'teamId'), request.actorId),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/scim/keys',
    operationId: 'listScimKeys',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listScimKeys(param(request, 'teamId')),
  }),
  route({
    method: 'post',
    path: '/teams/:teamId/scim/keys/:keyId/revoke',
    operationId: 'revokeScimKey',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.revokeScimKey(param(request, 'teamId'), request.actorId, param(request, 'keyId')),
  }),

  // Domains and domain capture (SSO-02, PRV-08, PRV-10)
  route({
    method: 'post',
    path: '/organisations/:orgId/domains',
    operationId: 'addDomain',
    needsActor: false,
    successStatus: 201,
    call: (service, request) =>
      service.addDomain(param(request, 'orgId'), parse(addDomainBody, request.body, 'body').name),
  }),
  route({
    method: 'get',
    path: '/organisations/:orgId/domains',
    operationId: 'listDomains',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listDomains(param(request, 'orgId')),
  }),
  route({
    method: 'post',
    path: '/organisations/:orgId/domains/:name/verify',
    operationId: 'verifyDomain',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.verifyDomain(param(request, 'orgId'), param(request, 'name')),
  }),
  route({
    method: 'put',
    path: '/organisations/:orgId/domains/:name/capture',
    operationId: 'setDomainCapture',
    needsActor: false,
    successStatus: 200,
    call: (service, request) =>
      service.setDomainCapture(
        param(request, 'orgId'),
        param(request, 'name'),
        parse(setDomainCaptureBody, request.body, 'body').teamId,
      ),
  }),

  // Workspaces and access (DEA-03..09, REM-01..03, GRP-05)
  route({
    method: 'post',
    path: '/teams/:teamId/workspaces',
    operationId: 'createWorkspace',
    needsActor: true,
    successStatus: 201,
    call: (service, request) =>
      service.createWorkspace(
        param(request, 'teamId'),
        request.actorId,
        parse(createWorkspaceBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/workspaces',
    operationId: 'listWorkspaces',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listWorkspaces(param(request, 'teamId')),
  }),
  route({
    method: 'post',
    path: '/teams/:teamId/workspaces/:workspaceId/grants',
    operationId: 'shareWorkspace',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.shareWorkspace(
        param(request, 'teamId'),
        request.actorId,
        param(request, 'workspaceId'),
        parse(shareWorkspaceBody, request.body, 'body'),
      ),
  }),

  // Groups (GRP-03, GRP-05)
  route({
    method: 'post',
    path: '/teams/:teamId/groups',
    operationId: 'createGroup',
    needsActor: true,
    successStatus: 201,
    call: (service, request) =>
      service.createGroup(
        param(request, 'teamId'),
        request.actorId,
        parse(createGroupBody, request.body, 'body'),
      ),
  }),
  route({
    method: 'get',
    path: '/teams/:teamId/groups',
    operationId: 'listGroups',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => service.listGroups(param(request, 'teamId')),
  }),
  route({
    method: 'post',
    path: '/teams/:teamId/groups/:groupId/members',
    operationId: 'addGroupMembers',
    needsActor: true,
    successStatus: 200,
    call: (service, request) =>
      service.addGroupMembers(
        param(request, 'teamId'),
        request.actorId,
        param(request, 'groupId'),
        parse(addGroupMembersBody, request.body, 'body').accountIds,
      ),
  }),

  // The operator's test mailbox (JIT-07): the server sends no mail; reset links wait here
  route({
    method: 'get',
    path: '/outbox',
    operationId: 'listOutbox',
    needsActor: false,
    successStatus: 200,
    call: (service, request) => {
      const { to } = parse(outboxQuery, request.query, 'query');
      return service.listOutbox(to);
    },
  }),
];
