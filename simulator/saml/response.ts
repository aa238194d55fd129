// Builds the IdP's SAML Response (HTTP-POST binding) from escaped string templates, signed with xml-crypto.
// SAML core 2.3-2.7 (Assertion), 3.2.2 (Response); profiles 4.1.4.2 (Web SSO response rules); faults.ts variants.

import { randomBytes } from 'node:crypto';
import { encrypt as encryptXml } from 'xml-encryption';
import {
  ATTRNAME_FORMAT_BASIC,
  AUTHN_CONTEXT_PASSWORD_PROTECTED,
  CM_BEARER,
  escapeC14nAttr,
  escapeC14nText,
  escapeXmlAttr,
  escapeXmlText,
  NAMEID_EMAIL,
  NS_ASSERTION,
  NS_PROTOCOL,
  STATUS_SUCCESS,
  samlId,
  samlInstant,
} from '../../protocol/saml/index.ts';
import { FOREIGN_AUDIENCE, FOREIGN_URL, type ResponseFault, TAMPERED_NAME_ID } from './faults.ts';
import type { SigningCredentials } from './keys.ts';
import { signCanonicalElement, signRootElement } from './signer.ts';

export interface SamlAttribute {
  name: string;
  values: string[];
}

export interface BuildResponseOptions {
  /** The IdP's entityID (saml:Issuer of Response and Assertion). */
  issuer: string;
  /** The SP's ACS URL: Response/@Destination and SubjectConfirmationData/@Recipient. */
  acsUrl: string;
  /** The SP's entityID: the AudienceRestriction. */
  audience: string;
  /** The AuthnRequest ID for SP-initiated sign-in; absent for IdP-initiated (unsolicited) responses. */
  inResponseTo?: string | undefined;
  nameId: string;
  /** Default emailAddress (SAML core 8.3.2). */
  nameIdFormat?: string | undefined;
  attributes: SamlAttribute[];
  /** NameFormat of every Attribute (core 2.7.3.1); default basic, null leaves it out (Entra's claims) */
  attributeNameFormat?: string | null | undefined;
  /** From the IdP session: when the person authenticated, its index, and when it ends. */
  authnInstant: Date;
  sessionIndex: string;
  sessionNotOnOrAfter?: Date | undefined;
  /** Issue time (the IdP's clock). */
  now: Date;
  /** Validity of the assertion and its bearer confirmation. Default 5 minutes. */
  assertionTtlMs?: number | undefined;
  signResponse: boolean;
  signAssertion: boolean;
  credentials: SigningCredentials;
  /** SP encryption certificate (PEM): when set, the signed assertion is sent as an EncryptedAssertion. */
  encryptionCert?: string | undefined;
  faults?: readonly ResponseFault[] | undefined;
  /** Required by the `wrong-key` fault. */
  rogueCredentials?: SigningCredentials | undefined;
  /** `template` (default): canonical templates, no DOM; `xml-crypto`: the DOM path (same signature bytes). */
  signer?: 'template' | 'xml-crypto' | undefined;
  /** Fixes the IDs (golden tests; `replay-assertion-id` passes the previous assertion ID). */
  responseId?: string | undefined;
  assertionId?: string | undefined;
}

export interface BuiltResponse {
  xml: string;
  /** The HTTP-POST binding's SAMLResponse value (bindings 3.5.4: base64 of the XML, no DEFLATE). */
  base64: string;
  responseId: string;
  assertionId: string;
  notOnOrAfter: Date;
  /** the signed assertion as it was before encryption (core 2.3.4), when it was sent as an EncryptedAssertion */
  plaintextAssertion?: string;
}

const DEFAULT_ASSERTION_TTL_MS = 5 * 60_000;
/** NotBefore is back-dated a little so an SP whose clock runs slightly behind still accepts (Okta does likewise). */
const NOT_BEFORE_LEEWAY_MS = 60_000;

export function newSamlId(): string {
  return samlId(randomBytes(20).toString('hex'));
}

function attributeXml(attribute: SamlAttribute, nameFormat: string | null): string {
  // SAML core 2.7.3.1: one AttributeValue per value. No xsi:type: a QName in an attribute value would need an
  // xmlns:xs that exclusive c14n drops, so the canonical and wire forms would differ (anyType is allowed).
  const values = attribute.values
    .map((v) => `<saml:AttributeValue>${escapeC14nText(v)}</saml:AttributeValue>`)
    .join('');
  const format = nameFormat === null ? '' : ` NameFormat="${escapeC14nAttr(nameFormat)}"`;
  return `<saml:Attribute Name="${escapeC14nAttr(attribute.name)}"${format}>${values}</saml:Attribute>`;
}

/**
 * Builds, signs, optionally encrypts, and applies the requested faults. The XML is written directly in exclusive
 * canonical form (attributes in c14n order, no empty-element tags, c14n escaping, each namespace declared where
 * first used), so signing needs no DOM: see signCanonicalElement. `signer: 'xml-crypto'` takes the DOM path instead.
 */
export async function buildSamlResponse(options: BuildResponseOptions): Promise<BuiltResponse> {
  const faults = new Set(options.faults ?? []);
  const now = options.now.getTime();
  const ttl = options.assertionTtlMs ?? DEFAULT_ASSERTION_TTL_MS;
  const notOnOrAfter = new Date(faults.has('expired') ? now - 60_000 : now + ttl);
  const notBefore = new Date(faults.has('expired') ? now - ttl - 60_000 : now - NOT_BEFORE_LEEWAY_MS);
  const responseId = options.responseId ?? newSamlId();
  const assertionId = options.assertionId ?? newSamlId();
  const issueInstant = samlInstant(options.now);
  const issuer = escapeC14nText(options.issuer);
  const recipient = escapeC14nAttr(faults.has('wrong-recipient') ? FOREIGN_URL : options.acsUrl);
  const destination = escapeC14nAttr(faults.has('wrong-destination') ? FOREIGN_URL : options.acsUrl);
  const audience = escapeC14nText(faults.has('wrong-audience') ? FOREIGN_AUDIENCE : options.audience);
  const inResponseTo =
    options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeC14nAttr(options.inResponseTo)}"`;
  const credentials = faults.has('wrong-key') ? options.rogueCredentials : options.credentials;
  if (credentials === undefined) throw new Error('the wrong-key fault needs rogueCredentials');
  const signAssertion = options.signAssertion && !faults.has('unsigned');
  const signResponse = options.signResponse && !faults.has('unsigned');
  const viaXmlCrypto = options.signer === 'xml-crypto';
  const sessionEnd =
    options.sessionNotOnOrAfter === undefined
      ? ''
      : ` SessionNotOnOrAfter="${samlInstant(options.sessionNotOnOrAfter)}"`;
  const attributes =
    options.attributes.length === 0
      ? ''
      : `<saml:AttributeStatement>${options.attributes
          .map((attribute) =>
            attributeXml(
              attribute,
              options.attributeNameFormat === undefined ? ATTRNAME_FORMAT_BASIC : options.attributeNameFormat,
            ),
          )
          .join('')}</saml:AttributeStatement>`;

  // SAML core 2.3.3: Issuer, (Signature), Subject, Conditions, AuthnStatement, AttributeStatement, in that order.
  // Attributes of each element are in c14n order (unprefixed, by local name).
  let assertion =
    `<saml:Assertion xmlns:saml="${NS_ASSERTION}" ID="${assertionId}" IssueInstant="${issueInstant}" Version="2.0">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    '<saml:Subject>' +
    `<saml:NameID Format="${escapeC14nAttr(options.nameIdFormat ?? NAMEID_EMAIL)}">${escapeC14nText(options.nameId)}</saml:NameID>` +
    // Profiles 4.1.4.2: bearer confirmation with Recipient, NotOnOrAfter and (SP-initiated) InResponseTo.
    `<saml:SubjectConfirmation Method="${CM_BEARER}"><saml:SubjectConfirmationData${inResponseTo}` +
    ` NotOnOrAfter="${samlInstant(notOnOrAfter)}" Recipient="${recipient}"></saml:SubjectConfirmationData>` +
    '</saml:SubjectConfirmation></saml:Subject>' +
    `<saml:Conditions NotBefore="${samlInstant(notBefore)}" NotOnOrAfter="${samlInstant(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction>` +
    '</saml:Conditions>' +
    `<saml:AuthnStatement AuthnInstant="${samlInstant(options.authnInstant)}"` +
    ` SessionIndex="${escapeC14nAttr(options.sessionIndex)}"${sessionEnd}>` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${AUTHN_CONTEXT_PASSWORD_PROTECTED}</saml:AuthnContextClassRef>` +
    '</saml:AuthnContext></saml:AuthnStatement>' +
    attributes +
    '</saml:Assertion>';
  if (signAssertion) {
    assertion = viaXmlCrypto
      ? signRootElement(assertion, 'Assertion', credentials)
      : signCanonicalElement(assertion, assertionId, credentials);
  }
  const encrypted = options.encryptionCert !== undefined;
  const assertionElement = encrypted
    ? `<saml:EncryptedAssertion xmlns:saml="${NS_ASSERTION}">${await encryptAssertion(assertion, options.encryptionCert ?? '')}</saml:EncryptedAssertion>`
    : assertion;

  // SAML core 3.2.2; xmlns:saml is declared on each saml element child, where exc-c14n renders it.
  const response =
    `<samlp:Response xmlns:samlp="${NS_PROTOCOL}" Destination="${destination}" ID="${responseId}"${inResponseTo}` +
    ` IssueInstant="${issueInstant}" Version="2.0">` +
    `<saml:Issuer xmlns:saml="${NS_ASSERTION}">${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"></samlp:StatusCode></samlp:Status>` +
    assertionElement +
    '</samlp:Response>';
  let xml = response;
  if (signResponse) {
    // xml-encryption's output is not in canonical form, so a Response holding it is signed through the DOM path.
    xml =
      viaXmlCrypto || encrypted
        ? signRootElement(response, 'Response', credentials)
        : signCanonicalElement(response, responseId, credentials);
  }
  if (faults.has('tamper-after-signing')) xml = tamper(xml, options.nameId, issueInstant);
  return {
    xml,
    base64: Buffer.from(xml, 'utf8').toString('base64'),
    responseId,
    assertionId,
    notOnOrAfter,
    ...(encrypted ? { plaintextAssertion: assertion } : {}),
  };
}

/** Changes a signed value without re-signing: the NameID if visible, else the Response's IssueInstant. */
function tamper(xml: string, nameId: string, issueInstant: string): string {
  const visibleNameId = `>${escapeC14nText(nameId)}</saml:NameID>`;
  if (xml.includes(visibleNameId)) return xml.replace(visibleNameId, `>${TAMPERED_NAME_ID}</saml:NameID>`);
  const later = samlInstant(new Date(Date.parse(issueInstant) + 1000));
  return xml.replace(`IssueInstant="${issueInstant}"`, `IssueInstant="${later}"`);
}

/** SAML core 2.3.4 / xmlenc: AES-256-GCM content key, RSA-OAEP key transport (xml-encryption's secure default). */
function encryptAssertion(assertionXml: string, certPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    encryptXml(
      assertionXml,
      {
        rsa_pub: certPem,
        pem: certPem,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

export interface StatusResponseOptions {
  issuer: string;
  acsUrl: string;
  inResponseTo?: string | undefined;
  /** SAML core 3.2.2.2: top-level code (Requester / Responder) and an optional second-level code. */
  statusCode: string;
  subStatusCode?: string | undefined;
  message?: string | undefined;
  now: Date;
  credentials: SigningCredentials;
}

/** A signed Response without an assertion, e.g. NoPassive for an IsPassive request with no session. */
export function buildStatusResponse(options: StatusResponseOptions): BuiltResponse {
  const responseId = newSamlId();
  const inResponseTo =
    options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeXmlAttr(options.inResponseTo)}"`;
  const sub =
    options.subStatusCode === undefined
      ? ''
      : `<samlp:StatusCode Value="${escapeXmlAttr(options.subStatusCode)}"/>`;
  const message =
    options.message === undefined
      ? ''
      : `<samlp:StatusMessage>${escapeXmlText(options.message)}</samlp:StatusMessage>`;
  const response =
    `<samlp:Response xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${responseId}" Version="2.0"` +
    ` IssueInstant="${samlInstant(options.now)}" Destination="${escapeXmlAttr(options.acsUrl)}"${inResponseTo}>` +
    `<saml:Issuer>${escapeXmlText(options.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeXmlAttr(options.statusCode)}">${sub}</samlp:StatusCode>${message}</samlp:Status>` +
    '</samlp:Response>';
  const xml = signRootElement(response, 'Response', options.credentials);
  return {
    xml,
    base64: Buffer.from(xml, 'utf8').toString('base64'),
    responseId,
    assertionId: '',
    notOnOrAfter: options.now,
  };
}
