// Conditions and binding faults: IdP-signed Responses meant for another SP, URL or time, missing confirmation,
// InResponseTo tricks, issuer mismatch, replays, two assertions, failure status, weak EncryptedAssertion algorithms.
// SAML core 2.5 (Conditions), 2.4.1 (SubjectConfirmation), 3.2.2 (Response); profiles 4.1.4.2-4.1.4.5.

import { randomBytes } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { type EncryptionAlgorithm, encrypt as encryptXml, type KeyEncryptionAlgorithm } from 'xml-encryption';
import { STATUS_REQUESTER, samlInstant } from '../../../protocol/saml/index.ts';
import { REF } from './references.ts';
import type { FaultBuild, FaultContext, FaultDefinition, GenuineResponse } from './types.ts';
import {
  all,
  asIdp,
  assertionOf,
  first,
  NS_ASSERTION,
  NS_PROTOCOL,
  parseXml,
  removeOwnSignature,
  resignSigned,
  root,
  serialize,
  setText,
  utf8,
} from './xml-kit.ts';

export const FOREIGN_AUDIENCE = 'https://other-sp.invalid/saml/metadata';
export const FOREIGN_URL = 'https://other-sp.invalid/saml/acs';
export const FOREIGN_IDP = 'https://other-idp.invalid/metadata';

const SIGNATURES = ['Response/Signature', 'Response/Assertion/Signature'];
const MIN = 60_000;

/** Re-signs what was signed, as the IdP: these Responses are exactly what an IdP would sign for that situation. */
function resignAsIdp(doc: Document, ctx: FaultContext, only?: 'response'): void {
  resignSigned(doc, asIdp(ctx.idp), only);
}

function confirmationData(doc: Document): Element {
  return first(doc, NS_ASSERTION, 'SubjectConfirmationData');
}

function setTimes(
  doc: Document,
  ctx: FaultContext,
  times: { notBefore?: number; notOnOrAfter?: number },
): void {
  const conditions = first(doc, NS_ASSERTION, 'Conditions');
  const at = (offset: number): string => samlInstant(new Date(ctx.now.getTime() + offset));
  if (times.notBefore !== undefined) conditions.setAttribute('NotBefore', at(times.notBefore));
  if (times.notOnOrAfter !== undefined) {
    conditions.setAttribute('NotOnOrAfter', at(times.notOnOrAfter));
    confirmationData(doc).setAttribute('NotOnOrAfter', at(times.notOnOrAfter));
  }
}

function setInResponseTo(doc: Document, value: string | undefined): void {
  for (const element of [root(doc), confirmationData(doc)]) {
    if (value === undefined) element.removeAttribute('InResponseTo');
    else element.setAttribute('InResponseTo', value);
  }
}

function remove(element: Element): void {
  element.parentNode?.removeChild(element);
}

function signed(
  definition: Omit<FaultDefinition, 'build' | 'family'>,
  change: (doc: Document, ctx: FaultContext) => void | Promise<void>,
  options: { resign?: 'all' | 'response' | 'none' } = {},
): FaultDefinition {
  return {
    ...definition,
    family: 'conditions',
    async build(genuine: GenuineResponse, ctx: FaultContext): Promise<FaultBuild> {
      const doc = parseXml(genuine.xml);
      await change(doc, ctx);
      const resign = options.resign ?? 'all';
      if (resign !== 'none') resignAsIdp(doc, ctx, resign === 'response' ? 'response' : undefined);
      const inResponseTo = root(doc).getAttribute('InResponseTo');
      return {
        bytes: utf8(serialize(doc)),
        signedIdentity: ctx.identities.attacker,
        inResponseTo: inResponseTo === '' || inResponseTo === null ? undefined : inResponseTo,
      };
    },
  };
}

function encryptTo(
  assertionXml: string,
  certPem: string,
  encryptionAlgorithm: EncryptionAlgorithm,
  keyEncryptionAlgorithm: KeyEncryptionAlgorithm,
): Promise<string> {
  return new Promise((resolve, reject) => {
    encryptXml(
      assertionXml,
      {
        rsa_pub: certPem,
        pem: certPem,
        encryptionAlgorithm,
        keyEncryptionAlgorithm,
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function weakEncryption(
  id: string,
  title: string,
  explanation: string,
  encryptionAlgorithm: EncryptionAlgorithm,
  keyEncryptionAlgorithm: KeyEncryptionAlgorithm,
): FaultDefinition {
  return signed(
    {
      id,
      title,
      explanation,
      references: [REF.xmlencCbc, REF.core('2.3.4 (EncryptedAssertion)')],
      expected: 'refuse',
      needs: ['encryption-cert'],
      touches: ['Response/*', 'Response/Signature'],
    },
    async (doc, ctx) => {
      const cert = ctx.spEncryptionCert;
      if (cert === undefined) throw new Error('needs the SP encryption certificate');
      const assertion = assertionOf(doc);
      const encrypted = await encryptTo(
        serialize(assertion),
        cert,
        encryptionAlgorithm,
        keyEncryptionAlgorithm,
      );
      const wrapper = parseXml(
        `<saml:EncryptedAssertion xmlns:saml="${NS_ASSERTION}">${encrypted}</saml:EncryptedAssertion>`,
      );
      const imported = doc.importNode(root(wrapper), true);
      root(doc).replaceChild(imported, assertion);
    },
    { resign: 'response' },
  );
}

export const CONDITION_FAULTS: readonly FaultDefinition[] = [
  signed(
    {
      id: 'wrong-audience',
      title: 'Meant for another service (Audience)',
      explanation:
        'A genuine, IdP-signed Response whose AudienceRestriction names another SP. Anyone who signs in to that other service (or runs it) holds such Responses and could replay them here. An SP must refuse an assertion whose Audience is not its own entity ID.',
      references: [REF.core('2.5.1.4'), REF.profiles('4.1.4.2')],
      expected: 'refuse',
      touches: ['Response/Assertion/Conditions/AudienceRestriction/Audience#text', ...SIGNATURES],
    },
    (doc) => setText(first(doc, NS_ASSERTION, 'Audience'), FOREIGN_AUDIENCE),
  ),
  signed(
    {
      id: 'wrong-recipient',
      title: 'Bearer confirmation for another URL (Recipient)',
      explanation:
        'The SubjectConfirmationData Recipient names another service’s ACS. The bearer confirmation says "only valid when delivered there"; an SP must refuse it at its own ACS.',
      references: [REF.profiles('4.1.4.2, 4.1.4.3')],
      expected: 'refuse',
      touches: [
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@Recipient',
        ...SIGNATURES,
      ],
    },
    (doc) => confirmationData(doc).setAttribute('Recipient', FOREIGN_URL),
  ),
  signed(
    {
      id: 'wrong-destination',
      title: 'Response addressed to another URL (Destination)',
      explanation:
        'The signed Response’s Destination is another service’s ACS. A signed Destination that is not the URL the message arrived at means the Response was sent somewhere else first. The SP must refuse (bindings 3.5.5.2).',
      references: [REF.bindings('3.5.5.2'), REF.core('3.2.2')],
      expected: 'refuse',
      touches: ['Response@Destination', ...SIGNATURES],
    },
    (doc) => root(doc).setAttribute('Destination', FOREIGN_URL),
  ),
  signed(
    {
      id: 'expired',
      title: 'Expired (NotOnOrAfter 10 minutes ago)',
      explanation:
        'Conditions and the bearer confirmation both ended ten minutes ago, beyond any reasonable clock skew (SPs cap it at a few minutes). An expired assertion may have been captured from a browser, a log or a proxy. Refuse.',
      references: [REF.core('2.5.1.2'), REF.profiles('4.1.4.3')],
      expected: 'refuse',
      touches: [
        'Response/Assertion/Conditions@NotOnOrAfter',
        'Response/Assertion/Conditions@NotBefore',
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@NotOnOrAfter',
        ...SIGNATURES,
      ],
    },
    (doc, ctx) => setTimes(doc, ctx, { notBefore: -20 * MIN, notOnOrAfter: -10 * MIN }),
  ),
  signed(
    {
      id: 'not-yet-valid',
      title: 'Not yet valid (NotBefore in 10 minutes)',
      explanation:
        'Conditions/NotBefore lies ten minutes in the future, beyond any reasonable clock skew. It was minted for later use (or by an IdP with a broken clock). Refuse.',
      references: [REF.core('2.5.1.2')],
      expected: 'refuse',
      touches: ['Response/Assertion/Conditions@NotBefore', ...SIGNATURES],
    },
    (doc, ctx) => setTimes(doc, ctx, { notBefore: 10 * MIN }),
  ),
  signed(
    {
      id: 'just-expired-within-skew',
      title: 'NotOnOrAfter 5 seconds ago (inside the clock-skew edge)',
      explanation:
        'The assertion ended five seconds ago: within the small clock skew SPs allow between machines. A sound SP with the usual skew accepts it as the signed person; one with zero skew refuses, which is strict but safe.',
      references: [REF.core('2.5.1.2 (clock skew)'), REF.profiles('4.1.4.3')],
      expected: 'accept-as-signed',
      touches: [
        'Response/Assertion/Conditions@NotOnOrAfter',
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@NotOnOrAfter',
        ...SIGNATURES,
      ],
    },
    (doc, ctx) => setTimes(doc, ctx, { notOnOrAfter: -5_000 }),
  ),
  signed(
    {
      id: 'not-before-within-skew',
      title: 'NotBefore 5 seconds ahead (inside the clock-skew edge)',
      explanation:
        'The IdP’s clock runs five seconds ahead, so NotBefore is just in the future. Within the usual skew a sound SP accepts it as the signed person.',
      references: [REF.core('2.5.1.2 (clock skew)')],
      expected: 'accept-as-signed',
      touches: ['Response/Assertion/Conditions@NotBefore', ...SIGNATURES],
    },
    (doc, ctx) => setTimes(doc, ctx, { notBefore: 5_000 }),
  ),
  signed(
    {
      id: 'missing-conditions',
      title: 'No Conditions element',
      explanation:
        'The assertion has no Conditions, so no audience and no validity window: it would be good for any SP, forever. Web SSO requires an AudienceRestriction naming the SP (profiles 4.1.4.2). Refuse.',
      references: [REF.profiles('4.1.4.2'), REF.core('2.5')],
      expected: 'refuse',
      touches: ['Response/Assertion/*', ...SIGNATURES],
    },
    (doc) => remove(first(doc, NS_ASSERTION, 'Conditions')),
  ),
  signed(
    {
      id: 'missing-audience-restriction',
      title: 'Conditions without an AudienceRestriction',
      explanation:
        'Conditions keep their time window but say nothing about which SP the assertion is for. Web SSO requires an AudienceRestriction naming the SP. Refuse.',
      references: [REF.profiles('4.1.4.2'), REF.core('2.5.1.4')],
      expected: 'refuse',
      touches: ['Response/Assertion/Conditions/*', ...SIGNATURES],
    },
    (doc) => remove(first(doc, NS_ASSERTION, 'AudienceRestriction')),
  ),
  signed(
    {
      id: 'missing-subject-confirmation',
      title: 'No SubjectConfirmation',
      explanation:
        'The Subject carries no bearer SubjectConfirmation: nothing says who may present this assertion, where, or until when. Web SSO requires a bearer confirmation (profiles 4.1.4.2). Refuse.',
      references: [REF.profiles('4.1.4.2'), REF.core('2.4.1.1')],
      expected: 'refuse',
      touches: ['Response/Assertion/Subject/*', ...SIGNATURES],
    },
    (doc) => remove(first(doc, NS_ASSERTION, 'SubjectConfirmation')),
  ),
  signed(
    {
      id: 'bearer-without-notonorafter',
      title: 'Bearer confirmation without NotOnOrAfter',
      explanation:
        'The bearer SubjectConfirmationData has no NotOnOrAfter, so whoever holds the assertion may present it forever (Conditions aside). Profiles 4.1.4.2 requires it. Refuse.',
      references: [REF.profiles('4.1.4.2')],
      expected: 'refuse',
      touches: [
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@NotOnOrAfter',
        ...SIGNATURES,
      ],
    },
    (doc) => confirmationData(doc).removeAttribute('NotOnOrAfter'),
  ),
  signed(
    {
      id: 'missing-authn-statement',
      title: 'No AuthnStatement',
      explanation:
        'The assertion states attributes but no authentication: it does not say that anyone signed in. Web SSO requires at least one AuthnStatement (profiles 4.1.4.2). Refuse.',
      references: [REF.profiles('4.1.4.2')],
      expected: 'refuse',
      touches: ['Response/Assertion/*', ...SIGNATURES],
    },
    (doc) => remove(first(doc, NS_ASSERTION, 'AuthnStatement')),
  ),
  signed(
    {
      id: 'inresponseto-unknown',
      title: 'InResponseTo names a request the SP never made',
      explanation:
        'The Response answers an AuthnRequest ID that this SP never issued. Even an SP that accepts IdP-initiated sign-in must refuse a Response that claims to answer an unknown request (profiles 4.1.4.3): it was made for some other flow.',
      references: [REF.profiles('4.1.4.3'), REF.core('3.2.2')],
      expected: 'refuse',
      touches: [
        'Response@InResponseTo',
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@InResponseTo',
        ...SIGNATURES,
      ],
    },
    (doc) => setInResponseTo(doc, `_unknown${randomBytes(8).toString('hex')}`),
  ),
  signed(
    {
      id: 'inresponseto-other-sp',
      title: 'InResponseTo names a request made by another SP',
      explanation:
        'The Response answers a real AuthnRequest, but one made by a different SP (another connection). Accepting it lets a Response obtained at one service be used at another. Refuse.',
      references: [REF.profiles('4.1.4.3')],
      expected: 'refuse',
      needs: ['other-sp-request'],
      touches: [
        'Response@InResponseTo',
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@InResponseTo',
        ...SIGNATURES,
      ],
    },
    (doc, ctx) => setInResponseTo(doc, ctx.otherSpRequestId),
  ),
  signed(
    {
      id: 'inresponseto-absent-sp-initiated',
      title: 'No InResponseTo although the SP started the sign-in',
      explanation:
        'The SP sent an AuthnRequest, and the Response comes back without InResponseTo: it looks unsolicited. An SP that allows IdP-initiated sign-in may accept it as the signed person (it is then an IdP-initiated sign-in); an SP that only allows SP-initiated must refuse. It must never match it to the pending request.',
      references: [REF.profiles('4.1.5 (unsolicited responses), 4.1.4.3')],
      expected: 'accept-as-signed',
      needs: ['sp-initiated'],
      inResponseTo: (ctx) => ctx.pendingRequestId,
      touches: [
        'Response@InResponseTo',
        'Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@InResponseTo',
        ...SIGNATURES,
      ],
    },
    (doc) => setInResponseTo(doc, undefined),
  ),
  signed(
    {
      id: 'issuer-mismatch',
      title: 'Response Issuer is another IdP',
      explanation:
        'The Response’s own Issuer names another IdP (its signature removed; the assertion inside is still signed by the right IdP). Profiles 4.1.4.2: when the Response carries an Issuer it must be the IdP’s entity ID. A mismatch means the message was assembled from parts. Refuse.',
      references: [REF.profiles('4.1.4.2'), REF.core('3.2.2')],
      expected: 'refuse',
      touches: ['Response/*', 'Response/Issuer#text'],
    },
    (doc) => {
      removeOwnSignature(root(doc));
      const issuer = all(root(doc), NS_ASSERTION, 'Issuer').find(
        (element) => element.parentNode === root(doc),
      );
      if (issuer !== undefined) setText(issuer, FOREIGN_IDP);
    },
    { resign: 'none' },
  ),
  signed(
    {
      id: 'assertion-issuer-other-idp',
      title: 'Assertion Issuer is another IdP (signed with the trusted key)',
      explanation:
        'The assertion’s Issuer names another IdP, though the signature is made with the trusted key. An SP that trusts several IdPs must check that the key belongs to the Issuer named; one IdP must never be able to speak for another. Refuse.',
      references: [REF.profiles('4.1.4.2, 4.1.4.3'), REF.core('2.3.3')],
      expected: 'refuse',
      touches: ['Response/Issuer#text', 'Response/Assertion/Issuer#text', ...SIGNATURES],
    },
    (doc) => {
      for (const issuer of all(doc, NS_ASSERTION, 'Issuer')) setText(issuer, FOREIGN_IDP);
    },
  ),
  signed(
    {
      id: 'replay-assertion-id',
      title: 'An assertion ID the SP has already accepted',
      explanation:
        'A fresh, validly signed Response whose assertion reuses the ID of an assertion the SP accepted before. Bearer assertions are one-time: profiles 4.1.4.5 require the SP to remember accepted IDs until they expire and refuse them again.',
      references: [REF.profiles('4.1.4.5')],
      expected: 'refuse',
      needs: ['previous-response'],
      touches: ['Response/Assertion@ID', ...SIGNATURES],
    },
    (doc, ctx) => assertionOf(doc).setAttribute('ID', ctx.previous?.assertionId ?? ''),
  ),
  {
    id: 'replayed-response',
    family: 'conditions',
    title: 'The same Response posted a second time',
    explanation:
      'The exact bytes of a Response the SP already accepted are posted again, as someone who captured them (browser history, a proxy log) would. Refuse (profiles 4.1.4.5: one-time use).',
    references: [REF.profiles('4.1.4.5'), REF.bindings('3.5.5.2')],
    expected: 'refuse',
    needs: ['previous-response'],
    touches: ['*'],
    build(_genuine, ctx) {
      if (ctx.previous === undefined) throw new Error('needs the previous Response');
      return { bytes: utf8(ctx.previous.xml), signedIdentity: ctx.identities.attacker };
    },
  },
  signed(
    {
      id: 'two-assertions',
      title: 'Two signed assertions in one Response',
      explanation:
        'The Response carries two assertions, each validly signed by the IdP. Which one an SP uses is implementation-defined, a classic source of wrapping and confusion bugs; the SP cannot know which person the IdP meant. Strict SPs refuse more than one assertion.',
      references: [REF.profiles('4.1.4.2'), REF.breakingSaml('6 (countermeasures)')],
      expected: 'refuse',
      touches: ['Response/*', 'Response/Signature'],
    },
    async (doc, ctx) => {
      const second = await ctx.another();
      const other = assertionOf(parseXml(second.xml));
      root(doc).appendChild(doc.importNode(other, true));
    },
    { resign: 'response' },
  ),
  signed(
    {
      id: 'status-failure-with-assertion',
      title: 'Failure status, but an assertion inside',
      explanation:
        'The Response’s StatusCode says Requester (the sign-in failed), yet it carries a valid assertion. Core 3.2.2.2: only a Success status means the request was fulfilled; an SP must check the status before anything else and refuse.',
      references: [REF.core('3.2.2.2')],
      expected: 'refuse',
      touches: ['Response/Status/StatusCode@Value', 'Response/Signature'],
    },
    (doc) => first(doc, NS_PROTOCOL, 'StatusCode').setAttribute('Value', STATUS_REQUESTER),
    { resign: 'response' },
  ),
  weakEncryption(
    'encrypted-aes-cbc',
    'EncryptedAssertion with AES-256-CBC',
    'The assertion is encrypted to the SP with AES-CBC. CBC in XML Encryption is open to a padding-oracle attack (Jager and Somorovsky, 2011): by watching how the SP fails, an attacker decrypts assertions and can craft ciphertexts. SPs must accept only AES-GCM.',
    'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
    'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  ),
  weakEncryption(
    'encrypted-rsa-1_5',
    'EncryptedAssertion key wrapped with RSA PKCS#1 v1.5',
    'The content key is encrypted with RSA PKCS#1 v1.5, open to Bleichenbacher’s padding-oracle attack: the SP’s error behaviour leaks the key. SPs must accept only RSA-OAEP key transport.',
    'http://www.w3.org/2009/xmlenc11#aes256-gcm',
    'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
  ),
];
