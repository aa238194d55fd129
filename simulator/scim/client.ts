// HTTP client of the SCIM pusher: bounded concurrency, retries with backoff on 429/5xx/connection errors, and a
// transcript of every exchange. RFC 7644 3.12 (error statuses), RFC 9110 10.2.3 (Retry-After), RFC 6585 4 (429).
import { ScimPushError } from './errors.ts';
import type { QuarantineMonitor } from './quarantine.ts';
import { failureKindOf } from './quarantine.ts';
import type { HttpTransport, TransportRequest } from './transport.ts';
import { fetchTransport, nodeHttpTransport } from './transport.ts';
import type { JsonValue } from './wire.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as the pusher means it; `query` keeps its order on the wire. */
export interface ScimRequest {
  method: HttpMethod;
  /** path below the base URL, e.g. `/Users` or `/Groups/abc` */
  path: string;
  query?: [string, string][];
  body?: JsonValue;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON, the raw text when it is not JSON, null when empty */
  body: JsonValue | null;
  /** id of the transcript exchange that produced this response */
  exchangeId: number;
}

/** One request/response pair on the wire, as reports and the demo timeline show it. */
export interface ScimExchange {
  id: number;
  /** ISO time the request was sent */
  at: string;
  method: HttpMethod;
  url: string;
  /** Authorization is redacted */
  requestHeaders: Record<string, string>;
  requestBody: JsonValue | null;
  /** null when the connection failed before any response */
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: JsonValue | null;
  durationMs: number;
  /** 1 for the first try, 2+ for retries */
  attempt: number;
  /** connection error text, when status is null */
  error?: string;
  /** what this exchange set off, e.g. Entra's quarantine (shown with the exchange in transcripts) */
  note?: string;
}

export interface RetryPolicy {
  /** tries per request, the first one included */
  maxAttempts: number;
  /** backoff before retry n is baseDelayMs * 2^(n-1), with equal jitter, capped at maxDelayMs */
  baseDelayMs: number;
  maxDelayMs: number;
  /** a longer Retry-After is capped to this */
  maxRetryAfterMs: number;
}

export interface ScimClientConfig {
  /** SCIM base URL, e.g. https://app.example/scim/v2 (OKT-01) */
  baseUrl: string;
  /** headers every request carries (the dialect decides them: Authorization, User-Agent, Accept, Content-Type) */
  headers: (hasBody: boolean) => Record<string, string>;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** keep every exchange in `transcript` (default true; the bench turns it off) */
  keepTranscript?: boolean;
  onExchange?: (exchange: ScimExchange) => void;
  /** injectable for tests: waits ms */
  sleep?: (ms: number) => Promise<void>;
  /** injectable wall clock in epoch ms (Retry-After HTTP-dates, `at`) */
  now?: () => number;
  /** injectable jitter source in [0, 1) */
  random?: () => number;
  /** a WHATWG fetch to send with instead of the node:http transport (tests, special runtimes) */
  fetch?: typeof fetch;
  /** the wire itself; default node:http(s) keep-alive sized to `concurrency` (wins over `fetch`) */
  transport?: HttpTransport;
  /**
   * A request with no complete response after this long is abandoned and retried like a connection error (Entra:
   * 60 s, Microsoft Q&A "Azure AD SCIM attempting to create the same user repeatedly"). Default: no limit.
   */
  requestTimeoutMs?: number;
  /** Entra's quarantine: every call is recorded; while quarantined no request goes out */
  quarantine?: QuarantineMonitor;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 120_000,
};

export const DEFAULT_CONCURRENCY = 8;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** RFC 9110 10.2.3: Retry-After is delay-seconds or an HTTP-date. Returns ms to wait, or null if absent/invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** 429 (RFC 6585 4) and every 5xx are worth another try; other 4xx are final (the request itself is wrong). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function redact(headers: Record<string, string>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = name.toLowerCase() === 'authorization' ? value.replace(/\s.*$/, ' [redacted]') : value;
  }
  return copy;
}

function parseBody(text: string): JsonValue | null {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** RFC 3986 percent-encoding of each pair, spaces as %20 (as Okta sends `userName%20eq%20...`). */
export function encodeQuery(query: [string, string][] | undefined): string {
  if (query === undefined || query.length === 0) return '';
  return `?${query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** A counting semaphore: at most `limit` requests on the wire at once. */
class RequestSlots {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  async acquire(): Promise<void> {
    if (this.#active < this.#limit) {
      this.#active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active -= 1;
  }
}

export class ScimHttpClient {
  readonly baseUrl: string;
  readonly transcript: ScimExchange[] = [];
  readonly #config: ScimClientConfig;
  readonly #retry: RetryPolicy;
  readonly #slots: RequestSlots;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #transport: HttpTransport;
  #nextId = 1;
  /** a 429's Retry-After holds back every request until then (Okta reschedules the whole job) */
  #pausedUntil = 0;
  #requestCount = 0;
  #writeCount = 0;

  constructor(config: ScimClientConfig) {
    this.#config = config;
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
    this.#slots = new RequestSlots(concurrency);
    this.#sleep = config.sleep ?? realSleep;
    this.#now = config.now ?? Date.now;
    this.#random = config.random ?? Math.random;
    this.#transport =
      config.transport ??
      (config.fetch ? fetchTransport(config.fetch) : nodeHttpTransport({ maxSockets: concurrency }));
  }

  /** requests sent so far (retries included) */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** POST/PUT/PATCH/DELETE requests sent so far (retries included) */
  get writeCount(): number {
    return this.#writeCount;
  }

  /**
   * Sends one request, retrying 429, 5xx and connection errors with backoff. Returns the final response whatever
   * its status; throws ScimPushError('network_error') only when no attempt got a response.
   */
  async send(request: ScimRequest): Promise<ScimResponse> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.#config.quarantine?.blocked()) {
        const { nextAttempt, state } = this.#config.quarantine.status();
        throw new ScimPushError(
          'quarantined',
          `${request.method} ${request.path} not sent: the app is ${state === 'disabled' ? 'disabled after a long quarantine' : `in quarantine until ${nextAttempt}`}`,
        );
      }
      await this.#waitForPause();
      await this.#slots.acquire();
      let outcome: { response: ScimResponse } | { error: string };
      try {
        outcome = await this.#attempt(request, attempt);
      } finally {
        this.#slots.release();
      }
      const last = attempt >= this.#retry.maxAttempts;
      if ('response' in outcome) {
        const { response } = outcome;
        if (!isRetryableStatus(response.status) || last) return response;
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.#now());
        if (retryAfter !== null) {
          const wait = Math.min(retryAfter, this.#retry.maxRetryAfterMs);
          if (response.status === 429) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + wait);
          await this.#sleep(wait);
        } else {
          await this.#sleep(this.#backoff(attempt));
        }
      } else {
        if (last) {
          throw new ScimPushError(
            'network_error',
            `${request.method} ${request.path}: ${outcome.error} (after ${attempt} attempts)`,
          );
        }
        await this.#sleep(this.#backoff(attempt));
      }
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.#random());
  }

  async #waitForPause(): Promise<void> {
    const wait = this.#pausedUntil - this.#now();
    if (wait > 0) await this.#sleep(wait);
  }

  async #attempt(
    request: ScimRequest,
    attempt: number,
  ): Promise<{ response: ScimResponse } | { error: string }> {
    const url = `${this.baseUrl}${request.path}${encodeQuery(request.query)}`;
    const hasBody = request.body !== undefined;
    const headers = this.#config.headers(hasBody);
    const id = this.#nextId++;
    const at = new Date(this.#now()).toISOString();
    const started = performance.now();
    this.#requestCount += 1;
    if (request.method !== 'GET') this.#writeCount += 1;
    const base = {
      id,
      at,
      method: request.method,
      url,
      requestHeaders: redact(headers),
      requestBody: request.body ?? null,
      attempt,
    };
    try {
      const outgoing: TransportRequest = { method: request.method, url, headers };
      if (this.#config.requestTimeoutMs !== undefined) outgoing.timeoutMs = this.#config.requestTimeoutMs;
      if (hasBody) outgoing.body = JSON.stringify(request.body);
      const raw = await this.#transport(outgoing);
      const responseHeaders = raw.headers;
      const text = raw.text;
      const body = parseBody(text);
      this.#record({
        ...base,
        status: raw.status,
        responseHeaders,
        responseBody: body,
        durationMs: performance.now() - started,
      });
      return { response: { status: raw.status, headers: responseHeaders, body, exchangeId: id } };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      const text = error instanceof Error ? `${error.message}${cause ? ` (${cause})` : ''}` : String(error);
      this.#record({
        ...base,
        status: null,
        responseHeaders: {},
        responseBody: null,
        durationMs: performance.now() - started,
        error: text,
      });
      return { error: text };
    }
  }

  #record(exchange: ScimExchange): void {
    const note = this.#config.quarantine?.record(failureKindOf(exchange.status, exchange.error));
    if (note) exchange.note = note;
    if (this.#config.keepTranscript !== false) this.transcript.push(exchange);
    this.#config.onExchange?.(exchange);
  }
}
