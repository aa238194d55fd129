// An SP session never outlives the IdP session it came from: AuthnStatement/@SessionNotOnOrAfter (SAML core 2.7.2)
// caps the cookie's expiry and Max-Age. And the JIT-06 link form is no way around the account's password throttle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../http/logger.ts';
import { outcomeResult } from '../handlers.ts';
import { SESSION_COOKIE } from '../session.ts';
import {
  addIdpPerson,
  browserSignIn,
  type Harness,
  postForm,
  setUpSamlTeam,
  startHarness,
} from './harness.ts';

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
      saml: { ...facts, notOnOrAfterMs: now + 90_000 },
    });
    const result = outcomeResult(
      { kind: 'signed_in', session, landing: { kind: 'personal', path: '/home' } },
      { params: {}, query: {}, rawQuery: '', form: {}, cookieHeader: undefined, secure: false },
      { signIn: h.signIn, logger: silentLogger },
    );
    expect(result.setCookies?.[0]).toMatch(/; Max-Age=90(;|$)/);
  });
});

describe('JIT-06 link tickets cannot be farmed to guess the account password', () => {
  it('fresh tickets share the account’s count of wrong passwords: after 10, even the right one is 429', async () => {
    const t = await setUpSamlTeam(h, { autoAddUsers: true });
    const { account } = h.service.registerAccount({
      email: 'farmed@corp.example',
      givenName: 'F',
      familyName: 'A',
      password: 'own-account-pass',
    });
    const person = addIdpPerson(h, { email: 'farmed@corp.example', assignTo: t.appId });
    const ticket = async (): Promise<string> => {
      const result = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
      return /action="(\/link\/[^"]+)"/.exec(result.body)?.[1] ?? '';
    };
    // each ticket allows 5 tries; three tickets would allow 15 guesses without the account-wide pause
    for (let round = 0; round < 2; round += 1) {
      const action = await ticket();
      for (let guess = 0; guess < 5; guess += 1) {
        const wrong = await postForm(`${h.serverUrl}${action}`, { password: `guess-${round}-${guess}` });
        expect(wrong.status).toBe(401);
      }
    }
    const paused = await postForm(`${h.serverUrl}${await ticket()}`, { password: 'own-account-pass' });
    expect(paused.status).toBe(429);
    expect(await paused.text()).toContain('data-error-code="too_many_attempts"');
    expect(h.service.listTeamsOfAccount(account.id).some((m) => m.teamId === t.team.id)).toBe(false);
  });
});
