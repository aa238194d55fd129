// The simulator's OIDC provider against openid-client 6: discovery, code + PKCE, Okta-shaped claims, userinfo,
// shared IdP sessions with SAML, prompt=login / max_age, JIT-08 refusal, key rotation, RP-initiated logout.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../directory/index.ts';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';
import { CookieJar, headlessSignIn } from '../../saml/headless.ts';
import { startTestRp, type TestRp } from './openid-client-rp.ts';

let sim: SimulatorHandle;
let rp: TestRp;
let person: Person;
let appId: string;
const clock = { offsetMs: 0 };

beforeAll(async () => {
  sim = createSimulator({
    seed: 3,
    people: 3,
    groups: ['Engineering'],
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  const { baseUrl } = await sim.listen();
  // the RP's port is known once it listens, so the app is created with a placeholder and updated
  rp = await startTestRp({
    issuer: `${baseUrl}/oauth2/default`,
    clientId: '0oaTestClient',
    clientSecret: 'test-secret-0123456789',
    scope: 'openid email profile groups',
  });
  const app = sim.directory.addApp({
    name: 'OIDC test app',
    oidc: {
      clientId: '0oaTestClient',
      clientSecret: 'test-secret-0123456789',
      redirectUris: [rp.redirectUri],
      postLogoutRedirectUris: [`${rp.baseUrl}/signed-out`],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  });
  appId = app.id;
  const first = sim.directory.listPeople()[0];
  if (first === undefined) throw new Error('no person');
  person = first;
  sim.directory.assign(app.id, { kind: 'person', id: person.id });
});

afterAll(async () => {
  await rp.close();
  await sim.close();
});

const credentials = () => ({ login: person.login, password: person.password });

describe('discovery and keys (OIDC discovery 3, RFC 7517)', () => {
  it('serves Okta-style paths under /oauth2/default', async () => {
    const doc = (await (
      await fetch(`${sim.baseUrl}/oauth2/default/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(`${sim.baseUrl}/oauth2/default`);
    expect(doc.authorization_endpoint).toBe(`${sim.baseUrl}/oauth2/default/v1/authorize`);
    expect(doc.token_endpoint).toBe(`${sim.baseUrl}/oauth2/default/v1/token`);
    expect(doc.jwks_uri).toBe(`${sim.baseUrl}/oauth2/default/v1/keys`);
    expect(doc.userinfo_endpoint).toBe(`${sim.baseUrl}/oauth2/default/v1/userinfo`);
    expect(doc.end_session_endpoint).toBe(`${sim.baseUrl}/oauth2/default/v1/logout`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('code flow with PKCE, accepted by openid-client', () => {
  it('signs in headlessly; the ID token has Okta-shaped claims and userinfo agrees', async () => {
    const result = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials() });
    expect(result.status, result.body).toBe(200);
    expect(result.loginPrompts).toBe(1);
    const body = result.json as { claims: Record<string, unknown>; userinfo: Record<string, unknown> };
    expect(body.claims.sub).toBe(person.id);
    expect(body.claims.email).toBe(person.email);
    expect(body.claims.email_verified).toBe(true);
    expect(body.claims.given_name).toBe(person.firstName);
    expect(body.claims.family_name).toBe(person.lastName);
    expect(body.claims.iss).toBe(`${sim.baseUrl}/oauth2/default`);
    expect(body.claims.aud).toBe('0oaTestClient');
    expect(Array.isArray(body.claims.groups)).toBe(true);
    expect(body.userinfo.sub).toBe(person.id);
    expect(body.userinfo.email).toBe(person.email);
    expect(sim.oidc.issuedTokens()[0]?.appId).toBe(appId);
  });

  it('a PKCE-less authorization request is refused (RFC 7636 4.4.1, required here)', async () => {
    const url = new URL(`${sim.baseUrl}/oauth2/default/v1/authorize`);
    url.search = new URLSearchParams({
      client_id: '0oaTestClient',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: rp.redirectUri,
      state: 's',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.headers.get('location')).toContain('error=invalid_request');
  });

  it('the IdP session is reused (no second login); prompt=login asks again (OIDC core 3.1.2.1)', async () => {
    const jar = new CookieJar();
    const first = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    expect(first.loginPrompts).toBe(1);
    const second = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    expect(second.status).toBe(200);
    expect(second.loginPrompts).toBe(0);
    const forced = await headlessSignIn({
      startUrl: `${rp.loginUrl}?prompt=login`,
      credentials: credentials(),
      jar,
    });
    expect(forced.status).toBe(200);
    expect(forced.loginPrompts).toBe(1);
  });

  it('one IdP session for both protocols: a login at the SAML IdP page serves the OIDC sign-in', async () => {
    const jar = new CookieJar();
    const login = await headlessSignIn({ startUrl: `${sim.baseUrl}/login`, credentials: credentials(), jar });
    expect(login.loginPrompts).toBe(1);
    const oidc = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    expect(oidc.status).toBe(200);
    expect(oidc.loginPrompts).toBe(0);
  });

  it('max_age older than the session asks for a login; auth_time is the new login', async () => {
    const jar = new CookieJar();
    await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    clock.offsetMs = 120_000;
    try {
      const stale = await headlessSignIn({
        startUrl: `${rp.loginUrl}?max_age=60`,
        credentials: credentials(),
        jar,
      });
      expect(stale.loginPrompts).toBe(1);
      const claims = (stale.json as { claims: { auth_time: number } }).claims;
      expect(Math.abs(claims.auth_time * 1000 - (Date.now() + clock.offsetMs))).toBeLessThan(5000);
      const recent = await headlessSignIn({
        startUrl: `${rp.loginUrl}?max_age=60`,
        credentials: credentials(),
        jar,
      });
      expect(recent.loginPrompts).toBe(0);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('prompt=none without an IdP session answers login_required to the RP, with no login page', async () => {
    const result = await headlessSignIn({
      startUrl: `${rp.loginUrl}?prompt=none`,
      credentials: credentials(),
    });
    expect(result.loginPrompts).toBe(0);
    expect(
      result.steps.some((s) => s.url.startsWith(rp.redirectUri) && s.url.includes('error=login_required')),
    ).toBe(true);
  });

  it('POST /api/signin runs the OIDC dance headlessly and returns the ID token the OP sent', async () => {
    const response = await fetch(`${sim.baseUrl}/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId, personId: person.id, mode: 'sp', spInitUrl: rp.loginUrl }),
    });
    const body = (await response.json()) as { status: number; idToken: string | null; samlResponse: null };
    expect(body.status).toBe(200);
    expect(body.samlResponse).toBeNull();
    expect(body.idToken?.split('.')).toHaveLength(3);
  });

  it('JIT-08: an unassigned person is refused at the IdP with not_assigned; nothing reaches the RP', async () => {
    const other = sim.directory.listPeople()[1] as Person;
    const result = await headlessSignIn({
      startUrl: rp.loginUrl,
      credentials: { login: other.login, password: other.password },
    });
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('not_assigned');
    expect(result.steps.some((s) => s.url.startsWith(rp.redirectUri))).toBe(false);
  });

  it('a key rotation keeping the old key: openid-client accepts tokens from the new key', async () => {
    const before = sim.oidc.keys.current.kid;
    const { kid } = sim.oidc.rotateKeys();
    const jwks = (await (await fetch(`${sim.baseUrl}/oauth2/default/v1/keys`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid, before]);
    const result = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials() });
    expect(result.status, result.body).toBe(200);
  });
});

describe('RP-initiated logout 1.0', () => {
  it('ends the IdP session (also for SAML): the next sign-in asks for the password again', async () => {
    const jar = new CookieJar();
    const signedIn = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    const idToken = (signedIn.json as { idToken: string }).idToken;
    const idpSession = jar.get(sim.baseUrl, 'idsim_idp_session');
    expect(sim.idp.sessions.get(idpSession)).toBeDefined();
    const logout = new URL(`${sim.baseUrl}/oauth2/default/v1/logout`);
    logout.search = new URLSearchParams({
      id_token_hint: idToken,
      post_logout_redirect_uri: `${rp.baseUrl}/signed-out`,
    }).toString();
    const out = await headlessSignIn({ startUrl: logout.href, jar });
    expect(out.landedAt.startsWith(`${rp.baseUrl}/signed-out`)).toBe(true);
    expect(sim.idp.sessions.get(idpSession)).toBeUndefined();
    const again = await headlessSignIn({ startUrl: rp.loginUrl, credentials: credentials(), jar });
    expect(again.loginPrompts).toBe(1);
  });
});
