// The HTTP-Redirect binding's encoding and signature input, shared by senders and receivers of SAML messages.
// SAML bindings 3.4.4.1 (DEFLATE encoding, signed query string `SAMLRequest=..&RelayState=..&SigAlg=..`).

import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { REDIRECT_SIG_ALG_DIGESTS } from './constants.ts';

/** Which message parameter a redirect carries (bindings 3.4.4.1). */
export type RedirectMessageParam = 'SAMLRequest' | 'SAMLResponse';

/** Bindings 3.4.4.1: raw DEFLATE (RFC 1951), then base64, then URL-encoding by the query builder. */
export function deflateAndEncode(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

/** Reverses {@link deflateAndEncode}; the caller has already URL-decoded the value. Caps output at `maxBytes`. */
export function decodeAndInflate(value: string, maxBytes = 256 * 1024): string {
  return inflateRawSync(Buffer.from(value, 'base64'), { maxOutputLength: maxBytes }).toString('utf8');
}

/** One redirect message as received: the URL-decoded values plus the exact octets its signature covers. */
export interface RedirectMessage {
  param: RedirectMessageParam;
  /** The base64 DEFLATEd message, URL-decoded. */
  encoded: string;
  relayState: string | undefined;
  sigAlg: string | undefined;
  signature: string | undefined;
  /** Bindings 3.4.4.1: the signed octets are built from the parameters as they appeared on the wire (still URL-encoded). */
  signedOctets: string | undefined;
}

/**
 * Reads a redirect-binding query string (without the leading `?`). The signature covers the original
 * URL-encoded values, so they are taken from the raw query rather than re-encoded (bindings 3.4.4.1).
 * Undefined when the query carries no SAML message, or when a value is not valid percent-encoding (RFC 3986 2.1):
 * callers refuse both as a malformed request.
 */
export function readRedirectQuery(rawQuery: string): RedirectMessage | undefined {
  try {
    return readRawRedirectQuery(rawQuery);
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}

function readRawRedirectQuery(rawQuery: string): RedirectMessage | undefined {
  const raw = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq);
    if (!raw.has(name)) raw.set(name, part.slice(eq + 1));
  }
  const param: RedirectMessageParam | undefined = raw.has('SAMLRequest')
    ? 'SAMLRequest'
    : raw.has('SAMLResponse')
      ? 'SAMLResponse'
      : undefined;
  if (param === undefined) return undefined;
  const decode = (v: string | undefined): string | undefined =>
    v === undefined ? undefined : decodeURIComponent(v.replace(/\+/g, ' '));
  const rawMessage = raw.get(param) ?? '';
  const rawRelay = raw.get('RelayState');
  const rawSigAlg = raw.get('SigAlg');
  const signedOctets =
    rawSigAlg === undefined
      ? undefined
      : `${param}=${rawMessage}${rawRelay === undefined ? '' : `&RelayState=${rawRelay}`}&SigAlg=${rawSigAlg}`;
  return {
    param,
    encoded: decode(rawMessage) ?? '',
    relayState: decode(rawRelay),
    sigAlg: decode(rawSigAlg),
    signature: decode(raw.get('Signature')),
    signedOctets,
  };
}

/**
 * Builds a redirect query string for `xml`, signed with `key` when given (RSA-SHA256 by default).
 * Bindings 3.4.4.1: sign `param=..[&RelayState=..]&SigAlg=..` with each value URL-encoded, then append Signature.
 */
export function buildRedirectQuery(
  param: RedirectMessageParam,
  xml: string,
  options: { relayState?: string | undefined; signingKey?: KeyObject | undefined; sigAlg?: string } = {},
): string {
  let query = `${param}=${encodeURIComponent(deflateAndEncode(xml))}`;
  if (options.relayState !== undefined) query += `&RelayState=${encodeURIComponent(options.relayState)}`;
  if (options.signingKey === undefined) return query;
  const sigAlg = options.sigAlg ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  const digest = REDIRECT_SIG_ALG_DIGESTS[sigAlg];
  if (digest === undefined) throw new Error(`unsupported SigAlg ${sigAlg}`);
  query += `&SigAlg=${encodeURIComponent(sigAlg)}`;
  const signature = createSign(digest).update(query).sign(options.signingKey).toString('base64');
  return `${query}&Signature=${encodeURIComponent(signature)}`;
}

/** Checks a redirect-binding signature against any of `certs` (PEM or KeyObject); false on unknown SigAlg. */
export function verifyRedirectSignature(
  message: RedirectMessage,
  certs: ReadonlyArray<string | KeyObject>,
): boolean {
  if (message.signedOctets === undefined || message.signature === undefined || message.sigAlg === undefined) {
    return false;
  }
  const digest = REDIRECT_SIG_ALG_DIGESTS[message.sigAlg];
  if (digest === undefined) return false;
  const signature = Buffer.from(message.signature, 'base64');
  for (const cert of certs) {
    try {
      if (createVerify(digest).update(message.signedOctets).verify(cert, signature)) return true;
    } catch {
      // an unreadable certificate is simply not a match
    }
  }
  return false;
}
