// The reference SP's single logout over loopback HTTP with the simulator: IdP-initiated, SP-initiated (POST /logout),
// refused messages ending nothing. SAML profiles 4.4.3-4.4.4, core 3.7, bindings 3.4.4.1 (query-string signature).
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLogoutRequestXml,
  buildLogoutResponseXml,
  buildRedirectQuery,
  decodeAndInflate,
  NAMEID_EMAIL,
  parseLogoutRequestXml,
  parseLogoutResponseXml,
  readRedirectQuery,
  SIG_RSA_SHA1,
  STATUS_REQUESTER,
  STATUS_SUCCESS,
  verifyRedirectSignature,
} from '../../../protocol/saml/index.ts';
import { SESSION_COOKIE } from '../../signin/session.ts';
import { SessionRevocations } from '../../signin/session-revocations.ts';
import {
  addIdpPerson,
  browserSignIn,
  CookieJar,
  type Harness,
  postForm,
  setUpSamlTeam,
  startHarness,
  type TeamSetup,
} from '../../signin/test/harness.ts';
import { defaultSpCredentials } from '../sp-credentials.ts';

const ROGUE_KEY = createPrivateKey(readFileSync(new URL('./fixtures/rogue.key', import.meta.url), 'utf8'));
const SP_CERT = defaultSpCredentials().certPem;

let h: Harness;
let t: TeamSetup;
beforeAll(async () => {
  h = await startHarness();
  t = await setUpSamlTeam(h, { autoAddUsers: true, seats: 50 });
});
afterAll(async () => {
  await h.close();
});

const spSlo = (): string => `${h.serverUrl}/saml/${t.methodId}/slo`;
const teamHome = (): string => `${h.serverUrl}/teams/${t.team.id}/home`;

/** A signed-in person: the browser jar (IdP and SP cookies), their SP cookie and their IdP session's index. */
async function signedIn(email: string) {
  const person = addIdpPerson(h, { email, assignTo: t.appId });
  const jar = new CookieJar();
  const result = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person, jar);
  expect(result.landedAt).toBe(teamHome());
  const cookie = jar.get(h.serverUrl, SESSION_COOKIE);
  if (cookie === undefined) throw new Error('no SP session cookie');
  const idpSession = h.simulator.idp.sessions.list().find((s) => s.personId === person.id);
  if (idpSession === undefined) throw new Error('no IdP session');
  return { person, jar, cookie, sessionIndex: idpSession.sessionIndex };
}

/** GET the team home with this SP cookie: 200 while the session lives, 401 not_signed_in after. */
async function homeWith(cookie: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(teamHome(), {
    headers: { cookie: `${SESSION_COOKIE}=${cookie}`, accept: 'application/json' },
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code };
}

function idpLogoutRequest(input: {
  nameId: string;
  sessionIndex?: string;
  destination?: string;
  key?: KeyObject;
  relayState?: string;
  sigAlg?: string;
}): string {
  const xml = buildLogoutRequestXml({
    id: `_test${Math.random().toString(16).slice(2)}`,
    issuer: `${h.idpUrl}/metadata`,
    destination: input.destination ?? spSlo(),
    nameId: input.nameId,
    nameIdFormat: NAMEID_EMAIL,
    sessionIndex: input.sessionIndex,
    now: new Date(),
  });
  const query = buildRedirectQuery('SAMLRequest', xml, {
    relayState: input.relayState,
    signingKey: input.key ?? h.simulator.idp.credentials.privateKey,
    ...(input.sigAlg === undefined ? {} : { sigAlg: input.sigAlg }),
  });
  return `${spSlo()}?${query}`;
}

function queryOf(url: string): string {
  return url.slice(url.indexOf('?') + 1);
}

describe('profiles 4.4.3: IdP-initiated single logout through the simulator', () => {
  it('ends the SP session (cookie cleared, not replayable) and the IdP receives a signed Success', async () => {
    const { jar, cookie, person, sessionIndex } = await signedIn('slo-idp@corp.example');
    expect((await homeWith(cookie)).status).toBe(200);

    const out = await browserSignIn(`${h.idpUrl}/saml/slo`, { login: '', password: '' }, jar);
    expect(out.landedAt.startsWith(`${h.idpUrl}/saml/slo?SAMLResponse=`)).toBe(true);
    expect(out.body).toContain('Signed out');

    // the LogoutRequest the IdP sent through the browser, and what the SP answered
    const toSp = out.steps.find((s) => s.url.startsWith(`${spSlo()}?SAMLRequest=`));
    expect(toSp?.status).toBe(303);
    const request = parseLogoutRequestXml(
      decodeAndInflate(readRedirectQuery(queryOf(toSp?.url ?? ''))?.encoded ?? ''),
    );
    expect(request?.nameId).toBe(person.login);
    expect(request?.sessionIndexes).toEqual([sessionIndex]);
    const answer = readRedirectQuery(queryOf(out.landedAt));
    if (answer === undefined) throw new Error('no LogoutResponse');
    expect(verifyRedirectSignature(answer, [SP_CERT])).toBe(true);
    const response = parseLogoutResponseXml(decodeAndInflate(answer.encoded));
    expect(response?.statusCode).toBe(STATUS_SUCCESS);
    expect(response?.inResponseTo).toBe(request?.id);
    expect(response?.issuer).toBe(`${h.serverUrl}/saml/${t.methodId}/metadata`);
    expect(response?.destination).toBe(`${h.idpUrl}/saml/slo`);

    expect(jar.get(h.serverUrl, SESSION_COOKIE)).toBeUndefined();
    expect(await homeWith(cookie)).toEqual({ status: 401, code: 'not_signed_in' });
    expect(h.simulator.idp.sessions.list().filter((s) => s.personId === person.id)).toEqual([]);
  });

  it('a LogoutRequest naming another SessionIndex leaves this session alone (core 3.7.3.2)', async () => {
    const { cookie, person } = await signedIn('slo-other-index@corp.example');
    const response = await fetch(
      idpLogoutRequest({ nameId: person.login, sessionIndex: '_someOtherSession' }),
      {
        headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
        redirect: 'manual',
      },
    );
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await homeWith(cookie)).status).toBe(200);
  });
});

describe('profiles 4.4.4.1: SP-initiated single logout (POST /logout)', () => {
  it('sends a signed LogoutRequest, ends both sessions, and lands on the signed-out page', async () => {
    const { jar, cookie, person, sessionIndex } = await signedIn('slo-sp@corp.example');
    const logout = await postForm(`${h.serverUrl}/logout`, {}, { cookie: `${SESSION_COOKIE}=${cookie}` });
    expect(logout.status).toBe(303);
    expect(logout.headers.getSetCookie().join()).toContain(
      `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    );
    const location = logout.headers.get('location') ?? '';
    expect(location.startsWith(`${h.idpUrl}/saml/slo?SAMLRequest=`)).toBe(true);
    const sent = readRedirectQuery(queryOf(location));
    if (sent === undefined) throw new Error('no LogoutRequest');
    expect(verifyRedirectSignature(sent, [SP_CERT])).toBe(true);
    const request = parseLogoutRequestXml(decodeAndInflate(sent.encoded));
    expect(request).toMatchObject({
      issuer: `${h.serverUrl}/saml/${t.methodId}/metadata`,
      destination: `${h.idpUrl}/saml/slo`,
      nameId: person.login,
      nameIdFormat: NAMEID_EMAIL,
      sessionIndexes: [sessionIndex],
    });
    // the local session ended at once, whatever the IdP answers
    expect(await homeWith(cookie)).toEqual({ status: 401, code: 'not_signed_in' });

    const back = await browserSignIn(location, { login: '', password: '' }, jar);
    expect(back.landedAt.startsWith(`${spSlo()}?SAMLResponse=`)).toBe(true);
    expect(back.status).toBe(200);
    expect(back.body).toContain('data-signed-out="complete"');
    expect(h.simulator.idp.sessions.list().filter((s) => s.personId === person.id)).toEqual([]);

    // the IdP's LogoutResponse answers a pending request once only
    const again = await fetch(back.landedAt, { headers: { accept: 'application/json' } });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toBe('logout_response_invalid');

    // both sessions are gone: signing in again asks for the password at the IdP
    const relogin = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person, jar);
    expect(relogin.loginPrompts).toBe(1);
    expect(relogin.landedAt).toBe(teamHome());
  });

  it('a password session signs out locally only', async () => {
    const login = await postForm(`${h.serverUrl}/login`, { email: t.ownerEmail, password: 'owner-pass-1' });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const logout = await postForm(`${h.serverUrl}/logout`, {}, { cookie, json: true });
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ signedIn: false, logout: 'complete' });
  });
});

describe('refused logout messages end nothing (stable codes)', () => {
  it("a LogoutRequest signed by the pinned IdP key with RSA-SHA1 → algorithm_forbidden unless the method's allowSha1", async () => {
    const { cookie, person, sessionIndex } = await signedIn('slo-sha1@corp.example');
    const sha1 = () => idpLogoutRequest({ nameId: person.login, sessionIndex, sigAlg: SIG_RSA_SHA1 });
    const response = await fetch(sha1(), {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}`, accept: 'application/json' },
      redirect: 'manual',
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(((await response.json()) as { code: string }).code).toBe('algorithm_forbidden');
    expect((await homeWith(cookie)).status).toBe(200);
    // the legacy opt-in lets the same IdP end the session
    const method = h.service.getAuthMethod(t.team.id, t.methodId);
    if (method.saml === null) throw new Error('no SAML settings');
    h.service.updateAuthMethod(t.team.id, t.ownerId, t.methodId, {
      saml: { ...method.saml, allowSha1: true },
    });
    try {
      const honoured = await fetch(sha1(), {
        headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
        redirect: 'manual',
      });
      expect(honoured.status).toBe(303);
      expect(await homeWith(cookie)).toEqual({ status: 401, code: 'not_signed_in' });
    } finally {
      h.service.updateAuthMethod(t.team.id, t.ownerId, t.methodId, { saml: method.saml });
    }
  });

  it('a LogoutRequest signed with another key → logout_signature_invalid, the session lives on', async () => {
    const { cookie, person, sessionIndex } = await signedIn('slo-bad-sig@corp.example');
    const forged = idpLogoutRequest({ nameId: person.login, sessionIndex, key: ROGUE_KEY });
    const response = await fetch(forged, {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}`, accept: 'application/json' },
      redirect: 'manual',
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(((await response.json()) as { code: string }).code).toBe('logout_signature_invalid');
    const page = await fetch(forged, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    const html = await page.text();
    expect(html).toContain('data-error-code="logout_signature_invalid"');
    expect(html).toContain('Sign-out refused');
    expect((await homeWith(cookie)).status).toBe(200);
    expect(h.simulator.idp.sessions.list().some((s) => s.personId === person.id)).toBe(true);
  });

  it('unsigned, or a signed query changed afterwards → logout_signature_invalid', async () => {
    const { cookie, person, sessionIndex } = await signedIn('slo-unsigned@corp.example');
    const xml = buildLogoutRequestXml({
      id: '_unsigned',
      issuer: `${h.idpUrl}/metadata`,
      destination: spSlo(),
      nameId: person.login,
      sessionIndex,
      now: new Date(),
    });
    const unsigned = `${spSlo()}?${buildRedirectQuery('SAMLRequest', xml)}`;
    const changed = idpLogoutRequest({ nameId: person.login, sessionIndex, relayState: 'a' }).replace(
      'RelayState=a',
      'RelayState=b',
    );
    for (const url of [unsigned, changed]) {
      const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual' });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('logout_signature_invalid');
    }
    expect((await homeWith(cookie)).status).toBe(200);
  });

  it('an authentic request with the wrong Destination gets a signed Requester answer and ends nothing', async () => {
    const { cookie, person, sessionIndex } = await signedIn('slo-wrong-dest@corp.example');
    const response = await fetch(
      idpLogoutRequest({ nameId: person.login, sessionIndex, destination: 'https://other.example/slo' }),
      { headers: { cookie: `${SESSION_COOKIE}=${cookie}` }, redirect: 'manual' },
    );
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie()).toEqual([]);
    const answer = readRedirectQuery(queryOf(response.headers.get('location') ?? ''));
    if (answer === undefined) throw new Error('no LogoutResponse');
    expect(verifyRedirectSignature(answer, [SP_CERT])).toBe(true);
    expect(parseLogoutResponseXml(decodeAndInflate(answer.encoded))?.statusCode).toBe(STATUS_REQUESTER);
    expect((await homeWith(cookie)).status).toBe(200);
  });

  it('a LogoutResponse answering nothing sent → logout_response_invalid; garbage → logout_message_invalid', async () => {
    const xml = buildLogoutResponseXml({
      id: '_r',
      issuer: `${h.idpUrl}/metadata`,
      destination: spSlo(),
      inResponseTo: '_never-sent',
      now: new Date(),
    });
    const query = buildRedirectQuery('SAMLResponse', xml, {
      signingKey: h.simulator.idp.credentials.privateKey,
    });
    const response = await fetch(`${spSlo()}?${query}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('logout_response_invalid');
    const garbage = await fetch(`${spSlo()}?foo=bar`, { headers: { accept: 'application/json' } });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { code: string }).code).toBe('logout_message_invalid');
  });
});

describe('core 3.7.3.2: SessionRevocations', () => {
  const base = {
    accountId: 'a',
    context: { kind: 'personal' as const },
    via: 'saml' as const,
    expiresAtMs: 10_000,
  };
  const saml = { methodId: 'm', nameId: 'n@x', nameIdFormat: null };

  it('by SessionIndex ends only that session; without one, every session of the NameID issued so far', () => {
    const revocations = new SessionRevocations();
    const one = { ...base, issuedAtMs: 100, saml: { ...saml, sessionIndex: '_1' } };
    const two = { ...base, issuedAtMs: 100, saml: { ...saml, sessionIndex: '_2' } };
    revocations.revoke({
      methodId: 'm',
      nameId: 'n@x',
      sessionIndex: '_1',
      revokedAtMs: 200,
      keepUntilMs: 9_000,
    });
    expect(revocations.isRevoked(one, 300)).toBe(true);
    expect(revocations.isRevoked(two, 300)).toBe(false);
    revocations.revoke({
      methodId: 'm',
      nameId: 'n@x',
      sessionIndex: null,
      revokedAtMs: 400,
      keepUntilMs: 9_000,
    });
    expect(revocations.isRevoked(two, 500)).toBe(true);
    expect(revocations.isRevoked({ ...two, issuedAtMs: 401 }, 500)).toBe(false);
    expect(revocations.isRevoked({ ...one, saml: { ...one.saml, methodId: 'other' } }, 500)).toBe(false);
    expect(revocations.isRevoked({ ...base, issuedAtMs: 100 }, 500)).toBe(false);
    expect(revocations.isRevoked(one, 9_000)).toBe(false);
  });
});
