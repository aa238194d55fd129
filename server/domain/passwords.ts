// Account passwords hashed with a real KDF: scrypt (RFC 7914) from node:crypto, random salt, constant-time verify.
// Encoded as `scrypt$N$r$p$saltB64$hashB64` so that parameters can be raised later without breaking old hashes.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.ts';

/** RFC 7914 section 2 parameters; N = 2^14, r = 8, p = 1 is the common interactive-login setting. */
export const SCRYPT_PARAMETERS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 1024;

export function assertAcceptablePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new DomainError(
      'invalid_value',
      `a password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
}

export function hashPassword(password: string): string {
  assertAcceptablePassword(password);
  const salt = randomBytes(SALT_LENGTH);
  const { N, r, p } = SCRYPT_PARAMETERS;
  const hash = scryptSync(password, salt, KEY_LENGTH, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

let absentAccountHash: string | null = null;

/**
 * The hash checked when there is no hash to check (no such account, or one without a password): a random password
 * hashed with today's parameters, made once. Checking it costs what a real check costs, so the time of an answer
 * does not tell whether an address has an account (OWASP authentication cheat sheet, "response times").
 */
export function absentAccountPasswordHash(): string {
  absentAccountHash ??= hashPassword(randomBytes(SALT_LENGTH).toString('base64url'));
  return absentAccountHash;
}

/** The password check of a sign-in: a full KDF run whether or not `encoded` exists; false when it does not. */
export function checkPassword(password: string, encoded: string | null): boolean {
  const matches = verifyPasswordHash(password, encoded ?? absentAccountPasswordHash());
  return encoded !== null && matches;
}

/** False for a wrong password or an unreadable encoding; never throws for a wrong password. */
export function verifyPasswordHash(password: string, encoded: string): boolean {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const N = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0)
    return false;
  const actual = scryptSync(password, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}
