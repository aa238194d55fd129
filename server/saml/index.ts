// Public surface of the reference server's SAML SP: metadata, key pair, requests, Response validation, signature policy,
// logout, caches (in memory and in the Store). saml-notes.md (node-saml 5 plus the SP's own checks); bench/saml.ts.
export {
  type AuthnRequestInput,
  type AuthnRequestRedirect,
  buildAuthnRequestXml,
  startAuthnRequest,
} from './authn-request.ts';
export { type AssertedPerson, readAssertedPerson } from './person-attributes.ts';
export { InMemoryReplayCache, type ReplayCache, StoreReplayCache } from './replay-cache.ts';
export {
  DEFAULT_REQUEST_TTL_MS,
  InMemoryRequestIdCache,
  nodeSamlCacheProvider,
  type PendingAuthnRequest,
  type RequestIdCache,
  StoreRequestIdCache,
} from './request-id-cache.ts';
export {
  acceptedAlgorithms,
  checkSignatureAlgorithms,
  envelopedSignatureOf,
  type SignaturePolicy,
} from './signature-policy.ts';
export {
  LOGOUT_REQUEST_REFUSED_STATUS,
  logoutRequestLocation,
  logoutResponseLocation,
  type ReceivedLogoutRequest,
  type ReceivedLogoutResponse,
  readLogoutRequest,
  readLogoutResponse,
  type SloSettings,
} from './single-logout.ts';
export {
  defaultSpCredentials,
  loadSpCredentials,
  type SpCredentials,
  type SpKeyFiles,
  spCredentialsFromPem,
} from './sp-credentials.ts';
export { type SpEndpoints, spEndpoints } from './sp-endpoints.ts';
export { buildSpMetadata } from './sp-metadata.ts';
export {
  DEFAULT_CLOCK_SKEW_MS,
  decodeSamlResponse,
  MAX_CLOCK_SKEW_MS,
  SamlResponseValidator,
  type SpValidationSettings,
  type ValidatedAssertion,
  type ValidationDeps,
  validateSamlResponse,
} from './validate-response.ts';
