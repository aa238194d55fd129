// Public surface of the shared SAML protocol folder: constants, escaping, PEM, metadata, logout messages, the
// redirect binding.
// SAML core 2.0 (3.7 single logout), bindings 2.0 (3.4 HTTP-Redirect); imports nothing else in the repo.

export * from './constants.ts';
export type {
  LogoutRequestMessage,
  LogoutRequestXmlInput,
  LogoutResponseMessage,
  LogoutResponseXmlInput,
} from './logout.ts';
export {
  buildLogoutRequestXml,
  buildLogoutResponseXml,
  parseLogoutRequestXml,
  parseLogoutResponseXml,
} from './logout.ts';
export type { IdpMetadata } from './metadata.ts';
export { endpointLocation, keyDescriptorCertificates, parseIdpMetadata, saml2Role } from './metadata.ts';
export { base64ToCertPem, certToBase64 } from './pem.ts';
export { decodePostField, MAX_POST_MESSAGE_BYTES } from './post-binding.ts';
export type { RedirectMessage, RedirectMessageParam } from './redirect-binding.ts';
export {
  buildRedirectQuery,
  decodeAndInflate,
  deflateAndEncode,
  readRedirectQuery,
  verifyRedirectSignature,
} from './redirect-binding.ts';
export { childElements, childText, firstChild, parseSamlXml, SamlXmlError } from './xml-parse.ts';
export {
  escapeC14nAttr,
  escapeC14nText,
  escapeXmlAttr,
  escapeXmlText,
  samlId,
  samlInstant,
} from './xml-text.ts';
