// SAML sessions ended by single logout. Sessions are stateless signed cookies, so ending one means remembering it:
// a logged-out cookie presented again must not sign anyone in. SAML core 3.7.3.2 (what a LogoutRequest ends).
import type { SpSession } from './session.ts';

/** One single logout: the sessions of `nameId` at `methodId`, by SessionIndex or (without one) all issued so far. */
export interface Revocation {
  methodId: string;
  nameId: string;
  /** core 3.7.3.2: with SessionIndex only that session ends; without, every session of the NameID */
  sessionIndex: string | null;
  revokedAtMs: number;
  /** no session issued before `revokedAtMs` outlives this (issue time + session TTL) */
  keepUntilMs: number;
}

/**
 * In-process implementation with the replay cache's trade-off (replay-cache.ts): a restart forgets revocations, so a
 * logged-out cookie captured before the restart works again until it expires, and several server processes need a
 * shared implementation. Memory is bounded by (logouts per session TTL); expired entries are swept on insertion.
 */
export class SessionRevocations {
  readonly #byPrincipal = new Map<string, Revocation[]>();

  revoke(revocation: Revocation): void {
    this.#sweep(revocation.revokedAtMs);
    const key = principalKey(revocation.methodId, revocation.nameId);
    this.#byPrincipal.set(key, [...(this.#byPrincipal.get(key) ?? []), revocation]);
  }

  /** True when single logout has ended this session (only SAML sessions can be ended this way). */
  isRevoked(session: SpSession, nowMs: number): boolean {
    const saml = session.saml;
    if (saml === undefined) return false;
    const entries = this.#byPrincipal.get(principalKey(saml.methodId, saml.nameId)) ?? [];
    return entries.some(
      (r) =>
        r.keepUntilMs > nowMs &&
        (r.sessionIndex === null
          ? session.issuedAtMs <= r.revokedAtMs
          : r.sessionIndex === saml.sessionIndex),
    );
  }

  /** Number of principals with a live revocation (tests and metrics). */
  size(): number {
    return this.#byPrincipal.size;
  }

  #sweep(nowMs: number): void {
    for (const [key, entries] of this.#byPrincipal) {
      const live = entries.filter((r) => r.keepUntilMs > nowMs);
      if (live.length === 0) this.#byPrincipal.delete(key);
      else if (live.length !== entries.length) this.#byPrincipal.set(key, live);
    }
  }
}

function principalKey(methodId: string, nameId: string): string {
  return `${methodId}\u0000${nameId}`;
}
