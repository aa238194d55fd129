// The headless client's pieces: reading HTML forms (auto-post and login) and the cookie jar's RFC 6265 rules.
// SAML bindings 3.5.4 (auto-post form); RFC 6265 5.3 (Max-Age, Path), 5.4 (Cookie header).

import { describe, expect, it } from 'vitest';
import { CookieJar } from '../headless.ts';
import { readHtmlForms, renderAutoPostForm } from '../html-form.ts';

describe('HTML forms (bindings 3.5.4)', () => {
  it('reads back the auto-post form it renders, with escaped values intact', () => {
    const html = renderAutoPostForm('https://sp.example.com/acs?x=1&y=2', {
      SAMLResponse: 'PHg+',
      RelayState: '"<&>\'',
    });
    const [form] = readHtmlForms(html);
    expect(form?.action).toBe('https://sp.example.com/acs?x=1&y=2');
    expect(form?.method).toBe('post');
    expect(form?.marker).toBe('saml-post');
    expect(form?.fields).toEqual({ SAMLResponse: 'PHg+', RelayState: '"<&>\'' });
    expect(html).toContain('<noscript>');
  });

  it('reads a foreign form with single quotes, unquoted attributes and a textarea', () => {
    const html = `<form action='/acs' method=POST><input type=hidden name=SAMLResponse value='abc'>
      <textarea name="RelayState">r&amp;s</textarea><input type="submit" name="go" value="Go"></form>`;
    expect(readHtmlForms(html)).toEqual([
      {
        action: '/acs',
        method: 'post',
        marker: undefined,
        fields: { SAMLResponse: 'abc', RelayState: 'r&s' },
      },
    ]);
  });
});

describe('CookieJar (RFC 6265)', () => {
  function withCookies(...cookies: string[]): Response {
    const headers = new Headers();
    for (const c of cookies) headers.append('set-cookie', c);
    return new Response(null, { headers });
  }

  it('keeps cookies per host and path, and deletes on Max-Age=0', () => {
    const jar = new CookieJar();
    jar.store('http://127.0.0.1:1/a', withCookies('s=1; Path=/; HttpOnly', 'p=2; Path=/app'));
    expect(jar.headerFor('http://127.0.0.1:1/x')).toBe('s=1');
    expect(jar.headerFor('http://127.0.0.1:1/app/y')).toBe('s=1; p=2');
    expect(jar.headerFor('http://127.0.0.1:2/x')).toBeUndefined();
    jar.store('http://127.0.0.1:1/', withCookies('s=; Path=/; Max-Age=0'));
    expect(jar.get('http://127.0.0.1:1/', 's')).toBeUndefined();
  });
});
