// The console's live timeline: every SCIM exchange and every SAML message, kept in order and fanned out to
// subscribers (the SSE stream). idsim issue #6 "A live timeline"; SAML bindings per SAML 2.0 Bindings 3.4/3.5.
import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { ScimExchange } from '../simulator/scim/client.ts';

const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface ScimTimelineEntry {
  kind: 'scim';
  seq: number;
  at: string;
  title: string;
  status: number | null;
  exchange: ScimExchange;
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
  /** the decoded XML, indented */
  prettyXml: string;
  /** e.g. "valid (Response, Assertion)", "unsigned", "invalid: ...", "query-signed (rsa-sha256)" */
  signatureVerdict: string;
  /** a Response the IdP made faulty on purpose (simulator/saml/faults), with its line diff against the genuine one */
  fault?: { id: string; title: string; expected: string; diff: { op: ' ' | '-' | '+'; text: string }[] };
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

  addScimExchange(exchange: ScimExchange): TimelineEntry {
    const path = exchange.url.replace(/^https?:\/\/[^/]+/, '');
    return this.add({
      kind: 'scim',
      title: `${exchange.method} ${path} → ${exchange.status ?? exchange.error ?? 'no response'}`,
      status: exchange.status,
      exchange,
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
