// The IdP's password check, shared by the SAML login page and the OIDC interaction: one rule for both protocols.
// idsim issue #3 (login form), #14 (OIDC sign-in over the same directory); only active people sign in.

import type { Directory } from './directory.ts';
import type { Person } from './types.ts';

export type PasswordCheck =
  | { kind: 'accepted'; person: Person }
  | { kind: 'refused'; code: 'invalid_credentials' | 'person_inactive' };

export function checkPassword(directory: Directory, login: string, password: string): PasswordCheck {
  const person = directory.findPersonByLogin(login);
  if (person === undefined || person.password !== password)
    return { kind: 'refused', code: 'invalid_credentials' };
  if (person.status !== 'active') return { kind: 'refused', code: 'person_inactive' };
  return { kind: 'accepted', person };
}
