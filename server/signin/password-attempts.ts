// How many wrong passwords an account takes before its password checks pause: online guessing through the sign-in
// forms and the JIT-06 link form (across any number of link tickets). OWASP ASVS 2.2.1 (anti-automation), NIST 800-63B 5.2.2.

export interface PasswordAttemptLimits {
  /** wrong passwords within `windowMs` after which the account's checks pause; default 10 (NIST allows up to 100) */
  maxFailures: number;
  /** how long failures count, and how long the pause lasts from the last one; default 15 minutes */
  windowMs: number;
}

export const DEFAULT_PASSWORD_ATTEMPT_LIMITS: PasswordAttemptLimits = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
};

/** Accounts tracked at most; the oldest entries go first (a flood of made-up addresses cannot grow it without end). */
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  lastAtMs: number;
}

/**
 * Wrong passwords per account key (emails.ts emailKey), in process memory: a restart forgets them, as it forgets
 * the link tickets they guard. While paused, even the right password is refused, or a guesser would learn it.
 */
export class PasswordAttempts {
  readonly #limits: PasswordAttemptLimits;
  readonly #failures = new Map<string, Failures>();

  constructor(limits: Partial<PasswordAttemptLimits> = {}) {
    this.#limits = { ...DEFAULT_PASSWORD_ATTEMPT_LIMITS, ...limits };
  }

  /** True while `key` has had too many wrong passwords lately. */
  paused(key: string, nowMs: number): boolean {
    const failures = this.#live(key, nowMs);
    return failures !== null && failures.count >= this.#limits.maxFailures;
  }

  failed(key: string, nowMs: number): void {
    const count = (this.#live(key, nowMs)?.count ?? 0) + 1;
    this.#failures.delete(key);
    this.#failures.set(key, { count, lastAtMs: nowMs });
    while (this.#failures.size > MAX_TRACKED) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  #live(key: string, nowMs: number): Failures | null {
    const failures = this.#failures.get(key);
    if (failures === undefined) return null;
    if (nowMs - failures.lastAtMs >= this.#limits.windowMs) {
      this.#failures.delete(key);
      return null;
    }
    return failures;
  }
}
