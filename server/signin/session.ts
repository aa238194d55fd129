// SP sessions: who is signed in, in which context (personal, team, organisation), in an HMAC-signed cookie.
// RFC 6265 4.1 (HttpOnly, SameSite=Lax, Secure on https); DEA-02 / REM-02; SAML core 3.7.1 (NameID, SessionIndex).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SessionContext =
  | { kind: 'personal' }
  | { kind: 'team'; teamId: string }
  | { kind: 'organisation'; organisationId: string };

/** What single logout needs to name a SAML session (core 3.7.1: NameID and SessionIndex, per SP entity). */
export interface SamlSessionFacts {
  /** the auth method (SP entity) whose ACS accepted the assertion */
  methodId: string;
  nameId: string;
  nameIdFormat: string | null;
  /** AuthnStatement/@SessionIndex, when the IdP sent one */
  sessionIndex: string | null;
  /** AuthnStatement/@SessionNotOnOrAfter in ms (core 2.7.2): the session ends then at the latest; absent: no bound */
  notOnOrAfterMs?: number;
}

/** What RP-initiated logout needs of an OIDC session (RP-Initiated Logout 1.0 section 2: client_id, sid). */
export interface OidcSessionFacts {
  /** the auth method (client) whose callback accepted the ID token */
  methodId: string;
  sub: string;
  /** the OP's session id (`sid` claim, Front-Channel Logout 1.0), when sent */
  sid: string | null;
}

export interface SpSession {
  /** random per sign-in: what sign-out revokes (session-revocations.ts), so a copied cookie dies with it */
  id: string;
  accountId: string;
  context: SessionContext;
  /** how the person proved who they are */
  via: 'password' | 'saml' | 'oidc';
  issuedAtMs: number;
  expiresAtMs: number;
  /**
   * A MAC of the account's password credential when the session was issued: a password change or reset turns every
   * older session's stamp stale (OWASP ASVS 3.3.3; Django's session auth hash does the same).
   */
  credentialStamp: string;
  /** set when the session came from a SAML assertion (profiles 4.4: the SP can take part in single logout) */
  saml?: SamlSessionFacts;
  /** set when the session came from an OIDC ID token */
  oidc?: OidcSessionFacts;
}

export const SESSION_COOKIE = 'idsim_sp_session';

/** Encodes sessions as `base64url(json).base64url(hmac-sha256)`; a changed byte makes the cookie worthless. */
export class SessionCodec {
  readonly #secret: Buffer;
  readonly ttlMs: number;

  constructor(options: { secret: Buffer; ttlMs?: number }) {
    if (options.secret.length < 32) throw new Error('session secret must be at least 32 bytes');
    this.#secret = options.secret;
    this.ttlMs = options.ttlMs ?? 8 * 3_600_000;
  }

  /** `facts.credential`: what the account signs in with now (SignInPort.sessionCredential), kept only as a MAC. */
  issue(
    accountId: string,
    context: SessionContext,
    via: SpSession['via'],
    nowMs: number,
    facts?: {
      saml?: SamlSessionFacts | undefined;
      oidc?: OidcSessionFacts | undefined;
      /** what the account signs in with now (SignInPort.sessionCredential), kept only as a MAC */
      credential?: string | undefined;
    },
  ): SpSession {
    const session: SpSession = {
      id: randomBytes(16).toString('base64url'),
      accountId,
      context,
      via,
      issuedAtMs: nowMs,
      // Core 2.7.2: never longer than the IdP allowed the session it asserted.
      expiresAtMs: Math.min(nowMs + this.ttlMs, facts?.saml?.notOnOrAfterMs ?? Number.POSITIVE_INFINITY),
      credentialStamp: this.#stamp(accountId, facts?.credential ?? ''),
    };
    if (facts?.saml !== undefined) session.saml = facts.saml;
    if (facts?.oidc !== undefined) session.oidc = facts.oidc;
    return session;
  }

  encode(session: SpSession): string {
    const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The session in `value`, or null when it is missing, forged, malformed or expired. */
  decode(value: string | undefined, nowMs: number): SpSession | null {
    if (value === undefined) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SpSession;
      if (
        typeof session.id !== 'string' ||
        typeof session.accountId !== 'string' ||
        typeof session.expiresAtMs !== 'number' ||
        typeof session.credentialStamp !== 'string'
      ) {
        return null;
      }
      return session.expiresAtMs > nowMs ? session : null;
    } catch {
      return null;
    }
  }

  /** True while the account's credential is the one the session was issued under (constant-time compare). */
  credentialCurrent(session: SpSession, credential: string | null): boolean {
    if (credential === null) return false;
    const given = Buffer.from(session.credentialStamp, 'base64url');
    const expected = Buffer.from(this.#stamp(session.accountId, credential), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #stamp(accountId: string, credential: string): string {
    return createHmac('sha256', this.#secret)
      .update(`credential\u0000${accountId}\u0000${credential}`)
      .digest('base64url');
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}

/** RFC 6265 4.1.1: the Set-Cookie value for a session (Lax so the cross-site POST to the ACS can set it). */
export function sessionSetCookie(value: string, options: { secure: boolean; maxAgeMs: number }): string {
  const secure = options.secure ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(options.maxAgeMs / 1000)}${secure}`;
}

export function clearSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${options.secure ? '; Secure' : ''}`;
}

/** Reads one cookie from a Cookie header (RFC 6265 5.4). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
