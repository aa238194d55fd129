// The reference SP's one server-wide key pair: signs its logout messages, decrypts EncryptedAssertions, and its
// certificate goes in every method's SP metadata. Bindings 3.4.4.1, core 2.3.4, metadata 2.4.1.1 (KeyDescriptor).
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certToBase64 } from '../../protocol/saml/index.ts';

export interface SpCredentials {
  /** parsed once; signs redirect-binding messages */
  privateKey: KeyObject;
  /** the same key as PEM (PKCS#8): what node-saml's `decryptionPvk` and xml-encryption take */
  privateKeyPem: string;
  certPem: string;
  /** the certificate's base64 DER body, for ds:X509Certificate in metadata */
  certBase64: string;
}

/** Where the key pair is read from: two PEM files (key and X.509 certificate). */
export interface SpKeyFiles {
  keyFile: string;
  certFile: string;
}

/** Builds credentials from PEMs; throws when the certificate does not belong to the key. */
export function spCredentialsFromPem(privateKeyPem: string, certPem: string): SpCredentials {
  const privateKey = createPrivateKey(privateKeyPem);
  const cert = new X509Certificate(certPem);
  if (!cert.checkPrivateKey(privateKey))
    throw new Error('the SP certificate does not match the SP private key');
  return {
    privateKey,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certPem,
    certBase64: certToBase64(certPem),
  };
}

export function loadSpCredentials(files: SpKeyFiles): SpCredentials {
  return spCredentialsFromPem(readFileSync(files.keyFile, 'utf8'), readFileSync(files.certFile, 'utf8'));
}

/**
 * node:crypto has no X.509 builder, so the default is a fixed pair checked in at server/saml/fixtures (see its
 * README): public and TEST-ONLY. Deployments pass their own files (SignInMountOptions.spKeyFiles).
 */
export function defaultSpCredentials(): SpCredentials {
  return loadSpCredentials({
    keyFile: fileURLToPath(new URL('./fixtures/sp.key', import.meta.url)),
    certFile: fileURLToPath(new URL('./fixtures/sp.crt', import.meta.url)),
  });
}
