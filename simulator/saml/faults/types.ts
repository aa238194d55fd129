// The shape of one SAML fault: id, family, plain-language explanation, references, expected SP verdict, builder.
// idsim issue #11 (fault catalogue); SAML core 5 (signatures), profiles 4.1.4 (SP processing rules).

import type { SigningCredentials } from '../keys.ts';

export type FaultFamily =
  | 'wrapping'
  | 'signature-scope'
  | 'keys'
  | 'algorithms'
  | 'parsing'
  | 'identity'
  | 'conditions';

export const FAULT_FAMILIES: readonly { id: FaultFamily; title: string; summary: string }[] = [
  {
    id: 'wrapping',
    title: 'Signature wrapping',
    summary:
      'A forged assertion is slipped in beside a genuine signed one, hoping the SP checks one and reads the other.',
  },
  {
    id: 'signature-scope',
    title: 'Signature presence and scope',
    summary: 'Signatures removed, or signatures that do not actually cover the assertion the SP reads.',
  },
  {
    id: 'keys',
    title: 'Keys and certificates',
    summary: 'Signatures made with a key the SP must not trust, or trust decided from the message itself.',
  },
  {
    id: 'algorithms',
    title: 'Algorithms',
    summary: 'Broken or meaningless signature algorithms: SHA-1, HMAC with a public key, empty signatures.',
  },
  {
    id: 'parsing',
    title: 'Canonicalisation and parsing',
    summary:
      'XML tricks where the signature checker and the code that reads the identity see different text.',
  },
  {
    id: 'identity',
    title: 'Identity values',
    summary:
      'Signed identities that look like an existing person but are not, and must never open that person’s account.',
  },
  {
    id: 'conditions',
    title: 'Conditions and binding',
    summary: 'Genuine signatures on Responses meant for someone else, for another time, or sent twice.',
  },
];

/** Refuse; or accept, but only as the identity the IdP signed (a refusal is then stricter, and still safe). */
export type ExpectedVerdict = 'refuse' | 'accept-as-signed';

export interface FaultReference {
  /** e.g. "SAML core 5.4.2", "USENIX Security 2012, On Breaking SAML, 4.2", "CVE-2024-45409" */
  label: string;
  url?: string;
}

/** What a fault's genuine Response looks like before the builder changes it. */
export interface GenuineShape {
  /** which elements the IdP signs (default both) */
  sign?: 'both' | 'response' | 'assertion';
  /** the NameID (and email attribute) the IdP signs; default the attacker (the person signing in) */
  nameId?: (identities: FaultIdentities) => string;
  /** the email attribute when it must differ from the NameID */
  email?: (identities: FaultIdentities) => string;
}

/** Who is who in a fault: the person the IdP really signed for, and the existing account a forgery aims at. */
export interface FaultIdentities {
  /** the signed-in person (their genuine IdP account) */
  attacker: string;
  /** another existing account at the SP, the forgery's target */
  victim: string;
}

/** A Response as built by the IdP, plus what the builders may need to rebuild or re-sign it. */
export interface GenuineResponse {
  xml: string;
  responseId: string;
  assertionId: string;
}

export interface FaultContext {
  identities: FaultIdentities;
  /** the IdP entity ID (saml:Issuer) */
  idpEntityId: string;
  /** the IdP's signing credentials: re-signing with them simulates an IdP that signed exactly this */
  idp: SigningCredentials;
  /** keys the SP must not trust */
  rogue: SigningCredentials;
  retired: SigningCredentials;
  /** the IdP's key under an expired / not-yet-valid certificate */
  expiredCertBase64: string;
  notYetValidCertBase64: string;
  now: Date;
  /** a second genuine Response (new IDs), same shape as the first, for faults that need two */
  another(shape?: GenuineShape): Promise<GenuineResponse>;
  /** the SP's encryption certificate (PEM) when it publishes one */
  spEncryptionCert: string | undefined;
  /** the assertion ID / bytes of a genuine Response the SP already accepted */
  previous: { assertionId: string; xml: string } | undefined;
  /** the ID of an AuthnRequest this SP just made (SP-initiated), when the target offers one */
  pendingRequestId: string | undefined;
  /** the ID of an AuthnRequest made by another SP */
  otherSpRequestId: string | undefined;
}

/** Things a fault needs from the target; without them the fault is reported not applicable. */
export type FaultNeed = 'previous-response' | 'sp-initiated' | 'other-sp-request' | 'encryption-cert';

export interface FaultBuild {
  /** the bytes to post (UTF-8 unless the fault is about encodings) */
  bytes: Buffer;
  /** the identity the IdP's trusted signature actually covers (what a sound SP may sign in) */
  signedIdentity: string;
  /** for SP-initiated faults: the InResponseTo the Response carries */
  inResponseTo?: string | undefined;
}

export interface FaultDefinition {
  id: string;
  family: FaultFamily;
  title: string;
  /** one paragraph, plain language: what it is and why an SP must refuse it */
  explanation: string;
  references: readonly FaultReference[];
  expected: ExpectedVerdict;
  needs?: readonly FaultNeed[];
  /** the genuine Response's shape and the InResponseTo it answers */
  genuine?: GenuineShape;
  inResponseTo?: (ctx: FaultContext) => string | undefined;
  /**
   * Where the faulty Response differs from the genuine one, as element paths of local names
   * ("Response/Assertion/Subject/NameID"); "#prolog" for bytes outside the root element. A test holds them.
   */
  touches: readonly string[];
  /**
   * For faults whose bytes are not a plain well-formed UTF-8 document (DOCTYPEs, encodings, duplicate XML
   * attributes): how to read the bytes as text, and how to undo the raw edit so the rest can be compared.
   */
  raw?: { encoding?: 'utf16le'; undo(text: string): string };
  build(genuine: GenuineResponse, ctx: FaultContext): FaultBuild | Promise<FaultBuild>;
}

/** Thrown when a fault cannot be built for these identities or this target (reported n/a, never passed). */
export class FaultNotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultNotApplicable';
  }
}
