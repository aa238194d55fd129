// Reads an AuthnRequest received over the HTTP-Redirect or HTTP-POST binding and checks its signature when signed.
// SAML bindings 3.4.4.1 (signed query string), 3.5.4 / 3.5.5.2 (base64 form, enveloped signature); core 3.4.1, 5.4.2.

import { SignedXml } from 'xml-crypto';
import {
  childElements,
  decodeAndInflate,
  decodePostField,
  firstChild,
  NS_ASSERTION,
  NS_PROTOCOL,
  NS_XMLDSIG,
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

/**
 * Bindings 3.5.4: over HTTP-POST the form field is the base64 of the XML, no DEFLATE. Tolerated as well: a raw
 * DEFLATEd payload, which node-saml 5 sends by default (`skipRequestCompression` off). `invalid_request` when the
 * field is missing, is not base64, is too large, or is neither XML nor DEFLATE data.
 */
export function decodePostMessage(value: string | undefined, param: 'SAMLRequest' | 'SAMLResponse'): string {
  if ((value ?? '').trim() === '') throw new IdpError('invalid_request', `no ${param} in the form`);
  const bytes = decodePostField(value ?? '');
  if (bytes === undefined) {
    throw new IdpError('invalid_request', `${param} is not base64 data of a bounded size`);
  }
  const text = bytes.toString('utf8');
  if (/^\s*(\uFEFF)?</.test(text)) return text;
  try {
    return decodeAndInflate(value ?? '');
  } catch {
    throw new IdpError('invalid_request', `${param} is neither XML nor DEFLATEd XML`);
  }
}

/** The ds:Signature elements that are direct children of the root, and the root's ID. */
function rootSignatures(xml: string): { signatures: ReturnType<typeof childElements>; rootId: string } {
  let root: ReturnType<typeof parseSamlXml>['documentElement'];
  try {
    root = parseSamlXml(xml).documentElement;
  } catch (error) {
    if (error instanceof SamlXmlError) throw new IdpError('invalid_request', error.message);
    throw error;
  }
  if (root === null) throw new IdpError('invalid_request', 'empty document');
  return { signatures: childElements(root, NS_XMLDSIG, 'Signature'), rootId: root.getAttribute('ID') ?? '' };
}

/**
 * Bindings 3.5.5.2: a request POSTed with an enveloped XML signature must verify against one of the SP's metadata
 * certificates (KeyInfo in the message is never trusted); an SP that declares AuthnRequestsSigned must sign.
 * Core 5.4.2: the one Reference must name the root element's ID, so the whole request is covered (no wrapping).
 * Returns the XML to read the request from: what the signature covers (xml-crypto's signed reference, the
 * enveloped signature removed) when signed, else the message as received.
 */
export function checkPostSignature(
  xml: string,
  sp: { signingCerts: readonly string[]; authnRequestsSigned: boolean },
): { xml: string; signed: boolean } {
  const { signatures, rootId } = rootSignatures(xml);
  const [signature] = signatures;
  if (signature === undefined) {
    if (sp.authnRequestsSigned) throw new IdpError('request_signature_missing', 'the SP signs its requests');
    return { xml, signed: false };
  }
  const signedInfo = firstChild(signature, NS_XMLDSIG, 'SignedInfo');
  const references = signedInfo === undefined ? [] : childElements(signedInfo, NS_XMLDSIG, 'Reference');
  const coversRoot =
    signatures.length === 1 &&
    rootId !== '' &&
    references.length === 1 &&
    references[0]?.getAttribute('URI') === `#${rootId}`;
  if (coversRoot) {
    for (const cert of sp.signingCerts) {
      const verifier = new SignedXml({ publicCert: cert });
      try {
        verifier.loadSignature(signature);
        if (verifier.checkSignature(xml)) {
          const [signed] = verifier.getSignedReferences();
          if (signed !== undefined) return { xml: signed, signed: true };
        }
      } catch {
        // a signature xml-crypto cannot process does not verify
      }
    }
  }
  throw new IdpError('request_signature_invalid', 'the request signature does not verify');
}
