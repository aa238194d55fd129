// The SP's URLs for one team auth method: entity ID (also its metadata URL) and Assertion Consumer Service URL.
// SAML metadata 2.0 2.3.2 (entityID) and 2.4.4 (SPSSODescriptor/AssertionConsumerService); idsim issue #3.

export interface SpEndpoints {
  /** `<base>/saml/<methodId>/metadata`: the SP's entityID and the Audience the IdP must name */
  entityId: string;
  /** `<base>/saml/<methodId>/acs`: HTTP-POST ACS; Destination and Recipient must equal it */
  acsUrl: string;
}

/** Builds the endpoints of `methodId` below `baseUrl` (no trailing slash needed). */
export function spEndpoints(baseUrl: string, methodId: string): SpEndpoints {
  const base = `${baseUrl.replace(/\/+$/, '')}/saml/${encodeURIComponent(methodId)}`;
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs` };
}
