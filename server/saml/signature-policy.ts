// Which XML signatures the SP accepts at all, read from the parsed message before any cryptography: an allow-list of
// algorithms and transforms (SAML core 5.4.1-5.4.4, xmldsig-core1 6, RFC 6931; NIST SP 800-131A: no SHA-1 signatures).
import type { Element as XmlElement } from '@xmldom/xmldom';
import { NS_XMLDSIG } from '../../protocol/saml/index.ts';
import { SignInError } from '../signin/errors.ts';

const XMLDSIG_MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/**
 * RFC 6931 2.3 / xmldsig-core1 6.4: public-key signature methods over SHA-2, as far as the verifier (xml-crypto 6, under
 * node-saml) can check them. RSA-SHA384, ECDSA and SHA-384 are sound but unverifiable there: they are refused here
 * with the honest code rather than failing later as `signature_invalid`, and the SP metadata publishes exactly this
 * list (sp-metadata.ts), so an IdP reading it never picks one the ACS cannot take.
 */
const STRONG_SIGNATURE_METHODS: ReadonlySet<string> = new Set([
  `${XMLDSIG_MORE}rsa-sha256`,
  `${XMLDSIG_MORE}rsa-sha512`,
  // RFC 6931 2.3.10: RSASSA-PSS with SHA-256
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
]);
/**
 * The SHA-1 method a legacy IdP may still use, accepted only with the method's `allowSha1`. DSA-SHA1 stays out
 * (1024-bit DSA, withdrawn in FIPS 186-5), and so does every HMAC: a MAC "signature" keyed with the pinned
 * certificate's public bytes would verify for anyone who has the certificate (key confusion).
 */
const SHA1_SIGNATURE_METHODS: ReadonlySet<string> = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1']);
/** xmlenc-core 5.7.2 / 5.7.4: SHA-2 digests the verifier computes. */
const STRONG_DIGESTS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);
const SHA1_DIGEST = 'http://www.w3.org/2000/09/xmldsig#sha1';
/**
 * SAML core 5.4.3-5.4.4: enveloped-signature plus exclusive c14n, nothing else. XPath and XSLT transforms select or
 * rewrite what is signed (signature wrapping, code execution); the WithComments variants let a comment split a
 * signed NameID without breaking the digest (the 2018 comment-truncation class).
 */
const ALLOWED_TRANSFORMS: ReadonlySet<string> = new Set([ENVELOPED, EXC_C14N]);
/** SignedInfo's own canonicalisation: exclusive c14n without comments (core 5.4.3). */
const ALLOWED_CANONICALISATION: ReadonlySet<string> = new Set([EXC_C14N]);

export interface SignaturePolicy {
  /** accept RSA-SHA1 signatures and SHA-1 digests (a method's legacy opt-in; off by default) */
  allowSha1: boolean;
}

/** What the SP accepts under `policy`, strongest first (published in SP metadata: sp-metadata.ts). */
export function acceptedAlgorithms(policy: SignaturePolicy): { signing: string[]; digest: string[] } {
  return {
    signing: [...STRONG_SIGNATURE_METHODS, ...(policy.allowSha1 ? SHA1_SIGNATURE_METHODS : [])],
    digest: [...STRONG_DIGESTS, ...(policy.allowSha1 ? [SHA1_DIGEST] : [])],
  };
}

function refuse(detail: string): never {
  throw new SignInError('algorithm_forbidden', detail);
}

function dsigChildren(parent: XmlElement, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const element = node as XmlElement;
    if (element.namespaceURI === NS_XMLDSIG && element.localName === localName) found.push(element);
  }
  return found;
}

function algorithmOf(element: XmlElement | undefined, what: string): string {
  const algorithm = element?.getAttribute('Algorithm') ?? '';
  if (algorithm === '') refuse(`${what} without Algorithm`);
  return algorithm;
}

function checkSignatureMethod(algorithm: string, policy: SignaturePolicy): void {
  if (STRONG_SIGNATURE_METHODS.has(algorithm)) return;
  if (policy.allowSha1 && SHA1_SIGNATURE_METHODS.has(algorithm)) return;
  refuse(`SignatureMethod ${algorithm}`);
}

function checkDigestMethod(algorithm: string, policy: SignaturePolicy): void {
  if (STRONG_DIGESTS.has(algorithm)) return;
  if (policy.allowSha1 && algorithm === SHA1_DIGEST) return;
  refuse(`DigestMethod ${algorithm}`);
}

/** One ds:Signature: its SignedInfo's methods, every Reference's transforms and digest. */
function checkSignature(signature: XmlElement, policy: SignaturePolicy): void {
  const signedInfo = dsigChildren(signature, 'SignedInfo')[0];
  if (signedInfo === undefined) refuse('Signature without SignedInfo');
  const c14n = algorithmOf(dsigChildren(signedInfo, 'CanonicalizationMethod')[0], 'CanonicalizationMethod');
  if (!ALLOWED_CANONICALISATION.has(c14n)) refuse(`CanonicalizationMethod ${c14n}`);
  checkSignatureMethod(
    algorithmOf(dsigChildren(signedInfo, 'SignatureMethod')[0], 'SignatureMethod'),
    policy,
  );
  for (const reference of dsigChildren(signedInfo, 'Reference')) {
    for (const transforms of dsigChildren(reference, 'Transforms')) {
      for (const transform of dsigChildren(transforms, 'Transform')) {
        const algorithm = algorithmOf(transform, 'Transform');
        if (!ALLOWED_TRANSFORMS.has(algorithm)) refuse(`Transform ${algorithm}`);
      }
    }
    checkDigestMethod(algorithmOf(dsigChildren(reference, 'DigestMethod')[0], 'DigestMethod'), policy);
  }
}

/**
 * Throws `algorithm_forbidden` when any ds:Signature anywhere under `root` (the Response with everything it carries,
 * or a decrypted assertion) uses a method off the allow-list. Runs on the DOM the validator already parsed.
 */
export function checkSignatureAlgorithms(root: XmlElement, policy: SignaturePolicy): void {
  if (root.namespaceURI === NS_XMLDSIG && root.localName === 'Signature') checkSignature(root, policy);
  const signatures = root.getElementsByTagNameNS(NS_XMLDSIG, 'Signature');
  for (let i = 0; i < signatures.length; i += 1) {
    const signature = signatures.item(i);
    if (signature !== null) checkSignature(signature, policy);
  }
}

/**
 * SAML core 5.4.1-5.4.2: the element's enveloped signature, i.e. its one ds:Signature child with exactly one
 * Reference whose URI is `#` + the element's ID. Null when it has none; `signature_invalid` when it has several, or
 * one that signs something else (a signature that does not cover its parent protects nothing there).
 */
export function envelopedSignatureOf(element: XmlElement): XmlElement | null {
  const signatures = dsigChildren(element, 'Signature');
  if (signatures.length === 0) return null;
  const what = element.localName;
  if (signatures.length > 1) throw new SignInError('signature_invalid', `${what} has several signatures`);
  const signature = signatures[0] as XmlElement;
  const signedInfo = dsigChildren(signature, 'SignedInfo')[0];
  const references = signedInfo === undefined ? [] : dsigChildren(signedInfo, 'Reference');
  if (references.length !== 1) {
    throw new SignInError('signature_invalid', `${what} signature has ${references.length} references`);
  }
  const id = element.getAttribute('ID') ?? '';
  const uri = references[0]?.getAttribute('URI') ?? '';
  if (id === '' || uri !== `#${id}`) {
    throw new SignInError(
      'signature_invalid',
      `${what} signature references ${uri || '(nothing)'}, not #${id}`,
    );
  }
  return signature;
}
