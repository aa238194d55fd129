// The ACS's validation of a SAML Response (EncryptedAssertion decrypted first, core 2.3.4): node-saml 5 for signature,
// time, audience, InResponseTo; plus the saml-notes.md checks: DOCTYPE, one assertion, algorithms, the assertion's own
// signature (WantAssertionsSigned), Issuer (profiles 4.1.4.2), Destination, Recipient, replay.

import { type Profile, SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { decrypt as decryptXml } from 'xml-encryption';
import {
  CM_BEARER,
  certToBase64,
  decodePostField,
  NS_ASSERTION,
  NS_PROTOCOL,
  NS_XMLDSIG,
  STATUS_REQUEST_DENIED,
  STATUS_SUCCESS,
} from '../../protocol/saml/index.ts';
import { SignInError, type SignInErrorCode } from '../signin/errors.ts';
import { type AssertedPerson, readAssertedPerson } from './person-attributes.ts';
import type { ReplayCache } from './replay-cache.ts';
import {
  DEFAULT_REQUEST_TTL_MS,
  nodeSamlCacheProvider,
  type PendingAuthnRequest,
  type RequestIdCache,
} from './request-id-cache.ts';
import { checkSignatureAlgorithms, envelopedSignatureOf, type SignaturePolicy } from './signature-policy.ts';
import type { SpEndpoints } from './sp-endpoints.ts';

/** Upper bound on the accepted clock skew, whatever the caller configures. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const DEFAULT_CLOCK_SKEW_MS = 60_000;

export interface SpValidationSettings {
  /** the auth method these endpoints belong to (pending requests remember theirs) */
  methodId: string;
  endpoints: SpEndpoints;
  /** the Issuer the assertion must name */
  idpEntityId: string;
  /** pinned IdP signing certificates (PEM or bare base64); KeyInfo in the message is never trusted */
  idpCertificates: readonly string[];
  /** bounded clock skew for every time check (default 60 s, capped at {@link MAX_CLOCK_SKEW_MS}) */
  clockSkewMs?: number;
  /** accept Responses without InResponseTo, i.e. IdP-initiated sign-in (default true) */
  allowIdpInitiated?: boolean;
  /** how long an AuthnRequest may stay unanswered (default 10 min); must match the RequestIdCache's TTL */
  requestTtlMs?: number;
  /** the SP's private key (PEM) for EncryptedAssertions; without one they are refused with `decryption_failed` */
  decryptionKeyPem?: string;
  /** accept SHA-1 signatures and digests from a legacy IdP (default false: `algorithm_forbidden`) */
  allowSha1?: boolean;
}

export interface ValidationDeps {
  replayCache: ReplayCache;
  requestIds: RequestIdCache;
  now?: () => number;
}

/** What a valid Response establishes. */
export interface ValidatedAssertion {
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  person: AssertedPerson;
  sessionIndex: string | null;
  /** AuthnStatement/@AuthnInstant: when the IdP last authenticated the person (ORG-03/04) */
  authnInstant: Date;
  inResponseTo: string | null;
  /** the SP-initiated request this answers, null for IdP-initiated sign-in */
  pending: PendingAuthnRequest | null;
  attributes: Readonly<Record<string, readonly string[]>>;
}

interface Structure {
  response: XmlElement;
  /** the Assertion child, or the decrypted content of the EncryptedAssertion child */
  assertion: XmlElement;
  encrypted: boolean;
  responseSigned: boolean;
  inResponseTo: string | null;
  embeddedCertificates: string[];
}

function fail(code: SignInErrorCode, detail: string): never {
  throw new SignInError(code, detail);
}

function children(parent: XmlElement, ns: string, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const element = node as XmlElement;
      if (element.namespaceURI === ns && element.localName === localName) found.push(element);
    }
  }
  return found;
}

function child(parent: XmlElement, ns: string, localName: string): XmlElement | null {
  return children(parent, ns, localName)[0] ?? null;
}

function attr(element: XmlElement, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null;
}

function parseXml(xml: string): XmlElement {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  });
  try {
    const doc = parser.parseFromString(xml, 'text/xml');
    const root = doc.documentElement;
    if (root === null) fail('malformed_response', 'empty document');
    return root;
  } catch (error) {
    if (error instanceof SignInError) throw error;
    return fail('malformed_response', `XML parse error: ${(error as Error).message}`);
  }
}

/** SAML core 8.3.6: the entity-identifier NameID format, the only Format an IdP's Issuer may carry. */
const NAMEID_ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/**
 * Profiles 4.1.4.2: an Issuer names the IdP by its entity ID, with no Format or the entity format. `required`: the
 * Response's Issuer may be omitted only when the Response is unsigned and its assertion is not encrypted.
 */
function checkIssuer(issuer: XmlElement | null, idpEntityId: string, what: string, required: boolean): void {
  if (issuer === null) {
    if (required) fail('issuer_mismatch', `${what} has no Issuer`);
    return;
  }
  const format = attr(issuer, 'Format');
  if (format !== null && format !== NAMEID_ENTITY) fail('issuer_mismatch', `${what} Issuer Format ${format}`);
  const value = issuer.textContent?.trim() ?? '';
  if (value !== idpEntityId) fail('issuer_mismatch', `${what} Issuer ${value}`);
}

function parseTime(value: string | null, what: string): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail('malformed_response', `${what} is not a dateTime`);
  return ms;
}

/** Decodes the POSTed SAMLResponse (bindings 3.5.4: base64, no DEFLATE) and refuses DTDs before any parsing. */
export function decodeSamlResponse(samlResponse: string): string {
  const bytes = decodePostField(samlResponse);
  if (bytes === undefined) fail('malformed_response', 'not base64, or too large');
  const xml = bytes.toString('utf8');
  // XML 1.0 2.8: a DOCTYPE can declare entities (billion laughs, XXE); SAML messages never need one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail('doctype_forbidden', 'DOCTYPE in SAML Response');
  return xml;
}

/**
 * Core 2.3.4: decrypts the EncryptedAssertion with the SP key, through xml-encryption 6 and its secure defaults
 * (AES-GCM content, RSA-OAEP key transport; AES-CBC, 3DES and RSA 1.5 refused: xmlenc-core1 6.1 / the 2011 CBC
 * padding-oracle attack). node-saml then decrypts again with its own nested xml-encryption 3, which accepts those
 * algorithms; this step runs first, so it never sees them. Every failure has the one code and no detail on the wire.
 */
async function decryptAssertion(
  encrypted: XmlElement,
  keyPem: string | undefined,
  policy: SignaturePolicy,
): Promise<XmlElement> {
  if (keyPem === undefined) fail('decryption_failed', 'no SP decryption key configured');
  let plain: string;
  try {
    plain = await new Promise<string>((resolve, reject) => {
      decryptXml(
        encrypted.toString(),
        { key: keyPem, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false },
        (error, result) => (error === null ? resolve(result) : reject(error)),
      );
    });
  } catch (error) {
    return fail('decryption_failed', error instanceof Error ? error.message : String(error));
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(plain)) fail('doctype_forbidden', 'DOCTYPE in the decrypted assertion');
  const assertion = parseXml(plain);
  if (assertion.namespaceURI !== NS_ASSERTION || assertion.localName !== 'Assertion') {
    fail('malformed_response', 'EncryptedAssertion does not hold an Assertion');
  }
  const doc = assertion.ownerDocument;
  const nested =
    (doc?.getElementsByTagNameNS(NS_ASSERTION, 'Assertion').length ?? 0) +
    (doc?.getElementsByTagNameNS(NS_ASSERTION, 'EncryptedAssertion').length ?? 0);
  if (nested > 1) fail('multiple_assertions', `${nested} assertions in the decrypted content`);
  // The decrypted assertion's signatures are part of the message too: the same allow-list applies to them.
  checkSignatureAlgorithms(assertion, policy);
  return assertion;
}

/** What the structure checks need of the method's settings. */
interface StructureRules {
  idpEntityId: string;
  decryptionKeyPem: string | undefined;
  policy: SignaturePolicy;
}

/**
 * Checks on the one parsed document before any cryptography (saml-notes.md "exactly one assertion"): status, one
 * assertion, every signature's algorithms, the Issuers, and that the assertion carries its own enveloped signature.
 */
async function readStructure(xml: string, rules: StructureRules): Promise<Structure> {
  const response = parseXml(xml);
  if (response.namespaceURI !== NS_PROTOCOL || response.localName !== 'Response') {
    fail('malformed_response', `root element is ${response.localName}`);
  }
  const statusCode = child(response, NS_PROTOCOL, 'Status');
  const topCode = statusCode === null ? null : child(statusCode, NS_PROTOCOL, 'StatusCode');
  const topValue = topCode === null ? null : attr(topCode, 'Value');
  if (topValue !== STATUS_SUCCESS) {
    // core 3.2.2.2: a second-level RequestDenied is how the IdP says "not assigned to this app" (JIT-08, ORG-06)
    const second = topCode === null ? null : child(topCode, NS_PROTOCOL, 'StatusCode');
    const secondValue = second === null ? null : attr(second, 'Value');
    if (topValue === null) fail('malformed_response', 'no Status');
    fail(
      secondValue === STATUS_REQUEST_DENIED ? 'not_assigned' : 'idp_refused',
      `status ${topValue} ${secondValue}`,
    );
  }
  // Count every assertion anywhere in the document: wrapping attacks hide a second one in Extensions or Object.
  const doc = response.ownerDocument;
  if (doc === null) fail('malformed_response', 'detached root');
  const all =
    doc.getElementsByTagNameNS(NS_ASSERTION, 'Assertion').length +
    doc.getElementsByTagNameNS(NS_ASSERTION, 'EncryptedAssertion').length;
  if (all > 1) fail('multiple_assertions', `${all} assertions`);
  // Every signature in the message, wherever it sits, before node-saml verifies any (signature-policy.ts).
  checkSignatureAlgorithms(response, rules.policy);
  const encryptedAssertion = child(response, NS_ASSERTION, 'EncryptedAssertion');
  const responseSignature = envelopedSignatureOf(response);
  checkIssuer(
    child(response, NS_ASSERTION, 'Issuer'),
    rules.idpEntityId,
    'Response',
    responseSignature !== null || encryptedAssertion !== null,
  );
  const assertion =
    encryptedAssertion === null
      ? child(response, NS_ASSERTION, 'Assertion')
      : await decryptAssertion(encryptedAssertion, rules.decryptionKeyPem, rules.policy);
  if (assertion === null) fail('malformed_response', 'no Assertion child of Response');
  // The metadata's WantAssertionsSigned="true" (sp-metadata.ts) is enforced: the assertion must carry its own
  // signature over its own ID; a signed Response around an unsigned assertion is not enough.
  const assertionSignature = envelopedSignatureOf(assertion);
  if (assertionSignature === null) {
    fail(
      'unsigned_assertion',
      responseSignature === null
        ? 'neither Response nor Assertion is signed'
        : 'the assertion has no signature of its own (WantAssertionsSigned)',
    );
  }
  checkIssuer(child(assertion, NS_ASSERTION, 'Issuer'), rules.idpEntityId, 'Assertion', true);
  const embeddedCertificates: string[] = [];
  for (const signature of [responseSignature, assertionSignature]) {
    if (signature === null) continue;
    const certs = signature.getElementsByTagNameNS(NS_XMLDSIG, 'X509Certificate');
    for (let i = 0; i < certs.length; i += 1) {
      embeddedCertificates.push(certToBase64(certs.item(i)?.textContent ?? ''));
    }
  }
  return {
    response,
    assertion,
    encrypted: encryptedAssertion !== null,
    responseSigned: responseSignature !== null,
    inResponseTo: attr(response, 'InResponseTo'),
    embeddedCertificates,
  };
}

const SIGNATURE_ERRORS = [/signature/i, /signed data/i, /ref URI/i, /Referenced node/i, /signed references/i];

/** Validates Responses for one SP endpoint (one team auth method). Reuse one instance per method: it caches node-saml. */
export class SamlResponseValidator {
  readonly #settings: Required<Omit<SpValidationSettings, 'decryptionKeyPem'>> &
    Pick<SpValidationSettings, 'decryptionKeyPem'>;
  readonly #deps: Required<ValidationDeps>;
  readonly #pinned: Set<string>;
  readonly #nodeSaml = new Map<string, SAML>();

  constructor(settings: SpValidationSettings, deps: ValidationDeps) {
    if (settings.idpCertificates.length === 0)
      throw new Error('at least one pinned IdP certificate is required');
    this.#settings = {
      ...settings,
      clockSkewMs: Math.min(Math.max(settings.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS, 0), MAX_CLOCK_SKEW_MS),
      allowIdpInitiated: settings.allowIdpInitiated ?? true,
      requestTtlMs: settings.requestTtlMs ?? DEFAULT_REQUEST_TTL_MS,
      allowSha1: settings.allowSha1 ?? false,
    };
    this.#deps = { ...deps, now: deps.now ?? Date.now };
    this.#pinned = new Set(settings.idpCertificates.map(certToBase64));
  }

  /** Validates one POSTed SAMLResponse value; throws SignInError with a stable code on any failure. */
  async validate(samlResponse: string): Promise<ValidatedAssertion> {
    const xml = decodeSamlResponse(samlResponse);
    const structure = await readStructure(xml, {
      idpEntityId: this.#settings.idpEntityId,
      decryptionKeyPem: this.#settings.decryptionKeyPem,
      policy: { allowSha1: this.#settings.allowSha1 },
    });
    const pending = this.#pendingRequest(structure.inResponseTo);
    let profile: Profile;
    try {
      profile = await this.#validateWithNodeSaml(structure, samlResponse);
    } catch (error) {
      if (structure.inResponseTo !== null) this.#deps.requestIds.forget(structure.inResponseTo);
      throw this.#classify(error, structure);
    }
    try {
      return this.#checkVerifiedAssertion(structure, profile, pending);
    } finally {
      if (structure.inResponseTo !== null) this.#deps.requestIds.forget(structure.inResponseTo);
    }
  }

  /** profiles 4.1.4.3: InResponseTo must name a request this SP sent for this method and not yet answered. */
  #pendingRequest(inResponseTo: string | null): PendingAuthnRequest | null {
    if (inResponseTo === null) {
      if (!this.#settings.allowIdpInitiated) fail('in_response_to_mismatch', 'IdP-initiated sign-in is off');
      return null;
    }
    const pending = this.#deps.requestIds.peek(inResponseTo, this.#deps.now());
    if (pending === null) fail('in_response_to_mismatch', 'unknown or used request ID');
    if (pending.methodId !== this.#settings.methodId) {
      fail('in_response_to_mismatch', 'request was sent for another auth method');
    }
    return pending;
  }

  #nodeSamlFor(structure: Structure): SAML {
    const key = `${structure.responseSigned}:${structure.encrypted}`;
    let saml = this.#nodeSaml.get(key);
    if (saml === undefined) {
      const config: SamlConfig = {
        callbackUrl: this.#settings.endpoints.acsUrl,
        issuer: this.#settings.endpoints.entityId,
        audience: this.#settings.endpoints.entityId,
        idpCert: [...this.#settings.idpCertificates],
        // A Response signature present must verify (a broken one is not excused by a good Assertion signature), and
        // the assertion's own signature must verify whatever the Response's does (WantAssertionsSigned="true").
        wantAuthnResponseSigned: structure.responseSigned,
        wantAssertionsSigned: true,
        acceptedClockSkewMs: this.#settings.clockSkewMs,
        validateInResponseTo: this.#settings.allowIdpInitiated
          ? ValidateInResponseTo.ifPresent
          : ValidateInResponseTo.always,
        requestIdExpirationPeriodMs: this.#settings.requestTtlMs,
        cacheProvider: nodeSamlCacheProvider(this.#deps.requestIds, this.#deps.now),
        // node-saml decrypts the EncryptedAssertion again and verifies the decrypted assertion's own signature;
        // readStructure already decrypted it once (secure algorithms only) and checked its signature algorithms.
        ...(structure.encrypted ? { decryptionPvk: this.#settings.decryptionKeyPem } : {}),
      };
      saml = new SAML(config);
      this.#nodeSaml.set(key, saml);
    }
    return saml;
  }

  async #validateWithNodeSaml(structure: Structure, samlResponse: string): Promise<Profile> {
    const { profile } = await this.#nodeSamlFor(structure).validatePostResponseAsync({
      SAMLResponse: samlResponse,
    });
    if (profile === null) fail('malformed_response', 'no profile in Response');
    return profile;
  }

  /** Maps node-saml's message-only errors to stable codes (its texts are internal detail, never shown). */
  #classify(error: unknown, structure: Structure): SignInError {
    if (error instanceof SignInError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/InResponseTo/i.test(message)) return new SignInError('in_response_to_mismatch', message);
    if (/not yet valid/i.test(message)) return new SignInError('not_yet_valid', message);
    if (/expired/i.test(message)) return new SignInError('assertion_expired', message);
    if (/audience/i.test(message)) return new SignInError('audience_mismatch', message);
    if (/subject confirmation/i.test(message)) {
      return new SignInError(this.#timeCodeOfConfirmations(structure.assertion), message);
    }
    if (SIGNATURE_ERRORS.some((pattern) => pattern.test(message))) {
      const foreign =
        structure.embeddedCertificates.length > 0 &&
        structure.embeddedCertificates.every((cert) => !this.#pinned.has(cert));
      return new SignInError(foreign ? 'wrong_certificate' : 'signature_invalid', message);
    }
    return new SignInError('malformed_response', message);
  }

  #timeCodeOfConfirmations(assertion: XmlElement): SignInErrorCode {
    const now = this.#deps.now();
    const skew = this.#settings.clockSkewMs;
    for (const data of Array.from(
      assertion.getElementsByTagNameNS(NS_ASSERTION, 'SubjectConfirmationData'),
    )) {
      const notBefore = Date.parse(data.getAttribute('NotBefore') ?? '');
      if (!Number.isNaN(notBefore) && now + skew < notBefore) return 'not_yet_valid';
    }
    return 'assertion_expired';
  }

  /** Checks on the assertion node-saml verified (re-parsed from its verified XML, never from unsigned siblings). */
  #checkVerifiedAssertion(
    structure: Structure,
    profile: Profile,
    pending: PendingAuthnRequest | null,
  ): ValidatedAssertion {
    const { acsUrl } = this.#settings.endpoints;
    const now = this.#deps.now();
    const skew = this.#settings.clockSkewMs;
    const verifiedXml = profile.getAssertionXml?.();
    if (verifiedXml === undefined) fail('malformed_response', 'no verified assertion');
    const assertion = parseXml(verifiedXml);

    // bindings 3.5.5.2: Destination must be the URL the message was delivered to (decision: always required).
    const destination = attr(structure.response, 'Destination');
    if (destination !== acsUrl) fail('destination_mismatch', `Destination ${destination ?? '(none)'}`);

    const assertionId = attr(assertion, 'ID');
    if (assertionId === null || assertionId === '') fail('malformed_response', 'assertion has no ID');
    const issuerElement = child(assertion, NS_ASSERTION, 'Issuer');
    const issuer = issuerElement?.textContent?.trim() ?? '';
    if (issuer !== this.#settings.idpEntityId) fail('issuer_mismatch', `Issuer ${issuer}`);

    // profiles 4.1.4.2: a bearer SubjectConfirmation whose data names the ACS URL, limits the delivery window and,
    // for SP-initiated sign-in, answers the request.
    const subject = child(assertion, NS_ASSERTION, 'Subject');
    if (subject === null) fail('malformed_response', 'no Subject');
    const bearers = children(subject, NS_ASSERTION, 'SubjectConfirmation').filter(
      (c) => attr(c, 'Method') === CM_BEARER,
    );
    if (bearers.length === 0) fail('malformed_response', 'no bearer SubjectConfirmation');
    let failure: SignInError | null = null;
    let confirmedUntil: number | null = null;
    for (const bearer of bearers) {
      const data = child(bearer, NS_ASSERTION, 'SubjectConfirmationData');
      const problem = this.#checkConfirmationData(data, structure.inResponseTo, now, skew);
      if (typeof problem === 'number') {
        confirmedUntil = Math.max(confirmedUntil ?? 0, problem);
      } else {
        failure ??= problem;
      }
    }
    if (confirmedUntil === null)
      throw failure ?? new SignInError('malformed_response', 'no subject confirmation');

    // profiles 4.1.4.2: the Web SSO profile requires an AuthnStatement.
    const authnStatement = child(assertion, NS_ASSERTION, 'AuthnStatement');
    if (authnStatement === null) fail('missing_authn_statement', 'no AuthnStatement');
    const authnInstant = parseTime(attr(authnStatement, 'AuthnInstant'), 'AuthnInstant');
    if (authnInstant === null) fail('malformed_response', 'AuthnStatement without AuthnInstant');

    const attributes = readAttributes(assertion);
    const person = readAssertedPerson(profile.nameID ?? '', profile.nameIDFormat ?? null, attributes);
    if (person === null) fail('malformed_response', 'assertion names no email address');

    // One-time use (saml-notes.md): keep the ID as long as any time check could still accept it.
    const conditions = child(assertion, NS_ASSERTION, 'Conditions');
    const conditionsUntil =
      conditions === null ? null : parseTime(attr(conditions, 'NotOnOrAfter'), 'NotOnOrAfter');
    const keepUntil = Math.max(confirmedUntil, conditionsUntil ?? 0) + skew;
    if (!this.#deps.replayCache.consume(`${issuer}\u0000${assertionId}`, keepUntil, now)) {
      fail('assertion_replayed', `assertion ${assertionId} already used`);
    }

    return {
      assertionId,
      issuer,
      nameId: profile.nameID ?? '',
      nameIdFormat: profile.nameIDFormat ?? null,
      person,
      sessionIndex: attr(authnStatement, 'SessionIndex'),
      authnInstant: new Date(authnInstant),
      inResponseTo: structure.inResponseTo,
      pending,
      attributes,
    };
  }

  /** Returns the confirmation's NotOnOrAfter (ms) when it holds, else the error that it fails with. */
  #checkConfirmationData(
    data: XmlElement | null,
    inResponseTo: string | null,
    now: number,
    skew: number,
  ): number | SignInError {
    if (data === null) return new SignInError('malformed_response', 'no SubjectConfirmationData');
    const recipient = attr(data, 'Recipient');
    if (recipient !== this.#settings.endpoints.acsUrl) {
      return new SignInError('recipient_mismatch', `Recipient ${recipient ?? '(none)'}`);
    }
    const notOnOrAfter = parseTime(attr(data, 'NotOnOrAfter'), 'NotOnOrAfter');
    if (notOnOrAfter === null)
      return new SignInError('malformed_response', 'no NotOnOrAfter on confirmation');
    if (now - skew >= notOnOrAfter) return new SignInError('assertion_expired', 'confirmation expired');
    const notBefore = parseTime(attr(data, 'NotBefore'), 'NotBefore');
    if (notBefore !== null && now + skew < notBefore)
      return new SignInError('not_yet_valid', 'confirmation early');
    const answers = attr(data, 'InResponseTo');
    if (answers !== inResponseTo && !(answers === null && inResponseTo === null)) {
      return new SignInError('in_response_to_mismatch', `confirmation answers ${answers ?? '(none)'}`);
    }
    return notOnOrAfter;
  }
}

function readAttributes(assertion: XmlElement): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const statement of children(assertion, NS_ASSERTION, 'AttributeStatement')) {
    for (const attribute of children(statement, NS_ASSERTION, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (name === null) continue;
      const values = children(attribute, NS_ASSERTION, 'AttributeValue').map((v) => v.textContent ?? '');
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return attributes;
}

/** One-call form for benches and scripts: validates `samlResponse` with a fresh validator. */
export async function validateSamlResponse(
  samlResponse: string,
  settings: SpValidationSettings,
  deps: ValidationDeps,
): Promise<ValidatedAssertion> {
  return new SamlResponseValidator(settings, deps).validate(samlResponse);
}
