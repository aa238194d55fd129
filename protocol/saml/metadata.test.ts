// IdP metadata reading (saml-metadata-2.0-os 2.3.2, 2.4.1, 2.4.3): what an SP takes from it, and what it refuses.
import { describe, expect, it } from 'vitest';
import { keyDescriptorCertificates, parseIdpMetadata, saml2Role } from './metadata.ts';
import { parseSamlXml, SamlXmlError } from './xml-parse.ts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const P2 = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

const key = (body: string, use?: string) =>
  `<md:KeyDescriptor${use === undefined ? '' : ` use="${use}"`}><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data>` +
  `<ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

function idp(inner: string, options: { protocols?: string; entityId?: string } = {}): string {
  return (
    `<md:EntityDescriptor xmlns:md="${MD}" entityID="${options.entityId ?? 'https://idp.example/metadata'}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="${options.protocols ?? P2}">${inner}</md:IDPSSODescriptor>` +
    '</md:EntityDescriptor>'
  );
}
const sso = (binding: string, url: string) =>
  `<md:SingleSignOnService Binding="${binding}" Location="${url}"/>`;
const slo = (binding: string, url: string) =>
  `<md:SingleLogoutService Binding="${binding}" Location="${url}"/>`;

describe('parseIdpMetadata', () => {
  it('reads entityID, both SSO bindings, the redirect SLO and every signing certificate (key rollover)', () => {
    const parsed = parseIdpMetadata(
      idp(
        key('AAAA', 'signing') +
          key('BBBB') +
          key('CCCC', 'encryption') +
          sso(POST, 'https://idp.example/sso/post') +
          sso(REDIRECT, 'https://idp.example/sso') +
          slo(REDIRECT, 'https://idp.example/slo'),
      ),
    );
    expect(parsed).toMatchObject({
      entityId: 'https://idp.example/metadata',
      ssoRedirectUrl: 'https://idp.example/sso',
      ssoPostUrl: 'https://idp.example/sso/post',
      sloRedirectUrl: 'https://idp.example/slo',
    });
    expect(parsed.signingCertificates.map((pem) => pem.split('\n')[1])).toEqual(['AAAA', 'BBBB']);
  });

  it('takes the one IdP out of an EntitiesDescriptor', () => {
    const entities =
      `<md:EntitiesDescriptor xmlns:md="${MD}">` +
      idp(key('AAAA') + sso(REDIRECT, 'https://idp.example/sso')).replace(` xmlns:md="${MD}"`, '') +
      '</md:EntitiesDescriptor>';
    expect(parseIdpMetadata(entities).ssoRedirectUrl).toBe('https://idp.example/sso');
  });

  it.each([
    ['not XML', '<md:EntityDescriptor', /./],
    ['a DOCTYPE', `<!DOCTYPE x>${idp(key('AAAA') + sso(REDIRECT, 'https://i/sso'))}`, /DOCTYPE/],
    [
      'no IDPSSODescriptor for SAML 2.0',
      idp(key('AAAA') + sso(REDIRECT, 'https://i/sso'), { protocols: 'urn:x' }),
      /IDPSSODescriptor/,
    ],
    ['only a POST SingleSignOnService', idp(key('AAAA') + sso(POST, 'https://i/sso')), /HTTP-Redirect/],
    [
      'only an encryption key',
      idp(key('AAAA', 'encryption') + sso(REDIRECT, 'https://i/sso')),
      /signing certificate/,
    ],
    ['no entityID', idp(key('AAAA') + sso(REDIRECT, 'https://i/sso'), { entityId: '' }), /entityID/],
    ['another root', `<x xmlns="${MD}"/>`, /one IdP EntityDescriptor/],
  ])('refuses %s with SamlXmlError', (_what, xml, message) => {
    expect(() => parseIdpMetadata(xml)).toThrow(SamlXmlError);
    expect(() => parseIdpMetadata(xml)).toThrow(message);
  });
});

describe('keyDescriptorCertificates', () => {
  it('counts an unlabelled key for both uses unless asked for explicit ones', () => {
    const root = parseSamlXml(idp(key('AAAA') + key('BBBB', 'encryption'))).documentElement;
    const role = root === null ? undefined : saml2Role(root, 'IDPSSODescriptor');
    if (role === undefined) throw new Error('no role');
    expect(keyDescriptorCertificates(role, 'encryption')).toHaveLength(2);
    expect(keyDescriptorCertificates(role, 'encryption', { includeUnlabelled: false })).toHaveLength(1);
  });
});
