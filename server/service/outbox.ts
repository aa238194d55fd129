// The reference server's outbox: messages a real deployment would e-mail (JIT-07 password reset links, PRV-10 / SSO-02
// sign-up confirmation links), kept in memory.
// Decision: the server is a simulator with no mail system; the operator-only control route GET /outbox is its mailbox.
import type { OutboxMessageView } from '../control/port.ts';

/** What the sign-in layer hands over (server/signin/signin-service.ts ResetMessage has this shape). */
export interface OutgoingResetMessage {
  kind?: OutboxMessageView['kind'];
  email: string;
  token: string;
  link: string;
  expiresAt: string;
}

/** Keeps at most `capacity` messages (oldest dropped first); one per server process, never persisted. */
export class MailOutbox {
  readonly #messages: OutboxMessageView[] = [];
  readonly #capacity: number;
  readonly #now: () => Date;

  constructor(options: { capacity?: number; now?: () => Date } = {}) {
    this.#capacity = options.capacity ?? 1000;
    this.#now = options.now ?? (() => new Date());
  }

  /** Satisfies the sign-in layer's ResetOutbox. */
  send(message: OutgoingResetMessage): void {
    this.#messages.push({
      to: message.email.toLowerCase(),
      kind: message.kind ?? 'password_reset',
      link: message.link,
      token: message.token,
      expiresAt: message.expiresAt,
      sentAt: this.#now().toISOString(),
    });
    if (this.#messages.length > this.#capacity) this.#messages.shift();
  }

  /** Oldest first; `to` matches the recipient case-insensitively. */
  list(to?: string): OutboxMessageView[] {
    const wanted = to?.trim().toLowerCase();
    return this.#messages
      .filter((message) => wanted === undefined || message.to === wanted)
      .map((m) => ({ ...m }));
  }
}
