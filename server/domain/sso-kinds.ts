// Which auth method kinds are single sign-on (SAML 2.0 and OpenID Connect) and an OIDC method's default scopes.
// Catalogue KEY-02 (an SSO method, not email/password), JIT-01..10 (SSO sign-in over either protocol); issue #14.
import type { AuthMethodKind } from '../control/port.ts';

export function isSsoKind(kind: AuthMethodKind): boolean {
  return kind === 'saml' || kind === 'oidc';
}

/** OIDC core 5.4: `email` and `profile` give the email, given_name and family_name that JIT needs. */
export const DEFAULT_OIDC_SCOPES: readonly string[] = ['email', 'profile'];
