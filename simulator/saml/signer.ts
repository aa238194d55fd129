// Enveloped XML signatures on SAML elements: RSA-SHA256, SHA-256 digest, exclusive c14n, placed after Issuer.
// SAML core 5.4 (enveloped, exc-c14n, Reference URI = #ID); xmldsig-core 4; Canonical XML 1.0 2.3; xml-exc-c14n.

import { createHash, createSign } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import {
  C14N_EXCLUSIVE,
  DIGEST_SHA256,
  NS_XMLDSIG,
  SIG_RSA_SHA256,
  TRANSFORM_ENVELOPED,
} from '../../protocol/saml/index.ts';
import type { SigningCredentials } from './keys.ts';

/**
 * The general path, for XML we did not write (e.g. a Response holding xml-encryption's EncryptedAssertion):
 * xml-crypto 6 with explicit algorithms signs the root element (it must carry `ID`) and places ds:Signature right
 * after its Issuer child, as SAML core 5.4.1 and the schema require.
 */
export function signRootElement(xml: string, localName: string, credentials: SigningCredentials): string {
  const signer = new SignedXml({
    privateKey: credentials.privateKey,
    publicCert: credentials.certPem,
    // xmldsig-core 4.4.4: KeyInfo/X509Data from the certificate body read once at start, not re-parsed per call.
    getKeyInfoContent: ({ prefix } = {}) => {
      const p = prefix ? `${prefix}:` : '';
      return `<${p}X509Data><${p}X509Certificate>${credentials.certBase64}</${p}X509Certificate></${p}X509Data>`;
    },
    signatureAlgorithm: SIG_RSA_SHA256,
    canonicalizationAlgorithm: C14N_EXCLUSIVE,
  });
  // SAML core 5.4.2: the Reference URI is the element's ID; transforms are enveloped-signature + exc-c14n.
  signer.addReference({
    xpath: `/*[local-name(.)='${localName}']`,
    digestAlgorithm: DIGEST_SHA256,
    transforms: [TRANSFORM_ENVELOPED, C14N_EXCLUSIVE],
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${localName}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

const ISSUER_END = '</saml:Issuer>';

/**
 * The lean path, for XML the IdP writes itself in canonical form (sorted attributes, no empty-element tags, c14n
 * escaping, namespaces declared where first used; see response.ts): the element string IS its exclusive
 * canonical form, so the digest is taken over it directly with no DOM. Produces the same bytes as
 * {@link signRootElement} (RSA PKCS#1 v1.5 is deterministic); a test holds the two paths equal.
 */
export function signCanonicalElement(
  canonicalXml: string,
  id: string,
  credentials: SigningCredentials,
): string {
  const digest = createHash('sha256').update(canonicalXml).digest('base64');
  // xmldsig-core 4.4: SignedInfo in its exc-c14n form (xmlns:ds rendered on it as the apex of the canonical subtree).
  const signedInfoBody =
    `<ds:CanonicalizationMethod Algorithm="${C14N_EXCLUSIVE}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${SIG_RSA_SHA256}"></ds:SignatureMethod>` +
    `<ds:Reference URI="#${id}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${TRANSFORM_ENVELOPED}"></ds:Transform>` +
    `<ds:Transform Algorithm="${C14N_EXCLUSIVE}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${DIGEST_SHA256}"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  const signatureValue = createSign('sha256')
    .update(`<ds:SignedInfo xmlns:ds="${NS_XMLDSIG}">${signedInfoBody}</ds:SignedInfo>`)
    .sign(credentials.privateKey, 'base64');
  const signature =
    `<ds:Signature xmlns:ds="${NS_XMLDSIG}"><ds:SignedInfo>${signedInfoBody}</ds:SignedInfo>` +
    `<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${credentials.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    '</ds:Signature>';
  // SAML core 5.4.1 / schema: ds:Signature comes right after the element's own saml:Issuer (its first child).
  const at = canonicalXml.indexOf(ISSUER_END);
  if (at < 0) throw new Error('cannot place the signature: no saml:Issuer');
  const cut = at + ISSUER_END.length;
  return canonicalXml.slice(0, cut) + signature + canonicalXml.slice(cut);
}
