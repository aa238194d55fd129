// Conversions between PEM certificates and the bare base64 that SAML metadata and KeyInfo carry.
// xmldsig-core 4.4.4 (X509Certificate holds base64 DER); RFC 7468 2 (PEM boundaries).

/** Strips PEM boundaries and whitespace: the body of a `ds:X509Certificate` element. */
export function certToBase64(pem: string): string {
  return pem
    .replace(/-----BEGIN [A-Z0-9 ]+-----/g, '')
    .replace(/-----END [A-Z0-9 ]+-----/g, '')
    .replace(/\s+/g, '');
}

/** Wraps the base64 body of a certificate (from metadata or KeyInfo) as a PEM certificate. */
export function base64ToCertPem(body: string): string {
  const clean = body.replace(/\s+/g, '');
  const lines = clean.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
