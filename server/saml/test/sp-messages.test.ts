// Unit tests of the SP's own messages, key and caches: AuthnRequest (core 3.4.1, bindings 3.4.4.1), SP metadata
// (metadata 2.4.1.1 / 2.4.4), the SP key pair, the replay cache's retention window, the request-ID cache's single use.
import { readFileSync } from 'node:fs';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import {
  BINDING_HTTP_REDIRECT,
  decodeAndInflate,
  NS_METADATA,
  NS_XMLDSIG,
  parseSamlXml,
} from '../../../protocol/saml/index.ts';
import { startAuthnRequest } from '../authn-request.ts';
import { InMemoryReplayCache } from '../replay-cache.ts';
import { InMemoryRequestIdCache, nodeSamlCacheProvider } from '../request-id-cache.ts';
import { defaultSpCredentials, spCredentialsFromPem } from '../sp-credentials.ts';
import { spEndpoints } from '../sp-endpoints.ts';
import { buildSpMetadata } from '../sp-metadata.ts';

const endpoints = spEndpoints('https://sp.example/', 'm-1');

describe('SP endpoints and metadata', () => {
  it('derives entityID, ACS and SLO from the base URL and method id', () => {
    expect(endpoints).toEqual({
      entityId: 'https://sp.example/saml/m-1/metadata',
      acsUrl: 'https://sp.example/saml/m-1/acs',
      sloUrl: 'https://sp.example/saml/m-1/slo',
    });
    const xml = buildSpMetadata(endpoints, { label: 'Test --> <x>' });
    expect(xml).toContain('entityID="https://sp.example/saml/m-1/metadata"');
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect(xml).not.toContain('--> <x>');
    expect(xml).not.toContain('KeyDescriptor');
  });

  it('metadata 2.4.1.1 / 2.4.4: with the SP certificate, KeyDescriptors for signing and encryption and the SLO', () => {
    const credentials = defaultSpCredentials();
    const xml = buildSpMetadata(endpoints, { certBase64: credentials.certBase64 });
    const sp = parseSamlXml(xml).documentElement?.getElementsByTagNameNS(NS_METADATA, 'SPSSODescriptor')[0];
    if (sp === undefined) throw new Error('no SPSSODescriptor');
    const children = Array.from(sp.childNodes)
      .filter((n) => n.nodeType === 1)
      .map((n) => (n as Element).localName);
    // schema order: KeyDescriptor*, SingleLogoutService*, NameIDFormat*, AssertionConsumerService+
    expect(children).toEqual([
      'KeyDescriptor',
      'KeyDescriptor',
      'SingleLogoutService',
      'NameIDFormat',
      'AssertionConsumerService',
    ]);
    const keys = Array.from(sp.getElementsByTagNameNS(NS_METADATA, 'KeyDescriptor'));
    expect(keys.map((k) => k.getAttribute('use'))).toEqual(['signing', 'encryption']);
    for (const key of keys) {
      expect(key.getElementsByTagNameNS(NS_XMLDSIG, 'X509Certificate')[0]?.textContent).toBe(
        credentials.certBase64,
      );
    }
    const methods = Array.from(keys[1]?.getElementsByTagNameNS(NS_METADATA, 'EncryptionMethod') ?? []);
    expect(methods.map((m) => m.getAttribute('Algorithm'))).toEqual([
      'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    ]);
    const slo = sp.getElementsByTagNameNS(NS_METADATA, 'SingleLogoutService')[0];
    expect(slo?.getAttribute('Binding')).toBe(BINDING_HTTP_REDIRECT);
    expect(slo?.getAttribute('Location')).toBe('https://sp.example/saml/m-1/slo');
  });
});

describe('SP key pair (server/saml/sp-credentials.ts)', () => {
  it('defaults to the test-only fixture pair, and refuses a certificate of another key', () => {
    const credentials = defaultSpCredentials();
    expect(credentials.certPem).toContain('BEGIN CERTIFICATE');
    expect(credentials.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const rogueCert = readFileSync(new URL('./fixtures/rogue.crt', import.meta.url), 'utf8');
    expect(() => spCredentialsFromPem(credentials.privateKeyPem, rogueCert)).toThrow(/does not match/);
  });
});

describe('AuthnRequest (HTTP-Redirect)', () => {
  it('carries Issuer, Destination, ACS URL, ForceAuthn when asked, and is remembered for InResponseTo', () => {
    const cache = new InMemoryRequestIdCache();
    const now = new Date('2026-11-25T12:00:00Z');
    const redirect = startAuthnRequest(
      {
        endpoints,
        methodId: 'm-1',
        idpSsoUrl: 'https://idp.example/sso?tenant=a',
        forceAuthn: true,
        relayState: 'r',
        now,
      },
      cache,
    );
    const url = new URL(redirect.location);
    expect(url.searchParams.get('tenant')).toBe('a');
    expect(url.searchParams.get('RelayState')).toBe('r');
    const xml = decodeAndInflate(url.searchParams.get('SAMLRequest') ?? '');
    expect(xml).toContain(`ID="${redirect.requestId}"`);
    expect(xml).toContain('ForceAuthn="true"');
    expect(xml).toContain('Destination="https://idp.example/sso?tenant=a"');
    expect(xml).toContain('AssertionConsumerServiceURL="https://sp.example/saml/m-1/acs"');
    expect(xml).toContain('<saml:Issuer>https://sp.example/saml/m-1/metadata</saml:Issuer>');
    expect(cache.peek(redirect.requestId, now.getTime())?.methodId).toBe('m-1');
    expect(cache.peek(redirect.requestId, now.getTime() + 11 * 60_000)).toBeNull();
  });

  it('without ForceAuthn the attribute is absent', () => {
    const redirect = startAuthnRequest(
      { endpoints, methodId: 'm-1', idpSsoUrl: 'https://idp.example/sso' },
      new InMemoryRequestIdCache(),
    );
    expect(redirect.xml).not.toContain('ForceAuthn');
  });

  it('node-saml sees the creation time and can use the ID up', async () => {
    const cache = new InMemoryRequestIdCache();
    cache.remember({ requestId: '_r1', methodId: 'm', createdAtMs: 1_000, context: {} });
    const provider = nodeSamlCacheProvider(cache, () => 2_000);
    expect(await provider.getAsync('_r1')).toBe(new Date(1_000).toISOString());
    await provider.removeAsync('_r1');
    expect(await provider.getAsync('_r1')).toBeNull();
  });
});

describe('replay cache', () => {
  it('refuses an ID until its retention ends, then forgets it', () => {
    const cache = new InMemoryReplayCache({ sweepEveryMs: 0 });
    expect(cache.consume('a', 10_000, 1_000)).toBe(true);
    expect(cache.consume('a', 10_000, 9_999)).toBe(false);
    expect(cache.consume('b', 20_000, 10_000)).toBe(true);
    expect(cache.size()).toBe(1);
    expect(cache.consume('a', 30_000, 10_001)).toBe(true);
  });
});
