// Reading SAML 2.0 metadata (saml-metadata-2.0-os): the pieces both sides need, and an IdP's EntityDescriptor.
// 2.3.2 EntityDescriptor, 2.4.1 RoleDescriptor (protocolSupportEnumeration, KeyDescriptor), 2.4.3 IDPSSODescriptor.
import type { Element } from '@xmldom/xmldom';
import {
  BINDING_HTTP_POST,
  BINDING_HTTP_REDIRECT,
  NS_METADATA,
  NS_PROTOCOL,
  NS_XMLDSIG,
} from './constants.ts';
import { base64ToCertPem } from './pem.ts';
import { childElements, firstChild, parseSamlXml, SamlXmlError } from './xml-parse.ts';

/** What an SP needs from an IdP's metadata to trust it and send it people. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with the HTTP-Redirect binding (where the SP sends AuthnRequests) */
  ssoRedirectUrl: string;
  /** SingleSignOnService with the HTTP-POST binding, when the IdP has one */
  ssoPostUrl: string | undefined;
  /** SingleLogoutService with the HTTP-Redirect binding, when the IdP has one */
  sloRedirectUrl: string | undefined;
  /** PEM certificates of KeyDescriptors for signing (use="signing" or no use, 2.4.1.1) */
  signingCertificates: string[];
}

/** The first RoleDescriptor of this kind that speaks SAML 2.0 (2.4.1: protocolSupportEnumeration lists it). */
export function saml2Role(
  entity: Element,
  kind: 'IDPSSODescriptor' | 'SPSSODescriptor',
): Element | undefined {
  return childElements(entity, NS_METADATA, kind).find((el) =>
    (el.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS_PROTOCOL),
  );
}

/**
 * PEM certificates of the role's KeyDescriptors for `use`. 2.4.1.1: a KeyDescriptor without `use` serves both;
 * `includeUnlabelled: false` takes only those that name `use` explicitly.
 */
export function keyDescriptorCertificates(
  role: Element,
  use: 'signing' | 'encryption',
  options: { includeUnlabelled?: boolean } = {},
): string[] {
  const includeUnlabelled = options.includeUnlabelled ?? true;
  const certificates: string[] = [];
  for (const descriptor of childElements(role, NS_METADATA, 'KeyDescriptor')) {
    const declared = descriptor.getAttribute('use') ?? '';
    if (declared === '' ? !includeUnlabelled : declared !== use) continue;
    const keyInfo = firstChild(descriptor, NS_XMLDSIG, 'KeyInfo');
    const x509Data = keyInfo === undefined ? undefined : firstChild(keyInfo, NS_XMLDSIG, 'X509Data');
    for (const cert of x509Data === undefined ? [] : childElements(x509Data, NS_XMLDSIG, 'X509Certificate')) {
      const body = (cert.textContent ?? '').trim();
      if (body !== '') certificates.push(base64ToCertPem(body));
    }
  }
  return certificates;
}

/** Location of the first endpoint of this kind with this binding. */
export function endpointLocation(role: Element, kind: string, binding: string): string | undefined {
  const endpoint = childElements(role, NS_METADATA, kind).find(
    (el) => el.getAttribute('Binding') === binding,
  );
  const location = endpoint?.getAttribute('Location') ?? '';
  return location === '' ? undefined : location;
}

/**
 * Reads an IdP's metadata: an EntityDescriptor, or an EntitiesDescriptor holding exactly one IdP. Refused with
 * SamlXmlError: not well-formed or with a DOCTYPE, no SAML 2.0 IDPSSODescriptor, no HTTP-Redirect
 * SingleSignOnService (the binding this SP sends AuthnRequests with), no signing certificate.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const root = parseSamlXml(xml).documentElement;
  if (root === null || root.namespaceURI !== NS_METADATA) {
    throw new SamlXmlError('not SAML metadata (md:EntityDescriptor or md:EntitiesDescriptor)');
  }
  const entities =
    root.localName === 'EntitiesDescriptor'
      ? childElements(root, NS_METADATA, 'EntityDescriptor').filter((e) => saml2Role(e, 'IDPSSODescriptor'))
      : root.localName === 'EntityDescriptor'
        ? [root]
        : [];
  if (entities.length !== 1) {
    throw new SamlXmlError(`expected one IdP EntityDescriptor, found ${entities.length}`);
  }
  const entity = entities[0] as Element;
  const entityId = entity.getAttribute('entityID') ?? '';
  if (entityId === '') throw new SamlXmlError('EntityDescriptor has no entityID');
  const idp = saml2Role(entity, 'IDPSSODescriptor');
  if (idp === undefined) throw new SamlXmlError('no SAML 2.0 IDPSSODescriptor');
  const ssoRedirectUrl = endpointLocation(idp, 'SingleSignOnService', BINDING_HTTP_REDIRECT);
  if (ssoRedirectUrl === undefined)
    throw new SamlXmlError('no SingleSignOnService with the HTTP-Redirect binding');
  const signingCertificates = keyDescriptorCertificates(idp, 'signing');
  if (signingCertificates.length === 0) throw new SamlXmlError('no signing certificate in a KeyDescriptor');
  return {
    entityId,
    ssoRedirectUrl,
    ssoPostUrl: endpointLocation(idp, 'SingleSignOnService', BINDING_HTTP_POST),
    sloRedirectUrl: endpointLocation(idp, 'SingleLogoutService', BINDING_HTTP_REDIRECT),
    signingCertificates,
  };
}
