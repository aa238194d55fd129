// Public surface of the simulator's SAML IdP: response builder, faults, flows, sessions, keys and headless sign-in.
// SAML core / bindings / profiles 2.0 (see each module's header for its section).

export type { AuthnRequest } from './authn-request.ts';
export {
  checkPostSignature,
  checkRedirectSignature,
  decodePostMessage,
  decodeRedirect,
  parseAuthnRequest,
} from './authn-request.ts';
export type { IdpErrorCode } from './errors.ts';
export { IdpError } from './errors.ts';
export type { ResponseFault } from './faults.ts';
export {
  FOREIGN_AUDIENCE,
  FOREIGN_URL,
  isResponseFault,
  RESPONSE_FAULTS,
  TAMPERED_NAME_ID,
} from './faults.ts';
export type { HeadlessSignInOptions, HeadlessSignInResult, HeadlessStep } from './headless.ts';
export { CookieJar, HeadlessSignInError, headlessSignIn } from './headless.ts';
export type { HtmlForm } from './html-form.ts';
export { readHtmlForms, renderAutoPostForm } from './html-form.ts';
export type { IdentityProviderOptions, IdpEndpoints, IssuedResponse } from './idp.ts';
export { IdentityProvider } from './idp.ts';
export type { SigningCredentials } from './keys.ts';
export { defaultSigningCredentials, rogueSigningCredentials, signingCredentialsFromPem } from './keys.ts';
export type { LogoutRequest, LogoutRequestInput, LogoutResponse, LogoutResponseInput } from './logout.ts';
export {
  buildLogoutRequest,
  buildLogoutResponse,
  parseLogoutRequest,
  parseLogoutResponse,
} from './logout.ts';
export type { IdpMetadataInput } from './metadata.ts';
export { buildIdpMetadata } from './metadata.ts';
export type { IdpOutcome } from './outcome.ts';
export type {
  BuildResponseOptions,
  BuiltResponse,
  SamlAttribute,
  StatusResponseOptions,
} from './response.ts';
export { buildSamlResponse, buildStatusResponse, newSamlId } from './response.ts';
export type { IdpSession } from './session.ts';
export { SessionStore } from './session.ts';
export { signRootElement } from './signer.ts';
