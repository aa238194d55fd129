// Typed IdP errors with stable machine codes; simulator/http/error-render.ts maps them to pages and JSON.
// idsim issue #3 (refusal page `not_assigned`, errors with stable codes); catalogue JIT-08, ORG-06.

/** Stable codes shown on refusal pages and in JSON bodies. */
export type IdpErrorCode =
  | 'not_assigned'
  | 'unknown_sp'
  | 'invalid_request'
  | 'request_signature_missing'
  | 'request_signature_invalid'
  | 'acs_mismatch'
  | 'destination_mismatch'
  | 'invalid_credentials'
  | 'person_inactive'
  | 'login_context_expired'
  | 'no_session'
  | 'slo_not_supported'
  | 'saml_not_configured'
  | 'unknown_fault'
  | 'fault_not_applicable';

const STATUS_BY_CODE: Readonly<Record<IdpErrorCode, number>> = {
  not_assigned: 403,
  unknown_sp: 400,
  invalid_request: 400,
  request_signature_missing: 400,
  request_signature_invalid: 400,
  acs_mismatch: 400,
  destination_mismatch: 400,
  invalid_credentials: 401,
  person_inactive: 403,
  login_context_expired: 400,
  no_session: 401,
  slo_not_supported: 400,
  saml_not_configured: 400,
  unknown_fault: 400,
  fault_not_applicable: 409,
};

/** A refused IdP request; flows throw it, one renderer turns it into the HTML page or JSON body. */
export class IdpError extends Error {
  readonly code: IdpErrorCode;
  readonly status: number;

  constructor(code: IdpErrorCode, message: string) {
    super(message);
    this.name = 'IdpError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
  }
}
