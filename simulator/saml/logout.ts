// Single logout messages: reading an SP's LogoutRequest and building the IdP's LogoutResponse / LogoutRequest.
// SAML core 3.7.1 (LogoutRequest), 3.7.2 (LogoutResponse), 3.7.3 (processing rules); bindings 3.4 (HTTP-Redirect).

import {
  childElements,
  escapeXmlAttr,
  escapeXmlText,
  firstChild,
  LOGOUT_REASON_USER,
  NAMEID_EMAIL,
  NS_ASSERTION,
  NS_PROTOCOL,
  parseSamlXml,
  SamlXmlError,
  STATUS_SUCCESS,
  samlInstant,
} from '../../protocol/saml/index.ts';
import { IdpError } from './errors.ts';
import { newSamlId } from './response.ts';

export interface LogoutRequest {
  id: string;
  issuer: string;
  nameId: string;
  sessionIndexes: string[];
  destination: string | undefined;
}

/** Core 3.7.1: ID, Issuer, NameID and zero or more SessionIndex elements. */
export function parseLogoutRequest(xml: string): LogoutRequest {
  let root: ReturnType<typeof parseSamlXml>['documentElement'];
  try {
    root = parseSamlXml(xml).documentElement;
  } catch (error) {
    if (error instanceof SamlXmlError)
      throw new IdpError('invalid_request', `LogoutRequest: ${error.message}`);
    throw error;
  }
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'LogoutRequest') {
    throw new IdpError('invalid_request', 'the message is not a samlp:LogoutRequest');
  }
  const id = root.getAttribute('ID') ?? '';
  const issuer = (firstChild(root, NS_ASSERTION, 'Issuer')?.textContent ?? '').trim();
  if (id === '' || issuer === '')
    throw new IdpError('invalid_request', 'LogoutRequest needs an ID and an Issuer');
  return {
    id,
    issuer,
    nameId: (firstChild(root, NS_ASSERTION, 'NameID')?.textContent ?? '').trim(),
    sessionIndexes: childElements(root, NS_PROTOCOL, 'SessionIndex').map((el) =>
      (el.textContent ?? '').trim(),
    ),
    destination: root.getAttribute('Destination') ?? undefined,
  };
}

export interface LogoutResponse {
  id: string;
  inResponseTo: string;
  issuer: string;
  statusCode: string;
}

/** Core 3.7.2 / 3.2.2: a participant's answer to the IdP's LogoutRequest. */
export function parseLogoutResponse(xml: string): LogoutResponse {
  let root: ReturnType<typeof parseSamlXml>['documentElement'];
  try {
    root = parseSamlXml(xml).documentElement;
  } catch (error) {
    if (error instanceof SamlXmlError)
      throw new IdpError('invalid_request', `LogoutResponse: ${error.message}`);
    throw error;
  }
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'LogoutResponse') {
    throw new IdpError('invalid_request', 'the message is not a samlp:LogoutResponse');
  }
  const status = firstChild(root, NS_PROTOCOL, 'Status');
  const code = status === undefined ? undefined : firstChild(status, NS_PROTOCOL, 'StatusCode');
  return {
    id: root.getAttribute('ID') ?? '',
    inResponseTo: root.getAttribute('InResponseTo') ?? '',
    issuer: (firstChild(root, NS_ASSERTION, 'Issuer')?.textContent ?? '').trim(),
    statusCode: code?.getAttribute('Value') ?? '',
  };
}

export interface LogoutResponseInput {
  issuer: string;
  destination: string;
  inResponseTo: string;
  /** Core 3.2.2.2; Success unless the IdP could not log out. */
  statusCode?: string | undefined;
  now: Date;
}

/** Core 3.7.2: a StatusResponseType answering the SP's LogoutRequest (signed by the redirect binding). */
export function buildLogoutResponse(input: LogoutResponseInput): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${newSamlId()}"` +
    ` Version="2.0" IssueInstant="${samlInstant(input.now)}" Destination="${escapeXmlAttr(input.destination)}"` +
    ` InResponseTo="${escapeXmlAttr(input.inResponseTo)}">` +
    `<saml:Issuer>${escapeXmlText(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeXmlAttr(input.statusCode ?? STATUS_SUCCESS)}"/></samlp:Status>` +
    '</samlp:LogoutResponse>'
  );
}

export interface LogoutRequestInput {
  issuer: string;
  destination: string;
  nameId: string;
  sessionIndex: string;
  now: Date;
}

/** Core 3.7.1: an IdP-initiated LogoutRequest to one session participant (reason: user logout, 3.7.3). */
export function buildLogoutRequest(input: LogoutRequestInput): { id: string; xml: string } {
  const id = newSamlId();
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${id}" Version="2.0"` +
    ` IssueInstant="${samlInstant(input.now)}" Destination="${escapeXmlAttr(input.destination)}"` +
    ` Reason="${LOGOUT_REASON_USER}">` +
    `<saml:Issuer>${escapeXmlText(input.issuer)}</saml:Issuer>` +
    `<saml:NameID Format="${NAMEID_EMAIL}">${escapeXmlText(input.nameId)}</saml:NameID>` +
    `<samlp:SessionIndex>${escapeXmlText(input.sessionIndex)}</samlp:SessionIndex>` +
    '</samlp:LogoutRequest>';
  return { id, xml };
}
