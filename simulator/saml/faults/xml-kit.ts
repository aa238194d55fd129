// DOM helpers the fault builders share: parse/serialise a Response, find its parts, and sign an element any way.
// xmldsig-core 4 (Signature, SignedInfo, Reference), xml-exc-c14n; SAML core 5.4 (what a SAML signature must be).

import { createHash, createHmac, createSign, type KeyObject } from 'node:crypto';
import { DOMParser, type Document, type Element, XMLSerializer } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import {
  C14N_EXCLUSIVE,
  DIGEST_SHA256,
  NS_ASSERTION,
  NS_PROTOCOL,
  NS_XMLDSIG,
  SIG_RSA_SHA1,
  SIG_RSA_SHA256,
  TRANSFORM_ENVELOPED,
} from '../../../protocol/saml/index.ts';

export const DIGEST_SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
export const SIG_HMAC_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256';
export const TRANSFORM_XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
export const TRANSFORM_XSLT = 'http://www.w3.org/TR/1999/REC-xslt-19991116';
export { SIG_RSA_SHA1, SIG_RSA_SHA256 };

export function parseXml(xml: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`cannot parse the genuine Response: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}

export function serialize(node: Document | Element): string {
  return new XMLSerializer().serializeToString(node);
}

export function root(doc: Document): Element {
  const element = doc.documentElement;
  if (element === null) throw new Error('empty document');
  return element;
}

/** Every element in document order with this namespace and local name. */
export function all(doc: Document | Element, ns: string, localName: string): Element[] {
  const list = doc.getElementsByTagNameNS(ns, localName);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i += 1) {
    const item = list.item(i);
    if (item !== null) out.push(item);
  }
  return out;
}

export function first(doc: Document | Element, ns: string, localName: string): Element {
  const found = all(doc, ns, localName)[0];
  if (found === undefined) throw new Error(`the genuine Response has no ${localName}`);
  return found;
}

/** The direct ds:Signature child of an element, if any. */
export function ownSignature(element: Element): Element | undefined {
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const child = node as Element;
      if (child.namespaceURI === NS_XMLDSIG && child.localName === 'Signature') return child;
    }
  }
  return undefined;
}

export function removeOwnSignature(element: Element): Element | undefined {
  const signature = ownSignature(element);
  signature?.parentNode?.removeChild(signature);
  return signature;
}

export const assertionOf = (doc: Document): Element => first(doc, NS_ASSERTION, 'Assertion');
export const nameIdOf = (doc: Document | Element): Element => first(doc, NS_ASSERTION, 'NameID');

/** The email attribute's first value element (the IdP's default attribute statement names it `email`). */
export function emailValueOf(doc: Document | Element): Element | undefined {
  for (const attribute of all(doc, NS_ASSERTION, 'Attribute')) {
    if (attribute.getAttribute('Name') === 'email') return all(attribute, NS_ASSERTION, 'AttributeValue')[0];
  }
  return undefined;
}

export function docOf(element: Element): Document {
  const doc = element.ownerDocument;
  if (doc === null) throw new Error('element outside a document');
  return doc;
}

export function setText(element: Element, text: string): void {
  while (element.firstChild !== null) element.removeChild(element.firstChild);
  element.appendChild(docOf(element).createTextNode(text));
}

/** The forged identity: NameID and email attribute of `scope` rewritten to `identity`. */
export function rewriteIdentity(scope: Document | Element, identity: string): void {
  setText(nameIdOf(scope), identity);
  const email = emailValueOf(scope);
  if (email !== undefined) setText(email, identity);
}

/** Exclusive canonical form of one element, with the namespaces it uses declared (serialise, reparse, c14n). */
export function canonical(element: Element): string {
  const alone = root(parseXml(serialize(element)));
  return new ExclusiveCanonicalization().process(alone, {}).toString();
}

export interface SignOptions {
  /** RSA private key, or for HMAC the secret bytes */
  key: KeyObject | Buffer;
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Transform elements (inner XML each) between enveloped and exc-c14n, e.g. an XPath transform */
  extraTransforms?: readonly string[];
  /** default `#<ID>` of the signed element; `''` signs the whole document */
  referenceUri?: string;
  /** more References to other elements (their IDs), digested the same way */
  extraReferenceIds?: readonly string[];
  /** KeyInfo content: a certificate (base64 DER), raw XML, or none */
  keyInfo?: { certBase64: string } | { xml: string } | null;
  /** replace the SignatureValue with this text (empty-signature faults) */
  signatureValueOverride?: string;
}

const DIGESTS: Readonly<Record<string, string>> = { [DIGEST_SHA256]: 'sha256', [DIGEST_SHA1]: 'sha1' };

function digestOf(element: Element, algorithm: string): string {
  return createHash(DIGESTS[algorithm] ?? 'sha256')
    .update(canonical(element))
    .digest('base64');
}

function referenceXml(
  uri: string,
  digestAlgorithm: string,
  digest: string,
  extra: readonly string[],
): string {
  return (
    `<ds:Reference URI="${uri}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${TRANSFORM_ENVELOPED}"></ds:Transform>${extra.join('')}` +
    `<ds:Transform Algorithm="${C14N_EXCLUSIVE}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${digestAlgorithm}"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`
  );
}

function byId(doc: Document, id: string): Element {
  for (const element of all(doc, '*', '*')) if (element.getAttribute('ID') === id) return element;
  throw new Error(`no element with ID ${id}`);
}

/**
 * Signs `element` (replacing its own signature) with exactly the algorithms asked for, and places ds:Signature
 * after its Issuer (SAML core 5.4.1). The SignedInfo is written in exc-c14n form, so its bytes are what is signed.
 * Digests are computed over the element without any signature, which is what the enveloped transform yields.
 */
export function signElement(element: Element, options: SignOptions): Element {
  removeOwnSignature(element);
  const doc = docOf(element);
  const signatureAlgorithm = options.signatureAlgorithm ?? SIG_RSA_SHA256;
  const digestAlgorithm = options.digestAlgorithm ?? DIGEST_SHA256;
  const extra = options.extraTransforms ?? [];
  const uri = options.referenceUri ?? `#${element.getAttribute('ID') ?? ''}`;
  const target =
    uri === '' ? root(doc) : uri === `#${element.getAttribute('ID')}` ? element : byId(doc, uri.slice(1));
  let references = referenceXml(uri, digestAlgorithm, digestOf(target, digestAlgorithm), extra);
  for (const id of options.extraReferenceIds ?? []) {
    references += referenceXml(`#${id}`, digestAlgorithm, digestOf(byId(doc, id), digestAlgorithm), extra);
  }
  const signedInfoBody =
    `<ds:CanonicalizationMethod Algorithm="${C14N_EXCLUSIVE}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${signatureAlgorithm}"></ds:SignatureMethod>${references}`;
  const signedInfo = `<ds:SignedInfo xmlns:ds="${NS_XMLDSIG}">${signedInfoBody}</ds:SignedInfo>`;
  let value: string;
  if (signatureAlgorithm === SIG_HMAC_SHA256) {
    value = createHmac('sha256', options.key as Buffer)
      .update(signedInfo)
      .digest('base64');
  } else {
    value = createSign(signatureAlgorithm === SIG_RSA_SHA1 ? 'sha1' : 'sha256')
      .update(signedInfo)
      .sign(options.key as KeyObject, 'base64');
  }
  if (options.signatureValueOverride !== undefined) value = options.signatureValueOverride;
  const keyInfo =
    options.keyInfo === undefined || options.keyInfo === null
      ? ''
      : 'certBase64' in options.keyInfo
        ? `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${options.keyInfo.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`
        : `<ds:KeyInfo>${options.keyInfo.xml}</ds:KeyInfo>`;
  const signatureXml =
    `<ds:Signature xmlns:ds="${NS_XMLDSIG}"><ds:SignedInfo>${signedInfoBody}</ds:SignedInfo>` +
    `<ds:SignatureValue>${value}</ds:SignatureValue>${keyInfo}</ds:Signature>`;
  const signature = doc.importNode(root(parseXml(signatureXml)), true) as Element;
  placeAfterIssuer(element, signature);
  return signature;
}

/** SAML core 5.4.1 / schema: ds:Signature right after the element's own saml:Issuer. */
export function placeAfterIssuer(element: Element, node: Element): void {
  let issuer: Element | undefined;
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === 1 && (child as Element).localName === 'Issuer') {
      issuer = child as Element;
      break;
    }
  }
  element.insertBefore(node, issuer?.nextSibling ?? element.firstChild);
}

/**
 * Re-signs what the Response had signed, with these options: the Assertion first (the Response signature covers
 * it), then the Response. `only: 'response'` leaves the assertion as it is.
 */
export function resignSigned(doc: Document, options: SignOptions, only?: 'response'): void {
  const response = root(doc);
  const responseSigned = isSigned(response);
  if (only === undefined && isSigned(assertionOf(doc))) signElement(assertionOf(doc), options);
  if (responseSigned) signElement(response, options);
}

/** The IdP's own key and certificate: re-signing with them simulates an IdP that signed exactly this content. */
export function asIdp(
  idp: { privateKey: KeyObject; certBase64: string },
  extra: Partial<SignOptions> = {},
): SignOptions {
  return { key: idp.privateKey, keyInfo: { certBase64: idp.certBase64 }, ...extra };
}

export function isSigned(element: Element): boolean {
  return ownSignature(element) !== undefined;
}

export function utf8(xml: string): Buffer {
  return Buffer.from(xml, 'utf8');
}

export { NS_ASSERTION, NS_PROTOCOL, NS_XMLDSIG };
