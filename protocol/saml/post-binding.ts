// The HTTP-POST binding's form field (SAML bindings 3.5.4): the message, base64-encoded, whitespace allowed.

/** Largest message either side accepts over the POST binding, decoded. */
export const MAX_POST_MESSAGE_BYTES = 256 * 1024;

/**
 * The decoded bytes of a SAMLRequest/SAMLResponse form field, or undefined when it is empty, not base64, or would
 * decode to more than `maxBytes` (bounded by length before decoding, so a huge field costs nothing).
 */
export function decodePostField(value: string, maxBytes = MAX_POST_MESSAGE_BYTES): Buffer | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || compact.length > Math.ceil(maxBytes / 3) * 4) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  return bytes.length > maxBytes ? undefined : bytes;
}
