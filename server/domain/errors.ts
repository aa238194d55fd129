// Typed errors of the team domain: every refused operation throws one, with a stable machine code.
// Protocol layers (SCIM, control API, SAML sign-in pages) map these codes to their own wire errors in one place each.

export type DomainErrorCode =
  /** resource absent in this team */
  | 'not_found'
  /** a unique attribute (userName, group displayName, externalId, email) is already taken */
  | 'uniqueness'
  /** If-Match / expected version differs from the stored one */
  | 'version_mismatch'
  /** bad or missing attribute values (PRV-02 missing names/active, PRV-08 email outside verified domains, ...) */
  | 'invalid_value'
  /** PRV-03: password sync is not supported */
  | 'password_not_supported'
  /** actor lacks the role for this action (JIT-05, KEY-03, PRV-07) */
  | 'forbidden'
  /** PRV-05 / PRV-06: SCIM manages these members; self-service change refused */
  | 'managed_by_scim'
  /** PRV-09 / JIT-03: licensed seats all taken and neither Auto-Flex nor True-up */
  | 'no_seats_available'
  /** KEY-01: SCIM only on the Enterprise plan */
  | 'plan_not_eligible'
  /** KEY-02: a SCIM key needs exactly one SSO method */
  | 'sso_method_count'
  /** KEY-04: team has SCIM off */
  | 'scim_not_enabled'
  /** KEY-04: no key with that value */
  | 'invalid_api_key'
  /** KEY-04: key exists but is REVOKED */
  | 'api_key_revoked'
  /** GRP-01: group members not provisioned first */
  | 'unknown_members'
  /** GRP-03: only groups without members can be linked */
  | 'group_not_empty'
  /** REM-01: removal needs a named hand-over admin */
  | 'handover_required'
  /** JIT-01: "Automatically add new users" is off */
  | 'jit_disabled'
  /** JIT-04: invite missing, used or expired */
  | 'invite_invalid'
  /** JIT-06 / password sign-in: wrong credentials */
  | 'invalid_credentials'
  /** DEA-01 / REM-02: no active membership for a team-context sign-in */
  | 'not_a_member'
  /** SSO-02: domain not verified */
  | 'domain_not_verified'
  /** idsim #10: an asserted or provisioned email that is not in the canonical identity form (emails.ts) */
  | 'identity_invalid'
  /** idsim #16/#17: the email's domain is verified by another organisation: this tenant's IdP cannot speak for it */
  | 'foreign_domain'
  /** idsim #16/#17: an account exists with this email and this team may not adopt it */
  | 'account_not_claimable'
  /** idsim #17 / PRV-08: this team's IdP may not change this account's email */
  | 'email_change_forbidden'
  /** the operation is not valid in the current state (e.g. last Super Admin) */
  | 'invalid_state';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
