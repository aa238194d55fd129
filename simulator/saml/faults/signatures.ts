// Faults about what is signed, with which key and which algorithm: stripped or misplaced signatures, untrusted or
// retired keys, SHA-1, HMAC key confusion, empty values. SAML core 5.4 (5.4.2 references, 5.4.4 transforms); xmldsig-core.

import { createHash, createPublicKey } from 'node:crypto';
import type { Document } from '@xmldom/xmldom';
import { REF } from './references.ts';
import type { FaultBuild, FaultContext, FaultDefinition, GenuineResponse } from './types.ts';
import {
  all,
  asIdp,
  assertionOf,
  canonical,
  DIGEST_SHA1,
  NS_PROTOCOL,
  NS_XMLDSIG,
  ownSignature,
  parseXml,
  placeAfterIssuer,
  removeOwnSignature,
  resignSigned,
  rewriteIdentity,
  root,
  SIG_HMAC_SHA256,
  SIG_RSA_SHA1,
  type SignOptions,
  serialize,
  signElement,
  TRANSFORM_XPATH,
  TRANSFORM_XSLT,
  utf8,
} from './xml-kit.ts';

const IDENTITY = [
  'Response/Assertion/Subject/NameID#text',
  'Response/Assertion/AttributeStatement/Attribute/AttributeValue#text',
];
const SIGNATURES = ['Response/Signature', 'Response/Assertion/Signature'];

function done(doc: Document, signedIdentity: string): FaultBuild {
  return { bytes: utf8(serialize(doc)), signedIdentity };
}

const idpOptions = (ctx: FaultContext, extra: Partial<SignOptions> = {}): SignOptions =>
  asIdp(ctx.idp, extra);

type Change = (doc: Document, ctx: FaultContext) => string | undefined;

function fault(definition: Omit<FaultDefinition, 'build'>, change: Change): FaultDefinition {
  return {
    ...definition,
    build(genuine: GenuineResponse, ctx: FaultContext): FaultBuild {
      const doc = parseXml(genuine.xml);
      const signedIdentity = change(doc, ctx) ?? ctx.identities.attacker;
      return done(doc, signedIdentity);
    },
  };
}

export const SIGNATURE_SCOPE_FAULTS: readonly FaultDefinition[] = [
  fault(
    {
      id: 'unsigned',
      family: 'signature-scope',
      title: 'No signature at all',
      explanation:
        'Both the Response and the Assertion signatures are removed. Anyone can write such a Response, so accepting it lets anyone sign in as anyone. An SP must require a valid IdP signature on the assertion it uses (profiles 4.1.3.5, core 5.2).',
      references: [REF.profiles('4.1.3.5, 4.1.4.2'), REF.core('5.2')],
      expected: 'refuse',
      touches: ['Response/*', 'Response/Assertion/*'],
    },
    (doc) => {
      removeOwnSignature(assertionOf(doc));
      removeOwnSignature(root(doc));
      return undefined;
    },
  ),
  fault(
    {
      id: 'strip-response-signature',
      family: 'signature-scope',
      title: 'Response signature removed, assertion still signed',
      explanation:
        'Only the outer Response signature is removed; the assertion keeps its valid IdP signature. SAML allows either element to carry the signature, so this is a legitimate message: a sound SP accepts it, and only as the person the signed assertion names. Refusing is stricter, and safe.',
      references: [REF.profiles('4.1.3.5 (the assertion MUST be signed when sent by POST)'), REF.core('5.2')],
      expected: 'accept-as-signed',
      touches: ['Response/*'],
    },
    (doc) => {
      removeOwnSignature(root(doc));
      return undefined;
    },
  ),
  fault(
    {
      id: 'unsigned-assertion-in-signed-response',
      family: 'signature-scope',
      title: 'Unsigned assertion inside a signed Response',
      explanation:
        'The IdP signs the Response but not the assertion. The content is protected, but the SP’s metadata says WantAssertionsSigned="true": it promised to accept only individually signed assertions, and an assertion without its own signature can be lifted out and reused elsewhere. An SP must enforce what its metadata promises.',
      references: [{ label: 'SAML 2.0 metadata 2.4.4 (WantAssertionsSigned)' }, REF.profiles('4.1.3.5')],
      expected: 'refuse',
      touches: ['Response/Assertion/*', 'Response/Signature'],
    },
    (doc, ctx) => {
      removeOwnSignature(assertionOf(doc));
      signElement(root(doc), idpOptions(ctx));
      return undefined;
    },
  ),
  fault(
    {
      id: 'tamper-after-signing',
      family: 'signature-scope',
      title: 'Identity changed after signing',
      explanation:
        'The NameID and email are rewritten to another person after the IdP signed them, leaving the signatures untouched. The digests no longer match. This is the basic check every SP must make: recompute the digest and refuse when it differs.',
      references: [REF.core('5.4'), REF.xmldsig('3.2.1 (reference validation)')],
      expected: 'refuse',
      touches: IDENTITY,
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      return undefined;
    },
  ),
  fault(
    {
      id: 'reference-other-element',
      family: 'signature-scope',
      title: 'Assertion’s Signature references another element',
      explanation:
        'The Response’s signature is moved inside the assertion. It still verifies (its Reference names the Response, and the enveloped transform removes it from there), but the signature in the assertion does not reference the assertion. SAML core 5.4.2 requires the Reference URI to name the element that contains the signature; an SP that only asks "does this signature verify?" can be fed any signature from anywhere.',
      references: [REF.core('5.4.2'), REF.breakingSaml('4 (signature exclusion and wrapping)')],
      expected: 'refuse',
      genuine: { sign: 'response' },
      touches: ['Response/*', 'Response/Assertion/*'],
    },
    (doc) => {
      const signature = removeOwnSignature(root(doc));
      if (signature !== undefined) placeAfterIssuer(assertionOf(doc), signature);
      return undefined;
    },
  ),
  fault(
    {
      id: 'reference-uri-empty',
      family: 'signature-scope',
      title: 'Reference URI="" (the whole document)',
      explanation:
        'The assertion is signed by the IdP key with an empty Reference URI, which means "the whole document" rather than this assertion. SAML core 5.4.2 requires URI="#ID" of the signed element, so that an SP knows exactly what is signed; accepting other forms is how wrapping attacks get in.',
      references: [REF.core('5.4.2'), REF.xmldsig('4.4.3.2 (same-document URI)')],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/Assertion/Signature'],
    },
    (doc, ctx) => {
      signElement(assertionOf(doc), idpOptions(ctx, { referenceUri: '' }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'multiple-references',
      family: 'signature-scope',
      title: 'A Signature with two References',
      explanation:
        'The assertion’s signature (IdP key) carries two References: the assertion and the Response around it. SAML core 5.4.2 allows exactly one Reference, to the signing element. Libraries that handle several References have been tricked into validating one and the application into using another (xml-crypto CVE-2025-29774).',
      references: [
        REF.core('5.4.2'),
        REF.cve('CVE-2025-29774', 'xml-crypto, multiple SignedInfo references'),
      ],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/Assertion/Signature'],
    },
    (doc, ctx) => {
      const responseId = root(doc).getAttribute('ID') ?? '';
      signElement(assertionOf(doc), idpOptions(ctx, { extraReferenceIds: [responseId] }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'transform-xpath',
      family: 'signature-scope',
      title: 'XPath transform in the Reference',
      explanation:
        'The assertion’s signature (IdP key) adds an XPath filter transform between enveloped-signature and exclusive c14n. XPath transforms can select less than the whole element, so what is signed is no longer what is read, and evaluating attacker XPath is itself a denial-of-service risk. SAML core 5.4.4 allows only enveloped-signature and exclusive canonicalisation.',
      references: [REF.core('5.4.4'), REF.xmldsigBestPractices],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/Assertion/Signature'],
    },
    (doc, ctx) => {
      const xpath = `<ds:Transform xmlns:ds="${NS_XMLDSIG}" Algorithm="${TRANSFORM_XPATH}"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>`;
      signElement(assertionOf(doc), idpOptions(ctx, { extraTransforms: [xpath] }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'transform-xslt',
      family: 'signature-scope',
      title: 'XSLT transform in the Reference',
      explanation:
        'The assertion’s signature carries an XSLT transform: a program the verifier would run on attacker input before checking the digest (a known route to denial of service and, in some stacks, code execution). SAML core 5.4.4 allows only enveloped-signature and exclusive canonicalisation; an SP must refuse before running anything.',
      references: [REF.core('5.4.4'), REF.xmldsigBestPractices],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/Assertion/Signature'],
    },
    (doc, ctx) => {
      const xslt =
        `<ds:Transform xmlns:ds="${NS_XMLDSIG}" Algorithm="${TRANSFORM_XSLT}">` +
        '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">' +
        '<xsl:template match="/"><xsl:copy-of select="."></xsl:copy-of></xsl:template></xsl:stylesheet></ds:Transform>';
      signElement(assertionOf(doc), idpOptions(ctx, { extraTransforms: [xslt] }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'digest-value-comment',
      family: 'signature-scope',
      title: 'Forged digest hidden in a comment inside DigestValue',
      explanation:
        'The assertion is rewritten to name another person, and the digest of the forged assertion is written as an XML comment at the start of DigestValue. Canonicalisation drops comments, so the SignedInfo signature still verifies; a verifier that reads the DigestValue through the DOM’s first child compares against the forged digest and passes (xml-crypto CVE-2025-29775). An SP must compare the canonical text of DigestValue.',
      references: [REF.cve('CVE-2025-29775', 'xml-crypto, DigestValue comment'), REF.xmldsig('3.2.1')],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: [...IDENTITY, 'Response/Assertion/Signature/SignedInfo/Reference/DigestValue#text'],
    },
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      rewriteIdentity(assertion, ctx.identities.victim);
      const signature = ownSignature(assertion);
      if (signature === undefined) throw new Error('the genuine assertion is not signed');
      const forged = assertion.cloneNode(true) as typeof assertion;
      removeOwnSignature(forged);
      const digest = createHash('sha256').update(canonical(forged)).digest('base64');
      const digestValue = all(signature, NS_XMLDSIG, 'DigestValue')[0];
      digestValue?.insertBefore(doc.createComment(digest), digestValue.firstChild);
      return undefined;
    },
  ),
  fault(
    {
      id: 'digest-value-in-extensions',
      family: 'signature-scope',
      title: 'A second DigestValue planted before the signature',
      explanation:
        'The assertion is rewritten to name another person, and a samlp:Extensions element holding a ds:DigestValue with the forged assertion’s digest is placed before it. A verifier that finds "the DigestValue" with a document-wide search picks the planted one, while the SignedInfo it verifies still holds the genuine one: the ruby-saml flaw that allowed sign-in as anyone on GitLab and others (CVE-2024-45409). An SP must read DigestValue only from the SignedInfo it verified.',
      references: [REF.cve('CVE-2024-45409', 'ruby-saml / GitLab, XPath selector'), REF.xmldsig('3.2.1')],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/*', ...IDENTITY],
    },
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      rewriteIdentity(assertion, ctx.identities.victim);
      const forged = assertion.cloneNode(true) as typeof assertion;
      removeOwnSignature(forged);
      const digest = createHash('sha256').update(canonical(forged)).digest('base64');
      const extensions = doc.createElementNS(NS_PROTOCOL, 'samlp:Extensions');
      const planted = doc.createElementNS(NS_XMLDSIG, 'ds:DigestValue');
      planted.appendChild(doc.createTextNode(digest));
      extensions.appendChild(planted);
      root(doc).insertBefore(extensions, assertion);
      return undefined;
    },
  ),
];

function derOfCert(certBase64: string): Buffer {
  return Buffer.from(certBase64, 'base64');
}

function pemOfCert(certBase64: string): string {
  const lines = certBase64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export const KEY_FAULTS: readonly FaultDefinition[] = [
  fault(
    {
      id: 'wrong-key',
      family: 'keys',
      title: 'Re-signed with an untrusted key',
      explanation:
        'The Response and assertion are re-signed with a key the SP has never been told to trust, and that key’s own certificate is put in KeyInfo. The signatures are mathematically valid, just not the IdP’s. An SP must verify with the certificate it pinned from the IdP’s metadata and ignore whatever KeyInfo offers.',
      references: [REF.profiles('4.1.4.3'), REF.secConsider('6.4.2'), REF.breakingSaml('5.3')],
      expected: 'refuse',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, { key: ctx.rogue.privateKey, keyInfo: { certBase64: ctx.rogue.certBase64 } });
      return undefined;
    },
  ),
  fault(
    {
      id: 'keyinfo-attacker-cert',
      family: 'keys',
      title: 'Forged identity signed with the attacker’s key, certificate in KeyInfo',
      explanation:
        'The assertion is rewritten to name another person and signed with the attacker’s own key; the attacker’s certificate rides along in KeyInfo. An SP that verifies against the certificate in the message (instead of the one it pinned) signs the attacker in as anyone. xml-crypto did exactly this by default until CVE-2024-32962.',
      references: [REF.cve('CVE-2024-32962', 'xml-crypto, key taken from KeyInfo'), REF.secConsider('6.4.2')],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      resignSigned(doc, { key: ctx.rogue.privateKey, keyInfo: { certBase64: ctx.rogue.certBase64 } });
      return undefined;
    },
  ),
  fault(
    {
      id: 'keyinfo-keyvalue',
      family: 'keys',
      title: 'Forged identity with a bare public key (KeyValue) in KeyInfo',
      explanation:
        'As above, but KeyInfo carries a raw RSA KeyValue (modulus and exponent) instead of a certificate. Some verifiers use any key they find in the message. An SP must never take the verification key from the message.',
      references: [
        REF.cve('CVE-2024-32962', 'xml-crypto, embedded public keys'),
        REF.xmldsig('4.5.2 (KeyValue)'),
      ],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      const jwk = createPublicKey(ctx.rogue.privateKey).export({ format: 'jwk' });
      const b64 = (v: string | undefined): string => Buffer.from(v ?? '', 'base64url').toString('base64');
      const keyValue = `<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>${b64(jwk.n)}</ds:Modulus><ds:Exponent>${b64(jwk.e)}</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>`;
      resignSigned(doc, { key: ctx.rogue.privateKey, keyInfo: { xml: keyValue } });
      return undefined;
    },
  ),
  fault(
    {
      id: 'retired-key',
      family: 'keys',
      title: 'Signed with the IdP’s old key after rotation',
      explanation:
        'The IdP rotated its signing key; this Response is signed with the retired key (its certificate in KeyInfo). Once an SP has replaced the old certificate, a Response signed with it may be a stolen key or an old captured message. The SP must trust only the certificates currently configured for the IdP.',
      references: [REF.secConsider('6.4.2'), { label: 'SAML 2.0 metadata 2.4.1.1 (KeyDescriptor)' }],
      expected: 'refuse',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, { key: ctx.retired.privateKey, keyInfo: { certBase64: ctx.retired.certBase64 } });
      return undefined;
    },
  ),
  fault(
    {
      id: 'cert-expired',
      family: 'keys',
      title: 'IdP key, but KeyInfo shows an expired certificate',
      explanation:
        'The signature is made with the IdP’s real key, but the certificate carried in KeyInfo expired years ago. With pinned keys, trust comes from the SP’s configuration, not from dates in the message (the metadata interoperability profile says validity dates are not checked), so a sound SP may accept it as the signed person; an SP that enforces expiry and refuses is stricter.',
      references: [REF.metaIop, REF.secConsider('6.4.2')],
      expected: 'accept-as-signed',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, idpOptions(ctx, { keyInfo: { certBase64: ctx.expiredCertBase64 } }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'cert-not-yet-valid',
      family: 'keys',
      title: 'IdP key, but KeyInfo shows a not-yet-valid certificate',
      explanation:
        'As for the expired certificate, but the certificate in KeyInfo only becomes valid in 2040. The key is the pinned one, so the SP may accept it as the signed person, or refuse if it enforces validity; what it must not do is trust the certificate because it is in the message.',
      references: [REF.metaIop],
      expected: 'accept-as-signed',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, idpOptions(ctx, { keyInfo: { certBase64: ctx.notYetValidCertBase64 } }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'keyinfo-absent',
      family: 'keys',
      title: 'Valid IdP signature without KeyInfo',
      explanation:
        'The signatures are the IdP’s own but carry no KeyInfo at all. That is legitimate: the SP knows the IdP’s key from metadata. A sound SP accepts it as the signed person; an SP that needs KeyInfo to find a key is probably trusting the message for it.',
      references: [REF.xmldsig('4.5 (KeyInfo is optional)'), REF.secConsider('6.4.2')],
      expected: 'accept-as-signed',
      touches: ['Response/Signature/*', 'Response/Assertion/Signature/*'],
    },
    (doc) => {
      for (const element of [assertionOf(doc), root(doc)]) {
        const signature = ownSignature(element);
        for (const keyInfo of signature === undefined ? [] : all(signature, NS_XMLDSIG, 'KeyInfo')) {
          keyInfo.parentNode?.removeChild(keyInfo);
        }
      }
      return undefined;
    },
  ),
];

export const ALGORITHM_FAULTS: readonly FaultDefinition[] = [
  fault(
    {
      id: 'sig-rsa-sha1',
      family: 'algorithms',
      title: 'Signed with RSA-SHA1',
      explanation:
        'The IdP key signs with RSA-SHA1 (SHA-256 digests). SHA-1 collisions are practical (SHAttered 2017, chosen-prefix 2020), so a signature over SHA-1 no longer proves who wrote the content. Current SPs (Shibboleth, python3-saml’s rejectDeprecatedAlgorithm) refuse it by default.',
      references: [
        { label: 'RFC 9231 / xmldsig-core1 6.4 (SHA-1 deprecated)' },
        { label: 'SHAttered (2017), SHA-1 is a Shambles (USENIX Security 2020)' },
      ],
      expected: 'refuse',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, idpOptions(ctx, { signatureAlgorithm: SIG_RSA_SHA1 }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'digest-sha1',
      family: 'algorithms',
      title: 'RSA-SHA256 over SHA-1 digests',
      explanation:
        'The SignedInfo is signed with RSA-SHA256, but the References digest the content with SHA-1. The signature is only as strong as the weakest hash: a collision in the SHA-1 digest lets different content share the signature. SHA-1 digests must be refused like SHA-1 signatures.',
      references: [{ label: 'xmldsig-core1 6.2 (SHA-1 digest: verification only for legacy)' }],
      expected: 'refuse',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, idpOptions(ctx, { digestAlgorithm: DIGEST_SHA1 }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'sig-rsa-sha1-digest-sha1',
      family: 'algorithms',
      title: 'RSA-SHA1 with SHA-1 digests (a legacy IdP)',
      explanation:
        'Everything SHA-1: what old IdP configurations send. It verifies with the IdP key, but must be refused by default for the same reasons; an SP may offer a per-connection opt-in for legacy IdPs, off by default.',
      references: [{ label: 'xmldsig-core1 6.2, 6.4' }],
      expected: 'refuse',
      touches: SIGNATURES,
    },
    (doc, ctx) => {
      resignSigned(doc, idpOptions(ctx, { signatureAlgorithm: SIG_RSA_SHA1, digestAlgorithm: DIGEST_SHA1 }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'hmac-public-cert-pem',
      family: 'algorithms',
      title: 'HMAC signature keyed with the IdP’s public certificate (PEM)',
      explanation:
        'The assertion is rewritten to name another person and "signed" with HMAC-SHA256, using the IdP’s public certificate (PEM text) as the secret. The certificate is public, so anyone can compute this. A verifier that feeds its configured key to whatever algorithm the message names accepts it (key confusion). An SP must fix the algorithm family to what the key is for: RSA.',
      references: [REF.xmldsig('6.3 (HMAC)'), REF.secConsider('6.4')],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      resignSigned(doc, {
        key: Buffer.from(pemOfCert(ctx.idp.certBase64)),
        signatureAlgorithm: SIG_HMAC_SHA256,
        keyInfo: null,
      });
      return undefined;
    },
  ),
  fault(
    {
      id: 'hmac-public-cert-der',
      family: 'algorithms',
      title: 'HMAC signature keyed with the IdP’s certificate bytes (DER)',
      explanation:
        'Key confusion as above, with the certificate’s DER bytes as the HMAC secret (what a verifier holding the certificate as bytes would use). Refuse any symmetric signature from an IdP whose key is an RSA certificate.',
      references: [REF.xmldsig('6.3 (HMAC)')],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      resignSigned(doc, {
        key: derOfCert(ctx.idp.certBase64),
        signatureAlgorithm: SIG_HMAC_SHA256,
        keyInfo: null,
      });
      return undefined;
    },
  ),
  fault(
    {
      id: 'empty-signature-value',
      family: 'algorithms',
      title: 'Empty SignatureValue (a "none" signature)',
      explanation:
        'The assertion names another person, its digests are correct for the forged content, and the SignatureValue is empty: a signature in form only. Verifiers that treat "nothing to check" as success accept it. An SP must require a non-empty value that verifies.',
      references: [REF.xmldsig('3.2.2 (signature validation)')],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      resignSigned(doc, idpOptions(ctx, { signatureValueOverride: '' }));
      return undefined;
    },
  ),
  fault(
    {
      id: 'missing-signature-value',
      family: 'algorithms',
      title: 'Signature without a SignatureValue element',
      explanation:
        'The assertion names another person, the digests match it, and the SignatureValue element is missing altogether. The schema requires it; an SP must refuse a Signature that does not carry one.',
      references: [REF.xmldsig('4.3 (SignatureValue is required)')],
      expected: 'refuse',
      touches: [...SIGNATURES, ...IDENTITY],
    },
    (doc, ctx) => {
      rewriteIdentity(assertionOf(doc), ctx.identities.victim);
      resignSigned(doc, idpOptions(ctx));
      for (const value of all(doc, NS_XMLDSIG, 'SignatureValue')) value.parentNode?.removeChild(value);
      return undefined;
    },
  ),
];
