// The SP's memory of the AuthnRequests it sent, so that a Response's InResponseTo names one of them (and only once).
// SAML core 3.2.2 (InResponseTo), profiles 4.1.4.3; also the node-saml CacheProvider adapter that reads it.
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { PendingSamlRequestRepository, PendingSamlRequestRow } from '../store/store.ts';
import { SWEEP_EVERY_MS } from './replay-cache.ts';

/** What the SP remembers about one SP-initiated sign-in while the person is at the IdP. */
export interface PendingAuthnRequest {
  requestId: string;
  /** the auth method whose ACS must receive the answer */
  methodId: string;
  createdAtMs: number;
  /** opaque sign-in context the sign-in service needs when the answer comes back (invite token, portal, ...) */
  context: Readonly<Record<string, string>>;
}

export interface RequestIdCache {
  remember(entry: PendingAuthnRequest): void;
  /** Reads an entry without using it up (null when unknown or expired). */
  peek(requestId: string, nowMs: number): PendingAuthnRequest | null;
  /** Uses the entry up: a second answer to the same request is refused. */
  forget(requestId: string): void;
}

/** How long the person may stay at the IdP before the answer is refused (default 10 minutes). */
export const DEFAULT_REQUEST_TTL_MS = 10 * 60_000;

/**
 * The server's implementation: requests in the Store (saml_pending_requests, with an expiry column), so an
 * AuthnRequest sent before a restart is still answered after it, and one answered once stays used. `kind` keeps
 * AuthnRequests and the SP's own LogoutRequests apart, so an answer to one is never taken for the other.
 */
export class StoreRequestIdCache implements RequestIdCache {
  readonly #repository: PendingSamlRequestRepository;
  readonly #kind: PendingSamlRequestRow['kind'];
  readonly #ttlMs: number;
  #lastSweepMs = 0;

  constructor(
    repository: PendingSamlRequestRepository,
    kind: PendingSamlRequestRow['kind'],
    options: { ttlMs?: number } = {},
  ) {
    this.#repository = repository;
    this.#kind = kind;
    this.#ttlMs = options.ttlMs ?? DEFAULT_REQUEST_TTL_MS;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  remember(entry: PendingAuthnRequest): void {
    if (entry.createdAtMs - this.#lastSweepMs >= SWEEP_EVERY_MS) {
      this.#lastSweepMs = entry.createdAtMs;
      this.#repository.sweep(entry.createdAtMs);
    }
    this.#repository.put({
      kind: this.#kind,
      requestId: entry.requestId,
      methodId: entry.methodId,
      createdAtMs: entry.createdAtMs,
      expiresAtMs: entry.createdAtMs + this.#ttlMs,
      context: { ...entry.context },
    });
  }

  peek(requestId: string, nowMs: number): PendingAuthnRequest | null {
    const row = this.#repository.get(this.#kind, requestId, nowMs);
    if (row === null) return null;
    return {
      requestId: row.requestId,
      methodId: row.methodId,
      createdAtMs: row.createdAtMs,
      context: row.context,
    };
  }

  forget(requestId: string): void {
    this.#repository.delete(this.#kind, requestId);
  }
}

/** In-process implementation (unit tests); entries expire after `ttlMs` (default 10 minutes at the IdP). */
export class InMemoryRequestIdCache implements RequestIdCache {
  readonly #entries = new Map<string, PendingAuthnRequest>();
  readonly #ttlMs: number;

  constructor(options: { ttlMs?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_REQUEST_TTL_MS;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  remember(entry: PendingAuthnRequest): void {
    if (this.#entries.size > 10_000) this.#sweep(entry.createdAtMs);
    this.#entries.set(entry.requestId, entry);
  }

  peek(requestId: string, nowMs: number): PendingAuthnRequest | null {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return null;
    if (entry.createdAtMs + this.#ttlMs <= nowMs) {
      this.#entries.delete(requestId);
      return null;
    }
    return entry;
  }

  forget(requestId: string): void {
    this.#entries.delete(requestId);
  }

  #sweep(nowMs: number): void {
    for (const [id, entry] of this.#entries)
      if (entry.createdAtMs + this.#ttlMs <= nowMs) this.#entries.delete(id);
  }
}

/**
 * node-saml's view of a RequestIdCache: it asks `getAsync(id)` for the request's creation time (it parses the value
 * as a date) and calls `removeAsync(id)` once the answer was used. Saving is done by this project's AuthnRequest
 * builder, never by node-saml.
 */
export function nodeSamlCacheProvider(cache: RequestIdCache, now: () => number = Date.now): CacheProvider {
  return {
    saveAsync: async (): Promise<CacheItem | null> => null,
    getAsync: async (key: string): Promise<string | null> => {
      const entry = cache.peek(key, now());
      return entry === null ? null : new Date(entry.createdAtMs).toISOString();
    },
    removeAsync: async (key: string | null): Promise<string | null> => {
      if (key !== null) cache.forget(key);
      return key;
    },
  };
}
