// One-time use of each SAML assertion ID until its validity window ends (replay protection the SP must add itself).
// SAML profiles 4.1.4.5 (bearer assertions: the SP keeps used IDs for as long as they could still be accepted).

/**
 * Where used assertion IDs are remembered. `consume` is atomic for its implementation: it returns true the first
 * time an ID is seen and false for every later call until `keepUntilMs` has passed.
 */
export interface ReplayCache {
  consume(assertionId: string, keepUntilMs: number, nowMs: number): boolean;
  /** Number of IDs currently held (for tests and metrics). */
  size(): number;
}

/**
 * In-process implementation. Trade-off: IDs live in one process's memory, so (a) a restart forgets them and an
 * assertion captured before the restart can be replayed until its NotOnOrAfter, and (b) several server processes
 * behind a load balancer each hold their own set. Both are bounded by the assertion lifetime (minutes) plus the
 * clock skew; a deployment with several processes needs a shared implementation (a SQL table with a unique key on
 * the ID and an expiry column). Memory is bounded by (responses per second) x (assertion lifetime): expired IDs are
 * swept on insertion, at most once per `sweepEveryMs`.
 */
export class InMemoryReplayCache implements ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #sweepEveryMs: number;
  #lastSweepMs = 0;

  constructor(options: { sweepEveryMs?: number } = {}) {
    this.#sweepEveryMs = options.sweepEveryMs ?? 30_000;
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
