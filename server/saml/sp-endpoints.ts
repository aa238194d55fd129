// The SP's URLs for one team auth method: entity ID (also its metadata URL), Assertion Consumer Service URL and
// Single Logout Service URL. SAML metadata 2.0 2.3.2 (entityID), 2.4.4 (SPSSODescriptor), 2.4.2 (SingleLogoutService).

export interface SpEndpoints {
  /** `<base>/saml/<methodId>/metadata`: the SP's entityID and the Audience the IdP must name */
  entityId: string;
  /** `<base>/saml/<methodId>/acs`: HTTP-POST ACS; Destination and Recipient must equal it */
  acsUrl: string;
  /** `<base>/saml/<methodId>/slo`: HTTP-Redirect SingleLogoutService; logout messages' Destination must equal it */
  sloUrl: string;
}

/** Builds the endpoints of `methodId` below `baseUrl` (no trailing slash needed). */
export function spEndpoints(baseUrl: string, methodId: string): SpEndpoints {
  const base = `${baseUrl.replace(/\/+$/, '')}/saml/${encodeURIComponent(methodId)}`;
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, sloUrl: `${base}/slo` };
}
