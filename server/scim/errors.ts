// The one place where any error thrown while serving SCIM becomes a SCIM Error response: DomainError codes,
// ScimErrors, body-parser failures and unknown errors. RFC 7644 3.12 (Error schema, scimType), 3.14 (412); KEY-04, PRV-03, PRV-09, GRP-01.

import { httpClientErrorStatus } from '../../protocol/http/client-error.ts';
import type { ScimType } from '../../protocol/scim/error.ts';
import { isScimError, ScimError, toScimErrorBody } from '../../protocol/scim/error.ts';
import type { ScimErrorBody } from '../../protocol/scim/schemas.ts';
import type { DomainError, DomainErrorCode } from '../domain/errors.ts';
import { isDomainError } from '../domain/errors.ts';

/** Fixed detail for codes whose message should not depend on the service's wording. */
export const NO_SEATS_DETAIL = 'no seats available';

interface ErrorMapping {
  status: number;
  scimType?: ScimType;
  /** fixed detail; when absent the DomainError's message is used (our own text, never user input echo of a stack) */
  detail?: string;
}

/**
 * DomainErrorCode → SCIM status and scimType. Decisions where RFC 7644 is silent:
 * - KEY-04 failures are all 401 (RFC 6750 3.1 invalid_token) with a distinct detail each.
 * - password_not_supported (PRV-03) is 400 invalidValue: the attribute's value cannot be accepted.
 * - no_seats_available (PRV-09) is 403 without scimType and the fixed detail `no seats available`.
 * - version_mismatch is 412 without scimType (RFC 7644 3.14).
 * - state conflicts (group_not_empty, invalid_state, handover_required) are 409 without scimType.
 */
const DOMAIN_TO_SCIM: Record<DomainErrorCode, ErrorMapping> = {
  not_found: { status: 404, detail: 'resource not found' },
  uniqueness: { status: 409, scimType: 'uniqueness' },
  version_mismatch: { status: 412, detail: 'the resource version does not match If-Match' },
  invalid_value: { status: 400, scimType: 'invalidValue' },
  password_not_supported: { status: 400, scimType: 'invalidValue', detail: 'password sync is not supported' },
  forbidden: { status: 403 },
  managed_by_scim: { status: 403 },
  no_seats_available: { status: 403, detail: NO_SEATS_DETAIL },
  plan_not_eligible: { status: 403, detail: 'SCIM provisioning needs the Enterprise plan' },
  sso_method_count: { status: 403 },
  scim_not_enabled: { status: 401, detail: 'SCIM is not enabled for this team' },
  invalid_api_key: { status: 401, detail: 'invalid API key' },
  api_key_revoked: { status: 401, detail: 'the API key has been revoked' },
  unknown_members: { status: 400, scimType: 'invalidValue' },
  group_not_empty: { status: 409 },
  handover_required: { status: 409 },
  jit_disabled: { status: 403 },
  invite_invalid: { status: 403 },
  invalid_credentials: { status: 401, detail: 'invalid credentials' },
  not_a_member: { status: 403 },
  domain_not_verified: { status: 400, scimType: 'invalidValue' },
  invalid_state: { status: 409 },
  // idsim #10/#16/#17 decisions: a non-canonical address is a bad value; another organisation's domain or email
  // is not this key's to write (403, RFC 7644 3.12); an account the team may not adopt collides (409 uniqueness).
  identity_invalid: { status: 400, scimType: 'invalidValue' },
  foreign_domain: { status: 403 },
  account_not_claimable: { status: 409, scimType: 'uniqueness' },
  email_change_forbidden: { status: 403 },
};

/** Turns a DomainError into its SCIM error. GRP-01: unknown member ids from details are named in the detail. */
export function scimErrorFromDomain(error: DomainError): ScimError {
  const mapping = DOMAIN_TO_SCIM[error.code] ?? { status: 500, detail: 'internal error' };
  let detail = mapping.detail ?? (error.message !== '' ? error.message : error.code);
  if (error.code === 'unknown_members') {
    const ids = unknownMemberIds(error.details);
    if (ids.length > 0 && !ids.every((id) => detail.includes(id)))
      detail = `unknown members: ${ids.join(', ')}`;
  }
  return new ScimError(mapping.status, mapping.scimType, detail);
}

function unknownMemberIds(details: Readonly<Record<string, unknown>>): string[] {
  for (const key of ['memberIds', 'unknownIds', 'unknownMembers', 'ids', 'members']) {
    const value = details[key];
    if (Array.isArray(value)) return value.filter((id): id is string => typeof id === 'string');
  }
  return [];
}

/**
 * Any thrown value → ScimError. Unknown errors become a generic 500 and go to `logUnknown`; their message and
 * stack never reach the client.
 */
export function toScimError(error: unknown, logUnknown: (error: unknown) => void = () => {}): ScimError {
  if (isScimError(error)) return error;
  if (isDomainError(error)) return scimErrorFromDomain(error);
  const clientStatus = httpClientErrorStatus(error);
  if (clientStatus !== null) {
    // RFC 7644 3.12 has no scimType for a payload size limit: 413 with a detail (tooMany is about result counts).
    if (clientStatus === 413) return new ScimError(413, undefined, 'the request body is too large');
    if (clientStatus === 415) return new ScimError(415, undefined, 'unsupported content encoding or charset');
    // Body stream failures, malformed percent-encoding in the path, ...: the message is never echoed.
    return new ScimError(400, 'invalidSyntax', 'the request could not be read');
  }
  logUnknown(error);
  return new ScimError(500, undefined, 'internal error');
}

/** The wire rendering of any error: status, headers and the RFC 7644 3.12 body. */
export function renderScimError(
  error: unknown,
  logUnknown?: (error: unknown) => void,
): { status: number; headers: Record<string, string>; body: ScimErrorBody } {
  const scimError = toScimError(error, logUnknown);
  const headers: Record<string, string> = {};
  // RFC 6750 3: a 401 for a bearer-protected resource names the scheme.
  if (scimError.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scim"';
  return { status: scimError.status, headers, body: toScimErrorBody(scimError) };
}
