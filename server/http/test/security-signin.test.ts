// Attacks on the sign-in web surface over real HTTP: forged cross-site form posts (CSRF, login CSRF), the pages'
// security headers, and what a session cookie is worth after sign-out or a password change. OWASP ASVS V3 / V4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../signin/session.ts';
import { createServer, type ServerHandle } from '../app.ts';
import { silentLogger } from '../logger.ts';

const TOKEN = 'security-signin-control-token';
let server: ServerHandle;
let base: string;
let teamId: string;
let serial = 0;

beforeAll(async () => {
  server = createServer({ controlToken: TOKEN, logger: silentLogger, dbPath: ':memory:' });
  await server.listen();
  base = server.urls.base;
  teamId = server.service.createTeam({
    name: 'Web',
    plan: 'Free',
    licensedSeats: 5,
    owner: { email: 'owner@web.example', givenName: 'O', familyName: 'W', password: 'owner-password' },
  }).team.id;
});

afterAll(async () => {
  await server.close();
});

interface Reply {
  status: number;
  code: string | null;
  location: string | null;
  cookies: string[];
  headers: Headers;
}

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const body = (await response.json().catch(() => null)) as { code?: string } | null;
  return {
    status: response.status,
    code: body?.code ?? null,
    location: response.headers.get('location'),
    cookies: response.headers.getSetCookie(),
    headers: response.headers,
  } satisfies Reply;
}

function sessionCookieOf(reply: Reply): string {
  const cookie = reply.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (cookie === undefined) throw new Error(`no session cookie (status ${reply.status}, code ${reply.code})`);
  return cookie.split(';')[0] ?? '';
}

function home(cookie: string): Promise<number> {
  return fetch(`${base}/home`, { headers: { accept: 'application/json', cookie } }).then((r) => r.status);
}

/** A fresh account with a password, for one test. */
function person(password = 'first-password'): { email: string; password: string } {
  serial += 1;
  const email = `person${serial}@free.example`;
  server.service.registerAccount({ email, givenName: 'P', familyName: String(serial), password });
  return { email, password };
}

const FORGED: Record<string, Record<string, string>> = {
  'a cross-site Origin': { origin: 'https://evil.example' },
  'Origin: null (sandboxed frame, data: URL)': { origin: 'null' },
  'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
  'Sec-Fetch-Site: same-site (a sibling subdomain)': { 'sec-fetch-site': 'same-site' },
  'Sec-Fetch-Site cross-site even with a same-host Origin': { 'sec-fetch-site': 'cross-site' },
  'an Origin on another port of the same host': { origin: 'http://127.0.0.1:1' },
};

describe('CSRF: a form post another site started is refused before it is read', () => {
  for (const [label, headers] of Object.entries(FORGED)) {
    it(`${label}: sign-up writes no account and sets no cookie`, async () => {
      serial += 1;
      const email = `forged${serial}@free.example`;
      const reply = await post(
        '/signup',
        { email, password: 'attacker-password', givenName: 'E', familyName: 'V' },
        { ...headers },
      );
      expect(reply.status).toBe(403);
      expect(reply.code).toBe('cross_site_request');
      expect(reply.cookies).toEqual([]);
      expect(server.service.findAccountByEmail(email)).toBeNull();
    });
  }

  it('login CSRF: signing the victim in to the attacker’s account (personal and team forms) is refused', async () => {
    const attacker = person();
    for (const path of ['/login', `/teams/${teamId}/login`]) {
      const reply = await post(path, attacker, { origin: 'https://evil.example' });
      expect([path, reply.status, reply.code]).toEqual([path, 403, 'cross_site_request']);
      expect(reply.cookies).toEqual([]);
    }
  });

  it('forced sign-out, forgot-password, reset, invite and link forms are refused too', async () => {
    const victim = person();
    const cookie = sessionCookieOf(await post('/login', victim));
    const forged = { origin: 'https://evil.example', cookie };
    const logout = await post('/logout', {}, forged);
    expect([logout.status, logout.code, logout.cookies]).toEqual([403, 'cross_site_request', []]);
    expect(await home(cookie)).toBe(200);

    const before = server.service.listOutbox(victim.email).length;
    expect((await post('/forgot-password', { email: victim.email }, forged)).code).toBe('cross_site_request');
    expect(server.service.listOutbox(victim.email)).toHaveLength(before);

    const issued = server.service.createPasswordResetToken(victim.email);
    const reset = await post(
      '/reset-password',
      { token: issued?.token ?? '', password: 'chosen-by-evil' },
      forged,
    );
    expect(reset.code).toBe('cross_site_request');
    expect(() => server.service.verifyPassword(victim.email, victim.password)).not.toThrow();

    // PRV-10 login CSRF: another site cannot confirm the attacker's own sign-up in the victim's browser
    const domainOwner = server.service.createOrganisation({ slug: `confirm-${serial}`, name: 'Confirm' });
    const domain = `confirm-${serial}.example`;
    server.service.addDomain(domainOwner.id, domain);
    server.service.verifyDomain(domainOwner.id, domain);
    const pending = server.service.signUp({
      email: `evil@${domain}`,
      givenName: 'E',
      familyName: 'V',
      password: 'attacker-password',
    });
    const token = pending.kind === 'confirmation' ? (pending.token ?? '') : '';
    const confirmed = await post('/signup/confirm', { token }, { origin: 'https://evil.example' });
    expect([confirmed.code, confirmed.cookies]).toEqual(['cross_site_request', []]);
    expect(server.service.findAccountByEmail(`evil@${domain}`)).toBeNull();

    expect((await post('/invites/any-token', { team: teamId }, forged)).code).toBe('cross_site_request');
    expect((await post('/link/any-ticket', { password: 'x' }, forged)).code).toBe('cross_site_request');
  });

  it('the same forms work from this server’s own pages, and from clients that send no browser headers', async () => {
    const user = person();
    const clients: Record<string, string>[] = [
      { origin: base },
      { 'sec-fetch-site': 'same-origin', origin: base },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of clients) {
      const reply = await post('/login', user, headers);
      expect([reply.status, reply.location]).toEqual([303, '/home']);
    }
  });

  it('the SAML ACS still takes the IdP’s cross-site auto-post (its signature protects it)', async () => {
    const reply = await post(
      '/saml/no-such-method/acs',
      { SAMLResponse: 'PHg+' },
      { origin: 'https://idp.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(reply.code).not.toBe('cross_site_request');
    expect(reply.code).toBe('unknown_auth_method');
  });
});

describe('security headers on every sign-in page', () => {
  it('no scripts or framing, no sniffing, no Referer (the reset page carries its token in the URL)', async () => {
    const pages = [
      '/login',
      '/signup',
      '/signup/confirm?token=secret',
      '/reset-password?token=secret',
      '/forgot-password',
      '/home',
    ];
    for (const page of pages) {
      const response = await fetch(`${base}${page}`, { headers: { accept: 'text/html' } });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect([page, csp]).toEqual([page, expect.stringContaining("default-src 'none'")]);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('SCIM and control answers are never sniffed either', async () => {
    for (const url of [`${base}/scim/v2/Users`, `${base}/control/v1/outbox`, `${base}/health`]) {
      expect((await fetch(url)).headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('a session cookie is worth nothing once its session has ended', () => {
  it('sign-out ends the session on the server: a copy of the cookie no longer signs anyone in', async () => {
    const user = person();
    const cookie = sessionCookieOf(await post('/login', user));
    const copy = cookie;
    expect(await home(copy)).toBe(200);
    expect((await post('/logout', {}, { cookie })).status).toBe(200);
    expect(await home(copy)).toBe(401);
  });

  it('every sign-in issues a new session (no fixation): a cookie planted before sign-in is replaced', async () => {
    const user = person();
    const planted = sessionCookieOf(await post('/login', user));
    const after = sessionCookieOf(await post('/login', user, { cookie: planted }));
    expect(after).not.toBe(planted);
    const again = sessionCookieOf(await post('/login', user));
    expect(again).not.toBe(after);
  });

  it('a password reset ends every session issued before it; the new password signs in', async () => {
    const user = person();
    const attackerSession = sessionCookieOf(await post('/login', user));
    const issued = server.service.createPasswordResetToken(user.email);
    const reset = await post('/reset-password', { token: issued?.token ?? '', password: 'taken-back-1' });
    expect(reset.status).toBe(200);
    expect(await home(attackerSession)).toBe(401);
    expect(await home(sessionCookieOf(await post('/login', { ...user, password: 'taken-back-1' })))).toBe(
      200,
    );
  });

  it('a password change through the control API ends the older sessions too', async () => {
    const user = person();
    const older = sessionCookieOf(await post('/login', user));
    const account = server.service.findAccountByEmail(user.email);
    const changed = await fetch(`${base}/control/v1/accounts/${account?.id}/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: user.password, newPassword: 'changed-password-1' }),
    });
    expect(changed.status).toBe(200);
    expect(await home(older)).toBe(401);
  });
});

describe('password reset links', () => {
  it('using one link uses up every other link still out for the account', async () => {
    const user = person();
    await post('/forgot-password', { email: user.email });
    await post('/forgot-password', { email: user.email });
    const [first, second] = server.service.listOutbox(user.email).map((m) => m.token);
    expect((await post('/reset-password', { token: second ?? '', password: 'second-link-1' })).status).toBe(
      200,
    );
    const older = await post('/reset-password', { token: first ?? '', password: 'first-link-1' });
    expect([older.status, older.code]).toEqual([400, 'reset_token_invalid']);
    expect(() => server.service.verifyPassword(user.email, 'second-link-1')).not.toThrow();
  });

  it('a password change leaves no older link usable', async () => {
    const user = person();
    const issued = server.service.createPasswordResetToken(user.email);
    const account = server.service.findAccountByEmail(user.email);
    server.service.changeOwnPassword(account?.id ?? '', user.password, 'changed-password-2');
    const reply = await post('/reset-password', { token: issued?.token ?? '', password: 'by-old-link-1' });
    expect(reply.code).toBe('reset_token_invalid');
  });
});

describe('online password guessing', () => {
  it('after 10 wrong passwords the account’s checks pause, even for the right password (429)', async () => {
    const user = person();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await post('/login', { email: user.email, password: `guess-${attempt}` })).code).toBe(
        'invalid_credentials',
      );
    }
    const paused = await post('/login', user);
    expect([paused.status, paused.code, paused.cookies]).toEqual([429, 'too_many_attempts', []]);
    const viaTeam = await post(`/teams/${teamId}/login`, { ...user, email: user.email.toUpperCase() });
    expect(viaTeam.code).toBe('too_many_attempts');
    // another account is not held up by it
    const other = person();
    expect((await post('/login', other)).status).toBe(303);
  });
});

describe('session cookie flags', () => {
  it('HttpOnly, SameSite=Lax, Path=/ and a Max-Age; no Secure on a plain-http server', async () => {
    const cookie =
      (await post('/login', person())).cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=\d+/);
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('Secure when the public base URL is https, though TLS ends at a proxy in front (plain HTTP here)', async () => {
    const behindTls = createServer({
      controlToken: TOKEN,
      logger: silentLogger,
      dbPath: ':memory:',
      publicBaseUrl: 'https://idsim.example',
    });
    const { port } = await behindTls.listen();
    try {
      behindTls.service.registerAccount({
        email: 'tls@free.example',
        givenName: 'T',
        familyName: 'L',
        password: 'tls-password',
      });
      const reply = await fetch(`http://127.0.0.1:${port}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'tls@free.example', password: 'tls-password' }).toString(),
      });
      expect(reply.status).toBe(303);
      expect(reply.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(
        /; Secure/,
      );
    } finally {
      await behindTls.close();
    }
  });
});

describe('(held) pages escape what they echo', () => {
  it('a team or organisation name made of markup stays text on the login, portal and landing pages', async () => {
    const markup = `<img src=x onerror="alert(1)">'"&`;
    const { team, owner } = server.service.createTeam({
      name: markup,
      plan: 'Free',
      licensedSeats: 2,
      owner: {
        email: "o'brien@markup.example",
        givenName: markup,
        familyName: markup,
        password: 'markup-pass',
      },
    });
    server.service.addAuthMethod(team.id, owner.account.id, { kind: 'password', enabled: true });
    const login = await fetch(`${base}/teams/${team.id}/login`, { headers: { accept: 'text/html' } });
    const cookie = sessionCookieOf(
      await post(`/teams/${team.id}/login`, { email: "o'brien@markup.example", password: 'markup-pass' }),
    );
    const landing = await fetch(`${base}/teams/${team.id}/home`, {
      headers: { accept: 'text/html', cookie },
    });
    for (const html of [await login.text(), await landing.text()]) {
      expect(html).not.toContain('<img');
      expect(html).not.toMatch(/onerror="/);
    }
    const refusal = await fetch(`${base}/teams/${encodeURIComponent('<script>x</script>')}/login`, {
      headers: { accept: 'text/html' },
    });
    expect(await refusal.text()).not.toContain('<script>');
  });
});
