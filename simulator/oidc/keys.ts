// The OIDC provider's signing keys: RSA key pairs as JWKs with a kid, the newest first, rotatable at run time.
// RFC 7517 (JWK, kid), OIDC core 10.1.1 (rotation: publish the new key, keep the old one while tokens it signed live).

import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { JWK } from 'oidc-provider';

export interface OidcSigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The private JWK oidc-provider signs with (alg RS256, use sig). */
  privateJwk: JWK;
  /** What the JWKS publishes. */
  publicJwk: JWK;
  /** SPKI PEM of the public key (the HS256-with-the-public-key fault uses it as the HMAC secret). */
  publicPem: string;
}

export function generateSigningKey(): OidcSigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(12).toString('base64url');
  const jwk = privateKey.export({ format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const pub = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    privateJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } as JWK,
    publicJwk: { kty: pub.kty, n: pub.n, e: pub.e, kid, alg: 'RS256', use: 'sig' } as JWK,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** The key set: `current` signs; `previous` stays published until the next rotation (overlap for live tokens). */
export class OidcKeySet {
  #keys: OidcSigningKey[];

  constructor() {
    this.#keys = [generateSigningKey()];
  }

  get current(): OidcSigningKey {
    const key = this.#keys[0];
    if (key === undefined) throw new Error('no signing key');
    return key;
  }

  /** Published keys, newest first. */
  get published(): readonly OidcSigningKey[] {
    return this.#keys;
  }

  /**
   * A new key signs from now on. `keepPrevious` (default true) keeps the old key in the JWKS for tokens it signed;
   * false drops it at once (what an IdP that rotates without overlap does).
   */
  rotate(keepPrevious = true): OidcSigningKey {
    const next = generateSigningKey();
    this.#keys = keepPrevious ? [next, this.current] : [next];
    return next;
  }
}
