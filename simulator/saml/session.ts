// IdP sessions: a cookie value → person, when they authenticated, when the session ends, and the SPs it served.
// SAML core 2.7.2 (AuthnInstant, SessionIndex, SessionNotOnOrAfter), 3.7 (single logout by SessionIndex).

import { randomBytes } from 'node:crypto';

export interface IdpSession {
  /** The cookie value (opaque, 256 random bits). */
  id: string;
  personId: string;
  authnInstant: Date;
  /** SAML core 2.7.2: SessionNotOnOrAfter, after which the SP must re-authenticate. */
  notOnOrAfter: Date;
  /** SAML core 2.7.2: SessionIndex sent to SPs; also how a LogoutRequest names the session. */
  sessionIndex: string;
  /** App ids that received an assertion in this session (single logout participants). */
  appIds: string[];
}

/** In memory, per simulator instance. `now` is the simulator's clock, so tests can move time. */
export class SessionStore {
  readonly #sessions = new Map<string, IdpSession>();
  readonly #ttlMs: number;
  readonly #now: () => Date;

  constructor(ttlMs: number, now: () => Date) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** A fresh authentication: a new session with AuthnInstant = now (ForceAuthn and every login use this). */
  create(personId: string): IdpSession {
    const now = this.#now();
    const session: IdpSession = {
      id: randomBytes(32).toString('base64url'),
      personId,
      authnInstant: now,
      notOnOrAfter: new Date(now.getTime() + this.#ttlMs),
      sessionIndex: `_${randomBytes(16).toString('hex')}`,
      appIds: [],
    };
    this.#sessions.set(session.id, session);
    return structuredClone(session);
  }

  /** The live session for a cookie value; expired sessions are dropped and read as absent. */
  get(id: string | undefined): IdpSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.notOnOrAfter.getTime() <= this.#now().getTime()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return structuredClone(session);
  }

  findBySessionIndex(sessionIndex: string): IdpSession | undefined {
    for (const session of this.#sessions.values()) {
      if (session.sessionIndex === sessionIndex) return this.get(session.id);
    }
    return undefined;
  }

  /** Records that an app received an assertion in this session. */
  addParticipant(id: string, appId: string): void {
    const session = this.#sessions.get(id);
    if (session !== undefined && !session.appIds.includes(appId)) session.appIds.push(appId);
  }

  /** Ends one session; returns it if it existed. */
  end(id: string): IdpSession | undefined {
    const session = this.#sessions.get(id);
    this.#sessions.delete(id);
    return session;
  }

  /** Ends every session of a person (e.g. when they are suspended); returns how many ended. */
  endAllFor(personId: string): number {
    let n = 0;
    for (const [id, session] of this.#sessions) {
      if (session.personId === personId) {
        this.#sessions.delete(id);
        n++;
      }
    }
    return n;
  }

  list(): IdpSession[] {
    const now = this.#now().getTime();
    return [...this.#sessions.values()]
      .filter((s) => s.notOnOrAfter.getTime() > now)
      .map((s) => structuredClone(s));
  }
}
