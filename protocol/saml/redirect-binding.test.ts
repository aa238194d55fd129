// The HTTP-Redirect binding helpers: DEFLATE round trip and the signature over the raw query parameters.
// SAML bindings 3.4.4.1.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIG_RSA_SHA256 } from './constants.ts';
import {
  buildRedirectQuery,
  decodeAndInflate,
  readRedirectQuery,
  verifyRedirectSignature,
} from './redirect-binding.ts';
import { escapeXmlAttr, escapeXmlText } from './xml-text.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const XML = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>';

describe('bindings 3.4.4.1: HTTP-Redirect encoding and signature', () => {
  it('round-trips the message and RelayState through DEFLATE + base64 + URL encoding', () => {
    const query = buildRedirectQuery('SAMLRequest', XML, { relayState: 'a b&c=d/é' });
    const message = readRedirectQuery(query);
    expect(message?.param).toBe('SAMLRequest');
    expect(message?.relayState).toBe('a b&c=d/é');
    expect(decodeAndInflate(message?.encoded ?? '')).toBe(XML);
    expect(message?.signature).toBeUndefined();
  });

  it('verifies with the signer key, fails with another key or a changed RelayState', () => {
    const query = buildRedirectQuery('SAMLRequest', XML, { relayState: 'r', signingKey: privateKey });
    const message = readRedirectQuery(query);
    expect(message?.sigAlg).toBe(SIG_RSA_SHA256);
    expect(message?.signedOctets?.startsWith('SAMLRequest=')).toBe(true);
    expect(message?.signedOctets).toContain('&RelayState=r&SigAlg=');
    if (message === undefined) throw new Error('unreadable');
    expect(verifyRedirectSignature(message, [other, publicKey])).toBe(true);
    expect(verifyRedirectSignature(message, [other])).toBe(false);
    const tampered = readRedirectQuery(query.replace('RelayState=r', 'RelayState=x'));
    expect(tampered !== undefined && verifyRedirectSignature(tampered, [publicKey])).toBe(false);
  });

  it('returns undefined for a query without a SAML message', () => {
    expect(readRedirectQuery('foo=bar')).toBeUndefined();
    // RFC 3986 2.1: a broken percent-escape is a malformed request, not an exception.
    expect(readRedirectQuery('SAMLRequest=%E0%A4%A')).toBeUndefined();
    expect(readRedirectQuery('SAMLRequest=abc&Signature=%ZZ')).toBeUndefined();
  });
});

describe('XML escaping for templates', () => {
  it('escapes text and attribute values', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttr(`"x'\n<`)).toBe('&quot;x&apos;&#10;&lt;');
  });
});
