// SAML 2.0 names shared by the simulator's IdP and the server's SP: namespaces, bindings, formats, status codes.
// SAML core (saml-core-2.0-os) 2.2.2, 3.2.2.2, 8.3; bindings (saml-bindings-2.0-os) 3.4, 3.5; xmldsig-core 6.

/** SAML core 2.0 namespace of assertions (prefix `saml`). */
export const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
/** SAML core 2.0 namespace of protocol messages (prefix `samlp`). */
export const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** SAML metadata 2.0 namespace (prefix `md`). */
export const NS_METADATA = 'urn:oasis:names:tc:SAML:2.0:metadata';
/** XML Signature namespace (prefix `ds`). */
export const NS_XMLDSIG = 'http://www.w3.org/2000/09/xmldsig#';
/** XML Encryption namespace (prefix `xenc`). */
export const NS_XMLENC = 'http://www.w3.org/2001/04/xmlenc#';

/** SAML bindings 3.4 (HTTP-Redirect) and 3.5 (HTTP-POST). */
export const BINDING_HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const BINDING_HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** SAML core 8.3.2: NameID format for an email address; 8.3.7 the transient and 8.3.1 unspecified formats. */
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
export const NAMEID_TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

/** SAML core 8.2.2: attribute NameFormat for plain names (what Okta sends for "Basic"). */
export const ATTRNAME_FORMAT_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
export const ATTRNAME_FORMAT_UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';

/** SAML profiles 3.1.1: subject confirmation method of the Web Browser SSO profile. */
export const CM_BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** SAML authn context 3.4.19: password over a protected transport. */
export const AUTHN_CONTEXT_PASSWORD_PROTECTED =
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

/** SAML core 3.2.2.2: top-level and second-level status codes this project uses. */
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const STATUS_REQUESTER = 'urn:oasis:names:tc:SAML:2.0:status:Requester';
export const STATUS_RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
export const STATUS_NO_PASSIVE = 'urn:oasis:names:tc:SAML:2.0:status:NoPassive';
export const STATUS_REQUEST_DENIED = 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied';
export const STATUS_AUTHN_FAILED = 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed';

/** SAML core 3.7.3: reason for a LogoutRequest sent because the user logged out. */
export const LOGOUT_REASON_USER = 'urn:oasis:names:tc:SAML:2.0:logout:user';

/** xmldsig-core 6.4.2 / RFC 6931 2.3.2: RSA-SHA256 signature method (URI also used as SigAlg in bindings 3.4.4.1). */
export const SIG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
/** xmldsig-core 6.4.2: RSA-SHA1, accepted on incoming redirect-binding requests only (legacy SPs). */
export const SIG_RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
/** xmlenc-core 5.7.2: SHA-256 digest. */
export const DIGEST_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
/** xml-exc-c14n: exclusive canonicalisation without comments. */
export const C14N_EXCLUSIVE = 'http://www.w3.org/2001/10/xml-exc-c14n#';
/** xmldsig-core 6.6.4: the enveloped-signature transform. */
export const TRANSFORM_ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The node:crypto digest name behind each redirect-binding SigAlg URI this project accepts. */
export const REDIRECT_SIG_ALG_DIGESTS: Readonly<Record<string, string>> = {
  [SIG_RSA_SHA256]: 'sha256',
  [SIG_RSA_SHA1]: 'sha1',
};
