// Identity faults: IdP-signed addresses that look like an existing person's but are other strings (Unicode
// compatibility and case mappings, confusables, whitespace), an ASCII case variant, and NameID/email disagreement.
// Catalogue PRV-01 / SSO-07 (email matched case-insensitively, ASCII only); Unicode TR #36; core 8.3.2 (emailAddress).

import type { Document } from '@xmldom/xmldom';
import { REF } from './references.ts';
import {
  type FaultBuild,
  type FaultContext,
  type FaultDefinition,
  FaultNotApplicable,
  type GenuineResponse,
} from './types.ts';
import {
  asIdp,
  assertionOf,
  emailValueOf,
  parseXml,
  resignSigned,
  rewriteIdentity,
  serialize,
  setText,
  signElement,
  utf8,
} from './xml-kit.ts';

/** Re-signs as the IdP: what an IdP does when a person’s profile holds exactly this address. */
function resignAsIdp(doc: Document, ctx: FaultContext): void {
  signElement(assertionOf(doc), asIdp(ctx.idp));
  resignSigned(doc, asIdp(ctx.idp), 'response');
}

/** Replaces the first character of the local part found in `from` with its `to` look-alike. */
function swapFirst(victim: string, pairs: Readonly<Record<string, string>>, what: string): string {
  const local = victim.slice(0, victim.indexOf('@'));
  for (let i = 0; i < local.length; i += 1) {
    const replacement = pairs[local[i] ?? ''];
    if (replacement !== undefined) return victim.slice(0, i) + replacement + victim.slice(i + 1);
  }
  throw new FaultNotApplicable(`the victim address ${victim} has no letter that ${what} can imitate`);
}

function identityFault(
  definition: Omit<FaultDefinition, 'build' | 'family' | 'touches' | 'genuine'>,
  variant: (victim: string) => string,
): FaultDefinition {
  return {
    ...definition,
    family: 'identity',
    genuine: { nameId: (ids) => ids.victim },
    touches: [
      'Response/Assertion/Subject/NameID#text',
      'Response/Assertion/AttributeStatement/Attribute/AttributeValue#text',
      'Response/Signature',
      'Response/Assertion/Signature',
    ],
    build(genuine: GenuineResponse, ctx: FaultContext): FaultBuild {
      const doc = parseXml(genuine.xml);
      const asserted = variant(ctx.identities.victim);
      rewriteIdentity(assertionOf(doc), asserted);
      resignAsIdp(doc, ctx);
      return { bytes: utf8(serialize(doc)), signedIdentity: asserted };
    },
  };
}

const LOOKALIKE_REFS = [
  REF.unicodeTr36,
  { label: 'idsim catalogue PRV-01 / SSO-07 (one canonical identity key)' },
];
const REFUSE_INVALID =
  ' The SP must refuse it (for example with identity_invalid) rather than fold it onto the existing account.';

export const IDENTITY_FAULTS: readonly FaultDefinition[] = [
  identityFault(
    {
      id: 'kelvin-sign',
      title: 'KELVIN SIGN (U+212A) in place of k',
      explanation: `The IdP signs an address whose "k" is U+212A KELVIN SIGN. Unicode lower-casing maps it to an ASCII k, so an SP that lower-cases (or NFKC-normalises) before looking up the account signs this person in as the existing owner of the plain address: account takeover by anyone who can set their own email at the IdP.${REFUSE_INVALID}`,
      references: LOOKALIKE_REFS,
      expected: 'refuse',
    },
    (victim) => swapFirst(victim, { k: '\u212A', K: '\u212A' }, 'KELVIN SIGN'),
  ),
  identityFault(
    {
      id: 'fullwidth-letter',
      title: 'Fullwidth compatibility letter',
      explanation: `One letter of the address is its FULLWIDTH form (for example U+FF41 for a). NFKC normalisation turns it into the ASCII letter, so an SP that normalises before matching lands in the existing account.${REFUSE_INVALID}`,
      references: LOOKALIKE_REFS,
      expected: 'refuse',
    },
    (victim) => {
      const pairs: Record<string, string> = {};
      for (let c = 0x61; c <= 0x7a; c += 1)
        pairs[String.fromCharCode(c)] = String.fromCharCode(c - 0x61 + 0xff41);
      return swapFirst(victim, pairs, 'a fullwidth letter');
    },
  ),
  identityFault(
    {
      id: 'cyrillic-homoglyph',
      title: 'Cyrillic look-alike letter',
      explanation: `One Latin letter is replaced by the Cyrillic letter that looks the same (а, е, о, р, с, х). No normalisation maps it back, so it is a different address that a person (or an admin reading a list) cannot tell from the real one; an SP that accepts it creates a confusable twin account.${REFUSE_INVALID}`,
      references: LOOKALIKE_REFS,
      expected: 'refuse',
    },
    (victim) =>
      swapFirst(
        victim,
        { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', x: '\u0445' },
        'Cyrillic',
      ),
  ),
  identityFault(
    {
      id: 'long-s-case-fold',
      title: 'LATIN SMALL LETTER LONG S (U+017F) in place of s',
      explanation: `The address uses ſ (U+017F), which upper-cases to an ASCII S. An SP that compares addresses with toUpperCase (or full Unicode case folding) matches it to the existing account with a plain s.${REFUSE_INVALID}`,
      references: LOOKALIKE_REFS,
      expected: 'refuse',
    },
    (victim) => swapFirst(victim, { s: '\u017f' }, 'LONG S'),
  ),
  identityFault(
    {
      id: 'surrounding-whitespace',
      title: 'Address with surrounding spaces',
      explanation: `The IdP signs " address " with a space on each side. An SP that trims before matching signs this person in as the existing account; one that does not creates a second account that looks identical.${REFUSE_INVALID}`,
      references: [REF.rfc5321, ...LOOKALIKE_REFS],
      expected: 'refuse',
    },
    (victim) => ` ${victim} `,
  ),
  identityFault(
    {
      id: 'trailing-nbsp',
      title: 'Address ending in a NO-BREAK SPACE (U+00A0)',
      explanation: `The address ends in an invisible non-ASCII space. Unicode-aware trimming removes it and matches the existing account; nothing in an address may be a space.${REFUSE_INVALID}`,
      references: [REF.rfc5321, ...LOOKALIKE_REFS],
      expected: 'refuse',
    },
    (victim) => `${victim}\u00a0`,
  ),
  identityFault(
    {
      id: 'zero-width-space',
      title: 'Address with a ZERO WIDTH SPACE (U+200B) inside',
      explanation: `An invisible U+200B is inserted after the first character. Some normalisers delete format characters and match the existing account; others keep it and create an indistinguishable twin.${REFUSE_INVALID}`,
      references: LOOKALIKE_REFS,
      expected: 'refuse',
    },
    (victim) => `${victim.slice(0, 1)}\u200b${victim.slice(1)}`,
  ),
  identityFault(
    {
      id: 'ascii-case-variant',
      title: 'The same address in different ASCII case',
      explanation:
        'The IdP signs the existing person’s address with different upper/lower case letters (IdPs do change case, for example after a directory edit). Email addresses are matched case-insensitively in ASCII, so this IS the same person: a sound SP signs them in to their own account, never a new one. Refusing is stricter but locks people out.',
      references: [{ label: 'idsim catalogue PRV-01 / SSO-07 (case-insensitive email)' }, REF.rfc5321],
      expected: 'accept-as-signed',
    },
    (victim) => {
      const upper = victim.replace(/[a-z]/g, (c, i: number) => (i % 2 === 0 ? c.toUpperCase() : c));
      if (upper === victim) throw new FaultNotApplicable(`the victim address ${victim} has no ASCII letter`);
      return upper;
    },
  ),
  {
    id: 'email-disagrees-with-nameid',
    family: 'identity',
    title: 'Email attribute that names someone else than the NameID',
    explanation:
      'The NameID (emailAddress format) is the signed-in person’s own address, but the email attribute names an existing account. Both are signed, so nothing was tampered with; the IdP (or a user-editable profile field) is inconsistent. An SP that takes the account from the attribute signs this person in as someone else. It must refuse (for example identity_mismatch) when they disagree.',
    references: [REF.core('8.3.2 (emailAddress NameID)'), REF.profiles('4.1.4.2')],
    expected: 'refuse',
    touches: [
      'Response/Assertion/AttributeStatement/Attribute/AttributeValue#text',
      'Response/Signature',
      'Response/Assertion/Signature',
    ],
    build(genuine, ctx) {
      const doc = parseXml(genuine.xml);
      const email = emailValueOf(doc);
      if (email === undefined) throw new Error('the genuine Response has no email attribute');
      setText(email, ctx.identities.victim);
      resignAsIdp(doc, ctx);
      return { bytes: utf8(serialize(doc)), signedIdentity: ctx.identities.attacker };
    },
  },
];
