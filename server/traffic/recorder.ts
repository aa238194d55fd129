// What the reference server saw on the wire, for anyone who subscribes (the demo console's timeline): every SCIM
// request it answered and every SAML message its SP validated, with the verdict and a refusal's code. idsim issue #15.
// Cheap when nobody listens: the routers check `active` (one boolean) before they copy anything.

/** One SCIM request as the server received and answered it (RFC 7644 3.1); secrets in headers are masked. */
export interface ServerScimRecord {
  kind: 'scim';
  method: string;
  /** path and query as received, e.g. `/scim/v2/Users?filter=…` */
  path: string;
  requestHeaders: Record<string, string>;
  /** the body as received (UTF-8), or null */
  requestBody: string | null;
  status: number;
  responseHeaders: Record<string, string>;
  /** the body as sent, or null */
  responseBody: string | null;
  /** who sent it: the User-Agent, `unknown` without one */
  client: string;
}

/** One SAML message the SP validated (SAML bindings 3.4 HTTP-Redirect, 3.5 HTTP-POST). */
export interface ServerSamlRecord {
  kind: 'saml';
  /** e.g. `POST /saml/{methodId}/acs` */
  endpoint: string;
  binding: 'HTTP-Redirect' | 'HTTP-POST';
  /** the form or query parameter that carried it */
  parameter: 'SAMLResponse' | 'SAMLRequest';
  /** the parameter's value exactly as received (base64, DEFLATEd for HTTP-Redirect) */
  encoded: string;
  /** what the SP decided: accepted, or refused with the stable code of its refusal page */
  verdict: 'accepted' | 'refused';
  code: string | null;
  status: number;
  client: string;
}

export type ServerTrafficRecord = ServerScimRecord | ServerSamlRecord;

export type TrafficListener = (record: ServerTrafficRecord) => void;

/** Headers whose values are credentials: only their scheme and first characters are kept. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie']);

/** Masks a credential so a timeline can show which key was used without replaying it. */
export function maskSecret(value: string): string {
  const [scheme, token] = value.includes(' ') ? value.split(/ +/, 2) : ['', value];
  const shown = (token ?? '').slice(0, 14);
  return `${scheme ? `${scheme} ` : ''}${shown}${(token ?? '').length > 14 ? '…' : ''}`;
}

/** Copies headers to plain strings, masking credentials. */
export function recordableHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? maskSecret(text) : text;
  }
  return out;
}

/** Fans records out to listeners; a listener that throws is dropped from that record only. */
export class TrafficRecorder {
  readonly #listeners = new Set<TrafficListener>();
  #active = false;

  /** true while someone listens; the routers record nothing otherwise */
  get active(): boolean {
    return this.#active;
  }

  subscribe(listener: TrafficListener): () => void {
    this.#listeners.add(listener);
    this.#active = true;
    return () => {
      this.#listeners.delete(listener);
      this.#active = this.#listeners.size > 0;
    };
  }

  record(record: ServerTrafficRecord): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // a broken listener must not break the request it observes
      }
    }
  }
}
