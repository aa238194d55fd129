// The console's live timeline: every SCIM exchange and every SAML message, kept in order and fanned out to
// subscribers (the SSE stream): the IdP's own sends, and what the reference server received and decided, whatever the
// client (idsim issues #6 and #15). SAML bindings per SAML 2.0 Bindings 3.4/3.5; encrypted assertions per core 2.3.4.
import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { ServerSamlRecord, ServerScimRecord } from '../server/traffic/recorder.ts';
import type { ScimExchange } from '../simulator/scim/client.ts';

const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** Who saw the message: the simulator IdP as it sent it, or the reference server as it received it. */
export type TimelineSource = 'idp' | 'server';

/** A SCIM exchange; bodies that are not JSON are kept as text. */
export interface TimelineScimExchange
  extends Omit<ScimExchange, 'requestBody' | 'responseBody' | 'id' | 'attempt' | 'durationMs'> {
  requestBody: unknown;
  responseBody: unknown;
  attempt?: number;
  durationMs?: number;
}

export interface ScimTimelineEntry {
  kind: 'scim';
  seq: number;
  at: string;
  title: string;
  status: number | null;
  source: TimelineSource;
  /** the sending client (User-Agent) of a request the server received */
  client: string | null;
  exchange: TimelineScimExchange;
}

export type SamlMessageName =
  | 'AuthnRequest'
  | 'Response'
  | 'LogoutRequest'
  | 'LogoutResponse'
  | 'SAML message';

export interface SamlTimelineEntry {
  kind: 'saml';
  seq: number;
  at: string;
  title: string;
  message: SamlMessageName;
  binding: 'HTTP-Redirect' | 'HTTP-POST';
  /** where the message was sent */
  url: string;
  source: TimelineSource;
  /** the decoded XML exactly as sent (the bytes inside the base64, inflated for HTTP-Redirect) */
  rawXml: string;
  /** the decoded XML, indented */
  prettyXml: string;
  /** e.g. "valid (Response, Assertion)", "unsigned", "invalid: ...", "query-signed (rsa-sha256)" */
  signatureVerdict: string;
  /** a Response the IdP made faulty on purpose (simulator/saml/faults), with its line diff against the genuine one */
  fault?: { id: string; title: string; expected: string; diff: { op: ' ' | '-' | '+'; text: string }[] };
  /** the server's decision on a message it validated: accepted, or refused with its stable code */
  spVerdict: { accepted: boolean; code: string | null; status: number } | null;
  /** an EncryptedAssertion's plaintext (indented), as the IdP built it before encrypting; null otherwise */
  decryptedAssertion: string | null;
}

export interface NoteTimelineEntry {
  kind: 'note';
  seq: number;
  at: string;
  title: string;
  detail: string;
}

export type TimelineEntry = ScimTimelineEntry | SamlTimelineEntry | NoteTimelineEntry;
type NewEntry =
  | Omit<ScimTimelineEntry, 'seq' | 'at'>
  | Omit<SamlTimelineEntry, 'seq' | 'at'>
  | Omit<NoteTimelineEntry, 'seq' | 'at'>;

/** An append-only list of entries with listeners; `limit` keeps memory bounded in long demos. */
export class Timeline {
  readonly #entries: TimelineEntry[] = [];
  readonly #listeners = new Set<(entry: TimelineEntry) => void>();
  readonly #limit: number;
  #seq = 0;

  constructor(limit = 2000) {
    this.#limit = limit;
  }

  add(entry: NewEntry): TimelineEntry {
    this.#seq += 1;
    const full = { ...entry, seq: this.#seq, at: new Date().toISOString() } as TimelineEntry;
    this.#entries.push(full);
    if (this.#entries.length > this.#limit) this.#entries.shift();
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  /** A SCIM exchange as the IdP's pusher sent it. */
  addScimExchange(exchange: ScimExchange): TimelineEntry {
    const path = exchange.url.replace(/^https?:\/\/[^/]+/, '');
    return this.add({
      kind: 'scim',
      title: `${exchange.method} ${path} → ${exchange.status ?? exchange.error ?? 'no response'}`,
      status: exchange.status,
      source: 'idp',
      client: null,
      exchange,
    });
  }

  /** A SCIM request the reference server received and answered (any client: the pusher, curl, another tool). */
  addServerScim(record: ServerScimRecord, baseUrl: string, at = new Date()): TimelineEntry {
    return this.add({
      kind: 'scim',
      title: `${record.method} ${readablePath(record.path)} → ${record.status} (from ${clientName(record.client)})`,
      status: record.status,
      source: 'server',
      client: record.client,
      exchange: {
        at: at.toISOString(),
        method: record.method as ScimExchange['method'],
        url: `${baseUrl}${record.path}`,
        requestHeaders: record.requestHeaders,
        requestBody: jsonOrText(record.requestBody),
        status: record.status,
        responseHeaders: record.responseHeaders,
        responseBody: jsonOrText(record.responseBody),
      },
    });
  }

  /** A SAML message the reference server's SP validated, with its decision. */
  addServerSaml(record: ServerSamlRecord, baseUrl: string, plaintextOf: PlaintextLookup): TimelineEntry {
    let xml: string;
    try {
      xml =
        record.binding === 'HTTP-Redirect'
          ? decodeRedirectMessage(record.encoded)
          : decodePostMessage(record.encoded);
    } catch {
      xml = '';
    }
    const message = samlMessageName(xml);
    const verdict = record.verdict === 'accepted' ? 'accepted' : `refused ${record.code ?? ''}`.trim();
    return this.add({
      kind: 'saml',
      title: `SP ${verdict}: ${message} at ${record.endpoint} (${record.binding}, from ${clientName(record.client)})`,
      message,
      binding: record.binding,
      url: `${baseUrl}${record.endpoint.replace(/^\S+ /, '')}`,
      source: 'server',
      rawXml: xml === '' ? record.encoded : xml,
      prettyXml: xml === '' ? '(not base64 XML)' : prettyPrintXml(xml),
      signatureVerdict: `checked by the SP: ${verdict}`,
      spVerdict: { accepted: record.verdict === 'accepted', code: record.code, status: record.status },
      decryptedAssertion: decryptedAssertionOf(xml, plaintextOf),
    });
  }

  /** Entries oldest first. */
  list(): TimelineEntry[] {
    return [...this.#entries];
  }

  subscribe(listener: (entry: TimelineEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** Finds the plaintext of an encrypted assertion by the Response's ID (the IdP keeps what it sent). */
export type PlaintextLookup = (responseId: string) => string | undefined;

/** For a Response holding an EncryptedAssertion: the assertion as the IdP built it, indented; else null. */
export function decryptedAssertionOf(xml: string, plaintextOf: PlaintextLookup): string | null {
  if (!/<(?:[\w-]+:)?EncryptedAssertion[\s>]/.test(xml)) return null;
  const responseId = /<(?:[\w-]+:)?Response\b[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  const plaintext = responseId === undefined ? undefined : plaintextOf(responseId);
  return plaintext === undefined
    ? '(not available: the IdP that encrypted it is not this simulator, or its log has moved on)'
    : prettyPrintXml(plaintext);
}

/** The path with its query decoded for reading (`filter=userName eq "x"`); the exchange keeps the raw URL. */
function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function jsonOrText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A short name for a User-Agent: the product token ("curl/8.5.0" → "curl"), the simulator's pusher by its name. */
export function clientName(userAgent: string): string {
  if (userAgent === 'unknown') return 'an unnamed client';
  const product = userAgent.split(/[\s/]/, 1)[0] ?? userAgent;
  return product.length > 0 ? product : userAgent;
}

/** Indents XML one element per line (text content stays beside its element). */
export function prettyPrintXml(xml: string): string {
  const tokens = xml
    .replace(/>\s+</g, '><')
    .split(/(<[^>]+>)/)
    .filter((token) => token !== '');
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const next = tokens[i + 1] ?? '';
    const after = tokens[i + 2] ?? '';
    if (token.startsWith('<?')) {
      lines.push(token);
    } else if (token.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(`${'  '.repeat(depth)}${token}`);
    } else if (token.startsWith('<') && token.endsWith('/>')) {
      lines.push(`${'  '.repeat(depth)}${token}`);
    } else if (token.startsWith('<') && !next.startsWith('<') && after.startsWith('</')) {
      lines.push(`${'  '.repeat(depth)}${token}${next}${after}`);
      i += 2;
    } else if (token.startsWith('<')) {
      lines.push(`${'  '.repeat(depth)}${token}`);
      depth += 1;
    } else {
      lines.push(`${'  '.repeat(depth)}${token}`);
    }
  }
  return lines.join('\n');
}

/** Which protocol message the XML's root element is (SAML Core 3.2.1, 3.4.1, 3.7.1). */
export function samlMessageName(xml: string): SamlMessageName {
  const root = /<(?:[\w-]+:)?(AuthnRequest|Response|LogoutRequest|LogoutResponse)[\s>]/.exec(xml)?.[1];
  return (root as SamlMessageName | undefined) ?? 'SAML message';
}

/**
 * Checks every enveloped XML signature in the message against the IdP's certificate (XML-DSig core validation,
 * via xml-crypto). The verdict names what was signed; an encrypted assertion's own signature is not visible here.
 */
export function signatureVerdict(xml: string, trustedCertPem: string | null): string {
  let signatures: Element[];
  try {
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    signatures = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NS, 'Signature'));
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (signatures.length === 0) return 'unsigned';
  if (trustedCertPem === null) return `signed (${signatures.length}), not checked: no trusted certificate`;
  const signed: string[] = [];
  for (const signature of signatures) {
    const parent = signature.parentNode as Element | null;
    const what = parent?.localName ?? 'element';
    try {
      const verifier = new SignedXml({ publicCert: trustedCertPem });
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) return `invalid: the ${what} signature does not verify`;
      signed.push(what);
    } catch (error) {
      return `invalid: the ${what} signature does not verify (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return `valid (${signed.join(', ')})`;
}

/** HTTP-Redirect binding (Bindings 3.4.4.1): base64 of DEFLATE-compressed XML. */
export function decodeRedirectMessage(value: string): string {
  return inflateRawSync(Buffer.from(value, 'base64')).toString('utf8');
}

/** HTTP-POST binding (Bindings 3.5.4): base64 of the XML. */
export function decodePostMessage(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}
