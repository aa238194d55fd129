// SP metadata of one team auth method: the EntityDescriptor an IdP admin loads to create the app.
// SAML metadata 2.0 2.3.2 / 2.4.1.1 (KeyDescriptor) / 2.4.2 / 2.4.4; bindings 3.4 (Redirect SLO), 3.5 (POST ACS);
// the Metadata Profile for Algorithm Support v1.0 (sstc-saml-metadata-algsupport) 2.2-2.3 for what signatures use.
import {
  BINDING_HTTP_POST,
  BINDING_HTTP_REDIRECT,
  escapeXmlAttr,
  escapeXmlText,
  NAMEID_EMAIL,
  NS_METADATA,
  NS_PROTOCOL,
  NS_XMLDSIG,
} from '../../protocol/saml/index.ts';
import type { SpEndpoints } from './sp-endpoints.ts';

/** xmlenc-core1 5.2.4 (AES-256-GCM) and 5.5.2 (RSA-OAEP): the only algorithms the SP decrypts (no CBC, no RSA 1.5). */
const CONTENT_ENCRYPTION = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';
const KEY_TRANSPORT = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';
/** sstc-saml-metadata-algsupport 2.1: the namespace of DigestMethod / SigningMethod. */
const NS_ALGSUPPORT = 'urn:oasis:names:tc:SAML:metadata:algsupport';

/** algsupport 2.2-2.3: the digest and signing methods the SP accepts, in md:Extensions of its role (first child). */
function algorithmExtensions(algorithms: { signing: readonly string[]; digest: readonly string[] }): string {
  const lines = [
    ...algorithms.digest.map((a) => `      <alg:DigestMethod Algorithm="${escapeXmlAttr(a)}"/>`),
    ...algorithms.signing.map((a) => `      <alg:SigningMethod Algorithm="${escapeXmlAttr(a)}"/>`),
  ];
  return `    <md:Extensions xmlns:alg="${NS_ALGSUPPORT}">\n${lines.join('\n')}\n    </md:Extensions>\n`;
}

function keyDescriptor(use: 'signing' | 'encryption', certBase64: string, methods = ''): string {
  return `    <md:KeyDescriptor use="${use}">
      <ds:KeyInfo xmlns:ds="${NS_XMLDSIG}"><ds:X509Data><ds:X509Certificate>${certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${methods}
    </md:KeyDescriptor>
`;
}

/**
 * One server-wide SP certificate (sp-credentials.ts) is published twice: use="signing" for the logout messages the
 * SP signs, use="encryption" for the IdP to encrypt assertions to (metadata 2.4.1.1).
 *
 * AuthnRequestsSigned="false" (decision): the SP sends unsigned AuthnRequests over HTTP-Redirect. Signing them would
 * add no protection the SP relies on: it trusts only the signed Response, checks InResponseTo against its own request
 * cache, and Destination/Recipient against its ACS URL. WantAssertionsSigned="true" tells the IdP that the SP refuses
 * unsigned assertions, and the ACS enforces it (validate-response.ts: the assertion's own signature is required).
 */
export function buildSpMetadata(
  endpoints: SpEndpoints,
  options: {
    label?: string;
    certBase64?: string;
    /** the signature algorithms the ACS accepts (signature-policy.ts acceptedAlgorithms), published when given */
    algorithms?: { signing: readonly string[]; digest: readonly string[] };
  } = {},
): string {
  const label =
    options.label === undefined ? '' : `\n  <!-- ${escapeXmlText(options.label).replace(/--/g, '- -')} -->`;
  const keys =
    options.certBase64 === undefined
      ? ''
      : keyDescriptor('signing', options.certBase64) +
        keyDescriptor(
          'encryption',
          options.certBase64,
          `\n      <md:EncryptionMethod Algorithm="${CONTENT_ENCRYPTION}"/>\n      <md:EncryptionMethod Algorithm="${KEY_TRANSPORT}"/>`,
        );
  // Metadata schema order (2.3.1 / 2.4.2 / 2.4.4): Extensions, KeyDescriptor, SingleLogoutService, NameIDFormat,
  // AssertionConsumerService.
  const extensions = options.algorithms === undefined ? '' : algorithmExtensions(options.algorithms);
  const slo =
    options.certBase64 === undefined
      ? ''
      : `    <md:SingleLogoutService Binding="${BINDING_HTTP_REDIRECT}" Location="${escapeXmlAttr(endpoints.sloUrl)}"/>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS_METADATA}" entityID="${escapeXmlAttr(endpoints.entityId)}">${label}
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="${NS_PROTOCOL}">
${extensions}${keys}${slo}    <md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat>
    <md:AssertionConsumerService Binding="${BINDING_HTTP_POST}" Location="${escapeXmlAttr(endpoints.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
