// The ONE place where control-API failures become wire errors: DomainError codes, request-shape (zod / JSON)
// errors and protocol refusals map here to {status, body}; unknown errors become a generic 500 and are logged.
import { z } from 'zod';
import { httpClientErrorStatus } from '../../protocol/http/client-error.ts';
import type { DomainErrorCode } from '../domain/errors.ts';
import { isDomainError } from '../domain/errors.ts';
import type { Logger } from '../http/logger.ts';
import { describeThrown } from '../http/logger.ts';

/** Codes the control API itself produces (not from the domain). */
export type ControlProtocolErrorCode =
  /** missing or wrong `Authorization: Bearer <controlToken>` */
  | 'unauthorized'
  /** the route needs `X-Idsim-Actor: <accountId>` */
  | 'actor_required'
  /** body, path or query failed validation; details.issues lists what */
  | 'invalid_request'
  /** the body is not parseable JSON */
  | 'invalid_json'
  /** the body is larger than the configured limit */
  | 'payload_too_large'
  /** no route with this method and path */
  | 'route_not_found'
  /** anything unexpected; the cause is logged, never echoed */
  | 'internal_error';

export type ControlErrorCode = DomainErrorCode | ControlProtocolErrorCode;

export interface ControlErrorBody {
  error: { code: ControlErrorCode; message: string; details: Record<string, unknown> };
}

export interface ControlErrorResponse {
  status: number;
  body: ControlErrorBody;
  headers?: Record<string, string>;
}

/**
 * HTTP status for every domain code. A Record over the union, so adding a DomainErrorCode without a status here is
 * a type error. Rule: 404 absent; 403 the caller may not do this (role, SCIM ownership, credentials); 409 the
 * request is well formed but the team's current state refuses it (RFC 9110 15.5.10); 412 stale version
 * (RFC 9110 15.5.13); 400 a value in the request is wrong.
 */
export const domainErrorStatus: Readonly<Record<DomainErrorCode, number>> = {
  not_found: 404,
  uniqueness: 409,
  version_mismatch: 412,
  invalid_value: 400,
  password_not_supported: 400,
  forbidden: 403,
  managed_by_scim: 403,
  no_seats_available: 409,
  plan_not_eligible: 409,
  sso_method_count: 409,
  scim_not_enabled: 409,
  invalid_api_key: 400,
  api_key_revoked: 409,
  unknown_members: 400,
  group_not_empty: 409,
  handover_required: 409,
  jit_disabled: 403,
  invite_invalid: 409,
  invalid_credentials: 403,
  not_a_member: 409,
  domain_not_verified: 409,
  identity_invalid: 400,
  foreign_domain: 403,
  account_not_claimable: 409,
  email_change_forbidden: 403,
  invalid_state: 409,
};

export const protocolErrorStatus: Readonly<Record<ControlProtocolErrorCode, number>> = {
  unauthorized: 401,
  actor_required: 400,
  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  route_not_found: 404,
  internal_error: 500,
};

/** A refusal raised by the control API layer itself; rendered by controlErrorResponse like domain errors. */
export class ControlApiError extends Error {
  readonly code: ControlProtocolErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ControlProtocolErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ControlApiError';
    this.code = code;
    this.details = details;
  }
}

export interface RequestIssue {
  path: string;
  message: string;
}

/** Short, stable summary of zod issues: where and what, never the received values or a stack. */
export function summariseIssues(error: z.ZodError): RequestIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => String(segment)).join('.'),
    message: issue.message,
  }));
}

/** body-parser (express.json) failures carry a `type` string; these are the ones a client can cause. */
function bodyParserFailure(error: unknown): 'invalid_json' | 'payload_too_large' | 'invalid_request' | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch (error.type) {
    case 'entity.parse.failed':
      return 'invalid_json';
    case 'entity.too.large':
      return 'payload_too_large';
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return 'invalid_request';
    default:
      return null;
  }
}

const bodyParserMessages = {
  invalid_json: 'request body is not valid JSON',
  payload_too_large: 'request body is too large',
  invalid_request: 'request body could not be read',
} as const;

function render(
  status: number,
  code: ControlErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): ControlErrorResponse {
  return { status, body: { error: { code, message, details: { ...details } } } };
}

/** Maps any thrown value to the control API's error response. Unknown errors are logged through `logger`. */
export function controlErrorResponse(error: unknown, logger: Logger): ControlErrorResponse {
  if (isDomainError(error)) {
    return render(domainErrorStatus[error.code], error.code, error.message, error.details);
  }
  if (error instanceof ControlApiError) {
    const response = render(protocolErrorStatus[error.code], error.code, error.message, error.details);
    // RFC 6750 3: a 401 for a bearer-protected resource carries a WWW-Authenticate challenge.
    if (error.code === 'unauthorized')
      response.headers = { 'WWW-Authenticate': 'Bearer realm="idsim-control"' };
    return response;
  }
  if (error instanceof z.ZodError) {
    return render(400, 'invalid_request', 'request failed validation', { issues: summariseIssues(error) });
  }
  const parserCode = bodyParserFailure(error);
  if (parserCode !== null) {
    return render(protocolErrorStatus[parserCode], parserCode, bodyParserMessages[parserCode]);
  }
  const clientStatus = httpClientErrorStatus(error);
  if (clientStatus !== null)
    return render(clientStatus, 'invalid_request', 'the request could not be processed');
  logger.error('unexpected error', describeThrown(error));
  return render(500, 'internal_error', 'internal error');
}
