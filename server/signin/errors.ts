// Every refused sign-in as a typed error with a stable machine code, its HTTP status and its human text.
// Catalogue JIT-01/03/08, DEA-01, REM-02, ORG-06 and the SP checks of saml-notes.md; the ONE place codes become wire errors.
import { isDomainError } from '../domain/errors.ts';

export type SignInErrorCode =
  // SAML Response validation (saml-notes.md, SAML core 2.0, profiles 4.1.4)
  | 'signature_invalid'
  | 'wrong_certificate'
  | 'unsigned_assertion'
  | 'algorithm_forbidden'
  | 'audience_mismatch'
  | 'destination_mismatch'
  | 'recipient_mismatch'
  | 'issuer_mismatch'
  | 'assertion_expired'
  | 'not_yet_valid'
  | 'assertion_replayed'
  | 'in_response_to_mismatch'
  | 'malformed_response'
  | 'doctype_forbidden'
  | 'multiple_assertions'
  | 'missing_authn_statement'
  | 'decryption_failed'
  | 'idp_refused'
  // OpenID Connect (core 3.1.2.7, 3.1.3.7, 3.1.3.8; RFC 6749 10.12; RFC 8725): issuer_mismatch, audience_mismatch,
  // signature_invalid and idp_refused above serve OIDC too
  | 'state_mismatch'
  | 'nonce_mismatch'
  | 'id_token_expired'
  | 'algorithm_not_allowed'
  | 'unknown_signing_key'
  | 'token_hash_mismatch'
  | 'id_token_invalid'
  | 'email_not_verified'
  | 'oidc_provider_unreachable'
  // single logout (SAML profiles 4.4, core 3.7, bindings 3.4)
  | 'logout_signature_invalid'
  | 'logout_message_invalid'
  | 'logout_response_invalid'
  // sign-in rules
  | 'jit_disabled'
  | 'no_seats_available'
  | 'not_assigned'
  | 'not_a_member'
  | 'invalid_credentials'
  | 'invite_invalid'
  | 'reset_token_invalid'
  | 'password_signin_disabled'
  | 'auth_method_disabled'
  | 'unknown_auth_method'
  | 'unknown_organisation'
  | 'portal_disabled'
  | 'link_pending_invalid'
  | 'reauthentication_required'
  | 'not_signed_in'
  | 'account_exists'
  // identity (idsim #10/#17): the asserted address is not canonical, names two people, or is another org's
  | 'identity_invalid'
  | 'identity_mismatch'
  | 'foreign_domain'
  | 'bad_request'
  | 'internal_error';

interface Refusal {
  status: number;
  text: string;
}

const SAML_REJECTED = 'The sign-in response from your identity provider was rejected.';
const SLO_REJECTED = 'The sign-out message from your identity provider was rejected.';

/** Status and human text per code: the only table the pages and the JSON bodies read. */
const REFUSALS: Readonly<Record<SignInErrorCode, Refusal>> = {
  signature_invalid: { status: 401, text: `${SAML_REJECTED} Its signature is not valid.` },
  wrong_certificate: {
    status: 401,
    text: `${SAML_REJECTED} It was signed with a certificate this team does not trust.`,
  },
  unsigned_assertion: { status: 401, text: `${SAML_REJECTED} Its assertion is not signed.` },
  algorithm_forbidden: {
    status: 401,
    text:
      'A message from your identity provider was rejected. It is signed with an algorithm this service no longer ' +
      'accepts (such as SHA-1).',
  },
  audience_mismatch: { status: 401, text: `${SAML_REJECTED} It was meant for another service.` },
  destination_mismatch: { status: 401, text: `${SAML_REJECTED} It was sent to another address.` },
  recipient_mismatch: { status: 401, text: `${SAML_REJECTED} Its recipient is another address.` },
  issuer_mismatch: { status: 401, text: `${SAML_REJECTED} It comes from an unknown identity provider.` },
  assertion_expired: { status: 401, text: `${SAML_REJECTED} It has expired; please sign in again.` },
  not_yet_valid: { status: 401, text: `${SAML_REJECTED} It is not valid yet; check the clocks.` },
  assertion_replayed: { status: 401, text: `${SAML_REJECTED} It has already been used.` },
  in_response_to_mismatch: {
    status: 401,
    text: `${SAML_REJECTED} It does not answer a sign-in request started here; please start again.`,
  },
  malformed_response: { status: 400, text: `${SAML_REJECTED} It is not a well-formed SAML Response.` },
  doctype_forbidden: { status: 400, text: `${SAML_REJECTED} Document type declarations are not allowed.` },
  multiple_assertions: { status: 400, text: `${SAML_REJECTED} It must carry exactly one assertion.` },
  missing_authn_statement: { status: 400, text: `${SAML_REJECTED} It carries no authentication statement.` },
  decryption_failed: {
    status: 400,
    text: `${SAML_REJECTED} Its encrypted assertion could not be decrypted with this service's key.`,
  },
  idp_refused: { status: 401, text: 'Your identity provider refused the sign-in.' },
  state_mismatch: {
    status: 400,
    text: 'This sign-in answer does not belong to a sign-in started in this browser; please start again.',
  },
  nonce_mismatch: { status: 401, text: `${SAML_REJECTED} Its ID token does not belong to this sign-in.` },
  id_token_expired: { status: 401, text: `${SAML_REJECTED} Its ID token has expired; please sign in again.` },
  algorithm_not_allowed: {
    status: 401,
    text: `${SAML_REJECTED} Its ID token is not signed with the algorithm this service expects.`,
  },
  unknown_signing_key: {
    status: 401,
    text: `${SAML_REJECTED} Its ID token is signed with a key the identity provider does not publish.`,
  },
  token_hash_mismatch: {
    status: 401,
    text: `${SAML_REJECTED} Its ID token does not match the code or access token it came with.`,
  },
  id_token_invalid: { status: 401, text: `${SAML_REJECTED} Its ID token is not valid.` },
  email_not_verified: {
    status: 403,
    text: 'Your identity provider has not verified your email address, so it cannot sign you in here.',
  },
  oidc_provider_unreachable: {
    status: 502,
    text: 'Your identity provider could not be reached or answered in a way this service cannot use.',
  },
  logout_signature_invalid: {
    status: 401,
    text: `${SLO_REJECTED} It is not signed with a certificate this team trusts.`,
  },
  logout_message_invalid: {
    status: 400,
    text: `${SLO_REJECTED} It is not a valid SAML logout message for this service.`,
  },
  logout_response_invalid: {
    status: 400,
    text: `${SLO_REJECTED} It does not answer a sign-out started here, or names another sender or address.`,
  },
  jit_disabled: {
    status: 403,
    text:
      'You need to be invited to join the team as JIT provisioning is not enabled for your team. ' +
      'Contact a team administrator.',
  },
  no_seats_available: {
    status: 403,
    text: 'The team has no seat available for you. Contact a team administrator.',
  },
  not_assigned: {
    status: 403,
    text: 'You are not assigned to this application in your identity provider. Contact your IdP administrator.',
  },
  not_a_member: {
    status: 403,
    text: 'You are not an active member of this team. You can still sign in to your personal account.',
  },
  invalid_credentials: { status: 401, text: 'The email or password is not correct.' },
  invite_invalid: {
    status: 400,
    text: 'This invite link is not valid: it was used, revoked or has expired.',
  },
  reset_token_invalid: {
    status: 400,
    text: 'This password reset link is not valid: it was used or has expired.',
  },
  password_signin_disabled: {
    status: 403,
    text: 'Email and password sign-in is turned off for this team. Sign in with SSO.',
  },
  auth_method_disabled: { status: 403, text: 'This sign-in method is turned off for the team.' },
  unknown_auth_method: { status: 404, text: 'There is no such sign-in method.' },
  unknown_organisation: { status: 404, text: 'There is no such organisation.' },
  portal_disabled: { status: 404, text: 'This organisation has no SSO login page.' },
  link_pending_invalid: {
    status: 400,
    text: 'This account-linking step has expired or was already used; sign in with SSO again.',
  },
  reauthentication_required: {
    status: 401,
    text: 'Your identity provider did not ask you to sign in again as requested. Please try again.',
  },
  not_signed_in: { status: 401, text: 'You are not signed in.' },
  account_exists: {
    status: 409,
    text: 'An account with this email already exists. Sign in, or reset its password.',
  },
  bad_request: { status: 400, text: 'The request is missing a required field.' },
  identity_invalid: {
    status: 403,
    text: 'The email address your identity provider sent is not in a form this service accepts (for example it has spaces or look-alike characters).',
  },
  identity_mismatch: {
    status: 403,
    text: 'Your identity provider sent two different email addresses for you (the NameID and the email attribute).',
  },
  foreign_domain: {
    status: 403,
    text: "Your email address belongs to a domain verified by another organisation: this team's identity provider cannot sign it in.",
  },
  internal_error: { status: 500, text: 'Something went wrong on our side.' },
};

export class SignInError extends Error {
  readonly code: SignInErrorCode;
  readonly status: number;
  /** Internal detail for logs and tests; never shown to the person. */
  readonly detail: string;

  constructor(code: SignInErrorCode, detail = '') {
    super(REFUSALS[code].text);
    this.name = 'SignInError';
    this.code = code;
    this.status = REFUSALS[code].status;
    this.detail = detail;
  }
}

export function isSignInError(value: unknown): value is SignInError {
  return value instanceof SignInError;
}

/** The human text shown beside a code. */
export function refusalText(code: SignInErrorCode): string {
  return REFUSALS[code].text;
}

/** Domain codes that a sign-in can meet, as sign-in codes. */
const FROM_DOMAIN: Readonly<Partial<Record<string, SignInErrorCode>>> = {
  jit_disabled: 'jit_disabled',
  no_seats_available: 'no_seats_available',
  invalid_credentials: 'invalid_credentials',
  invite_invalid: 'invite_invalid',
  not_a_member: 'not_a_member',
  not_found: 'unknown_auth_method',
  invalid_value: 'bad_request',
  // PRV-10 sign-up with an email that already has an account
  uniqueness: 'account_exists',
  identity_invalid: 'identity_invalid',
  foreign_domain: 'foreign_domain',
};

/**
 * Turns anything thrown during a sign-in into a SignInError: SignInErrors pass through, known DomainErrors map by
 * code, everything else becomes `internal_error` (the caller logs the original, never echoes it).
 */
export function toSignInError(error: unknown): SignInError {
  if (isSignInError(error)) return error;
  if (isDomainError(error)) {
    const code = FROM_DOMAIN[error.code];
    if (code !== undefined) return new SignInError(code, error.message);
  }
  return new SignInError('internal_error');
}
