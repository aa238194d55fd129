// Signature wrapping faults: XSW1-XSW8 as SAML Raider defines them, and wrapping through Extensions, Object and a
// second Signature. USENIX Security 2012 "On Breaking SAML" 4-5; SAML core 5.4.2 (the Reference names the signed element).

import type { Document, Element } from '@xmldom/xmldom';
import { REF } from './references.ts';
import type { FaultBuild, FaultContext, FaultDefinition, GenuineResponse } from './types.ts';
import {
  assertionOf,
  NS_PROTOCOL,
  NS_XMLDSIG,
  ownSignature,
  parseXml,
  removeOwnSignature,
  rewriteIdentity,
  root,
  serialize,
  signElement,
  utf8,
} from './xml-kit.ts';

const IDENTITY = [
  'Response/Assertion/Subject/NameID#text',
  'Response/Assertion/AttributeStatement/Attribute/AttributeValue#text',
];

const evilId = (id: string): string => `_evil${id.replace(/^_/, '')}`;

function done(doc: Document, ctx: FaultContext): FaultBuild {
  return { bytes: utf8(serialize(doc)), signedIdentity: ctx.identities.attacker };
}

function ownSignatureOf(element: Element): Element {
  const signature = ownSignature(element);
  if (signature === undefined) throw new Error('the genuine element is not signed');
  return signature;
}

/** A copy of the genuine signed element without its signature (what the signature still verifies). */
function unsignedCopy(element: Element): Element {
  const copy = element.cloneNode(true) as Element;
  removeOwnSignature(copy);
  return copy;
}

/** An unsigned copy of the genuine assertion that names the victim, with its own ID unless `sameId`. */
function forgedCopy(assertion: Element, ctx: FaultContext, sameId = false): Element {
  const evil = unsignedCopy(assertion);
  rewriteIdentity(evil, ctx.identities.victim);
  if (!sameId) evil.setAttribute('ID', evilId(assertion.getAttribute('ID') ?? ''));
  return evil;
}

/**
 * The genuine assertion rewritten in place to name the victim (keeping its Signature, whose Reference still names
 * the old ID unless `sameId`), and the unsigned genuine copy that signature still verifies.
 */
function forgeInPlace(
  doc: Document,
  ctx: FaultContext,
  sameId = false,
): { assertion: Element; original: Element } {
  const assertion = assertionOf(doc);
  const original = unsignedCopy(assertion);
  rewriteIdentity(assertion, ctx.identities.victim);
  if (!sameId) assertion.setAttribute('ID', evilId(assertion.getAttribute('ID') ?? ''));
  return { assertion, original };
}

const XSW_REFS = [REF.samlRaider, REF.breakingSaml('5.1 (signature wrapping)')];

function wrap(
  id: string,
  title: string,
  explanation: string,
  sign: 'response' | 'assertion',
  touches: readonly string[],
  change: (doc: Document, ctx: FaultContext) => void,
  extraRefs: FaultDefinition['references'] = [],
): FaultDefinition {
  return {
    id,
    family: 'wrapping',
    title,
    explanation,
    references: [...XSW_REFS, ...extraRefs],
    expected: 'refuse',
    genuine: { sign },
    touches,
    build(genuine: GenuineResponse, ctx: FaultContext): FaultBuild {
      const doc = parseXml(genuine.xml);
      change(doc, ctx);
      return done(doc, ctx);
    },
  };
}

export const WRAPPING_FAULTS: readonly FaultDefinition[] = [
  wrap(
    'xsw1',
    'XSW1: forged Response, genuine one hidden inside its Signature',
    'The signed Response is copied and the copy (without its signature) is tucked inside the Signature element; the outer Response, which the application reads, is rewritten to name another person and given a new ID. The signature still verifies over the hidden copy. An SP that checks "is there a valid signature?" and then reads "the Response" signs the attacker in as someone else. It must check that the signature covers exactly the element it uses.',
    'response',
    ['Response@ID', 'Response/Signature/*', ...IDENTITY],
    (doc, ctx) => {
      const response = root(doc);
      const original = unsignedCopy(response);
      rewriteIdentity(response, ctx.identities.victim);
      ownSignatureOf(response).appendChild(original);
      response.setAttribute('ID', evilId(response.getAttribute('ID') ?? ''));
    },
  ),
  wrap(
    'xsw2',
    'XSW2: forged Response, genuine one placed beside the Signature',
    'Like XSW1, but the hidden genuine Response sits next to the Signature (a detached signature) instead of inside it. The forged outer Response names another person; the signature verifies only the copy. An SP must refuse a Response whose signature does not reference the Response itself.',
    'response',
    ['Response@ID', 'Response/*', ...IDENTITY],
    (doc, ctx) => {
      const response = root(doc);
      const original = unsignedCopy(response);
      rewriteIdentity(response, ctx.identities.victim);
      const signature = ownSignatureOf(response);
      response.insertBefore(original, signature);
      response.setAttribute('ID', evilId(response.getAttribute('ID') ?? ''));
    },
  ),
  wrap(
    'xsw3',
    'XSW3: forged Assertion placed before the signed one',
    'An unsigned copy of the assertion, rewritten to name another person and given its own ID, is inserted before the genuine signed assertion. The signature is valid (for the second assertion), but an SP that reads "the first Assertion" uses the forged one. An SP must use only the assertion the signature references, and should refuse more than one.',
    'assertion',
    ['Response/*'],
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      root(doc).insertBefore(forgedCopy(assertion, ctx), assertion);
    },
  ),
  wrap(
    'xsw4',
    'XSW4: forged Assertion wrapping the signed one',
    'The forged assertion (another person, new ID, no signature) becomes the Response’s assertion, and the genuine signed assertion is moved inside it as a child. The signature still verifies the inner assertion; an SP that reads the outer one is fooled.',
    'assertion',
    ['Response/*'],
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      const evil = forgedCopy(assertion, ctx);
      root(doc).appendChild(evil);
      evil.appendChild(assertion);
    },
  ),
  wrap(
    'xsw5',
    'XSW5: forged Assertion keeps the signature, genuine copy appended',
    'The assertion in place is rewritten to name another person and given a new ID but keeps the original Signature, whose Reference still names the old ID; an unsigned copy of the genuine assertion, carrying that ID, is appended to the Response. The signature verifies the appended copy. An SP that checks "this assertion contains a valid signature" without checking what the Reference points at accepts the forgery.',
    'assertion',
    ['Response/*'],
    (doc, ctx) => {
      root(doc).appendChild(forgeInPlace(doc, ctx).original);
    },
  ),
  wrap(
    'xsw6',
    'XSW6: forged Assertion keeps the signature, genuine copy inside it',
    'As XSW5, but the unsigned copy of the genuine assertion is placed inside the forged assertion’s Signature element. The signature verifies the copy; the forged assertion around it names another person.',
    'assertion',
    ['Response/Assertion@ID', 'Response/Assertion/Signature/*', ...IDENTITY],
    (doc, ctx) => {
      const { assertion, original } = forgeInPlace(doc, ctx);
      ownSignatureOf(assertion).appendChild(original);
    },
  ),
  wrap(
    'xsw7',
    'XSW7: forged Assertion hidden in an unknown Extensions element',
    'An element named Extensions (in no namespace, so schema validation may let it through) is inserted before the genuine signed assertion and holds a forged, unsigned copy that names another person with the same ID. Lookups by ID or by "first Assertion" may find the forged one while the signature verifies the genuine one.',
    'assertion',
    ['Response/*'],
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      const extensions = doc.createElement('Extensions');
      root(doc).insertBefore(extensions, assertion);
      extensions.appendChild(forgedCopy(assertion, ctx, true));
    },
  ),
  wrap(
    'xsw8',
    'XSW8: forged Assertion keeps the signature, genuine copy in an Object',
    'The assertion in place is rewritten to name another person (same ID) and keeps its Signature; the Signature gains an Object element holding an unsigned copy of the genuine assertion. A verifier that resolves the Reference to the copy in the Object validates, while the SP reads the forged assertion.',
    'assertion',
    ['Response/Assertion/Signature/*', ...IDENTITY],
    (doc, ctx) => {
      const { assertion, original } = forgeInPlace(doc, ctx, true);
      const object = doc.createElement('Object');
      ownSignatureOf(assertion).appendChild(object);
      object.appendChild(original);
    },
  ),
  wrap(
    'xsw-extensions',
    'Wrapping through samlp:Extensions',
    'The genuine signed assertion is moved into the Response’s samlp:Extensions element (SAML core 3.2.1 allows arbitrary content there), and a forged assertion naming another person takes its place. The signature still verifies the moved assertion. An SP must read the identity only from the element the signature covers, wherever that is, and refuse Responses whose signed assertion is not the one it processes.',
    'assertion',
    ['Response/*'],
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      const evil = forgedCopy(assertion, ctx);
      const extensions = doc.createElementNS(NS_PROTOCOL, 'samlp:Extensions');
      root(doc).insertBefore(extensions, assertion);
      extensions.appendChild(assertion);
      root(doc).appendChild(evil);
    },
    [REF.core('3.2.1 (Extensions)')],
  ),
  wrap(
    'xsw-object',
    'Wrapping the whole Response through ds:Object',
    'The signed Response is copied into a ds:Object element inside its own Signature (an enveloping signature), and the outer Response is rewritten to name another person under a new ID. Signature libraries resolve the Reference to the copy in the Object and report success. SAML signatures are enveloped (core 5.4.1): an SP must refuse a Signature whose Reference is not its parent element.',
    'response',
    ['Response@ID', 'Response/Signature/*', ...IDENTITY],
    (doc, ctx) => {
      const response = root(doc);
      const original = unsignedCopy(response);
      rewriteIdentity(response, ctx.identities.victim);
      const object = doc.createElementNS(NS_XMLDSIG, 'ds:Object');
      ownSignatureOf(response).appendChild(object);
      object.appendChild(original);
      response.setAttribute('ID', evilId(response.getAttribute('ID') ?? ''));
    },
    [REF.core('5.4.1 (enveloped signatures)'), REF.xmldsig('2.1 (enveloping signatures)')],
  ),
  {
    id: 'xsw-second-signature',
    family: 'wrapping',
    title: 'A second Signature: the attacker’s own plus the IdP’s',
    explanation:
      'The forged assertion (another person) carries two signatures: one the attacker made over it with their own key, and a copy of the IdP’s genuine signature, whose Reference names the genuine assertion moved to the end of the Response. An SP that checks "one signature is valid" and "one signature is by the IdP" separately, or takes the first signature’s key from KeyInfo, accepts the forgery. An SP must require exactly one signature on the element it uses, made with the IdP’s pinned key, referencing that element.',
    references: [
      ...XSW_REFS,
      REF.core('5.4.2'),
      REF.cve('CVE-2024-32962', 'xml-crypto trusted a key from the message'),
    ],
    expected: 'refuse',
    genuine: { sign: 'assertion' },
    touches: ['Response/*'],
    build(genuine, ctx) {
      const doc = parseXml(genuine.xml);
      const genuineSignature = ownSignatureOf(assertionOf(doc));
      const { assertion, original } = forgeInPlace(doc, ctx);
      signElement(assertion, { key: ctx.rogue.privateKey, keyInfo: { certBase64: ctx.rogue.certBase64 } });
      assertion.appendChild(genuineSignature);
      root(doc).appendChild(original);
      return done(doc, ctx);
    },
  },
];
