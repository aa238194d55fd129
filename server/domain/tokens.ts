// Opaque secrets shown once and stored only as a digest: SCIM API keys (KEY-02..04), invite and reset tokens.
// sha256 is enough for high-entropy random secrets (no KDF per request, shared/targets.md); compare in constant time.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url, with a readable prefix naming what the secret is for. */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Hex sha256 of a secret: the lookup key and the only thing stored. */
export function digestSecret(secret: string): string {
  // crypto.hash: the one-shot form, without a Hash object per call (runs on every SCIM request).
  return hash('sha256', secret, 'hex');
}

/** Constant-time equality of two hex digests (different lengths are simply unequal). */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
