// The IdP session cookie: its name, how it is read from a request and written on a response.
// RFC 6265 (cookies); SameSite=Lax on purpose: see the comment on SESSION_COOKIE_ATTRIBUTES.

import type { Request } from 'express';

export const SESSION_COOKIE = 'idsim_idp_session';

/**
 * Lax, not None: the IdP cookie is only needed on top-level GET navigations to the IdP (the SP's redirect to
 * /saml/sso, the login page), which Lax allows. The cross-site POST goes to the SP's ACS, so it is the SP's
 * cookie that SameSite can break, not ours. SameSite=None would also need Secure, i.e. HTTPS, which loopback tests do not use.
 */
const SESSION_COOKIE_ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Lax';

export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; ${SESSION_COOKIE_ATTRIBUTES}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${SESSION_COOKIE_ATTRIBUTES}; Max-Age=0`;
}
