// The Response builder under a frozen clock: element order, signature placement after Issuer, timing, escaping.
// SAML core 2.3.3 (assertion order), 5.4.1-5.4.2 (signature after Issuer, URI = #ID, exc-c14n); profiles 4.1.4.2.

import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { NS_ASSERTION, NS_PROTOCOL, NS_XMLDSIG, parseSamlXml } from '../../../protocol/saml/index.ts';
import { defaultSigningCredentials } from '../keys.ts';
import { type BuildResponseOptions, buildSamlResponse } from '../response.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const credentials = defaultSigningCredentials();

function options(overrides: Partial<BuildResponseOptions> = {}): BuildResponseOptions {
  return {
    issuer: 'https://idp.example.com/metadata',
    acsUrl: 'https://sp.example.com/acs',
    audience: 'https://sp.example.com/metadata',
    inResponseTo: '_req1',
    nameId: 'ann@example.com',
    attributes: [
      { name: 'email', values: ['ann@example.com'] },
      { name: 'groups', values: ['R&D', 'Sales <EU>'] },
    ],
    authnInstant: new Date('2026-11-25T11:59:00.000Z'),
    sessionIndex: '_s1',
    sessionNotOnOrAfter: new Date('2026-11-25T20:00:00.000Z'),
    now: NOW,
    signResponse: true,
    signAssertion: true,
    credentials,
    responseId: '_resp',
    assertionId: '_assert',
    ...overrides,
  };
}

function children(el: Element): string[] {
  const names: string[] = [];
  for (let n = el.firstChild; n !== null; n = n.nextSibling)
    if (n.nodeType === 1) names.push((n as Element).localName ?? '');
  return names;
}

function verify(xml: string, localName: string): boolean {
  const doc = parseSamlXml(xml);
  const el = doc.getElementsByTagNameNS(localName === 'Response' ? NS_PROTOCOL : NS_ASSERTION, localName)[0];
  const signature = el === undefined ? undefined : children(el).indexOf('Signature');
  if (el === undefined || signature === undefined || signature < 0) return false;
  const sigEl = el.getElementsByTagNameNS(NS_XMLDSIG, 'Signature')[0];
  const verifier = new SignedXml({ publicCert: credentials.certPem });
  if (sigEl === undefined) return false;
  verifier.loadSignature(sigEl.toString());
  return verifier.checkSignature(xml);
}

describe('buildSamlResponse (core 2.3.3, 3.2.2, 5.4)', () => {
  it('orders elements as the schema requires and places each Signature right after Issuer', async () => {
    const built = await buildSamlResponse(options());
    const root = parseSamlXml(built.xml).documentElement;
    if (root === null) throw new Error('no root');
    expect(children(root)).toEqual(['Issuer', 'Signature', 'Status', 'Assertion']);
    const assertion = root.getElementsByTagNameNS(NS_ASSERTION, 'Assertion')[0];
    if (assertion === undefined) throw new Error('no assertion');
    expect(children(assertion)).toEqual([
      'Issuer',
      'Signature',
      'Subject',
      'Conditions',
      'AuthnStatement',
      'AttributeStatement',
    ]);
    expect(built.xml).toContain('<ds:Reference URI="#_resp">');
    expect(built.xml).toContain('<ds:Reference URI="#_assert">');
    expect(built.xml).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(built.xml).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
  });

  it('both signatures verify with xml-crypto against the IdP certificate', async () => {
    const built = await buildSamlResponse(options());
    expect(verify(built.xml, 'Response')).toBe(true);
    expect(verify(built.xml, 'Assertion')).toBe(true);
  });

  it('carries the session and timing facts of profiles 4.1.4.2 under the frozen clock', async () => {
    const { xml, notOnOrAfter } = await buildSamlResponse(options({ assertionTtlMs: 120_000 }));
    expect(notOnOrAfter.toISOString()).toBe('2026-11-25T12:02:00.000Z');
    expect(xml).toContain('Destination="https://sp.example.com/acs" ID="_resp" InResponseTo="_req1"');
    expect(xml).toContain(
      'InResponseTo="_req1" NotOnOrAfter="2026-11-25T12:02:00.000Z" Recipient="https://sp.example.com/acs"',
    );
    expect(xml).toContain(
      '<saml:Conditions NotBefore="2026-11-25T11:59:00.000Z" NotOnOrAfter="2026-11-25T12:02:00.000Z">',
    );
    expect(xml).toContain('<saml:Audience>https://sp.example.com/metadata</saml:Audience>');
    expect(xml).toContain(
      'AuthnInstant="2026-11-25T11:59:00.000Z" SessionIndex="_s1" SessionNotOnOrAfter="2026-11-25T20:00:00.000Z"',
    );
    expect(xml).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ann@example.com<');
  });

  it('escapes attribute values and signs only what is asked', async () => {
    const built = await buildSamlResponse(options({ signResponse: false }));
    expect(built.xml).toContain('>R&amp;D<');
    expect(built.xml).toContain('>Sales &lt;EU&gt;<');
    expect(built.xml).not.toMatch(/\/>/);
    const root = parseSamlXml(built.xml).documentElement;
    if (root === null) throw new Error('no root');
    expect(children(root)).toEqual(['Issuer', 'Status', 'Assertion']);
    expect(verify(built.xml, 'Assertion')).toBe(true);
  });

  it('an IdP-initiated response has no InResponseTo anywhere', async () => {
    const built = await buildSamlResponse(options({ inResponseTo: undefined }));
    expect(built.xml).not.toContain('InResponseTo');
  });

  it('the template signer produces the same digests and signature values as xml-crypto (one or both signed)', async () => {
    const values = (xml: string): string[] =>
      [...xml.matchAll(/<ds:(DigestValue|SignatureValue)>([^<]+)</g)].map((m) => m[2] ?? '');
    for (const signing of [
      { signResponse: true, signAssertion: true },
      { signResponse: true, signAssertion: false },
      { signResponse: false, signAssertion: true },
    ]) {
      const nasty = {
        nameId: 'a&b"c\'d<e>f\tg@example.com',
        attributes: [{ name: 'x "q" & <y>', values: ['v\r\nw'] }],
      };
      const viaTemplate = await buildSamlResponse(options({ ...signing, ...nasty }));
      const viaXmlCrypto = await buildSamlResponse(options({ ...signing, ...nasty, signer: 'xml-crypto' }));
      const expected = (signing.signResponse ? 2 : 0) + (signing.signAssertion ? 2 : 0);
      expect(values(viaTemplate.xml)).toHaveLength(expected);
      expect(values(viaTemplate.xml)).toEqual(values(viaXmlCrypto.xml));
      if (signing.signResponse) expect(verify(viaTemplate.xml, 'Response')).toBe(true);
      if (signing.signAssertion) expect(verify(viaTemplate.xml, 'Assertion')).toBe(true);
    }
  });
});
