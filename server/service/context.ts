// What every service operation needs besides its arguments: the store, a clock and an id source.
// Tests freeze the clock (JIT-04 invite expiry, JIT-07 reset expiry) and may fix ids.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';

export interface TeamServiceOptions {
  /** Defaults to the system clock. */
  now?: () => Date;
  /** Defaults to random UUIDs (RFC 9562 v4). */
  idFactory?: () => string;
}

export interface ServiceContext {
  readonly store: Store;
  now(): Date;
  nowIso(): string;
  newId(): string;
}

export function createServiceContext(store: Store, options: TeamServiceOptions = {}): ServiceContext {
  const now = options.now ?? (() => new Date());
  const newId = options.idFactory ?? (() => randomUUID());
  return { store, now, nowIso: () => now().toISOString(), newId };
}
