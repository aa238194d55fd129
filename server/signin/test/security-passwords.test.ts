// The password checks' defences as units: the attempt window (password-attempts.ts) and the equal-cost check of an
// address without an account (domain/passwords.ts checkPassword). OWASP ASVS 2.2.1; authentication cheat sheet.
import { describe, expect, it } from 'vitest';
import {
  absentAccountPasswordHash,
  checkPassword,
  hashPassword,
  SCRYPT_PARAMETERS,
} from '../../domain/passwords.ts';
import { PasswordAttempts } from '../password-attempts.ts';

describe('PasswordAttempts', () => {
  it('pauses a key after maxFailures within the window, until the window has passed since the last one', () => {
    const attempts = new PasswordAttempts({ maxFailures: 3, windowMs: 1000 });
    attempts.failed('a', 0);
    attempts.failed('a', 100);
    expect(attempts.paused('a', 150)).toBe(false);
    attempts.failed('a', 200);
    expect(attempts.paused('a', 250)).toBe(true);
    expect(attempts.paused('b', 250)).toBe(false);
    expect(attempts.paused('a', 1199)).toBe(true);
    expect(attempts.paused('a', 1200)).toBe(false);
  });

  it('a right password clears the count; failures spread wider than the window never pause', () => {
    const attempts = new PasswordAttempts({ maxFailures: 2, windowMs: 1000 });
    attempts.failed('a', 0);
    attempts.succeeded('a');
    attempts.failed('a', 10);
    expect(attempts.paused('a', 20)).toBe(false);
    attempts.failed('b', 0);
    attempts.failed('b', 1500);
    expect(attempts.paused('b', 1600)).toBe(false);
  });
});

describe('checkPassword', () => {
  it('without a hash it still runs the KDF with the parameters real hashes use, and says no', () => {
    const parts = absentAccountPasswordHash().split('$');
    expect(parts.slice(0, 4)).toEqual([
      'scrypt',
      String(SCRYPT_PARAMETERS.N),
      String(SCRYPT_PARAMETERS.r),
      String(SCRYPT_PARAMETERS.p),
    ]);
    expect(absentAccountPasswordHash()).toBe(absentAccountPasswordHash());
    expect(checkPassword('any-password', null)).toBe(false);
  });

  it('checks a real hash as before', () => {
    const encoded = hashPassword('right-password');
    expect(checkPassword('right-password', encoded)).toBe(true);
    expect(checkPassword('wrong-password', encoded)).toBe(false);
  });
});
