// Unit tests of the SP session cookie (HMAC, expiry, RFC 6265 attributes) and of the page renderer (escaping, JSON).
// idsim issue #3: signed cookie, HttpOnly, SameSite=Lax; refusals as page and JSON with a stable code.
import { describe, expect, it } from 'vitest';
import { renderHtml, toHttpReply, wantsJson } from '../../http/pages/render.ts';
import { readCookie, SessionCodec, sessionSetCookie } from '../session.ts';

const codec = new SessionCodec({ secret: Buffer.alloc(32, 7), ttlMs: 1000 });

describe('SP session cookie', () => {
  it('round-trips, and refuses a changed payload, another key, or an expired session', () => {
    const session = codec.issue('acc-1', { kind: 'team', teamId: 't-1' }, 'saml', 5000);
    const value = codec.encode(session);
    expect(codec.decode(value, 5500)).toEqual(session);
    const [payload, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ ...session, accountId: 'acc-2' })).toString('base64url');
    expect(codec.decode(`${forged}.${mac}`, 5500)).toBeNull();
    expect(new SessionCodec({ secret: Buffer.alloc(32, 8) }).decode(value, 5500)).toBeNull();
    expect(codec.decode(`${payload}.${mac}`, 6000)).toBeNull();
    expect(codec.decode('garbage', 5500)).toBeNull();
  });

  it('is HttpOnly and SameSite=Lax, Secure on https', () => {
    expect(sessionSetCookie('v', { secure: false, maxAgeMs: 60_000 })).toBe(
      'idsim_sp_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
    expect(sessionSetCookie('v', { secure: true, maxAgeMs: 1000 })).toContain('; Secure');
    expect(readCookie('a=1; idsim_sp_session=xyz; b=2', 'idsim_sp_session')).toBe('xyz');
  });
});

describe('pages', () => {
  it('escapes everything it prints', () => {
    const html = renderHtml({
      type: 'message',
      title: '<script>alert(1)</script>',
      message: '"quoted" & <b>',
      links: [{ href: 'javascript:"x"', text: '<i>' }],
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('a refusal is a page with data-error-code, or JSON {code, message}', () => {
    const result = {
      status: 403,
      view: { type: 'refusal' as const, code: 'jit_disabled' as const, message: 'm' },
    };
    const page = toHttpReply(result, 'text/html');
    expect(page.status).toBe(403);
    expect(page.body).toContain('data-error-code="jit_disabled"');
    const json = toHttpReply(result, 'application/json');
    expect(JSON.parse(json.body)).toEqual({ code: 'jit_disabled', message: 'm' });
    expect(wantsJson('text/html, application/json;q=0.9')).toBe(false);
    expect(wantsJson(undefined)).toBe(false);
  });
});
