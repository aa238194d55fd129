// The IdP's SAML metadata: EntityDescriptor with an IDPSSODescriptor, its signing key, SSO and SLO endpoints.
// SAML metadata 2.0 2.3.2 (EntityDescriptor), 2.4.3 (IDPSSODescriptor), 2.4.1.1 (KeyDescriptor); bindings 3.4 / 3.5.

import {
  BINDING_HTTP_POST,
  BINDING_HTTP_REDIRECT,
  escapeXmlAttr,
  NAMEID_EMAIL,
  NS_METADATA,
  NS_PROTOCOL,
  NS_XMLDSIG,
} from '../../protocol/saml/index.ts';

export interface IdpMetadataInput {
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  certBase64: string;
}

/** Metadata 2.4.3: WantAuthnRequestsSigned is false (signatures are checked when the SP signs, or its metadata says so). */
export function buildIdpMetadata(input: IdpMetadataInput): string {
  const sso = escapeXmlAttr(input.ssoUrl);
  const slo = escapeXmlAttr(input.sloUrl);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<md:EntityDescriptor xmlns:md="${NS_METADATA}" entityID="${escapeXmlAttr(input.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS_PROTOCOL}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${NS_XMLDSIG}"><ds:X509Data>` +
    `<ds:X509Certificate>${input.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="${BINDING_HTTP_REDIRECT}" Location="${slo}"/>` +
    `<md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${BINDING_HTTP_REDIRECT}" Location="${sso}"/>` +
    // Bindings 3.5: AuthnRequests are also accepted as a POSTed form at the same URL.
    `<md:SingleSignOnService Binding="${BINDING_HTTP_POST}" Location="${sso}"/>` +
    '</md:IDPSSODescriptor></md:EntityDescriptor>'
  );
}
