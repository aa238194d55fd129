// Rules for a caller-chosen SCIM API key (`serve --scim-key`, idsim issue #2): long enough, bearer-token characters
// only (RFC 6750 2.1 b64token) and not guessable by its shape; KEY-01..03 are checked by the service as for generated keys.
import { DomainError } from '../domain/errors.ts';

export const MIN_IMPORTED_KEY_LENGTH = 32;
export const MAX_IMPORTED_KEY_LENGTH = 256;
/** Estimated strength floor: length × log2(distinct characters), as for a 128-bit random secret. */
export const MIN_IMPORTED_KEY_BITS = 128;
const MIN_DISTINCT_CHARACTERS = 8;

/** RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function refuse(reason: string): never {
  throw new DomainError('invalid_value', `the SCIM key ${reason}`, { attribute: 'key' });
}

/** Throws `invalid_value` (attribute `key`) unless the key is fit to be a bearer secret. */
export function assertImportableScimKey(key: string): void {
  if (key.length < MIN_IMPORTED_KEY_LENGTH) refuse(`must be at least ${MIN_IMPORTED_KEY_LENGTH} characters`);
  if (key.length > MAX_IMPORTED_KEY_LENGTH) refuse(`must be at most ${MAX_IMPORTED_KEY_LENGTH} characters`);
  if (!B64TOKEN.test(key)) refuse('may hold only letters, digits and - . _ ~ + / (then = padding)');
  const distinct = new Set(key).size;
  if (distinct < MIN_DISTINCT_CHARACTERS || key.length * Math.log2(distinct) < MIN_IMPORTED_KEY_BITS) {
    refuse('is too predictable; use a random value such as `openssl rand -hex 32`');
  }
}
