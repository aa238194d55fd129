// Canonicalisation and parsing faults: comments and CDATA that split identity text, DTDs (XXE, entity expansion),
// UTF-16, duplicate XML attributes and IDs, redefined namespace prefixes. XML 1.0 2.8 / 3.1; xml-exc-c14n 1; core 5.4.

import type { Document } from '@xmldom/xmldom';
import { NS_ASSERTION } from '../../../protocol/saml/index.ts';
import { REF } from './references.ts';
import type { FaultBuild, FaultContext, FaultDefinition, GenuineResponse } from './types.ts';
import {
  assertionOf,
  emailValueOf,
  nameIdOf,
  parseXml,
  removeOwnSignature,
  rewriteIdentity,
  root,
  serialize,
  utf8,
} from './xml-kit.ts';

/** The attacker's genuine IdP account for comment/CDATA tricks: the victim's address with a suffix they own. */
const SUFFIX = '.evil.invalid';
const suffixed = (victim: string): string => `${victim}${SUFFIX}`;

const DIFFERENTIALS = REF.cve('CVE-2025-25291', 'ruby-saml parser differential');
const DIFFERENTIALS_2 = REF.cve('CVE-2025-25292', 'ruby-saml parser differential');

/** Splits the element's text after the victim's address with a node a careless reader stops at. */
function splitAfterVictim(
  doc: Document,
  element: ReturnType<typeof nameIdOf>,
  ctx: FaultContext,
  how: 'comment' | 'cdata',
): void {
  const text = element.textContent ?? '';
  const at = ctx.identities.victim.length;
  while (element.firstChild !== null) element.removeChild(element.firstChild);
  element.appendChild(doc.createTextNode(text.slice(0, at)));
  if (how === 'comment') {
    element.appendChild(doc.createComment(''));
    element.appendChild(doc.createTextNode(text.slice(at)));
  } else {
    element.appendChild(doc.createCDATASection(text.slice(at)));
  }
}

function domFault(
  definition: Omit<FaultDefinition, 'build'>,
  change: (doc: Document, ctx: FaultContext) => string,
): FaultDefinition {
  return {
    ...definition,
    build(genuine: GenuineResponse, ctx: FaultContext): FaultBuild {
      const doc = parseXml(genuine.xml);
      const signedIdentity = change(doc, ctx);
      return { bytes: utf8(serialize(doc)), signedIdentity };
    },
  };
}

function prologFault(
  definition: Omit<FaultDefinition, 'build' | 'raw'>,
  prolog: string,
  bodyEdit: {
    from: (g: GenuineResponse, ctx: FaultContext) => string;
    to: (g: GenuineResponse, ctx: FaultContext) => string;
  } | null,
): FaultDefinition {
  return {
    ...definition,
    raw: {
      // The DTD is removed and entity references dropped: what remains must be the genuine Response.
      undo: (text) =>
        text.replace(/^<!DOCTYPE[\s\S]*?\]>/, '').replace(/&(?!amp;|lt;|gt;|quot;|apos;|#)[\w.-]+;/g, ''),
    },
    build(genuine, ctx) {
      let body = genuine.xml;
      if (bodyEdit !== null) body = body.replace(bodyEdit.from(genuine, ctx), bodyEdit.to(genuine, ctx));
      return { bytes: utf8(prolog + body), signedIdentity: ctx.identities.attacker };
    },
  };
}

const laughs = (): string => {
  let entities = '<!ENTITY lol0 "lol">';
  for (let i = 1; i <= 9; i += 1) entities += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
  return `<!DOCTYPE samlp:Response [${entities}]>`;
};

export const PARSING_FAULTS: readonly FaultDefinition[] = [
  domFault(
    {
      id: 'comment-in-nameid',
      family: 'parsing',
      title: 'XML comment splitting the NameID',
      explanation:
        'The attacker’s real IdP account is the victim’s address followed by a suffix they own (victim@example.test.evil.invalid). After the IdP signs it, a comment is inserted just before the suffix. Canonicalisation drops comments, so the signature still verifies; an SP that reads only the first text node sees the victim’s address. A sound SP reads the whole text (and signs in the suffixed account, or refuses).',
      references: [
        REF.duo2018,
        REF.cve('CVE-2017-11427', 'python-saml'),
        REF.cve('CVE-2017-11428', 'ruby-saml'),
        REF.cve('CVE-2017-11429', 'Clever saml2-js'),
        { label: 'xml-exc-c14n 1 / Canonical XML 1.0 1.1 (comments are removed)' },
      ],
      expected: 'accept-as-signed',
      genuine: { nameId: (ids) => suffixed(ids.victim) },
      touches: ['Response/Assertion/Subject/NameID#text'],
    },
    (doc, ctx) => {
      splitAfterVictim(doc, nameIdOf(doc), ctx, 'comment');
      return suffixed(ctx.identities.victim);
    },
  ),
  domFault(
    {
      id: 'comment-in-attribute',
      family: 'parsing',
      title: 'XML comment splitting the email attribute',
      explanation:
        'The same comment trick in the signed email attribute value instead of the NameID. SPs that map accounts by the email attribute and read it with a first-text-node API see the victim’s address. The whole text, not the first node, is what the IdP signed.',
      references: [REF.duo2018, REF.cve('CVE-2017-11430', 'OmniAuth-SAML')],
      expected: 'accept-as-signed',
      genuine: { nameId: (ids) => suffixed(ids.victim) },
      touches: ['Response/Assertion/AttributeStatement/Attribute/AttributeValue#text'],
    },
    (doc, ctx) => {
      const value = emailValueOf(doc);
      if (value === undefined) throw new Error('the genuine Response has no email attribute');
      splitAfterVictim(doc, value, ctx, 'comment');
      return suffixed(ctx.identities.victim);
    },
  ),
  domFault(
    {
      id: 'cdata-in-nameid',
      family: 'parsing',
      title: 'CDATA section splitting the NameID',
      explanation:
        'Like comment injection, but the suffix is moved into a CDATA section. Canonical form turns CDATA into plain text, so the signature still holds; a reader that takes only the first text node sees the victim’s address. The identity is the full text content.',
      references: [
        REF.duo2018,
        { label: 'Canonical XML 1.0 1.1 (CDATA sections are replaced with their content)' },
      ],
      expected: 'accept-as-signed',
      genuine: { nameId: (ids) => suffixed(ids.victim) },
      touches: ['Response/Assertion/Subject/NameID#text'],
    },
    (doc, ctx) => {
      splitAfterVictim(doc, nameIdOf(doc), ctx, 'cdata');
      return suffixed(ctx.identities.victim);
    },
  ),
  prologFault(
    {
      id: 'doctype-xxe',
      family: 'parsing',
      title: 'DOCTYPE with an external entity (XXE)',
      explanation:
        'A DOCTYPE declares an external parameter entity pointing at a URL. A parser that processes DTDs fetches it while reading the Response: the SP can be made to call internal addresses or read local files before any signature is checked. SAML messages never need a DTD (saml-sec-consider); an SP must refuse any DOCTYPE.',
      references: [
        REF.secConsider('7.1.1.8'),
        REF.xml('4.2.2 (external entities)'),
        { label: 'OWASP XXE prevention' },
      ],
      expected: 'refuse',
      touches: ['#prolog'],
    },
    '<!DOCTYPE samlp:Response [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/idsim-xxe.dtd"> %remote;]>',
    null,
  ),
  prologFault(
    {
      id: 'billion-laughs',
      family: 'parsing',
      title: 'Entity expansion bomb (billion laughs)',
      explanation:
        'Nine levels of entities, each ten times the previous, referenced from the NameID: a few hundred bytes that expand to gigabytes in a parser that expands entities. A single request can exhaust the SP’s memory. Refuse DTDs outright.',
      references: [REF.xml('4.1 (entity references)'), REF.secConsider('7.1.1.8')],
      expected: 'refuse',
      touches: ['#prolog'],
    },
    laughs(),
    { from: () => '</saml:NameID>', to: () => '&lol9;</saml:NameID>' },
  ),
  prologFault(
    {
      id: 'doctype-internal-entity',
      family: 'parsing',
      title: 'Internal entity that expands to another identity',
      explanation:
        'A DOCTYPE declares an entity whose text is the victim’s address, and the NameID refers to it after the genuine value. Whether the identity includes the expansion depends on the parser: two parsers in one SP (one verifying, one reading) see different people, as in the 2025 ruby-saml parser differentials. Refuse DTDs.',
      references: [DIFFERENTIALS, DIFFERENTIALS_2, REF.xml('4.2.1')],
      expected: 'refuse',
      touches: ['#prolog'],
    },
    '<!DOCTYPE samlp:Response [<!ENTITY who "">]>',
    { from: () => '</saml:NameID>', to: () => '&who;</saml:NameID>' },
  ),
  {
    id: 'utf16-bom',
    family: 'parsing',
    title: 'The same Response encoded as UTF-16 with a byte-order mark',
    explanation:
      'The genuine Response, re-encoded as UTF-16LE with a BOM and an encoding declaration. It is the same XML and the signature (over the canonical UTF-8 form) still verifies. A sound parser reads it correctly and signs in the person it names; an SP that decodes bytes by guesswork may refuse (safe) or, worse, read different text than it verified.',
    references: [REF.xml('4.3.3 (character encoding)'), { label: 'Canonical XML 1.0 2.1 (output is UTF-8)' }],
    expected: 'accept-as-signed',
    touches: ['#prolog'],
    raw: { encoding: 'utf16le', undo: (text) => text.replace(/^\uFEFF?<\?xml[^>]*\?>/, '') },
    build(genuine, ctx) {
      const text = `\uFEFF<?xml version="1.0" encoding="UTF-16"?>${genuine.xml}`;
      return { bytes: Buffer.from(text, 'utf16le'), signedIdentity: ctx.identities.attacker };
    },
  },
  {
    id: 'duplicate-xml-attribute',
    family: 'parsing',
    title: 'The Assertion’s ID attribute given twice',
    explanation:
      'The assertion’s start tag carries ID twice, a forged value first and the signed one second. XML forbids this (well-formedness constraint "Unique Att Spec"), yet lenient parsers keep the first or the last: a verifier and a reader that disagree resolve the signature’s Reference to different things. An SP must refuse documents that are not well-formed.',
    references: [REF.xml('3.1 (Unique Att Spec)'), DIFFERENTIALS],
    expected: 'refuse',
    touches: [],
    raw: { undo: (text) => text.replace(/ ID="_forged"/, '') },
    build(genuine, ctx) {
      const xml = genuine.xml.replace(/<saml:Assertion /, '<saml:Assertion ID="_forged" ');
      return { bytes: utf8(xml), signedIdentity: ctx.identities.attacker };
    },
  },
  domFault(
    {
      id: 'duplicate-id',
      family: 'parsing',
      title: 'Two assertions with the same ID',
      explanation:
        'An unsigned forged assertion naming another person is added after the genuine one, with the same ID. The signature’s Reference (#ID) now matches two elements; which one a library resolves, and which one the application reads, can differ. IDs must be unique (xml:id / XML Schema ID); an SP must refuse.',
      references: [REF.core('1.3.4 (ID uniqueness)'), REF.breakingSaml('5.1')],
      expected: 'refuse',
      genuine: { sign: 'assertion' },
      touches: ['Response/*'],
    },
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      const evil = assertion.cloneNode(true) as typeof assertion;
      removeOwnSignature(evil);
      rewriteIdentity(evil, ctx.identities.victim);
      root(doc).appendChild(evil);
      return ctx.identities.attacker;
    },
  ),
  domFault(
    {
      id: 'namespace-redefinition',
      family: 'parsing',
      title: 'Forged assertion under a redefined saml: prefix',
      explanation:
        'A forged assertion naming another person is put before the genuine one; it is spelt saml:Assertion, but its saml prefix is bound to a different namespace. A namespace-aware SP sees a foreign element and uses the genuine signed assertion; code that matches on the prefix text reads the forgery. A sound SP either refuses the unknown element or signs in the person the IdP signed.',
      references: [
        REF.fragileLock,
        DIFFERENTIALS_2,
        { label: 'Namespaces in XML 1.0, 3 (prefixes are only shorthand)' },
      ],
      expected: 'accept-as-signed',
      genuine: { sign: 'assertion' },
      touches: ['Response/*'],
    },
    (doc, ctx) => {
      const assertion = assertionOf(doc);
      const evil = assertion.cloneNode(true) as typeof assertion;
      removeOwnSignature(evil);
      rewriteIdentity(evil, ctx.identities.victim);
      const foreign = serialize(evil)
        .split(`xmlns:saml="${NS_ASSERTION}"`)
        .join('xmlns:saml="urn:idsim:not-saml"');
      const imported = doc.importNode(root(parseXml(foreign)), true);
      root(doc).insertBefore(imported, assertion);
      return ctx.identities.attacker;
    },
  ),
];
