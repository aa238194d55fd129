// An SP session never outlives the IdP session it came from: AuthnStatement/@SessionNotOnOrAfter (SAML core 2.7.2)
// caps the cookie's expiry and Max-Age; an assertion whose IdP session has already ended signs no one in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../http/logger.ts';
import { outcomeResult } from '../handlers.ts';
import { SESSION_COOKIE } from '../session.ts';
import { addIdpPerson, browserSignIn, type Harness, setUpSamlTeam, startHarness } from './harness.ts';

const IDP_SESSION_MS = 120_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ idpSessionTtlMs: IDP_SESSION_MS });
});

afterAll(async () => {
  await h.close();
});

describe('core 2.7.2 SessionNotOnOrAfter bounds the SP session', () => {
  it('the session ends when the IdP said, not after the SP’s own 8 hours', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const person = addIdpPerson(h, { email: 'bounded@corp.example', assignTo: t.appId });
    const before = Date.now();
    const result = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(result.errorCode).toBeUndefined();
    const bound = /SessionNotOnOrAfter="([^"]+)"/.exec(result.samlResponse ?? '')?.[1];
    expect(bound).toBeDefined();
    const boundMs = Date.parse(bound ?? '');
    expect(boundMs).toBeLessThanOrEqual(Date.now() + IDP_SESSION_MS);

    const cookie = result.jar.get(h.serverUrl, SESSION_COOKIE);
    const session = h.signIn.sessions.decode(cookie, Date.now());
    expect(session?.expiresAtMs).toBe(boundMs);
    expect(h.signIn.sessions.decode(cookie, boundMs + 1)).toBeNull();
    expect(session?.issuedAtMs).toBeGreaterThanOrEqual(before);
  });

  it('the cookie’s Max-Age says the same to the browser', () => {
    const now = Date.now();
    const facts = { methodId: 'm', nameId: 'n@corp.example', nameIdFormat: null, sessionIndex: '_s' };
    const session = h.signIn.sessions.issue('a', { kind: 'personal' }, 'saml', now, {
      ...facts,
      notOnOrAfterMs: now + 90_000,
    });
    const result = outcomeResult(
      { kind: 'signed_in', session, landing: { kind: 'personal', path: '/home' } },
      { params: {}, query: {}, rawQuery: '', form: {}, cookieHeader: undefined, secure: false },
      { signIn: h.signIn, logger: silentLogger },
    );
    expect(result.setCookies?.[0]).toMatch(/; Max-Age=90(;|$)/);
  });
});
