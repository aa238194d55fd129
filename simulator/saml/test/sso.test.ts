// End-to-end SAML sign-in against a node-saml 5 SP over loopback HTTP: SP- and IdP-initiated, ForceAuthn, IsPassive,
// encryption, signed AuthnRequests, assignment refusals (JIT-08, ORG-06) and single logout.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS_METADATA, NS_XMLDSIG, parseSamlXml } from '../../../protocol/saml/index.ts';
import { parseSpMetadata } from '../../directory/index.ts';
import { createSimulator } from '../../http/simulator.ts';
import { CookieJar, headlessSignIn } from '../headless.ts';
import { type Rig, startRig } from './harness.ts';
import type { SpSignInBody } from './node-saml-sp.ts';
import { spFixture, startTestSp } from './node-saml-sp.ts';

describe('IdP metadata (SAML metadata 2.4.3)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('serves a well-formed EntityDescriptor with the signing certificate and the SSO/SLO endpoints', async () => {
    const res = await fetch(`${rig.sim.baseUrl}/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const root = parseSamlXml(await res.text()).documentElement;
    expect(root?.namespaceURI).toBe(NS_METADATA);
    expect(root?.getAttribute('entityID')).toBe(`${rig.sim.baseUrl}/metadata`);
    const cert = root?.getElementsByTagNameNS(NS_XMLDSIG, 'X509Certificate')[0]?.textContent;
    expect(cert).toBe(rig.sim.idp.credentials.certBase64);
    const sso = root?.getElementsByTagNameNS(NS_METADATA, 'SingleSignOnService')[0];
    expect(sso?.getAttribute('Location')).toBe(`${rig.sim.baseUrl}/saml/sso`);
  });
});

describe('SP-initiated sign-in (profiles 4.1, redirect binding in, POST binding out)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always' });
    const group = rig.sim.directory.addGroup({ name: 'Engineering', memberIds: [rig.person.id] });
    expect(group.memberIds).toContain(rig.person.id);
  });
  afterAll(() => rig.close());

  it('the node-saml SP accepts the response, with NameID, attributes and RelayState', async () => {
    const result = await rig.signIn(`${rig.sp.loginUrl}?relay=${encodeURIComponent('/after/login')}`);
    expect(result.status).toBe(200);
    expect(result.landedAt).toBe(rig.sp.acsUrl);
    expect(result.loginPrompts).toBe(1);
    const body = result.json as SpSignInBody;
    expect(body.ok).toBe(true);
    expect(body.nameID).toBe(rig.person.login);
    expect(body.email).toBe(rig.person.email);
    expect(body.firstName).toBe(rig.person.firstName);
    expect(body.lastName).toBe(rig.person.lastName);
    expect(body.groups).toEqual('Engineering');
    expect(body.relayState).toBe('/after/login');
    expect(result.samlResponse).toContain('InResponseTo="');
    expect(result.samlResponse).toContain('SessionNotOnOrAfter="');
  });

  it('reuses the IdP session: a second sign-in with the same cookies needs no login', async () => {
    const jar = new CookieJar();
    const first = await rig.signIn(rig.sp.loginUrl, jar);
    const second = await rig.signIn(rig.sp.loginUrl, jar);
    expect(first.loginPrompts).toBe(1);
    expect(second.status).toBe(200);
    expect(second.loginPrompts).toBe(0);
    expect((second.json as SpSignInBody).authnInstant).toBe((first.json as SpSignInBody).authnInstant);
  });

  it('ForceAuthn forces a fresh login with a new AuthnInstant (core 3.4.1)', async () => {
    const jar = new CookieJar();
    const first = await rig.signIn(rig.sp.loginUrl, jar);
    rig.clock.now += 60_000;
    const forced = await rig.signIn(`${rig.sp.loginUrl}?force=1`, jar);
    expect(forced.status).toBe(200);
    expect(forced.loginPrompts).toBe(1);
    const before = Date.parse((first.json as SpSignInBody).authnInstant);
    const after = Date.parse((forced.json as SpSignInBody).authnInstant);
    expect(after - before).toBe(60_000);
  });

  it('ForceAuthn cannot be skipped by going straight to /saml/resume with the old session', async () => {
    const jar = new CookieJar();
    await rig.signIn(rig.sp.loginUrl, jar);
    const toIdp = await fetch(`${rig.sp.loginUrl}?force=1`, { redirect: 'manual' });
    const ssoUrl = toIdp.headers.get('location') ?? '';
    const cookie = jar.headerFor(rig.sim.baseUrl) ?? '';
    const toLogin = await fetch(ssoUrl, { redirect: 'manual', headers: { cookie } });
    expect(toLogin.status).toBe(302);
    const loginUrl = new URL(toLogin.headers.get('location') ?? '');
    expect(loginUrl.pathname).toBe('/login');
    const ctx = loginUrl.searchParams.get('ctx') ?? '';
    const skipped = await fetch(`${rig.sim.baseUrl}/saml/resume?ctx=${encodeURIComponent(ctx)}`, {
      redirect: 'manual',
      headers: { cookie },
    });
    expect(skipped.status).toBe(302);
    expect(new URL(skipped.headers.get('location') ?? '').pathname).toBe('/login');
  });

  it('IsPassive without a session answers NoPassive instead of a login page', async () => {
    const result = await rig.signIn(`${rig.sp.loginUrl}?passive=1`);
    expect(result.loginPrompts).toBe(0);
    expect(result.samlResponse).toContain('urn:oasis:names:tc:SAML:2.0:status:NoPassive');
    expect(result.status).toBe(401);
  });

  it('a wrong password keeps the person on the login page with invalid_credentials', async () => {
    const failed = await headlessSignIn({
      startUrl: rig.sp.loginUrl,
      credentials: { login: rig.person.login, password: 'wrong' },
    });
    expect(failed.status).toBe(401);
    expect(failed.errorCode).toBe('invalid_credentials');
    expect(failed.samlResponse).toBeUndefined();
  });
});

describe('IdP-initiated sign-in (profiles 4.1.5, unsolicited response)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'ifPresent' });
  });
  afterAll(() => rig.close());

  it('posts an unsolicited response with the RelayState, which the SP accepts', async () => {
    const result = await rig.signIn(`${rig.sim.baseUrl}/apps/${rig.app.id}/sso?RelayState=home`);
    expect(result.status).toBe(200);
    const body = result.json as SpSignInBody;
    expect(body.nameID).toBe(rig.person.login);
    expect(body.relayState).toBe('home');
    expect(result.samlResponse).not.toContain('InResponseTo=');
  });

  it('the /api/signin route runs the whole dance server-side (idp and sp modes)', async () => {
    const idpMode = await fetch(`${rig.sim.baseUrl}/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: rig.app.id, login: rig.person.login, mode: 'idp', relayState: 'r1' }),
    });
    expect(idpMode.status).toBe(200);
    const idpBody = (await idpMode.json()) as {
      status: number;
      landedAt: string;
      spBody: SpSignInBody;
      samlResponse: string;
    };
    expect(idpBody.status).toBe(200);
    expect(idpBody.landedAt).toBe(rig.sp.acsUrl);
    expect(idpBody.spBody.nameID).toBe(rig.person.login);
    expect(idpBody.spBody.relayState).toBe('r1');
    expect(idpBody.samlResponse).toContain('<samlp:Response');

    const spMode = await fetch(`${rig.sim.baseUrl}/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        appId: rig.app.id,
        personId: rig.person.id,
        mode: 'sp',
        spInitUrl: rig.sp.loginUrl,
      }),
    });
    const spBody = (await spMode.json()) as { status: number; spBody: SpSignInBody };
    expect(spBody.status).toBe(200);
    expect(spBody.spBody.nameID).toBe(rig.person.login);
  });

  it('/api/signin answers 502 headless_fetch_failed when the SP cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const res = await fetch(`${rig.sim.baseUrl}/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        appId: rig.app.id,
        login: rig.person.login,
        mode: 'sp',
        spInitUrl: `http://127.0.0.1:${port}/login`,
      }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { code: string }).code).toBe('headless_fetch_failed');
  });

  it('/api/signin refuses a body without spInitUrl in sp mode with invalid_input', async () => {
    const res = await fetch(`${rig.sim.baseUrl}/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: rig.app.id, login: rig.person.login, mode: 'sp' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_input');
  });
});

describe('JIT-08 / ORG-06: only assigned people get an assertion', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always' }, { assign: false });
  });
  afterAll(() => rig.close());

  it('refuses an unassigned person with a page carrying not_assigned, and posts nothing to the SP', async () => {
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.status).toBe(403);
    expect(result.errorCode).toBe('not_assigned');
    expect(result.body).toContain('not assigned');
    expect(result.samlResponse).toBeUndefined();
    expect(result.steps.some((s) => s.url.startsWith(rig.sp.acsUrl))).toBe(false);
  });

  it('answers JSON with the same code when asked for application/json', async () => {
    const jar = new CookieJar();
    await rig.signIn(rig.sp.loginUrl, jar);
    const cookie = jar.headerFor(rig.sim.baseUrl);
    expect(cookie).toContain('idsim_idp_session=');
    const res = await fetch(`${rig.sim.baseUrl}/apps/${rig.app.id}/sso`, {
      headers: { accept: 'application/json', cookie: cookie ?? '' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('not_assigned');
  });

  it('an assignment through a group lets the person in; leaving the group refuses again', async () => {
    const group = rig.sim.directory.addGroup({ name: 'SP users', memberIds: [rig.person.id] });
    rig.sim.directory.assign(rig.app.id, { kind: 'group', id: group.id });
    const allowed = await rig.signIn(rig.sp.loginUrl);
    expect(allowed.status).toBe(200);
    expect((allowed.json as SpSignInBody).nameID).toBe(rig.person.login);
    rig.sim.directory.removeGroupMembers(group.id, [rig.person.id]);
    const refused = await rig.signIn(rig.sp.loginUrl);
    expect(refused.errorCode).toBe('not_assigned');
  });
});

describe('signed AuthnRequests (bindings 3.4.4.1)', () => {
  it('accepts a correctly signed request and refuses one signed with another key', async () => {
    const good = await startRig({ validateInResponseTo: 'always', signRequests: true });
    try {
      expect(good.app.sp?.signingCerts.length).toBe(1);
      const ok = await good.signIn(good.sp.loginUrl);
      expect(ok.status).toBe(200);
    } finally {
      await good.close();
    }
    const bad = await startRig({
      validateInResponseTo: 'always',
      signRequests: true,
      signingKeyOverride: spFixture('sp-encryption.key'),
    });
    try {
      const refused = await bad.signIn(bad.sp.loginUrl);
      expect(refused.status).toBe(400);
      expect(refused.errorCode).toBe('request_signature_invalid');
      expect(refused.loginPrompts).toBe(0);
    } finally {
      await bad.close();
    }
  });

  it('refuses an unsigned request when the SP declares AuthnRequestsSigned', async () => {
    const rig = await startRig({ validateInResponseTo: 'always' });
    try {
      rig.sim.directory.updateApp(rig.app.id, { sp: { authnRequestsSigned: true } });
      const refused = await rig.signIn(rig.sp.loginUrl);
      expect(refused.status).toBe(400);
      expect(refused.errorCode).toBe('request_signature_missing');
    } finally {
      await rig.close();
    }
  });

  it('refuses a request from an unknown SP with unknown_sp', async () => {
    const rig = await startRig({ validateInResponseTo: 'always' });
    try {
      rig.sim.directory.deleteApp(rig.app.id);
      const refused = await rig.signIn(rig.sp.loginUrl);
      expect(refused.status).toBe(400);
      expect(refused.errorCode).toBe('unknown_sp');
    } finally {
      await rig.close();
    }
  });
});

describe('encrypted assertion (core 2.3.4)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always', encryption: true });
  });
  afterAll(() => rig.close());

  it('encrypts to the SP key from its metadata; node-saml decrypts and accepts', async () => {
    expect(rig.app.sp?.encryptionCert).toBeDefined();
    expect(rig.app.assertionEncryption).toBe(true);
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.status).toBe(200);
    expect((result.json as SpSignInBody).nameID).toBe(rig.person.login);
    expect(result.samlResponse).toContain('EncryptedAssertion');
    expect(result.samlResponse).not.toContain(rig.person.login);
  });
});

describe('single logout (profiles 4.4)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always', signRequests: true });
  });
  afterAll(() => rig.close());

  it('an SP LogoutRequest ends the IdP session and gets a signed LogoutResponse the SP accepts', async () => {
    const jar = new CookieJar();
    const signedIn = await rig.signIn(rig.sp.loginUrl, jar);
    expect(signedIn.status).toBe(200);
    expect(rig.sim.idp.sessions.list()).toHaveLength(1);

    const out = await rig.signIn(rig.sp.logoutUrl, jar);
    expect(out.landedAt.startsWith(rig.sp.sloUrl)).toBe(true);
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true, loggedOut: true });
    expect(rig.sim.idp.sessions.list()).toHaveLength(0);
    expect(jar.get(rig.sim.baseUrl, 'idsim_idp_session')).toBeUndefined();

    const again = await rig.signIn(rig.sp.loginUrl, jar);
    expect(again.status).toBe(200);
    expect(again.loginPrompts).toBe(1);
  });

  it('GET /saml/slo without a request ends the session (IdP-initiated logout)', async () => {
    const jar = new CookieJar();
    await rig.signIn(rig.sp.loginUrl, jar);
    const before = rig.sim.idp.sessions.list().length;
    const res = await fetch(`${rig.sim.baseUrl}/saml/slo`, {
      headers: { cookie: jar.headerFor(rig.sim.baseUrl) ?? '' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join()).toContain('Max-Age=0');
    expect(rig.sim.idp.sessions.list().length).toBe(before - 1);
  });
});

describe('single logout propagates to the other session participants (profiles 4.4.4)', () => {
  it('logging out at SP A sends a LogoutRequest to SP B through the browser, then answers A', async () => {
    const sim = createSimulator({ seed: 11, people: 2 });
    const { baseUrl } = await sim.listen();
    const spOptions = { idpBaseUrl: baseUrl, idpCertPem: sim.idp.credentials.certPem, signRequests: true };
    const spA = await startTestSp({ ...spOptions, validateInResponseTo: 'always' });
    const spB = await startTestSp({ ...spOptions, validateInResponseTo: 'always' });
    try {
      const person = sim.directory.listPeople()[0];
      if (person === undefined) throw new Error('no person');
      for (const sp of [spA, spB]) {
        const app = sim.directory.addApp({ name: sp.entityId, sp: parseSpMetadata(sp.metadataXml()) });
        sim.directory.assign(app.id, { kind: 'person', id: person.id });
      }
      const jar = new CookieJar();
      const credentials = { login: person.login, password: person.password };
      expect((await headlessSignIn({ startUrl: spA.loginUrl, jar, credentials })).status).toBe(200);
      const intoB = await headlessSignIn({ startUrl: spB.loginUrl, jar, credentials });
      expect(intoB.status).toBe(200);
      expect(intoB.loginPrompts).toBe(0);
      expect((await headlessSignIn({ startUrl: `${spB.baseUrl}/me`, jar })).status).toBe(200);

      const out = await headlessSignIn({ startUrl: spA.logoutUrl, jar });
      expect(out.json).toEqual({ ok: true, loggedOut: true });
      expect(out.landedAt.startsWith(spA.sloUrl)).toBe(true);
      expect(out.steps.some((s) => s.url.startsWith(`${spB.sloUrl}?SAMLRequest=`))).toBe(true);
      expect((await headlessSignIn({ startUrl: `${spB.baseUrl}/me`, jar })).status).toBe(401);
      expect(sim.idp.sessions.list()).toHaveLength(0);
    } finally {
      await spA.close();
      await spB.close();
      await sim.close();
    }
  });
});
