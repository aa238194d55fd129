// The simulator directory's records: people, groups and apps (an app holds its SP, assignments and attributes).
// idsim issue #3 (directory), catalogue JIT-08 / ORG-06 (assignment), OKT-04 (app templates).

/** Okta-like lifecycle states (Okta's STAGED, ACTIVE, SUSPENDED, DEPROVISIONED); only `active` people can sign in. */
export type PersonStatus = 'staged' | 'active' | 'suspended' | 'deprovisioned';

export interface Person {
  id: string;
  /** Okta login; also the primary email and the SAML NameID (emailAddress format). */
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  /** Plain text on purpose: a test directory whose passwords tests must be able to type. */
  password: string;
  status: PersonStatus;
}

export interface Group {
  id: string;
  name: string;
  memberIds: string[];
}

/** OKT-04: the vendor's catalogue app (PATCH) or the generic SCIM 2.0 test app (header auth). */
export type AppTemplate = 'catalogue' | 'scim-test-app';

/** Which IdP the app's SAML sign-in and SCIM provisioning look like (issue #13 personalities). */
export const IDP_PERSONALITIES = ['okta', 'entra', 'onelogin', 'jumpcloud', 'rippling', 'ping'] as const;
export type IdpPersonality = (typeof IDP_PERSONALITIES)[number];

/** What the IdP knows of the SP, usually read from its metadata (SAML metadata 2.4.4 SPSSODescriptor). */
export interface ServiceProvider {
  entityId: string;
  /** AssertionConsumerService with the HTTP-POST binding. */
  acsUrl: string;
  /** SingleLogoutService (HTTP-Redirect preferred), when the SP has one. */
  sloUrl?: string | undefined;
  /** KeyDescriptor use="signing" (or no use): PEM certificates that may sign AuthnRequests. */
  signingCerts: string[];
  /** AuthnRequestsSigned="true": unsigned requests are refused. */
  authnRequestsSigned: boolean;
  /** WantAssertionsSigned: the assertion carries its own signature. */
  wantAssertionsSigned: boolean;
  /** KeyDescriptor use="encryption": PEM certificate; assertions are encrypted to it when the app turns that on. */
  encryptionCert?: string | undefined;
}

/** One SAML attribute the app sends; `value` picks a person field, or `groups` for the group names. */
export interface AttributeStatement {
  name: string;
  value: 'email' | 'login' | 'firstName' | 'lastName' | 'displayName' | 'groups';
  /** For `groups`: only groups whose name matches this regular expression (Okta's group attribute filter). */
  groupFilter?: string | undefined;
}

/** Which signatures the IdP puts on a Response for this app (SAML core 5.2 allows either or both). */
export interface ResponseSigning {
  signResponse: boolean;
  signAssertion: boolean;
}

/** Placeholder for the SCIM pusher's settings (another engineer fills these in). */
export interface ProvisioningSettings {
  enabled: boolean;
  scimBaseUrl?: string | undefined;
  bearerToken?: string | undefined;
}

/**
 * The app's OpenID Connect client (Okta's "OIDC - Web Application"): OIDC core 1.0 section 2 / RFC 7591 client
 * metadata, the subset an Okta web app has. Authorization code with PKCE only.
 */
export interface OidcClient {
  clientId: string;
  /** Confidential client secret; omitted for a public client (`tokenEndpointAuthMethod: 'none'`). */
  clientSecret?: string | undefined;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** Okta's groups claim filter: only groups whose name matches this regular expression go in `groups`. */
  groupsFilter?: string | undefined;
}

export interface App {
  id: string;
  name: string;
  template: AppTemplate;
  /** the IdP this app behaves as (default okta); picks the pusher's personality and the SAML profile */
  idp: IdpPersonality;
  /** SAML 2.0: the SP this app posts assertions to; absent for an OIDC-only app. */
  sp?: ServiceProvider | undefined;
  /** OpenID Connect: the app's client; absent for a SAML-only app. An app may offer both. */
  oidc?: OidcClient | undefined;
  assignments: { people: string[]; groups: string[] };
  attributeStatements: AttributeStatement[];
  signing: ResponseSigning;
  /**
   * Okta's "Assertion Encryption" app setting (default Unencrypted): an encryption key in the SP's metadata is not
   * an opt-in by itself, the admin turns encryption on; it then needs `sp.encryptionCert`.
   */
  assertionEncryption: boolean;
  /** Default RelayState for IdP-initiated sign-in (Okta's "Default RelayState"). */
  defaultRelayState?: string | undefined;
  provisioning: ProvisioningSettings;
}

/** An app that offers SAML: what the SAML IdP works with. */
export type SamlApp = App & { sp: ServiceProvider };

/** An app that offers OpenID Connect: what the OIDC provider works with. */
export type OidcApp = App & { oidc: OidcClient };

/** The attributes Okta-like apps send by default: email, firstName, lastName, groups. */
export const DEFAULT_ATTRIBUTE_STATEMENTS: readonly AttributeStatement[] = [
  { name: 'email', value: 'email' },
  { name: 'firstName', value: 'firstName' },
  { name: 'lastName', value: 'lastName' },
  { name: 'groups', value: 'groups' },
];
