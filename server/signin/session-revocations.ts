// SAML sessions ended by single logout. Sessions are stateless signed cookies, so ending one means remembering it:
// a logged-out cookie presented again must not sign anyone in. SAML core 3.7.3.2 (what a LogoutRequest ends).
import { SWEEP_EVERY_MS } from '../saml/replay-cache.ts';
import type { SessionRevocationRepository } from '../store/store.ts';
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

/** Where revocations are kept until they expire. */
export interface RevocationLog {
  add(revocation: Revocation): void;
  /** The principal's revocations still live at `nowMs`. */
  live(methodId: string, nameId: string, nowMs: number): Revocation[];
  /** Number of principals with a live revocation (tests and metrics). */
  size(nowMs: number): number;
}

/**
 * In-process log, for unit tests: a restart forgets it, so a logged-out cookie captured before the restart would work
 * again until it expires (the server uses {@link StoreRevocationLog}). Expired entries are swept on insertion.
 */
export class InMemoryRevocationLog implements RevocationLog {
  readonly #byPrincipal = new Map<string, Revocation[]>();

  add(revocation: Revocation): void {
    this.#sweep(revocation.revokedAtMs);
    const key = principalKey(revocation.methodId, revocation.nameId);
    this.#byPrincipal.set(key, [...(this.#byPrincipal.get(key) ?? []), revocation]);
  }

  live(methodId: string, nameId: string, nowMs: number): Revocation[] {
    return (this.#byPrincipal.get(principalKey(methodId, nameId)) ?? []).filter((r) => r.keepUntilMs > nowMs);
  }

  size(nowMs: number): number {
    this.#sweep(nowMs);
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

/** The server's log: rows of the Store (saml_session_revocations, with an expiry), so a restart forgets nothing. */
export class StoreRevocationLog implements RevocationLog {
  readonly #repository: SessionRevocationRepository;
  #lastSweepMs = 0;

  constructor(repository: SessionRevocationRepository) {
    this.#repository = repository;
  }

  add(revocation: Revocation): void {
    if (revocation.revokedAtMs - this.#lastSweepMs >= SWEEP_EVERY_MS) {
      this.#lastSweepMs = revocation.revokedAtMs;
      this.#repository.sweep(revocation.revokedAtMs);
    }
    this.#repository.insert({
      methodId: revocation.methodId,
      nameId: revocation.nameId,
      sessionIndex: revocation.sessionIndex,
      revokedAtMs: revocation.revokedAtMs,
      expiresAtMs: revocation.keepUntilMs,
    });
  }

  live(methodId: string, nameId: string, nowMs: number): Revocation[] {
    return this.#repository.listLive(methodId, nameId, nowMs).map((row) => ({
      methodId: row.methodId,
      nameId: row.nameId,
      sessionIndex: row.sessionIndex,
      revokedAtMs: row.revokedAtMs,
      keepUntilMs: row.expiresAtMs,
    }));
  }

  size(nowMs: number): number {
    return this.#repository.countLivePrincipals(nowMs);
  }
}

/** The rule of core 3.7.3.2 over a log of revocations. */
export class SessionRevocations {
  readonly #log: RevocationLog;

  constructor(log: RevocationLog = new InMemoryRevocationLog()) {
    this.#log = log;
  }

  revoke(revocation: Revocation): void {
    this.#log.add(revocation);
  }

  /** True when single logout has ended this session (only SAML sessions can be ended this way). */
  isRevoked(session: SpSession, nowMs: number): boolean {
    const saml = session.saml;
    if (saml === undefined) return false;
    return this.#log
      .live(saml.methodId, saml.nameId, nowMs)
      .some((r) =>
        r.sessionIndex === null ? session.issuedAtMs <= r.revokedAtMs : r.sessionIndex === saml.sessionIndex,
      );
  }

  /** Number of principals with a live revocation (tests and metrics). */
  size(nowMs: number = Date.now()): number {
    return this.#log.size(nowMs);
  }
}

function principalKey(methodId: string, nameId: string): string {
  return `${methodId}\u0000${nameId}`;
}
