// AuthnRequests over the HTTP-POST binding, sent by a node-saml 5 SP over loopback HTTP: unsigned and signed requests,
// the enveloped signature checked against the SP's metadata certificate, tampering refused. SAML bindings 3.5.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_HTTP_POST, NS_METADATA, parseSamlXml } from '../../../protocol/saml/index.ts';
import { CookieJar } from '../headless.ts';
import { readHtmlForms } from '../html-form.ts';
import { type Rig, startRig } from './harness.ts';
import { type SpSignInBody, spFixture } from './node-saml-sp.ts';

/** The auto-posting form the SP answers on /login, read like a browser would: action and fields. */
async function spPostForm(loginUrl: string): Promise<{ action: string; fields: Record<string, string> }> {
  const page = await fetch(loginUrl);
  expect(page.status).toBe(200);
  const form = readHtmlForms(await page.text())[0];
  if (form === undefined || form.fields.SAMLRequest === undefined) throw new Error('no SAMLRequest form');
  return { action: form.action, fields: form.fields };
}

function postToIdp(action: string, fields: Record<string, string>, accept = 'text/html'): Promise<Response> {
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

describe('bindings 3.5: IdP metadata offers the HTTP-POST SingleSignOnService', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('lists SSO with both the redirect and the POST binding at /saml/sso', async () => {
    const root = parseSamlXml(await (await fetch(`${rig.sim.baseUrl}/metadata`)).text()).documentElement;
    const services = Array.from(root?.getElementsByTagNameNS(NS_METADATA, 'SingleSignOnService') ?? []);
    const post = services.find((el) => el.getAttribute('Binding') === BINDING_HTTP_POST);
    expect(post?.getAttribute('Location')).toBe(`${rig.sim.baseUrl}/saml/sso`);
    expect(services).toHaveLength(2);
  });
});

describe('bindings 3.5: an unsigned POSTed AuthnRequest', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always', postBinding: true });
  });
  afterAll(() => rig.close());

  it('completes SP-initiated sign-in: POST /saml/sso, 303 to /saml/sso/continue, login, Response to the ACS', async () => {
    const result = await rig.signIn(`${rig.sp.loginUrl}?relay=${encodeURIComponent('/after/post')}`);
    expect(result.status).toBe(200);
    const body = result.json as SpSignInBody;
    expect(body.nameID).toBe(rig.person.login);
    expect(body.relayState).toBe('/after/post');
    expect(result.samlResponse).toContain('InResponseTo="');
    const post = result.steps.find((s) => s.method === 'POST' && s.url === `${rig.sim.baseUrl}/saml/sso`);
    expect(post?.status).toBe(303);
    expect(result.steps.some((s) => s.url.startsWith(`${rig.sim.baseUrl}/saml/sso/continue?ctx=`))).toBe(
      true,
    );
  });

  it('finds the IdP session on the GET after the POST: a second sign-in needs no login', async () => {
    const jar = new CookieJar();
    expect((await rig.signIn(rig.sp.loginUrl, jar)).loginPrompts).toBe(1);
    const again = await rig.signIn(rig.sp.loginUrl, jar);
    expect(again.status).toBe(200);
    expect(again.loginPrompts).toBe(0);
  });

  it('ForceAuthn over POST still shows the login page with a live session', async () => {
    const jar = new CookieJar();
    await rig.signIn(rig.sp.loginUrl, jar);
    const forced = await rig.signIn(`${rig.sp.loginUrl}?force=1`, jar);
    expect(forced.status).toBe(200);
    expect(forced.loginPrompts).toBe(1);
  });

  it('a received request cannot be resumed through /saml/resume (its checks run only on /continue)', async () => {
    const { action, fields } = await spPostForm(rig.sp.loginUrl);
    const posted = await postToIdp(action, fields);
    expect(posted.status).toBe(303);
    const ctx = new URL(posted.headers.get('location') ?? '').searchParams.get('ctx') ?? '';
    const skipped = await fetch(`${rig.sim.baseUrl}/saml/resume?ctx=${encodeURIComponent(ctx)}`, {
      headers: { accept: 'application/json' },
    });
    expect(skipped.status).toBe(400);
    expect(((await skipped.json()) as { code: string }).code).toBe('login_context_expired');
  });

  it('refuses a field that is not base64, and an unsigned request when the SP declares AuthnRequestsSigned', async () => {
    const { action, fields } = await spPostForm(rig.sp.loginUrl);
    const garbage = await postToIdp(action, { SAMLRequest: '<not base64>' }, 'application/json');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { code: string }).code).toBe('invalid_request');
    rig.sim.directory.updateApp(rig.app.id, { sp: { authnRequestsSigned: true } });
    try {
      const refused = await postToIdp(action, fields);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('data-error-code="request_signature_missing"');
    } finally {
      rig.sim.directory.updateApp(rig.app.id, { sp: { authnRequestsSigned: false } });
    }
  });
});

describe('bindings 3.5.5.2: a signed POSTed AuthnRequest (enveloped XML signature)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always', postBinding: true, signRequests: true });
  });
  afterAll(() => rig.close());

  it('verifies against the SP metadata certificate and completes sign-in', async () => {
    const { fields } = await spPostForm(rig.sp.loginUrl);
    expect(Buffer.from(fields.SAMLRequest ?? '', 'base64').toString('utf8')).toMatch(/<(ds:)?Signature /);
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.status).toBe(200);
    expect((result.json as SpSignInBody).nameID).toBe(rig.person.login);
  });

  it('refuses a request changed after signing with request_signature_invalid, on the error page and in JSON', async () => {
    const { action, fields } = await spPostForm(rig.sp.loginUrl);
    const xml = Buffer.from(fields.SAMLRequest ?? '', 'base64').toString('utf8');
    const tampered = xml.replace(/IssueInstant="([^"]+)"/, (_, instant: string) => {
      return `IssueInstant="${new Date(Date.parse(instant) + 1000).toISOString()}"`;
    });
    expect(tampered).not.toBe(xml);
    const changed = { ...fields, SAMLRequest: Buffer.from(tampered, 'utf8').toString('base64') };
    const page = await postToIdp(action, changed);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('data-error-code="request_signature_invalid"');
    expect(html).toContain('<code id="error-code">request_signature_invalid</code>');
    const json = await postToIdp(action, changed, 'application/json');
    expect(await json.json()).toEqual({
      code: 'request_signature_invalid',
      message: 'the request signature does not verify',
    });
  });

  it('refuses a request whose signature moved off the root (a wrapped copy) with request_signature_invalid', async () => {
    const { action, fields } = await spPostForm(rig.sp.loginUrl);
    const xml = Buffer.from(fields.SAMLRequest ?? '', 'base64').toString('utf8');
    const rootId = /ID="([^"]+)"/.exec(xml)?.[1] ?? '';
    const renamed = xml.replace(`ID="${rootId}"`, 'ID="_attacker"');
    const page = await postToIdp(action, { ...fields, SAMLRequest: Buffer.from(renamed).toString('base64') });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('data-error-code="request_signature_invalid"');
  });
});

describe('bindings 3.5.4: a DEFLATEd POST payload (node-saml 5 default) is tolerated', () => {
  it('is inflated, its signature checked, and the sign-in completes', async () => {
    const rig = await startRig({
      validateInResponseTo: 'always',
      postBinding: true,
      postDeflate: true,
      signRequests: true,
    });
    try {
      const { fields } = await spPostForm(rig.sp.loginUrl);
      expect(Buffer.from(fields.SAMLRequest ?? '', 'base64').toString('utf8')).not.toContain('<samlp:');
      const result = await rig.signIn(rig.sp.loginUrl);
      expect(result.status).toBe(200);
      expect((result.json as SpSignInBody).nameID).toBe(rig.person.login);
    } finally {
      await rig.close();
    }
  });
});

describe('bindings 3.5.5.2: a POSTed request signed with a key the SP metadata does not name', () => {
  it('is refused with request_signature_invalid before any login page', async () => {
    const rig = await startRig({
      validateInResponseTo: 'always',
      postBinding: true,
      signRequests: true,
      signingKeyOverride: spFixture('sp-encryption.key'),
    });
    try {
      const refused = await rig.signIn(rig.sp.loginUrl);
      expect(refused.status).toBe(400);
      expect(refused.errorCode).toBe('request_signature_invalid');
      expect(refused.loginPrompts).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
