// Reads an AuthnRequest received over the HTTP-Redirect binding and checks its signature when the SP signs.
// SAML bindings 3.4.4.1 (DEFLATE, signed query string); core 3.4.1 (AuthnRequest: ID, ACS URL, ForceAuthn, IsPassive).

import {
  decodeAndInflate,
  firstChild,
  NS_ASSERTION,
  NS_PROTOCOL,
  parseSamlXml,
  type RedirectMessage,
  readRedirectQuery,
  SamlXmlError,
  verifyRedirectSignature,
} from '../../protocol/saml/index.ts';
import { IdpError } from './errors.ts';

export interface AuthnRequest {
  id: string;
  issuer: string;
  /** Core 3.4.1: AssertionConsumerServiceURL, when the SP names one. */
  acsUrl: string | undefined;
  destination: string | undefined;
  forceAuthn: boolean;
  isPassive: boolean;
  xml: string;
}

export interface ReceivedRedirect {
  message: RedirectMessage;
  xml: string;
}

/** Decodes the redirect query (bindings 3.4.4.1); `invalid_request` when it carries no readable SAML message. */
export function decodeRedirect(
  rawQuery: string,
  param: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest',
): ReceivedRedirect {
  const message = readRedirectQuery(rawQuery);
  if (message === undefined || message.param !== param || message.encoded === '') {
    throw new IdpError('invalid_request', `no ${param} in the query string`);
  }
  try {
    return { message, xml: decodeAndInflate(message.encoded) };
  } catch {
    throw new IdpError('invalid_request', `${param} is not base64 DEFLATE data`);
  }
}

/** Parses an AuthnRequest document (core 3.4.1). */
export function parseAuthnRequest(xml: string): AuthnRequest {
  let root: ReturnType<typeof parseSamlXml>['documentElement'];
  try {
    root = parseSamlXml(xml).documentElement;
  } catch (error) {
    if (error instanceof SamlXmlError)
      throw new IdpError('invalid_request', `AuthnRequest: ${error.message}`);
    throw error;
  }
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'AuthnRequest') {
    throw new IdpError('invalid_request', 'the message is not a samlp:AuthnRequest');
  }
  const id = root.getAttribute('ID') ?? '';
  if (id === '' || root.getAttribute('Version') !== '2.0') {
    throw new IdpError('invalid_request', 'AuthnRequest needs an ID and Version="2.0"');
  }
  const issuer = (firstChild(root, NS_ASSERTION, 'Issuer')?.textContent ?? '').trim();
  if (issuer === '') throw new IdpError('invalid_request', 'AuthnRequest has no Issuer');
  return {
    id,
    issuer,
    acsUrl: root.getAttribute('AssertionConsumerServiceURL') ?? undefined,
    destination: root.getAttribute('Destination') ?? undefined,
    // xs:boolean: "true" or "1".
    forceAuthn: ['true', '1'].includes(root.getAttribute('ForceAuthn') ?? ''),
    isPassive: ['true', '1'].includes(root.getAttribute('IsPassive') ?? ''),
    xml,
  };
}

/**
 * Bindings 3.4.4.1: when the query carries a Signature, it must verify against one of the SP's certificates;
 * when the SP declares AuthnRequestsSigned, an unsigned request is refused.
 */
export function checkRedirectSignature(
  message: RedirectMessage,
  sp: { signingCerts: readonly string[]; authnRequestsSigned: boolean },
): void {
  if (message.signature === undefined) {
    if (sp.authnRequestsSigned) throw new IdpError('request_signature_missing', 'the SP signs its requests');
    return;
  }
  if (sp.signingCerts.length === 0 || !verifyRedirectSignature(message, sp.signingCerts)) {
    throw new IdpError('request_signature_invalid', 'the request signature does not verify');
  }
}
