// The IdP's signing credentials: a private key parsed once into a KeyObject, and its X.509 certificate.
// idsim issue #3 (signing cert in metadata; lean signing path). The bundled fixtures are TEST-ONLY keys.

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { certToBase64 } from '../../protocol/saml/index.ts';

export interface SigningCredentials {
  /** Parsed once; xml-crypto and node:crypto sign with it directly (no PEM parse per response). */
  privateKey: KeyObject;
  /** PEM certificate matching `privateKey` (what metadata and KeyInfo publish). */
  certPem: string;
  /** The certificate's base64 DER body, for ds:X509Certificate. */
  certBase64: string;
}

/**
 * node:crypto can generate RSA keys but has no X.509 builder, so the simulator ships fixed key pairs made with
 * `openssl req -x509 -newkey rsa:2048 -nodes -days 3650` in `simulator/saml/fixtures/`. They are public
 * and TEST-ONLY: never trust them outside a test or demo. Pass your own PEMs through the config to replace them.
 */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Builds credentials from PEMs and checks that the certificate belongs to the key. */
export function signingCredentialsFromPem(privateKeyPem: string, certPem: string): SigningCredentials {
  const privateKey = createPrivateKey(privateKeyPem);
  const cert = new X509Certificate(certPem);
  if (!cert.checkPrivateKey(privateKey))
    throw new Error('the signing certificate does not match the private key');
  return { privateKey, certPem, certBase64: certToBase64(certPem) };
}

/** The simulator's default IdP signing credentials (test-only fixture). */
export function defaultSigningCredentials(): SigningCredentials {
  return signingCredentialsFromPem(fixture('idp-signing.key'), fixture('idp-signing.crt'));
}

/** A second, untrusted key pair: what the `wrong-key` fault signs with. */
export function rogueSigningCredentials(): SigningCredentials {
  return signingCredentialsFromPem(fixture('rogue-signing.key'), fixture('rogue-signing.crt'));
}
