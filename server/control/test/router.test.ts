// HTTP tests of the control API router over loopback: auth, the actor header, every route's mapping to its
// ControlService method, request validation and the error table of server/control/errors.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainErrorCode } from '../../domain/errors.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ControlService } from '../port.ts';
import { controlRoutes } from '../routes.ts';
import type { ControlHarness } from './control-harness.ts';
import { capturingLogger, startControlHarness } from './control-harness.ts';
import { FakeControlService } from './fake-control-service.ts';

const ACTOR = 'acct-admin';
const saml = {
  idpEntityId: 'http://idp.example.test/entity',
  idpSsoUrl: 'http://idp.example.test/sso',
  idpCertificates: ['MIIB...'],
};

interface RouteCase {
  method: string;
  path: string;
  body?: unknown;
  actor?: boolean;
  status: number;
  call: { method: keyof ControlService; args: unknown[] };
  /** a property of the response body to spot-check */
  expectBody?: (body: unknown) => void;
}

/** One case per ControlService method the API exposes; a test below checks none is missing. */
const cases: Record<string, RouteCase> = {
  createOrganisation: {
    method: 'POST',
    path: '/organisations',
    body: { slug: 'acme', name: 'Acme', privateInstance: true },
    status: 201,
    call: { method: 'createOrganisation', args: [{ slug: 'acme', name: 'Acme', privateInstance: true }] },
    expectBody: (body) => expect(body).toMatchObject({ id: 'org-1', slug: 'acme' }),
  },
  getOrganisation: {
    method: 'GET',
    path: '/organisations/org-9',
    status: 200,
    call: { method: 'getOrganisation', args: ['org-9'] },
  },
  updatePortal: {
    method: 'PATCH',
    path: '/organisations/org-9/portal',
    body: { jitEnabled: true, defaultPermission: 'contributor', authMethodId: 'm1' },
    status: 200,
    call: {
      method: 'updatePortal',
      args: ['org-9', { jitEnabled: true, defaultPermission: 'contributor', authMethodId: 'm1' }],
    },
    expectBody: (body) => expect(body).toMatchObject({ portal: { jitEnabled: true } }),
  },
  createTeam: {
    method: 'POST',
    path: '/teams',
    body: {
      name: 'Blue',
      plan: 'Enterprise',
      licensedSeats: 5,
      owner: { email: 'owner@example.com', givenName: 'O', familyName: 'W' },
    },
    status: 201,
    call: {
      method: 'createTeam',
      args: [
        {
          name: 'Blue',
          plan: 'Enterprise',
          licensedSeats: 5,
          owner: { email: 'owner@example.com', givenName: 'O', familyName: 'W' },
        },
      ],
    },
    expectBody: (body) =>
      expect(body).toMatchObject({ team: { name: 'Blue' }, owner: { role: 'Super Admin' } }),
  },
  getTeam: { method: 'GET', path: '/teams/t1', status: 200, call: { method: 'getTeam', args: ['t1'] } },
  updateTeam: {
    method: 'PATCH',
    path: '/teams/t1',
    body: { plan: 'Basic', autoFlex: true },
    actor: true,
    status: 200,
    call: { method: 'updateTeam', args: ['t1', ACTOR, { plan: 'Basic', autoFlex: true }] },
  },
  addMember: {
    method: 'POST',
    path: '/teams/t1/members',
    body: { email: 'm@example.com', givenName: 'M', familyName: 'N', role: 'Admin', password: 'pw-123456' },
    actor: true,
    status: 201,
    call: {
      method: 'addMember',
      args: [
        't1',
        ACTOR,
        { email: 'm@example.com', givenName: 'M', familyName: 'N', role: 'Admin', password: 'pw-123456' },
      ],
    },
  },
  listMembers: {
    method: 'GET',
    path: '/teams/t1/members',
    status: 200,
    call: { method: 'listMembers', args: ['t1'] },
  },
  getMember: {
    method: 'GET',
    path: '/teams/t1/members/a2',
    status: 200,
    call: { method: 'getMember', args: ['t1', 'a2'] },
  },
  setMemberRole: {
    method: 'PATCH',
    path: '/teams/t1/members/a2',
    body: { role: 'Guest' },
    actor: true,
    status: 200,
    call: { method: 'setMemberRole', args: ['t1', ACTOR, 'a2', 'Guest'] },
    expectBody: (body) => expect(body).toMatchObject({ role: 'Guest' }),
  },
  removeMember: {
    method: 'DELETE',
    path: '/teams/t1/members/a2?handoverTo=a3',
    actor: true,
    status: 200,
    call: { method: 'removeMember', args: ['t1', ACTOR, 'a2', 'a3'] },
    expectBody: (body) => expect(body).toMatchObject({ status: 'removed' }),
  },
  leaveTeam: {
    method: 'POST',
    path: '/teams/t1/members/a2/leave',
    status: 204,
    call: { method: 'leaveTeam', args: ['t1', 'a2'] },
  },
  getAccess: {
    method: 'GET',
    path: '/teams/t1/members/a2/access',
    status: 200,
    call: { method: 'getAccess', args: ['t1', 'a2'] },
    expectBody: (body) =>
      expect(body).toEqual([expect.objectContaining({ workspaceId: 'ws-1', role: 'Viewer' })]),
  },
  findAccountByEmail: {
    method: 'GET',
    path: `/accounts?email=${encodeURIComponent('a+b@example.com')}`,
    status: 200,
    call: { method: 'findAccountByEmail', args: ['a+b@example.com'] },
  },
  getAccount: {
    method: 'GET',
    path: '/accounts/a2',
    status: 200,
    call: { method: 'getAccount', args: ['a2'] },
  },
  changeOwnEmail: {
    method: 'POST',
    path: '/accounts/a2/email',
    body: { email: 'new@example.com' },
    status: 200,
    call: { method: 'changeOwnEmail', args: ['a2', 'new@example.com'] },
  },
  changeOwnPassword: {
    method: 'POST',
    path: '/accounts/a2/password',
    body: { newPassword: 'n3w-secret' },
    status: 200,
    call: { method: 'changeOwnPassword', args: ['a2', null, 'n3w-secret'] },
  },
  createInvite: {
    method: 'POST',
    path: '/teams/t1/invites',
    body: { email: 'inv@example.com' },
    actor: true,
    status: 201,
    call: { method: 'createInvite', args: ['t1', ACTOR, { email: 'inv@example.com' }] },
    expectBody: (body) =>
      expect(body).toMatchObject({ invite: { status: 'pending' }, token: 'invite-token' }),
  },
  listInvites: {
    method: 'GET',
    path: '/teams/t1/invites',
    status: 200,
    call: { method: 'listInvites', args: ['t1'] },
  },
  addAuthMethod: {
    method: 'POST',
    path: '/teams/t1/auth-methods',
    body: { kind: 'saml', label: 'Test', autoAddUsers: true, saml },
    actor: true,
    status: 201,
    call: {
      method: 'addAuthMethod',
      // the legacy SHA-1 opt-in is written out, off, when the body leaves it out
      args: [
        't1',
        ACTOR,
        { kind: 'saml', label: 'Test', autoAddUsers: true, saml: { ...saml, allowSha1: false } },
      ],
    },
  },
  listAuthMethods: {
    method: 'GET',
    path: '/teams/t1/auth-methods',
    status: 200,
    call: { method: 'listAuthMethods', args: ['t1'] },
  },
  updateAuthMethod: {
    method: 'PATCH',
    path: '/teams/t1/auth-methods/am-1',
    body: { autoAddUsers: false },
    actor: true,
    status: 200,
    call: { method: 'updateAuthMethod', args: ['t1', ACTOR, 'am-1', { autoAddUsers: false }] },
  },
  removeAuthMethod: {
    method: 'DELETE',
    path: '/teams/t1/auth-methods/am-1',
    actor: true,
    status: 204,
    call: { method: 'removeAuthMethod', args: ['t1', ACTOR, 'am-1'] },
  },
  setScimEnabled: {
    method: 'PUT',
    path: '/teams/t1/scim',
    body: { enabled: true },
    actor: true,
    status: 200,
    call: { method: 'setScimEnabled', args: ['t1', ACTOR, true] },
    expectBody: (body) => expect(body).toMatchObject({ scimEnabled: true }),
  },
  generateScimKey: {
    method: 'POST',
    path: '/teams/t1/scim/keys',
    actor: true,
    status: 201,
    call: { method: 'generateScimKey', args: ['t1', ACTOR] },
    expectBody: (body) => expect(body).toMatchObject({ key: 'idsim_abcdef', apiKey: { status: 'ACTIVE' } }),
  },
  listScimKeys: {
    method: 'GET',
    path: '/teams/t1/scim/keys',
    status: 200,
    call: { method: 'listScimKeys', args: ['t1'] },
  },
  revokeScimKey: {
    method: 'POST',
    path: '/teams/t1/scim/keys/key-1/revoke',
    actor: true,
    status: 200,
    call: { method: 'revokeScimKey', args: ['t1', ACTOR, 'key-1'] },
    expectBody: (body) => expect(body).toMatchObject({ status: 'REVOKED' }),
  },
  addDomain: {
    method: 'POST',
    path: '/organisations/org-1/domains',
    body: { name: 'Example.COM' },
    status: 201,
    call: { method: 'addDomain', args: ['org-1', 'example.com'] },
  },
  listDomains: {
    method: 'GET',
    path: '/organisations/org-1/domains',
    status: 200,
    call: { method: 'listDomains', args: ['org-1'] },
  },
  verifyDomain: {
    method: 'POST',
    path: '/organisations/org-1/domains/example.com/verify',
    status: 200,
    call: { method: 'verifyDomain', args: ['org-1', 'example.com'] },
  },
  setDomainCapture: {
    method: 'PUT',
    path: '/organisations/org-1/domains/example.com/capture',
    body: { teamId: null },
    status: 200,
    call: { method: 'setDomainCapture', args: ['org-1', 'example.com', null] },
  },
  createWorkspace: {
    method: 'POST',
    path: '/teams/t1/workspaces',
    body: { name: 'Plans', type: 'partner', ownerId: 'a2' },
    actor: true,
    status: 201,
    call: {
      method: 'createWorkspace',
      args: ['t1', ACTOR, { name: 'Plans', type: 'partner', ownerId: 'a2' }],
    },
  },
  listWorkspaces: {
    method: 'GET',
    path: '/teams/t1/workspaces',
    status: 200,
    call: { method: 'listWorkspaces', args: ['t1'] },
  },
  shareWorkspace: {
    method: 'POST',
    path: '/teams/t1/workspaces/ws-1/grants',
    body: { kind: 'group', id: 'grp-1', role: 'Editor' },
    actor: true,
    status: 200,
    call: {
      method: 'shareWorkspace',
      args: ['t1', ACTOR, 'ws-1', { kind: 'group', id: 'grp-1', role: 'Editor' }],
    },
  },
  createGroup: {
    method: 'POST',
    path: '/teams/t1/groups',
    body: { displayName: 'Engineering' },
    actor: true,
    status: 201,
    call: { method: 'createGroup', args: ['t1', ACTOR, { displayName: 'Engineering' }] },
  },
  listGroups: {
    method: 'GET',
    path: '/teams/t1/groups',
    status: 200,
    call: { method: 'listGroups', args: ['t1'] },
  },
  addGroupMembers: {
    method: 'POST',
    path: '/teams/t1/groups/g1/members',
    body: { accountIds: ['a1', 'a2'] },
    actor: true,
    status: 200,
    call: { method: 'addGroupMembers', args: ['t1', ACTOR, 'g1', ['a1', 'a2']] },
    expectBody: (body) => expect(body).toMatchObject({ id: 'g1', memberIds: ['a1', 'a2'] }),
  },
  getOrganisationMembership: {
    method: 'GET',
    path: '/organisations/org-9/members/a1',
    status: 200,
    call: { method: 'getOrganisationMembership', args: ['org-9', 'a1'] },
    expectBody: (body) =>
      expect(body).toEqual({ organisationId: 'org-9', accountId: 'a1', permission: 'member' }),
  },
  listOutbox: {
    method: 'GET',
    path: '/outbox?to=Zoe%2Bx%40example.com',
    status: 200,
    call: { method: 'listOutbox', args: ['Zoe+x@example.com'] },
    expectBody: (body) => expect(body).toEqual([]),
  },
};

let service: FakeControlService;
let harness: ControlHarness;
const logger = capturingLogger();

beforeAll(async () => {
  service = new FakeControlService();
  harness = await startControlHarness(service, { logger, maxBodyBytes: 2048 });
});
afterAll(async () => {
  await harness.close();
});
afterEach(() => {
  service.calls.length = 0;
  logger.entries.length = 0;
});

describe('control API routes map 1:1 to ControlService methods', () => {
  it('has a test case for every registered route', () => {
    expect(Object.keys(cases).sort()).toEqual(controlRoutes.map((route) => route.operationId).sort());
  });

  for (const [operationId, routeCase] of Object.entries(cases)) {
    it(`${routeCase.method} ${routeCase.path} → ${operationId} (${routeCase.status})`, async () => {
      const response = await harness.call(routeCase.method, routeCase.path, {
        ...(routeCase.body !== undefined ? { body: routeCase.body } : {}),
        ...(routeCase.actor ? { actor: ACTOR } : {}),
      });
      expect(response.status, response.text).toBe(routeCase.status);
      expect(service.calls).toEqual([routeCase.call]);
      if (routeCase.status === 204) expect(response.text).toBe('');
      else expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      routeCase.expectBody?.(response.body);
    });

    if (routeCase.actor) {
      it(`${routeCase.method} ${routeCase.path} without X-Idsim-Actor → 400 actor_required, nothing called`, async () => {
        const response = await harness.call(routeCase.method, routeCase.path, {
          ...(routeCase.body !== undefined ? { body: routeCase.body } : {}),
        });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: { code: 'actor_required' } });
        expect(service.calls).toEqual([]);
      });
    }
  }

  it('GET /accounts?email= answers 404 not_found when no account has that email', async () => {
    const response = await harness.call('GET', '/accounts?email=nobody%40example.com');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      error: { code: 'not_found', details: { email: 'nobody@example.com' } },
    });
  });

  it('DELETE member without handoverTo passes no hand-over to the service', async () => {
    const response = await harness.call('DELETE', '/teams/t1/members/a2', { actor: ACTOR });
    expect(response.status).toBe(200);
    expect(service.lastCall()).toEqual({ method: 'removeMember', args: ['t1', ACTOR, 'a2', undefined] });
  });

  it('trims the actor header and treats a blank one as missing', async () => {
    const blank = await harness.call('PUT', '/teams/t1/scim', { body: { enabled: false }, actor: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ error: { code: 'actor_required' } });
    const padded = await harness.call('PUT', '/teams/t1/scim', { body: { enabled: false }, actor: ' a7 ' });
    expect(padded.status).toBe(200);
    expect(service.lastCall()).toEqual({ method: 'setScimEnabled', args: ['t1', 'a7', false] });
  });
});

describe('control API authentication (Authorization: Bearer <controlToken>)', () => {
  it.each([
    ['missing', null],
    ['wrong', 'not-the-token'],
    ['empty', ''],
  ])('%s token → 401 unauthorized with a Bearer challenge, nothing called', async (_label, token) => {
    const response = await harness.call('GET', '/teams/t1', { token });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(service.calls).toEqual([]);
  });

  it('checks the token before reading the body or routing', async () => {
    const response = await harness.call('POST', '/no-such-route', { rawBody: '{not json', token: 'nope' });
    expect(response.status).toBe(401);
  });

  it('accepts the scheme name in any case (RFC 9110 11.1)', async () => {
    const response = await fetch(`${harness.controlUrl}/teams/t1`, {
      headers: { authorization: 'bearer test-control-token' },
    });
    expect(response.status).toBe(200);
  });
});

describe('control API request validation', () => {
  it('rejects a body that fails its schema with 400 invalid_request and a summary of the issues', async () => {
    const response = await harness.call('POST', '/teams', {
      body: { name: '', plan: 'Gold', licensedSeats: -1, owner: { email: 'not-an-email' } },
    });
    expect(response.status).toBe(400);
    const error = (response.body as { error: { code: string; details: { issues: { path: string }[] } } })
      .error;
    expect(error.code).toBe('invalid_request');
    const paths = error.details.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['name', 'plan', 'licensedSeats', 'owner.email', 'owner.givenName']),
    );
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(service.calls).toEqual([]);
  });

  it('rejects unknown fields (strict bodies catch misspelt options)', async () => {
    const response = await harness.call('PATCH', '/teams/t1', { body: { seats: 3 }, actor: ACTOR });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_request' } });
    expect(service.calls).toEqual([]);
  });

  it('rejects a missing body on a route that needs one', async () => {
    const response = await harness.call('POST', '/organisations');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('rejects a body that is not JSON with 400 invalid_json', async () => {
    const response = await harness.call('POST', '/organisations', { rawBody: '{"slug": ' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'invalid_json', message: 'request body is not valid JSON', details: {} },
    });
  });

  it('rejects a body over the size limit with 413 payload_too_large', async () => {
    const response = await harness.call('POST', '/organisations', {
      body: { slug: 'acme', name: 'x'.repeat(4096) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(service.calls).toEqual([]);
  });

  it('requires the email query on GET /accounts', async () => {
    const response = await harness.call('GET', '/accounts');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'invalid_request', details: { issues: [{ path: 'email' }] } },
    });
  });

  it('answers unknown control routes with 404 route_not_found', async () => {
    const response = await harness.call('GET', '/teams/t1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'route_not_found' } });
  });
});

describe('control API error mapping (server/control/errors.ts)', () => {
  /** Written out here on purpose (not imported), so a change to the table must change this test too. */
  const expectedStatus: Record<DomainErrorCode, number> = {
    not_found: 404,
    uniqueness: 409,
    version_mismatch: 412,
    invalid_value: 400,
    password_not_supported: 400,
    forbidden: 403,
    managed_by_scim: 403,
    no_seats_available: 409,
    plan_not_eligible: 409,
    sso_method_count: 409,
    scim_not_enabled: 409,
    invalid_api_key: 400,
    api_key_revoked: 409,
    unknown_members: 400,
    group_not_empty: 409,
    handover_required: 409,
    jit_disabled: 403,
    invite_invalid: 409,
    invalid_credentials: 403,
    not_a_member: 409,
    domain_not_verified: 409,
    identity_invalid: 400,
    foreign_domain: 403,
    account_not_claimable: 409,
    email_change_forbidden: 403,
    invalid_state: 409,
  };

  for (const [code, status] of Object.entries(expectedStatus)) {
    it(`DomainError ${code} → ${status} with the code, message and details`, async () => {
      service.failWith(new DomainError(code as DomainErrorCode, `refused: ${code}`, { teamId: 't1' }));
      const response = await harness.call('GET', '/teams/t1');
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        error: { code, message: `refused: ${code}`, details: { teamId: 't1' } },
      });
    });
  }

  it('turns an unexpected error into a generic 500 internal_error, logs it and never echoes it', async () => {
    service.failWith(new TypeError('secret database path /var/lib/x.sqlite'));
    const response = await harness.call('GET', '/teams/t1');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'internal_error', message: 'internal error', details: {} },
    });
    expect(response.text).not.toContain('secret');
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]?.level).toBe('error');
    expect(logger.entries[0]?.fields).toMatchObject({
      errorMessage: 'secret database path /var/lib/x.sqlite',
    });
  });

  it('renders a thrown non-Error value as 500 too', async () => {
    service.failWith('a string');
    const response = await harness.call('GET', '/teams/t1');
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ error: { code: 'internal_error' } });
  });
});
