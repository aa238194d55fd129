// SCIM enablement and API keys: eligibility to generate a key, and the checks behind the IdP's "Test API Credentials".
// Catalogue KEY-01 (Enterprise only), KEY-02 (exactly one SSO method), KEY-04 (ACTIVE key on a SCIM-enabled team).
import { DomainError } from './errors.ts';
import type { ApiKey, AuthMethod, Team } from './model.ts';
import { assertPlanAllowsScim } from './plans.ts';
import { isSsoKind } from './sso-kinds.ts';
import { digestsEqual, generateSecret } from './tokens.ts';

/** Every generated key starts with this, so that leaked keys are recognisable by secret scanners. */
export const SCIM_KEY_PREFIX = 'idsim_scim_';
/** How many leading characters a key listing shows (ApiKeyView.prefix). */
export const SCIM_KEY_SHOWN_CHARS = SCIM_KEY_PREFIX.length + 6;

/** KEY-02 decision: email/password is not an SSO method; SAML and OpenID Connect methods count. */
export function countSsoMethods(methods: readonly AuthMethod[]): number {
  return methods.filter((method) => isSsoKind(method.kind)).length;
}

/** KEY-01 and KEY-02: a key needs an Enterprise team with exactly one SSO method configured. */
export function assertMayGenerateScimKey(team: Team, methods: readonly AuthMethod[]): void {
  assertPlanAllowsScim(team.plan);
  const ssoMethods = countSsoMethods(methods);
  if (ssoMethods !== 1) {
    throw new DomainError(
      'sso_method_count',
      `a SCIM API key needs exactly one SSO method; the team has ${ssoMethods}`,
      {
        ssoMethods,
      },
    );
  }
}

export function newScimKeySecret(): string {
  return generateSecret(SCIM_KEY_PREFIX);
}

/**
 * KEY-04: resolves a presented key. `stored` is the row found by the presented key's digest (or null);
 * `presentedDigest` is compared in constant time so that the check does not leak through timing.
 */
export function assertScimKeyUsable(
  stored: ApiKey | null,
  presentedDigest: string,
  team: Team | null,
): asserts stored is ApiKey {
  if (!stored || !digestsEqual(stored.digest, presentedDigest)) {
    throw new DomainError('invalid_api_key', 'the SCIM API key is not valid');
  }
  if (stored.status !== 'ACTIVE') {
    throw new DomainError('api_key_revoked', 'the SCIM API key has been revoked', { keyId: stored.id });
  }
  if (!team?.scimEnabled) {
    throw new DomainError('scim_not_enabled', 'SCIM provisioning is not enabled for this team', {
      teamId: stored.teamId,
    });
  }
}
