// Deliberately faulty Response variants for negative conformance tests: every one must be refused by a sound SP.
// SAML profiles 4.1.4.3 (SP checks), core 2.5.1 (Conditions), 5 (signatures); USENIX 2012 "On Breaking SAML".

/**
 * - `tamper-after-signing`: a signed value (the NameID, or the Response IssueInstant when the assertion is
 *   encrypted) is changed after signing, so the digest no longer matches.
 * - `wrong-key`: signed with an untrusted key (its own certificate in KeyInfo).
 * - `unsigned`: neither Response nor Assertion is signed.
 * - `expired`: Conditions/@NotOnOrAfter and SubjectConfirmationData/@NotOnOrAfter lie in the past.
 * - `wrong-audience`: the AudienceRestriction names another SP.
 * - `wrong-recipient`: SubjectConfirmationData/@Recipient is not the ACS URL.
 * - `wrong-destination`: Response/@Destination is not the ACS URL.
 * - `replay-assertion-id`: the Assertion reuses the ID of the previous assertion sent to this SP.
 */
export type ResponseFault =
  | 'tamper-after-signing'
  | 'wrong-key'
  | 'unsigned'
  | 'expired'
  | 'wrong-audience'
  | 'wrong-recipient'
  | 'wrong-destination'
  | 'replay-assertion-id';

export const RESPONSE_FAULTS: readonly ResponseFault[] = [
  'tamper-after-signing',
  'wrong-key',
  'unsigned',
  'expired',
  'wrong-audience',
  'wrong-recipient',
  'wrong-destination',
  'replay-assertion-id',
];

export function isResponseFault(value: unknown): value is ResponseFault {
  return typeof value === 'string' && (RESPONSE_FAULTS as readonly string[]).includes(value);
}

/** Where faulty values point: a plainly foreign host (RFC 2606 reserves `.invalid`). */
export const FOREIGN_AUDIENCE = 'https://other-sp.invalid/saml/metadata';
export const FOREIGN_URL = 'https://other-sp.invalid/saml/acs';
/** The value a tampered NameID is changed to. */
export const TAMPERED_NAME_ID = 'attacker@evil.invalid';
