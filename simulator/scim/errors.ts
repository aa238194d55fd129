// Typed failures of the SCIM pusher, each with a stable machine code, and the one place that turns them into
// the reason an admin sees (KEY-04 "Test API Credentials", GRP-01 unprovisioned members, RFC 7644 3.12 errors).
import type { ScimErrorBody } from './wire.ts';

export type ScimPushErrorCode =
  /** the target answered a non-retryable error status (RFC 7644 3.12) */
  | 'request_rejected'
  /** 429 or 5xx still returned after the last allowed attempt */
  | 'retries_exhausted'
  /** connection refused, reset or DNS failure on every attempt */
  | 'network_error'
  /** a 2xx whose body is not the SCIM shape the request calls for */
  | 'unexpected_response'
  /** GRP-01: the group names people the app does not hold yet */
  | 'members_not_provisioned'
  /** GRP-03: link needs an existing group that has no members */
  | 'link_target_not_found'
  | 'link_target_not_empty'
  /** an action on a person or group the pusher never provisioned */
  | 'not_provisioned'
  /**
   * Target defect: a `userName eq` (or `displayName eq`) lookup answered resources that do not match, i.e. the server
   * ignores filters (RFC 7644 3.4.2.2). Nothing is written: linking would merge unrelated people into one account.
   */
  | 'filter_ignored'
  /** Target defect: a create answers 409 uniqueness but no resource with that name can be found to link to */
  | 'conflict_unresolved'
  /** the app is in quarantine (Entra): no request is sent until its next attempt */
  | 'quarantined';

export class ScimPushError extends Error {
  readonly code: ScimPushErrorCode;
  /** HTTP status of the last response, when there was one */
  readonly status: number | undefined;
  /** RFC 7644 3.12 error body returned by the target, when it sent one */
  readonly scimError: ScimErrorBody | undefined;

  constructor(code: ScimPushErrorCode, message: string, status?: number, scimError?: ScimErrorBody) {
    super(message);
    this.name = 'ScimPushError';
    this.code = code;
    this.status = status;
    this.scimError = scimError;
  }
}

export function isScimPushError(value: unknown): value is ScimPushError {
  return value instanceof ScimPushError;
}

/** Why "Test API Credentials" failed, as a stable code (KEY-04). */
export type CredentialsFailureReason =
  | 'scim_not_enabled'
  | 'invalid_key'
  | 'key_not_active'
  | 'forbidden'
  | 'not_found'
  | 'server_error'
  | 'unreachable'
  | 'invalid_response';

/**
 * KEY-04: the three documented failures (SCIM not enabled, wrong key, key not ACTIVE) are told apart by status and
 * by the words of the server's Error detail; anything else keeps its HTTP class.
 */
export function credentialsFailureReason(
  status: number | undefined,
  detail: string | undefined,
): CredentialsFailureReason {
  const words = (detail ?? '').toLowerCase();
  if (status === undefined) return 'unreachable';
  if (/not enabled|disabled/.test(words)) return 'scim_not_enabled';
  if (/revoked|not active|inactive|expired/.test(words)) return 'key_not_active';
  if (status === 401) return 'invalid_key';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  return 'invalid_response';
}

const REASON_TEXT: Record<CredentialsFailureReason, string> = {
  scim_not_enabled: 'SCIM provisioning is not enabled for this team',
  invalid_key: 'the API key was not accepted',
  key_not_active: 'the API key is not ACTIVE (revoked or expired)',
  forbidden: 'the API key is not allowed to read users',
  not_found: 'no SCIM endpoint at this base URL (check that it ends in /scim/v2)',
  server_error: 'the SCIM server failed',
  unreachable: 'the SCIM server could not be reached',
  invalid_response: 'the answer is not a SCIM ListResponse',
};

/** The sentence the IdP admin sees for a failed credentials test. */
export function describeCredentialsFailure(
  reason: CredentialsFailureReason,
  detail: string | undefined,
): string {
  return detail ? `${REASON_TEXT[reason]}: ${detail}` : REASON_TEXT[reason];
}
