// Reads the person (email, given and family name) out of an assertion's NameID and attributes, whatever IdP sent it.
// SAML core 2.7.3 (AttributeStatement); names used by Okta ("Basic" format), Entra (claims URIs) and LDAP OIDs.
import { NAMEID_EMAIL } from '../../protocol/saml/index.ts';
import { canonicalEmail, emailKey } from '../domain/emails.ts';
import { SignInError } from '../signin/errors.ts';

export interface AssertedPerson {
  email: string;
  givenName: string;
  familyName: string;
}

/** Attribute names tried in order for each field (first non-empty value wins). */
const EMAIL_NAMES = [
  'email',
  'mail',
  'emailAddress',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];
const GIVEN_NAMES = [
  'firstName',
  'givenName',
  'given_name',
  'urn:oid:2.5.4.42',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
];
const FAMILY_NAMES = [
  'lastName',
  'familyName',
  'family_name',
  'sn',
  'urn:oid:2.5.4.4',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
];

function firstValue(
  attributes: Readonly<Record<string, readonly string[]>>,
  names: readonly string[],
): string {
  for (const name of names) {
    const value = attributes[name]?.find((v) => v.trim() !== '');
    if (value !== undefined) return value.trim();
  }
  return '';
}

function assertCanonical(address: string): void {
  try {
    canonicalEmail(address);
  } catch (error) {
    throw new SignInError(
      'identity_invalid',
      error instanceof Error ? error.message : 'not an email address',
    );
  }
}

/**
 * The person named by an assertion; email falls back to the NameID when it looks like an address. The address is
 * returned exactly as asserted (never trimmed or case-folded here): the sign-in service checks its canonical form
 * (server/domain/emails.ts), so a look-alike is refused there instead of being folded onto someone else.
 * idsim #10: an assertion that names two different addresses (several email values, or an emailAddress-format
 * NameID that is not the email attribute, SAML core 8.3.2) is ambiguous and refused with `identity_mismatch`.
 */
export function readAssertedPerson(
  nameId: string,
  nameIdFormat: string | null,
  attributes: Readonly<Record<string, readonly string[]>>,
): AssertedPerson | null {
  const emails = EMAIL_NAMES.flatMap((name) => attributes[name] ?? []).filter((value) => value.trim() !== '');
  // Every address the assertion offers must be canonical before any is compared or used (emails.ts).
  for (const value of nameIdFormat === NAMEID_EMAIL ? [...emails, nameId] : emails) assertCanonical(value);
  const distinct = new Set(emails.map(emailKey));
  if (distinct.size > 1)
    throw new SignInError('identity_mismatch', 'the assertion carries several email addresses');
  const fromAttributes = emails[0];
  if (
    fromAttributes !== undefined &&
    nameIdFormat === NAMEID_EMAIL &&
    emailKey(nameId) !== emailKey(fromAttributes)
  ) {
    throw new SignInError('identity_mismatch', 'the emailAddress NameID and the email attribute differ');
  }
  const email = fromAttributes ?? (nameId.includes('@') ? nameId : '');
  if (email === '') return null;
  return {
    email,
    givenName: firstValue(attributes, GIVEN_NAMES),
    familyName: firstValue(attributes, FAMILY_NAMES),
  };
}
