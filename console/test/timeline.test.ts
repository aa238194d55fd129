// Unit tests of the timeline helpers: entry ordering and listeners, XML pretty-printing, SAML message naming and
// the XML-DSig signature verdict (valid, tampered, wrong key, unsigned) shown beside each SAML message.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultSigningCredentials, rogueSigningCredentials } from '../../simulator/saml/keys.ts';
import { signRootElement } from '../../simulator/saml/signer.ts';
import type { TimelineEntry } from '../timeline.ts';
import {
  decodePostMessage,
  decodeRedirectMessage,
  decryptedAssertionOf,
  prettyPrintXml,
  samlMessageName,
  signatureVerdict,
  Timeline,
} from '../timeline.ts';

const RESPONSE =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">' +
  '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example/metadata</saml:Issuer>' +
  '</samlp:Response>';

describe('Timeline', () => {
  it('numbers entries, lists them oldest first, tells listeners and drops the oldest past its limit', () => {
    const timeline = new Timeline(2);
    const seen: TimelineEntry[] = [];
    const unsubscribe = timeline.subscribe((entry) => seen.push(entry));
    timeline.add({ kind: 'note', title: 'one', detail: '' });
    timeline.add({ kind: 'note', title: 'two', detail: '' });
    unsubscribe();
    timeline.add({ kind: 'note', title: 'three', detail: '' });
    expect(timeline.list().map((e) => [e.seq, e.title])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(seen.map((e) => e.title)).toEqual(['one', 'two']);
  });
});

describe('SAML message helpers', () => {
  it('pretty-prints one element per line with text kept inline', () => {
    expect(prettyPrintXml('<a><b>x</b><c/><d><e>y</e></d></a>')).toBe(
      '<a>\n  <b>x</b>\n  <c/>\n  <d>\n    <e>y</e>\n  </d>\n</a>',
    );
  });

  it('names the message by its root element', () => {
    expect(samlMessageName(RESPONSE)).toBe('Response');
    expect(samlMessageName('<samlp:AuthnRequest xmlns:samlp="x" ID="a"/>')).toBe('AuthnRequest');
    expect(samlMessageName('<samlp:LogoutRequest xmlns:samlp="x">')).toBe('LogoutRequest');
    expect(samlMessageName('<other/>')).toBe('SAML message');
  });

  it('decodes the redirect (deflate + base64) and POST (base64) bindings', () => {
    expect(decodeRedirectMessage(deflateRawSync(Buffer.from(RESPONSE)).toString('base64'))).toBe(RESPONSE);
    expect(decodePostMessage(Buffer.from(RESPONSE).toString('base64'))).toBe(RESPONSE);
  });

  it('gives a signature verdict: valid, tampered, wrong key, unsigned', () => {
    const idp = defaultSigningCredentials();
    const signed = signRootElement(RESPONSE, 'Response', idp);
    expect(signatureVerdict(signed, idp.certPem)).toBe('valid (Response)');
    const tampered = signed.replace('https://idp.example/metadata', 'https://evil.example/metadata');
    expect(signatureVerdict(tampered, idp.certPem)).toMatch(
      /^invalid: the Response signature does not verify/,
    );
    const rogue = signRootElement(RESPONSE, 'Response', rogueSigningCredentials());
    expect(signatureVerdict(rogue, idp.certPem)).toMatch(/^invalid/);
    expect(signatureVerdict(RESPONSE, idp.certPem)).toBe('unsigned');
    expect(signatureVerdict(signed, null)).toMatch(/^signed \(1\), not checked/);
  });
});

describe("the server's records on the timeline (issue #15 items 4 and 9)", () => {
  it('titles a SCIM record with its decoded query and the client, keeping the raw URL in the exchange', () => {
    const timeline = new Timeline();
    const entry = timeline.addServerScim(
      {
        kind: 'scim',
        method: 'GET',
        path: '/scim/v2/Users?filter=userName%20eq%20%22a%40b.example%22',
        requestHeaders: { authorization: 'Bearer idsim_scim_abc…' },
        requestBody: null,
        status: 200,
        responseHeaders: {},
        responseBody: '{"totalResults":0}',
        client: 'curl/8.5.0',
      },
      'http://127.0.0.1:1',
    );
    expect(entry.title).toBe('GET /scim/v2/Users?filter=userName eq "a@b.example" → 200 (from curl)');
    expect(entry.kind === 'scim' && entry.exchange.url).toBe(
      'http://127.0.0.1:1/scim/v2/Users?filter=userName%20eq%20%22a%40b.example%22',
    );
    expect(entry.kind === 'scim' && entry.exchange.responseBody).toEqual({ totalResults: 0 });
  });

  it('shows a refused SAML Response with its code, and an encrypted one beside its plaintext', () => {
    const timeline = new Timeline();
    const encrypted =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_enc1">' +
      '<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">…</saml:EncryptedAssertion>' +
      '</samlp:Response>';
    const plaintext = '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"/>';
    const entry = timeline.addServerSaml(
      {
        kind: 'saml',
        endpoint: 'POST /saml/m1/acs',
        binding: 'HTTP-POST',
        parameter: 'SAMLResponse',
        encoded: Buffer.from(encrypted).toString('base64'),
        verdict: 'refused',
        code: 'jit_disabled',
        status: 403,
        client: 'Mozilla/5.0 (X11)',
      },
      'http://127.0.0.1:1',
      (id) => (id === '_enc1' ? plaintext : undefined),
    );
    expect(entry).toMatchObject({
      title: 'SP refused jit_disabled: Response at POST /saml/m1/acs (HTTP-POST, from Mozilla)',
      rawXml: encrypted,
      decryptedAssertion: plaintext,
      spVerdict: { accepted: false, code: 'jit_disabled', status: 403 },
    });
    expect(decryptedAssertionOf(RESPONSE, () => plaintext)).toBeNull();
    expect(decryptedAssertionOf(encrypted, () => undefined)).toMatch(/^\(not available/);
  });
});
