// The short-lived, single-use step between a valid SSO assertion and the password that links an existing account.
// Catalogue JIT-06 (confirm the existing account's own password) and JIT-07 (reset it first, then link).
import { randomBytes } from 'node:crypto';
import type { SsoSessionFacts } from './verified-identity.ts';

export interface LinkTicket {
  id: string;
  accountId: string;
  teamId: string;
  methodId: string;
  /** present when the sign-in started from an invite link */
  inviteToken: string | null;
  email: string;
  givenName: string;
  familyName: string;
  /** where the person lands once linked (a RelayState path), null for the team home */
  landingPath: string | null;
  /** the SSO session facts (SAML NameID and SessionIndex, or the OIDC sub), for the session the link creates */
  sso: SsoSessionFacts;
  expiresAtMs: number;
}

/** In-process tickets (10 minutes, used once); like the replay cache, a multi-process deployment shares them. */
export class LinkTicketStore {
  readonly #tickets = new Map<string, LinkTicket>();
  readonly #ttlMs: number;

  constructor(options: { ttlMs?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
  }

  issue(input: Omit<LinkTicket, 'id' | 'expiresAtMs'>, nowMs: number): LinkTicket {
    for (const [id, t] of this.#tickets) if (t.expiresAtMs <= nowMs) this.#tickets.delete(id);
    const ticket = { ...input, id: randomBytes(24).toString('base64url'), expiresAtMs: nowMs + this.#ttlMs };
    this.#tickets.set(ticket.id, ticket);
    return ticket;
  }

  peek(id: string, nowMs: number): LinkTicket | null {
    const ticket = this.#tickets.get(id);
    return ticket !== undefined && ticket.expiresAtMs > nowMs ? ticket : null;
  }

  consume(id: string): void {
    this.#tickets.delete(id);
  }
}
