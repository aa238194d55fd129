// Email addresses as account identity: the ONE canonical form every path matches on (SCIM, JIT, invites, portal,
// sign-up), its ASCII-only matching key and the domain part. Catalogue PRV-01, SSO-07, PRV-08/PRV-10; idsim #10.
import { DomainError } from './errors.ts';

/**
 * The identity alphabet: RFC 5322 3.2.3 dot-atom local part (atext and single inner dots; no quoted strings, no
 * comments) and RFC 1035/5890 LDH domain labels (an IDN arrives as its A-label, `xn--…`). Nothing outside printable
 * ASCII is an identity here: Unicode case mapping and compatibility forms (U+212A KELVIN SIGN lowercases to ASCII
 * `k`, fullwidth letters fold under NFKC) would let one string stand for another person's address, so such an
 * address is refused, never folded. Whitespace anywhere (ASCII or not, NBSP included) is refused, never trimmed.
 */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
/** RFC 5321 4.5.3.1: local part ≤ 64 octets, domain ≤ 255, a path ≤ 256 including the angle brackets. */
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;

function refuse(raw: string, why: string): never {
  // The value is echoed only as JSON-escaped code points, so a look-alike is visible for what it is.
  throw new DomainError(
    'identity_invalid',
    `${JSON.stringify(raw.slice(0, 100))} is not a usable email address: ${why}`,
    {
      attribute: 'email',
    },
  );
}

/**
 * Checks that `raw` already is a canonical identity and returns it unchanged (the case the IdP sent is kept for
 * display; matching uses {@link emailKey}). Refuses with `identity_invalid` anything that is not.
 */
export function canonicalEmail(raw: string): string {
  if (typeof raw !== 'string' || raw === '') refuse(String(raw), 'it is empty');
  if (raw.length > MAX_ADDRESS) refuse(raw, 'it is longer than 254 characters');
  if (/[^\x21-\x7e]/.test(raw)) {
    refuse(
      raw,
      /\s/u.test(raw) ? 'it contains white space' : 'it contains characters outside printable ASCII',
    );
  }
  const at = raw.lastIndexOf('@');
  if (at <= 0 || raw.indexOf('@') !== at) refuse(raw, 'it needs exactly one @ with a local part before it');
  const local = raw.slice(0, at);
  const domain = raw.slice(at + 1);
  if (local.length > MAX_LOCAL || !LOCAL_PART.test(local)) refuse(raw, 'its local part is not a dot-atom');
  const labels = domain.split('.');
  const top = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TOP_LEVEL.test(top)) {
    refuse(raw, 'its domain is not a host name');
  }
  return raw;
}

/** ASCII-only case folding: the one collision-safe key (SQLite NOCASE folds exactly these 26 letters too). */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** SSO-07 decision: emails match case-insensitively, ASCII letters only. */
export function emailKey(email: string): string {
  return asciiLower(email);
}

/** Two addresses name the same identity (ASCII case-insensitive, nothing else folded). */
export function sameEmail(a: string, b: string): boolean {
  return emailKey(a) === emailKey(b);
}

/** The domain part, lower case (domain names are case-insensitive, RFC 4343). */
export function emailDomain(email: string): string {
  return asciiLower(email.slice(email.lastIndexOf('@') + 1));
}

export function normaliseDomainName(name: string): string {
  // ASCII folding only: a Unicode case mapping must not turn an admin's input into some other ASCII name.
  const lower = asciiLower(name.trim()).replace(/\.$/, '');
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(lower)) {
    throw new DomainError('invalid_value', `'${name.slice(0, 100)}' is not a domain name`, {
      attribute: 'domain',
    });
  }
  return lower;
}
