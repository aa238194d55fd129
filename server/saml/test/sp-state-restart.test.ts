// A file-backed reference server restarted between two posts forgets nothing that protects a sign-in (idsim issue
// #10): used assertions stay used, logged-out sessions stay ended, pending AuthnRequests stay answerable once.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLogoutResponseXml,
  buildRedirectQuery,
  decodeAndInflate,
  STATUS_SUCCESS,
} from '../../../protocol/saml/index.ts';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';
import { cookieOf, postForm } from '../../signin/test/harness.ts';
import { spEndpoints } from '../sp-endpoints.ts';
import { addTestIdpTeam, buildTestResponse, TEST_IDP_ENTITY_ID, TEST_IDP_KEY } from './test-idp.ts';

let dir: string;
let dbPath: string;
let server: ServerHandle;
/** where the server is reached: a new port per start (no pooled connection to a closed server is reused) */
let reachAt: string;
let teamId: string;
let methodId: string;
/** the SP's external URL, the same across restarts (its ACS URL and entity ID are in the signed Responses) */
const PUBLIC_BASE = 'http://sp.restart.test';

async function start(): Promise<void> {
  server = createServer({ dbPath, publicBaseUrl: PUBLIC_BASE, logger: silentLogger });
  reachAt = `http://127.0.0.1:${(await server.listen()).port}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idsim-sp-restart-'));
  dbPath = join(dir, 'sp.sqlite');
  await start();
  ({ teamId, methodId } = addTestIdpTeam(server.service, {
    name: 'Restart',
    idpSloUrl: 'https://idp.test.invalid/slo',
  }));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function samlResponse(email: string, inResponseTo?: string): string {
  const endpoints = spEndpoints(PUBLIC_BASE, methodId);
  return buildTestResponse({
    acsUrl: endpoints.acsUrl,
    audience: endpoints.entityId,
    email,
    sign: 'both',
    ...(inResponseTo === undefined ? {} : { inResponseTo }),
  });
}

const acs = (): string => `${reachAt}/saml/${methodId}/acs`;
const home = (cookie: string | undefined) =>
  fetch(`${reachAt}/teams/${teamId}/home`, {
    headers: { cookie: cookie ?? '', accept: 'application/json' },
    redirect: 'manual',
  });

/** The ID of the request in the SP's redirect to the IdP (bindings 3.4.4.1). */
function requestIdOf(response: Response): string {
  const location = new URL(response.headers.get('location') ?? '');
  const xml = decodeAndInflate(location.searchParams.get('SAMLRequest') ?? '');
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (id === undefined) throw new Error('no request ID in the redirect');
  return id;
}

async function startSpInitiated(): Promise<string> {
  return requestIdOf(await fetch(`${reachAt}/saml/${methodId}/login`, { redirect: 'manual' }));
}

/** The IdP's signed LogoutResponse to the SP's LogoutRequest `inResponseTo` (profiles 4.4.4.2), as the SLO URL. */
function idpLogoutResponse(inResponseTo: string): string {
  const endpoints = spEndpoints(PUBLIC_BASE, methodId);
  const xml = buildLogoutResponseXml({
    id: `_lr${Math.random().toString(16).slice(2)}`,
    issuer: TEST_IDP_ENTITY_ID,
    destination: endpoints.sloUrl,
    inResponseTo,
    statusCode: STATUS_SUCCESS,
    now: new Date(),
  });
  const query = buildRedirectQuery('SAMLResponse', xml, { signingKey: createPrivateKey(TEST_IDP_KEY) });
  return `${reachAt}/saml/${methodId}/slo?${query}`;
}

describe('a restart of a file-backed server between two posts', () => {
  it('keeps used assertions, ended sessions, live sessions and pending AuthnRequests', async () => {
    // before: a genuine Response is accepted; two people are signed in; one signs out; one request is pending
    const captured = samlResponse('replayed@restart.example');
    const first = await postForm(acs(), { SAMLResponse: captured });
    expect(first.status).toBe(303);
    const loggedOut = cookieOf(first);
    const other = cookieOf(await postForm(acs(), { SAMLResponse: samlResponse('stays@restart.example') }));
    expect((await home(loggedOut)).status).toBe(200);
    expect((await home(other)).status).toBe(200);
    // SP-initiated single logout: the session ends here, and a LogoutRequest goes to the IdP (answered after restart)
    const signOut = await postForm(`${reachAt}/logout`, {}, { ...(loggedOut ? { cookie: loggedOut } : {}) });
    expect(signOut.status).toBe(303);
    const logoutRequestId = requestIdOf(signOut);
    expect((await home(loggedOut)).status).not.toBe(200);
    const pendingId = await startSpInitiated();

    await server.close();
    await start();

    // after: the same Response is a replay, and nothing was written for it
    const accountsBefore = server.service.listMembers(teamId).length;
    const replay = await postForm(acs(), { SAMLResponse: captured }, { json: true });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect(((await replay.json()) as { code: string }).code).toBe('assertion_replayed');
    expect(server.service.listMembers(teamId).length).toBe(accountsBefore);
    // the logged-out cookie stays ended, while the other session (same persisted secret) still works
    expect((await home(loggedOut)).status).not.toBe(200);
    expect((await home(other)).status).toBe(200);
    // the AuthnRequest sent before the restart is answered after it, once
    const answer = await postForm(acs(), { SAMLResponse: samlResponse('answer@restart.example', pendingId) });
    expect(answer.status).toBe(303);
    const second = await postForm(
      acs(),
      { SAMLResponse: samlResponse('answer2@restart.example', pendingId) },
      { json: true },
    );
    expect(((await second.json()) as { code: string }).code).toBe('in_response_to_mismatch');
    expect(server.service.findAccountByEmail('answer2@restart.example')).toBeNull();
    // the IdP's LogoutResponse to the LogoutRequest sent before the restart is taken after it, once
    const loggedOutPage = await fetch(idpLogoutResponse(logoutRequestId), {
      headers: { accept: 'application/json' },
    });
    expect(loggedOutPage.status).toBe(200);
    const again = await fetch(idpLogoutResponse(logoutRequestId), {
      headers: { accept: 'application/json' },
    });
    expect(((await again.json()) as { code: string }).code).toBe('logout_response_invalid');
  });
});
