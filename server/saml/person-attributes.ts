// Reads the person (email, given and family name) out of an assertion's NameID and attributes, whatever IdP sent it.
// SAML core 2.7.3 (AttributeStatement); names used by Okta ("Basic" format), Entra (claims URIs) and LDAP OIDs.

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

/** The person named by an assertion; email falls back to the NameID when it looks like an address. */
export function readAssertedPerson(
  nameId: string,
  attributes: Readonly<Record<string, readonly string[]>>,
): AssertedPerson | null {
  const fromAttributes = firstValue(attributes, EMAIL_NAMES);
  const email = fromAttributes !== '' ? fromAttributes : nameId.includes('@') ? nameId.trim() : '';
  if (email === '') return null;
  return {
    email: email.toLowerCase(),
    givenName: firstValue(attributes, GIVEN_NAMES),
    familyName: firstValue(attributes, FAMILY_NAMES),
  };
}
