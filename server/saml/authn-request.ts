// SP-initiated sign-in: the AuthnRequest for one auth method, sent over HTTP-Redirect, its ID remembered for InResponseTo.
// SAML core 3.4.1 (AuthnRequest, ForceAuthn), bindings 3.4.4.1 (DEFLATE + base64 + URL query), profiles 4.1.4.1.
import { randomBytes } from 'node:crypto';
import {
  BINDING_HTTP_POST,
  buildRedirectQuery,
  escapeXmlAttr,
  escapeXmlText,
  NAMEID_EMAIL,
  NS_ASSERTION,
  NS_PROTOCOL,
  samlId,
  samlInstant,
} from '../../protocol/saml/index.ts';
import type { RequestIdCache } from './request-id-cache.ts';
import type { SpEndpoints } from './sp-endpoints.ts';

export interface AuthnRequestInput {
  endpoints: SpEndpoints;
  methodId: string;
  /** the IdP's SingleSignOnService URL (HTTP-Redirect binding) */
  idpSsoUrl: string;
  /** core 3.4.1: the IdP must authenticate the person afresh (ORG-04 round trip) */
  forceAuthn?: boolean;
  relayState?: string;
  /** kept with the request ID and handed back when the answer arrives */
  context?: Record<string, string>;
  now?: Date;
}

export interface AuthnRequestRedirect {
  requestId: string;
  /** where to send the browser: idpSsoUrl with SAMLRequest (and RelayState) added */
  location: string;
  xml: string;
}

/** Builds the AuthnRequest XML (unsigned; see sp-metadata.ts for the decision). */
export function buildAuthnRequestXml(input: AuthnRequestInput, requestId: string): string {
  const now = input.now ?? new Date();
  const force = input.forceAuthn === true ? ' ForceAuthn="true"' : '';
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${requestId}" Version="2.0"` +
    ` IssueInstant="${samlInstant(now)}" Destination="${escapeXmlAttr(input.idpSsoUrl)}"${force}` +
    ` ProtocolBinding="${BINDING_HTTP_POST}" AssertionConsumerServiceURL="${escapeXmlAttr(input.endpoints.acsUrl)}">` +
    `<saml:Issuer>${escapeXmlText(input.endpoints.entityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="${NAMEID_EMAIL}" AllowCreate="true"/>` +
    '</samlp:AuthnRequest>'
  );
}

/** Builds the redirect to the IdP and remembers the request ID (profiles 4.1.4.3: the Response must answer it). */
export function startAuthnRequest(input: AuthnRequestInput, cache: RequestIdCache): AuthnRequestRedirect {
  const requestId = samlId(randomBytes(20).toString('hex'));
  const xml = buildAuthnRequestXml(input, requestId);
  const now = input.now ?? new Date();
  cache.remember({
    requestId,
    methodId: input.methodId,
    createdAtMs: now.getTime(),
    context: input.context ?? {},
  });
  const query = buildRedirectQuery('SAMLRequest', xml, { relayState: input.relayState });
  const separator = input.idpSsoUrl.includes('?') ? '&' : '?';
  return { requestId, location: `${input.idpSsoUrl}${separator}${query}`, xml };
}
