// How each IdP personality shapes its SAML Responses: NameID format, attribute NameFormat and InResponseTo rules,
// applied by the IdP's response building (issue #13). SAML core 2.2.2 / 8.3 (NameID formats), 2.7.3.1 (NameFormat),
// 3.2.2 (InResponseTo); attribute names and signing are the app's defaults (simulator/directory/idp-app-templates.ts).
//
// Sourced:
// - Rippling's IdP-initiated Responses carry a non-empty InResponseTo although no AuthnRequest was sent
//   (crewjam/saml PR 320 and PR 659, which name Rippling);
// - Entra's "Test single sign-on" answers with InResponseTo set to the request's ID unless that ID is exactly
//   F84D888AA3B44C1B844375A4E8210D9E, the one its test page sends; then InResponseTo is left out
//   (MicrosoftDocs/azure-docs issue 81334);
// - Entra emits claims as <Attribute Name="http://schemas.xmlsoap.org/..."> without a NameFormat (Microsoft Learn,
//   "SAML token claims reference") and an emailAddress NameID by default.
// Decided where documentation is silent (each a field of the profile, so a test can build another): Okta, OneLogin
// and Rippling send an emailAddress NameID with basic NameFormat; JumpCloud and PingFederate an unspecified-format
// NameID carrying the email; Rippling's unsolicited InResponseTo is a fresh SAML ID per Response.

import { ATTRNAME_FORMAT_BASIC, NAMEID_EMAIL, NAMEID_UNSPECIFIED } from '../../protocol/saml/index.ts';
import type { IdpPersonality } from '../directory/index.ts';

export interface SamlPersonalityProfile {
  nameIdFormat: string;
  /** NameFormat on every Attribute; null leaves the XML attribute out (Entra) */
  attributeNameFormat: string | null;
  /** IdP-initiated (unsolicited) Responses: no InResponseTo, or a made-up one (Rippling) */
  unsolicitedInResponseTo: 'absent' | 'generated';
  /** an AuthnRequest ID for which InResponseTo is left out (Entra's Test SSO constant) */
  inResponseToOmittedFor: string | null;
}

/** The AuthnRequest ID Entra's "Test single sign-on" page sends (azure-docs issue 81334). */
export const ENTRA_TEST_SSO_REQUEST_ID = 'F84D888AA3B44C1B844375A4E8210D9E';

const BASIC_EMAIL: SamlPersonalityProfile = {
  nameIdFormat: NAMEID_EMAIL,
  attributeNameFormat: ATTRNAME_FORMAT_BASIC,
  unsolicitedInResponseTo: 'absent',
  inResponseToOmittedFor: null,
};

export const SAML_PERSONALITY_PROFILES: Record<IdpPersonality, SamlPersonalityProfile> = {
  okta: BASIC_EMAIL,
  entra: { ...BASIC_EMAIL, attributeNameFormat: null, inResponseToOmittedFor: ENTRA_TEST_SSO_REQUEST_ID },
  onelogin: BASIC_EMAIL,
  jumpcloud: { ...BASIC_EMAIL, nameIdFormat: NAMEID_UNSPECIFIED },
  rippling: { ...BASIC_EMAIL, unsolicitedInResponseTo: 'generated' },
  ping: { ...BASIC_EMAIL, nameIdFormat: NAMEID_UNSPECIFIED },
};

/**
 * The InResponseTo this personality puts on a Response: the request's ID (SP-initiated), nothing or a generated
 * value (IdP-initiated), and nothing for Entra's Test SSO request ID.
 */
export function inResponseToFor(
  profile: SamlPersonalityProfile,
  requestId: string | undefined,
  newId: () => string,
): string | undefined {
  if (requestId === undefined) return profile.unsolicitedInResponseTo === 'generated' ? newId() : undefined;
  if (profile.inResponseToOmittedFor !== null && requestId === profile.inResponseToOmittedFor)
    return undefined;
  return requestId;
}
