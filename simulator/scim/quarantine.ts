// Entra's provisioning quarantine: when most calls to the target keep failing (429, 5xx, timeouts), the job is
// quarantined, its cycles back off to once a day, and after four weeks it is disabled. issue #13; Microsoft Learn,
// "Application provisioning in quarantine status"; Graph `synchronizationQuarantine` (currentBegan, nextAttempt...).
//
// Sourced: the trigger ("most, or all, of the calls made against the target system consistently fail"), the back-off
// ("the frequency of incremental cycles is gradually reduced to once per day"), the release ("removed from quarantine
// after all errors are fixed and the next sync cycle starts"), the end ("more than four weeks ... disabled"), the
// normal cycle of 40 minutes (idp-dialects.md), and the status fields (Graph synchronizationQuarantine).
// Decided (Microsoft publishes no numbers; all in QuarantinePolicy): "most" is at least 80 % of the last 20 calls;
// the delay doubles from the 40-minute cycle (80 min, 160 min, ...) up to 24 hours.

/** Why a call counts against the target's health. */
export type FailureKind = 'throttled' | 'server_error' | 'timeout' | 'unreachable';

export interface QuarantinePolicy {
  /** how many of the most recent calls are looked at */
  windowSize: number;
  /** the share of failing calls in a full window that quarantines */
  failureRatio: number;
  /** the normal incremental cycle; quarantine doubles it per cycle */
  cycleMs: number;
  /** the back-off never exceeds this (once per day) */
  maxDelayMs: number;
  /** quarantined longer than this, the job is disabled */
  disableAfterMs: number;
}

export const ENTRA_QUARANTINE_POLICY: QuarantinePolicy = {
  windowSize: 20,
  failureRatio: 0.8,
  cycleMs: 40 * 60_000,
  maxDelayMs: 24 * 60 * 60_000,
  disableAfterMs: 28 * 24 * 60 * 60_000,
};

/** What the console shows, shaped like Graph's synchronizationQuarantine (ISO times). */
export interface QuarantineStatus {
  state: 'healthy' | 'quarantined' | 'disabled';
  /** Graph's reason code for failing calls: EncounteredQuarantineException stands for "the target keeps failing" */
  reason: string | null;
  seriesBegan: string | null;
  currentBegan: string | null;
  nextAttempt: string | null;
  /** failing calls in the current window, and what they were */
  recentFailures: number;
  windowSize: number;
  lastFailure: FailureKind | null;
}

/** Classifies one call: null when it says nothing bad about the target's health. */
export function failureKindOf(status: number | null, error?: string): FailureKind | null {
  if (status === null) return error !== undefined && /timed out/i.test(error) ? 'timeout' : 'unreachable';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server_error';
  return null;
}

export class QuarantineMonitor {
  readonly policy: QuarantinePolicy;
  readonly #now: () => number;
  readonly #window: (FailureKind | null)[] = [];
  #state: QuarantineStatus['state'] = 'healthy';
  #seriesBegan: number | null = null;
  #currentBegan: number | null = null;
  #nextAttempt: number | null = null;
  #level = 0;
  #failedThisCycle = false;
  #lastFailure: FailureKind | null = null;

  constructor(policy: Partial<QuarantinePolicy> = {}, now: () => number = Date.now) {
    this.policy = { ...ENTRA_QUARANTINE_POLICY, ...policy };
    this.#now = now;
  }

  get quarantined(): boolean {
    return this.#state !== 'healthy';
  }

  /** True when no call may go out now (quarantined until nextAttempt, or disabled). */
  blocked(): boolean {
    if (this.#state === 'disabled') return true;
    return this.#state === 'quarantined' && this.#nextAttempt !== null && this.#now() < this.#nextAttempt;
  }

  /**
   * Records one call. Returns a sentence when this call put the job into quarantine (for the transcript), else null.
   */
  record(kind: FailureKind | null): string | null {
    if (kind !== null) {
      this.#failedThisCycle = true;
      this.#lastFailure = kind;
    }
    this.#window.push(kind);
    if (this.#window.length > this.policy.windowSize) this.#window.shift();
    if (this.#state !== 'healthy' && !this.blocked() && kind !== null) return this.#impose('still failing');
    if (this.#state !== 'healthy' || this.#window.length < this.policy.windowSize) return null;
    const failures = this.#failures();
    if (failures / this.#window.length < this.policy.failureRatio) return null;
    return this.#impose(`${failures} of the last ${this.#window.length} calls failed`);
  }

  /** A new sync cycle starts: false when the job must not run yet (quarantined, or disabled). */
  beginCycle(): boolean {
    if (this.blocked()) return false;
    this.#failedThisCycle = false;
    return true;
  }

  /** The cycle ended: a cycle without failing calls lifts the quarantine (Microsoft: "after all errors are fixed"). */
  endCycle(): void {
    if (this.#state === 'quarantined' && !this.#failedThisCycle) {
      this.#state = 'healthy';
      this.#seriesBegan = null;
      this.#currentBegan = null;
      this.#nextAttempt = null;
      this.#level = 0;
      this.#window.length = 0;
    }
  }

  status(): QuarantineStatus {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      state: this.#state,
      reason: this.#state === 'healthy' ? null : 'EncounteredQuarantineException',
      seriesBegan: iso(this.#seriesBegan),
      currentBegan: iso(this.#currentBegan),
      nextAttempt: iso(this.#nextAttempt),
      recentFailures: this.#failures(),
      windowSize: this.policy.windowSize,
      lastFailure: this.#lastFailure,
    };
  }

  #failures(): number {
    return this.#window.filter((kind) => kind !== null).length;
  }

  #impose(why: string): string {
    const now = this.#now();
    this.#seriesBegan ??= now;
    this.#currentBegan = now;
    this.#level += 1;
    if (now - this.#seriesBegan > this.policy.disableAfterMs) {
      this.#state = 'disabled';
      this.#nextAttempt = null;
      return `quarantine: ${why}; in quarantine for more than ${Math.round(this.policy.disableAfterMs / 86_400_000)} days, provisioning is disabled`;
    }
    this.#state = 'quarantined';
    const delay = Math.min(this.policy.maxDelayMs, this.policy.cycleMs * 2 ** this.#level);
    this.#nextAttempt = now + delay;
    return `quarantine: ${why} (last: ${this.#lastFailure ?? 'none'}); next attempt at ${new Date(this.#nextAttempt).toISOString()} (in ${Math.round(delay / 60_000)} min)`;
  }
}
