// A tiny test-only SAML signer: builds Responses (good and faulty, plain or encrypted) for the SP validator's tests,
// and the validator those tests run.
// SAML core 2.0 2.3.3 / 2.3.4 / 3.3.3 (Assertion, EncryptedAssertion, Response), profiles 4.1.4.2; xmldsig, xmlenc.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { type EncryptionAlgorithm, encrypt as encryptXml, type KeyEncryptionAlgorithm } from 'xml-encryption';
import {
  AUTHN_CONTEXT_PASSWORD_PROTECTED,
  C14N_EXCLUSIVE,
  CM_BEARER,
  DIGEST_SHA256,
  escapeXmlAttr,
  escapeXmlText,
  NAMEID_EMAIL,
  NS_ASSERTION,
  NS_PROTOCOL,
  SIG_RSA_SHA256,
  STATUS_SUCCESS,
  TRANSFORM_ENVELOPED,
} from '../../../protocol/saml/index.ts';
import type { TeamService } from '../../service/team-service.ts';
import { SignInError } from '../../signin/errors.ts';
import { InMemoryReplayCache } from '../replay-cache.ts';
import { InMemoryRequestIdCache } from '../request-id-cache.ts';
import { spEndpoints } from '../sp-endpoints.ts';
import { SamlResponseValidator, type SpValidationSettings } from '../validate-response.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const TEST_IDP_CERT = fixture('idp.crt');
export const TEST_IDP_KEY = fixture('idp.key');
export const ROGUE_CERT = fixture('rogue.crt');
export const ROGUE_KEY = fixture('rogue.key');
export const TEST_IDP_ENTITY_ID = 'https://idp.test.invalid/metadata';

export interface TestResponseOptions {
  acsUrl: string;
  audience: string;
  email: string;
  givenName?: string;
  familyName?: string;
  issuer?: string;
  inResponseTo?: string;
  destination?: string | null;
  recipient?: string;
  /** offsets from now, in ms */
  notBeforeOffsetMs?: number;
  notOnOrAfterOffsetMs?: number;
  authnInstant?: Date;
  signKey?: string;
  signCert?: string;
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** the assertion signature's algorithms (default RSA-SHA256, SHA-256, enveloped + exc-c14n) */
  assertionAlgorithms?: SigningAlgorithms;
  /** the Response signature's algorithms (same default) */
  responseAlgorithms?: SigningAlgorithms;
  /** the Response's own Issuer: a different entity ID, or null to leave it out (default: `issuer`) */
  responseIssuer?: string | null;
  /** a Format attribute on both Issuers */
  issuerFormat?: string;
  withAuthnStatement?: boolean;
  /** applied to the Response XML (holding the signed assertion) before the Response is signed */
  beforeResponseSigning?: (xml: string) => string;
  /** applied to the signed XML before base64 */
  afterSigning?: (xml: string) => string;
  assertionId?: string;
  statusXml?: string;
}

/** xmldsig algorithm URIs of one signature (what xml-crypto 6 can sign with). */
export interface SigningAlgorithms {
  signature?: string;
  digest?: string;
  transforms?: string[];
}

export const SIG_RSA_SHA1_URI = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
export const SIG_RSA_SHA512_URI = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
export const DIGEST_SHA1_URI = 'http://www.w3.org/2000/09/xmldsig#sha1';
export const DIGEST_SHA512_URI = 'http://www.w3.org/2001/04/xmlenc#sha512';

const id = (): string => `_${randomBytes(16).toString('hex')}`;

function sign(
  xml: string,
  localName: 'Assertion' | 'Response',
  key: string,
  cert: string,
  algorithms: SigningAlgorithms = {},
): string {
  const signer = new SignedXml({
    privateKey: key,
    publicCert: cert,
    signatureAlgorithm: algorithms.signature ?? SIG_RSA_SHA256,
    canonicalizationAlgorithm: C14N_EXCLUSIVE,
  });
  const xpath = `//*[local-name(.)='${localName}']`;
  signer.addReference({
    xpath,
    transforms: algorithms.transforms ?? [TRANSFORM_ENVELOPED, C14N_EXCLUSIVE],
    digestAlgorithm: algorithms.digest ?? DIGEST_SHA256,
  });
  // SAML core 5.4.1 / schema: the Signature follows the Issuer.
  // the Signature follows the element's Issuer; a Response built without one gets it as first child instead
  const withIssuer = /^<[^>]+><saml:Issuer/.test(xml);
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: withIssuer
      ? { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' }
      : { reference: xpath, action: 'prepend' },
  });
  return signer.getSignedXml();
}

/** The assertion of a test Response, signed unless `sign` is 'response' or 'none'. */
function buildAssertion(options: TestResponseOptions, now: number): string {
  const iso = (offset: number): string => new Date(now + offset).toISOString();
  const issuer = options.issuer ?? TEST_IDP_ENTITY_ID;
  const irt =
    options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeXmlAttr(options.inResponseTo)}"`;
  const notBefore = iso(options.notBeforeOffsetMs ?? -30_000);
  const notOnOrAfter = iso(options.notOnOrAfterOffsetMs ?? 5 * 60_000);
  const assertionId = options.assertionId ?? id();
  const issuerFormat =
    options.issuerFormat === undefined ? '' : ` Format="${escapeXmlAttr(options.issuerFormat)}"`;
  const authn =
    options.withAuthnStatement === false
      ? ''
      : `<saml:AuthnStatement AuthnInstant="${(options.authnInstant ?? new Date(now)).toISOString()}" SessionIndex="${id()}">` +
        `<saml:AuthnContext><saml:AuthnContextClassRef>${AUTHN_CONTEXT_PASSWORD_PROTECTED}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
  const attribute = (name: string, value: string): string =>
    `<saml:Attribute Name="${name}"><saml:AttributeValue>${escapeXmlText(value)}</saml:AttributeValue></saml:Attribute>`;
  const assertion =
    `<saml:Assertion xmlns:saml="${NS_ASSERTION}" ID="${assertionId}" Version="2.0" IssueInstant="${iso(0)}">` +
    `<saml:Issuer${issuerFormat}>${escapeXmlText(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${NAMEID_EMAIL}">${escapeXmlText(options.email)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${CM_BEARER}"><saml:SubjectConfirmationData${irt} NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeXmlAttr(options.recipient ?? options.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escapeXmlText(options.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    authn +
    `<saml:AttributeStatement>${attribute('email', options.email)}${attribute('firstName', options.givenName ?? 'Ada')}${attribute('lastName', options.familyName ?? 'Lovelace')}</saml:AttributeStatement>` +
    '</saml:Assertion>';
  const mode = options.sign ?? 'assertion';
  if (mode !== 'assertion' && mode !== 'both') return assertion;
  return sign(
    assertion,
    'Assertion',
    options.signKey ?? TEST_IDP_KEY,
    options.signCert ?? TEST_IDP_CERT,
    options.assertionAlgorithms,
  );
}

/** Wraps an assertion element (plain or encrypted) in a Response, signed when `sign` is 'response' or 'both'. */
function buildResponse(options: TestResponseOptions, assertionElement: string, now: number): string {
  const issuer =
    options.responseIssuer === undefined ? (options.issuer ?? TEST_IDP_ENTITY_ID) : options.responseIssuer;
  const issuerFormat =
    options.issuerFormat === undefined ? '' : ` Format="${escapeXmlAttr(options.issuerFormat)}"`;
  const irt =
    options.inResponseTo === undefined ? '' : ` InResponseTo="${escapeXmlAttr(options.inResponseTo)}"`;
  const destination =
    options.destination === null
      ? ''
      : ` Destination="${escapeXmlAttr(options.destination ?? options.acsUrl)}"`;
  const status =
    options.statusXml ?? `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status>`;
  let response =
    `<samlp:Response xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${id()}" Version="2.0" IssueInstant="${new Date(now).toISOString()}"${destination}${irt}>` +
    `${issuer === null ? '' : `<saml:Issuer${issuerFormat}>${escapeXmlText(issuer)}</saml:Issuer>`}${status}${options.statusXml === undefined ? assertionElement : ''}</samlp:Response>`;
  const mode = options.sign ?? 'assertion';
  if (options.beforeResponseSigning !== undefined) response = options.beforeResponseSigning(response);
  if (mode === 'response' || mode === 'both') {
    response = sign(
      response,
      'Response',
      options.signKey ?? TEST_IDP_KEY,
      options.signCert ?? TEST_IDP_CERT,
      options.responseAlgorithms,
    );
  }
  const finalXml = options.afterSigning === undefined ? response : options.afterSigning(response);
  return Buffer.from(finalXml, 'utf8').toString('base64');
}

/** Builds a base64 SAMLResponse; every fault is an option so each test names the one thing it breaks. */
export function buildTestResponse(options: TestResponseOptions): string {
  const now = Date.now();
  return buildResponse(options, buildAssertion(options, now), now);
}

export interface EncryptionOptions {
  /** PEM certificate of the key the assertion is encrypted to (core 2.3.4) */
  encryptTo: string;
  /** default AES-256-GCM; the CBC ones need `allowInsecure` (xml-encryption refuses them otherwise) */
  encryptionAlgorithm?: EncryptionAlgorithm;
  keyEncryptionAlgorithm?: KeyEncryptionAlgorithm;
  allowInsecure?: boolean;
  /** replaces the (signed) assertion XML before it is encrypted */
  plaintext?: (assertionXml: string) => string;
}

function encrypt(content: string, encryption: EncryptionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    encryptXml(
      content,
      {
        rsa_pub: encryption.encryptTo,
        pem: encryption.encryptTo,
        encryptionAlgorithm: encryption.encryptionAlgorithm ?? 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm:
          encryption.keyEncryptionAlgorithm ?? 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: encryption.allowInsecure !== true,
        warnInsecureAlgorithm: false,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** As buildTestResponse, with the (signed) assertion sent as an EncryptedAssertion; a Response signature comes after. */
export async function buildEncryptedTestResponse(
  options: TestResponseOptions,
  encryption: EncryptionOptions,
): Promise<string> {
  const now = Date.now();
  const assertion = buildAssertion(options, now);
  const plaintext = encryption.plaintext === undefined ? assertion : encryption.plaintext(assertion);
  const element = `<saml:EncryptedAssertion>${await encrypt(plaintext, encryption)}</saml:EncryptedAssertion>`;
  return buildResponse(options, element, now);
}

/** The SP endpoints the validator unit tests run against. */
export const TEST_SP_ENDPOINTS = spEndpoints('http://127.0.0.1:9/', 'method-1');

/** A Response for {@link TEST_SP_ENDPOINTS} (ada@example.com unless `email` says otherwise). */
export function testSpResponse(options: Partial<TestResponseOptions> = {}): string {
  return buildTestResponse({
    acsUrl: TEST_SP_ENDPOINTS.acsUrl,
    audience: TEST_SP_ENDPOINTS.entityId,
    email: 'ada@example.com',
    ...options,
  });
}

/** A team (with owner) and a JIT SAML method pinned to the test IdP, in a running server's team service. */
export function addTestIdpTeam(
  service: TeamService,
  options: { name: string; idpSloUrl?: string },
): { teamId: string; ownerId: string; methodId: string } {
  const { team, owner } = service.createTeam({
    name: options.name,
    plan: 'Enterprise',
    licensedSeats: 20,
    owner: { email: `owner@${options.name.toLowerCase()}.example`, givenName: 'O', familyName: 'W' },
  });
  const method = service.addAuthMethod(team.id, owner.account.id, {
    kind: 'saml',
    label: `${options.name} IdP`,
    enabled: true,
    autoAddUsers: true,
    saml: {
      idpEntityId: TEST_IDP_ENTITY_ID,
      idpSsoUrl: 'https://idp.test.invalid/sso',
      idpCertificates: [TEST_IDP_CERT],
      ...(options.idpSloUrl === undefined ? {} : { idpSloUrl: options.idpSloUrl }),
    },
  });
  return { teamId: team.id, ownerId: owner.account.id, methodId: method.id };
}

/** A validator for method-1 pinned to the test IdP, with fresh caches; `overrides` change single settings. */
export function testValidator(overrides: Partial<SpValidationSettings> = {}) {
  const replayCache = new InMemoryReplayCache();
  const requestIds = new InMemoryRequestIdCache();
  const validator = new SamlResponseValidator(
    {
      methodId: 'method-1',
      endpoints: TEST_SP_ENDPOINTS,
      idpEntityId: TEST_IDP_ENTITY_ID,
      idpCertificates: [TEST_IDP_CERT],
      ...overrides,
    },
    { replayCache, requestIds },
  );
  return { validator, replayCache, requestIds };
}

/** The refusal code a validation ends with, or 'accepted'; anything other than a SignInError is rethrown. */
export async function refusalCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignInError) return error.code;
    throw error;
  }
  return 'accepted';
}
