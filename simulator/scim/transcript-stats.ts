// What a transcript says about a push as a whole: request rate (overall and the busiest second), statuses, errors,
// retries and quarantine notes, for storms (bulk unassignment, large group deletion, mass changes). issue #13.
import type { ScimExchange } from './client.ts';

export interface TranscriptStats {
  requests: number;
  /** from the first request sent to the last one answered */
  durationMs: number;
  requestsPerSecond: number;
  /** the most requests sent within one wall-clock second */
  peakRequestsPerSecond: number;
  /** count per status, "network" for exchanges that got no response */
  byStatus: Record<string, number>;
  /** exchanges with a 4xx/5xx or no response */
  errors: number;
  /** exchanges that were a retry (attempt > 1) */
  retries: number;
  byMethod: Record<string, number>;
  /** notes the client attached (Entra quarantine) */
  notes: string[];
}

export function transcriptStats(exchanges: readonly ScimExchange[]): TranscriptStats {
  const byStatus: Record<string, number> = {};
  const byMethod: Record<string, number> = {};
  const perSecond = new Map<number, number>();
  let errors = 0;
  let retries = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const notes: string[] = [];
  for (const exchange of exchanges) {
    const key = exchange.status === null ? 'network' : String(exchange.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    byMethod[exchange.method] = (byMethod[exchange.method] ?? 0) + 1;
    if (exchange.status === null || exchange.status >= 400) errors += 1;
    if (exchange.attempt > 1) retries += 1;
    if (exchange.note) notes.push(exchange.note);
    const sent = Date.parse(exchange.at);
    first = Math.min(first, sent);
    last = Math.max(last, sent + exchange.durationMs);
    const second = Math.floor(sent / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const durationMs = exchanges.length === 0 ? 0 : Math.max(0, last - first);
  return {
    requests: exchanges.length,
    durationMs,
    requestsPerSecond: durationMs > 0 ? (exchanges.length * 1000) / durationMs : exchanges.length,
    peakRequestsPerSecond: Math.max(0, ...perSecond.values()),
    byStatus,
    errors,
    retries,
    byMethod,
    notes,
  };
}
