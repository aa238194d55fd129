// The sign-in rules as plain functions over facts: team SSO (JIT-01..10, SSO-03/05), password sign-in in team or
// personal context (DEA-01/02, REM-02, SSO-05) and the organisation portal (ORG-01..08). No I/O, no HTTP, no XML.
import type { MembershipStatus } from '../control/port.ts';
import type { SignInErrorCode } from './errors.ts';

/** A membership as the rules see it; 'removed' means the account once was a member and an admin removed it. */
export type MembershipFact = MembershipStatus | null;

export interface TeamSsoFacts {
  /** SSO-05: an admin may turn the SAML method off (e.g. while the IdP is down) */
  methodEnabled: boolean;
  /** JIT-01..03: "Automatically add new users" on the auth method */
  autoAddUsers: boolean;
  /** the account whose email the assertion names, if one exists */
  account: { hasPassword: boolean } | null;
  membership: MembershipFact;
  /** the sign-in started from a valid invite link for this team (JIT-04, JIT-06) */
  hasInvite: boolean;
  /** idsim #17: the address's domain is verified by another organisation than the method's team's */
  foreignDomain: boolean;
}

export type TeamSsoDecision =
  /** active member: signed in to the team context */
  | { kind: 'sign_in' }
  /** JIT-02 (and JIT-09 with domain capture): create account and membership; the service enforces seats (JIT-03) */
  | { kind: 'admit_by_jit' }
  /** JIT-04: a new person accepts the invite through SSO; account created without a password (JIT-10) */
  | { kind: 'accept_invite_new_account' }
  /** JIT-06: an existing account must prove it is theirs with its own password before it is linked */
  | { kind: 'confirm_password_to_link'; via: 'invite' | 'jit' }
  | { kind: 'refuse'; code: SignInErrorCode };

/** Team-context SSO sign-in rules (JIT-01..10, DEA-01, REM-02, SSO-05). */
export function decideTeamSso(facts: TeamSsoFacts): TeamSsoDecision {
  if (!facts.methodEnabled) return { kind: 'refuse', code: 'auth_method_disabled' };
  // Tenant isolation: this organisation's IdP never signs in, links or creates an address another one owns.
  if (facts.foreignDomain) return { kind: 'refuse', code: 'foreign_domain' };
  if (facts.membership === 'active') return { kind: 'sign_in' };
  // DEA-01: a deactivated member is blocked from the team context; only SCIM reactivation lets them back.
  if (facts.membership === 'deactivated') return { kind: 'refuse', code: 'not_a_member' };
  // REM-02: a removed member cannot come back by SSO alone; a fresh invite from an admin is the way back (REM-03).
  if (facts.membership === 'removed' && !facts.hasInvite) return { kind: 'refuse', code: 'not_a_member' };
  if (facts.hasInvite) {
    return facts.account === null
      ? { kind: 'accept_invite_new_account' }
      : { kind: 'confirm_password_to_link', via: 'invite' };
  }
  // JIT-01: without the setting, only invited people join; nothing is created.
  if (!facts.autoAddUsers) return { kind: 'refuse', code: 'jit_disabled' };
  return facts.account === null ? { kind: 'admit_by_jit' } : { kind: 'confirm_password_to_link', via: 'jit' };
}

export interface PasswordSignInFacts {
  /** the credentials matched an account with a password (JIT-10: accounts without one never match) */
  credentialsValid: boolean;
  /** null: personal context; otherwise the team the person signs in to */
  team: {
    /** SSO-03 / SSO-05: the team has an enabled email/password method */
    passwordMethodEnabled: boolean;
    membership: MembershipFact;
  } | null;
}

export type PasswordSignInDecision =
  | { kind: 'personal' }
  | { kind: 'team' }
  | { kind: 'refuse'; code: SignInErrorCode };

/** Password sign-in: personal context always works with the right password (DEA-02, REM-02); team context needs more. */
export function decidePasswordSignIn(facts: PasswordSignInFacts): PasswordSignInDecision {
  if (!facts.credentialsValid) return { kind: 'refuse', code: 'invalid_credentials' };
  if (facts.team === null) return { kind: 'personal' };
  if (!facts.team.passwordMethodEnabled) return { kind: 'refuse', code: 'password_signin_disabled' };
  if (facts.team.membership !== 'active') return { kind: 'refuse', code: 'not_a_member' };
  return { kind: 'team' };
}

export interface PortalFacts {
  /** ORG-01 / ORG-07: portal JIT on, or a private instance where it is always on */
  portalEnabled: boolean;
  account: { exists: boolean };
  organisationMember: boolean;
  /** ms since the IdP last authenticated the person (AuthnStatement/@AuthnInstant) */
  authnAgeMs: number;
  /** ORG-03 decision: 8 h by default, per organisation */
  recentAuthMs: number;
  /** this assertion answers a ForceAuthn request the SP sent (ORG-04 round trip) */
  answersForcedRequest: boolean;
  /** idsim #17: the address's domain is verified by another organisation than the portal's */
  foreignDomain: boolean;
}

export type PortalDecision =
  /** ORG-02: create account `firstname-lastname`, no password, membership with the default permission (ORG-08) */
  | { kind: 'create_account_and_join' }
  /** ORG-03 (and ORG-04 after the round trip): the organisation's home page */
  | { kind: 'org_home' }
  /** ORG-04: not authenticated recently: back to the IdP with ForceAuthn */
  | { kind: 'force_reauthentication' }
  /** ORG-05: signed in, personal home page, no membership granted */
  | { kind: 'personal_home' }
  | { kind: 'refuse'; code: SignInErrorCode };

/** ORG-01..08. ORG-06 (not assigned) never reaches here: the IdP refuses first. */
export function decidePortalSignIn(facts: PortalFacts): PortalDecision {
  if (!facts.portalEnabled) return { kind: 'refuse', code: 'portal_disabled' };
  if (facts.foreignDomain) return { kind: 'refuse', code: 'foreign_domain' };
  if (!facts.account.exists) return { kind: 'create_account_and_join' };
  if (!facts.organisationMember) return { kind: 'personal_home' };
  if (facts.authnAgeMs < facts.recentAuthMs) return { kind: 'org_home' };
  // SAML core 3.4.1: with ForceAuthn the IdP must authenticate afresh; a stale answer to it is refused, not looped.
  if (facts.answersForcedRequest) return { kind: 'refuse', code: 'reauthentication_required' };
  return { kind: 'force_reauthentication' };
}

/** ORG-07: a private instance always has portal JIT. */
export function portalEnabled(portal: { jitEnabled: boolean; privateInstance: boolean }): boolean {
  return portal.jitEnabled || portal.privateInstance;
}
