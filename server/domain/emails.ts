// Email addresses as account identity: validation, case-insensitive matching key and domain part.
// Catalogue PRV-01 (email is the mapping key), SSO-07 (match on case-insensitive email), PRV-08/PRV-10 (domains).
import { DomainError } from './errors.ts';

/** Deliberately loose (RFC 5321 local parts are wide): one @, a non-empty local part, a dotted domain. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trims and validates; keeps the case the caller sent (SCIM returns userName as provisioned). */
export function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed.length > 320 || !EMAIL_SHAPE.test(trimmed)) {
    throw new DomainError('invalid_value', `'${trimmed.slice(0, 100)}' is not an email address`, {
      attribute: 'email',
    });
  }
  return trimmed;
}

/** SSO-07 decision: emails match case-insensitively. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The domain part, lower case (domain names are case-insensitive, RFC 4343). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

export function normaliseDomainName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(lower)) {
    throw new DomainError('invalid_value', `'${name.slice(0, 100)}' is not a domain name`, {
      attribute: 'domain',
    });
  }
  return lower;
}
