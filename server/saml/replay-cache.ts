// One-time use of each SAML assertion ID until its validity window ends (replay protection the SP must add itself).
// SAML profiles 4.1.4.5 (bearer assertions: the SP keeps used IDs for as long as they could still be accepted).
import type { UsedAssertionRepository } from '../store/store.ts';

/**
 * Where used assertion IDs are remembered. `consume` is atomic for its implementation: it returns true the first
 * time an ID is seen and false for every later call until `keepUntilMs` has passed.
 */
export interface ReplayCache {
  consume(assertionId: string, keepUntilMs: number, nowMs: number): boolean;
  /** Number of IDs currently held (for tests and metrics). */
  size(): number;
}

/** How often expired entries are deleted, at most (on insertion): a sweep per write would cost a scan per write. */
export const SWEEP_EVERY_MS = 30_000;

/**
 * The server's implementation: IDs in the Store (saml_used_assertions, a unique key and an expiry column), so a
 * restart forgets nothing and processes sharing the database file share the set. The insert-unless-live is one SQL
 * statement, so two concurrent posts of one Response cannot both be accepted.
 */
export class StoreReplayCache implements ReplayCache {
  readonly #repository: UsedAssertionRepository;
  #lastSweepMs = 0;

  constructor(repository: UsedAssertionRepository) {
    this.#repository = repository;
  }

  consume(assertionId: string, keepUntilMs: number, nowMs: number): boolean {
    if (nowMs - this.#lastSweepMs >= SWEEP_EVERY_MS) {
      this.#lastSweepMs = nowMs;
      this.#repository.sweep(nowMs);
    }
    return this.#repository.consume(assertionId, keepUntilMs, nowMs);
  }

  size(): number {
    return this.#repository.countLive(Date.now());
  }
}

/**
 * In-process implementation, for unit tests and benches. Trade-off: IDs live in one process's memory, so a restart
 * forgets them (an assertion captured before it could be replayed until its NotOnOrAfter) and several processes
 * each hold their own set; the server uses {@link StoreReplayCache}. Memory is bounded by (responses per second) x
 * (assertion lifetime): expired IDs are swept on insertion, at most once per `sweepEveryMs`.
 */
export class InMemoryReplayCache implements ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #sweepEveryMs: number;
  #lastSweepMs = 0;

  constructor(options: { sweepEveryMs?: number } = {}) {
    this.#sweepEveryMs = options.sweepEveryMs ?? SWEEP_EVERY_MS;
  }

  consume(assertionId: string, keepUntilMs: number, nowMs: number): boolean {
    this.#sweep(nowMs);
    const held = this.#expiries.get(assertionId);
    if (held !== undefined && held > nowMs) return false;
    this.#expiries.set(assertionId, keepUntilMs);
    return true;
  }

  size(): number {
    return this.#expiries.size;
  }

  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < this.#sweepEveryMs) return;
    this.#lastSweepMs = nowMs;
    for (const [id, until] of this.#expiries) if (until <= nowMs) this.#expiries.delete(id);
  }
}
