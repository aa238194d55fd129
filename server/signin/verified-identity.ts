// What a validated SSO sign-in gives the sign-in rules, whatever the protocol: who the IdP vouches for, when it
// authenticated them, and the protocol's session facts. SAML (profiles 4.1.4.3) and OIDC (core 3.1.3.7) both end here.
import type { AssertedPerson } from '../saml/person-attributes.ts';
import type { OidcSessionFacts, SamlSessionFacts } from './session.ts';

/** The protocol-specific facts a session keeps (single logout for SAML, RP-initiated logout for OIDC). */
export type SsoSessionFacts =
  | { via: 'saml'; saml: SamlSessionFacts }
  | { via: 'oidc'; oidc: OidcSessionFacts };

export interface VerifiedIdentity {
  person: AssertedPerson;
  /** SAML AuthnStatement/@AuthnInstant or OIDC auth_time: when the IdP last authenticated the person (ORG-03/04) */
  authnInstant: Date;
  facts: SsoSessionFacts;
  /**
   * ORG-04: the URL that sends the person back to the IdP for a fresh login (SAML ForceAuthn, OIDC prompt=login),
   * keeping the landing path. Built by the protocol layer that validated this identity.
   */
  reauthenticate: (landingPath: string | null) => string | Promise<string>;
}

/** Where the sign-in was started: a team (maybe from an invite link) or an organisation's portal. */
export type SsoPurpose =
  | { purpose: 'team'; inviteToken: string | null }
  | { purpose: 'portal'; organisationId: string; forced: boolean };
