// Single logout messages as both sides write and read them: LogoutRequest and LogoutResponse as plain values.
// SAML core 3.7.1 (LogoutRequest), 3.7.2 (LogoutResponse), 3.2.2 (StatusResponseType); bindings 3.4 carries them.

import { LOGOUT_REASON_USER, NS_ASSERTION, NS_PROTOCOL, STATUS_SUCCESS } from './constants.ts';
import { childElements, firstChild, parseSamlXml } from './xml-parse.ts';
import { escapeXmlAttr, escapeXmlText, samlInstant } from './xml-text.ts';

/** A LogoutRequest as read from the wire; absent optional parts are `undefined`, absent text is `''`. */
export interface LogoutRequestMessage {
  id: string;
  issuer: string;
  destination: string | undefined;
  /** Core 3.7.1: the time after which the request is void, when the sender set one. */
  notOnOrAfter: string | undefined;
  nameId: string;
  nameIdFormat: string | undefined;
  sessionIndexes: string[];
}

/** A LogoutResponse as read from the wire (core 3.7.2 is a StatusResponseType, core 3.2.2). */
export interface LogoutResponseMessage {
  id: string;
  inResponseTo: string;
  issuer: string;
  destination: string | undefined;
  /** Core 3.2.2.2: the top-level StatusCode value, `''` when missing. */
  statusCode: string;
}

function text(el: ReturnType<typeof firstChild>): string {
  return el === undefined ? '' : (el.textContent ?? '').trim();
}

function optionalAttribute(
  el: { getAttribute(name: string): string | null },
  name: string,
): string | undefined {
  return el.getAttribute(name) ?? undefined;
}

/**
 * Reads a samlp:LogoutRequest (core 3.7.1). Throws SamlXmlError for XML that is not well formed or has a DOCTYPE;
 * returns undefined when the root is another element. Callers check which fields they need.
 */
export function parseLogoutRequestXml(xml: string): LogoutRequestMessage | undefined {
  const root = parseSamlXml(xml).documentElement;
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'LogoutRequest')
    return undefined;
  const nameIdElement = firstChild(root, NS_ASSERTION, 'NameID');
  return {
    id: root.getAttribute('ID') ?? '',
    issuer: text(firstChild(root, NS_ASSERTION, 'Issuer')),
    destination: optionalAttribute(root, 'Destination'),
    notOnOrAfter: optionalAttribute(root, 'NotOnOrAfter'),
    nameId: text(nameIdElement),
    nameIdFormat: nameIdElement === undefined ? undefined : optionalAttribute(nameIdElement, 'Format'),
    sessionIndexes: childElements(root, NS_PROTOCOL, 'SessionIndex').map((el) =>
      (el.textContent ?? '').trim(),
    ),
  };
}

/** Reads a samlp:LogoutResponse (core 3.7.2); same error rules as {@link parseLogoutRequestXml}. */
export function parseLogoutResponseXml(xml: string): LogoutResponseMessage | undefined {
  const root = parseSamlXml(xml).documentElement;
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'LogoutResponse')
    return undefined;
  const status = firstChild(root, NS_PROTOCOL, 'Status');
  const code = status === undefined ? undefined : firstChild(status, NS_PROTOCOL, 'StatusCode');
  return {
    id: root.getAttribute('ID') ?? '',
    inResponseTo: root.getAttribute('InResponseTo') ?? '',
    issuer: text(firstChild(root, NS_ASSERTION, 'Issuer')),
    destination: optionalAttribute(root, 'Destination'),
    statusCode: code?.getAttribute('Value') ?? '',
  };
}

export interface LogoutRequestXmlInput {
  id: string;
  issuer: string;
  destination: string;
  nameId: string;
  /** NameID/@Format as the assertion gave it; left out when undefined. */
  nameIdFormat?: string | undefined;
  /** Core 3.7.1: names the session to end; without it, every session of the NameID ends (3.7.3.2). */
  sessionIndex?: string | undefined;
  now: Date;
}

/** Core 3.7.1: a LogoutRequest sent because the person logged out (reason `user`, 3.7.3), unsigned (bindings sign). */
export function buildLogoutRequestXml(input: LogoutRequestXmlInput): string {
  const format = input.nameIdFormat === undefined ? '' : ` Format="${escapeXmlAttr(input.nameIdFormat)}"`;
  const sessionIndex =
    input.sessionIndex === undefined
      ? ''
      : `<samlp:SessionIndex>${escapeXmlText(input.sessionIndex)}</samlp:SessionIndex>`;
  return (
    `<samlp:LogoutRequest xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${escapeXmlAttr(input.id)}"` +
    ` Version="2.0" IssueInstant="${samlInstant(input.now)}" Destination="${escapeXmlAttr(input.destination)}"` +
    ` Reason="${LOGOUT_REASON_USER}">` +
    `<saml:Issuer>${escapeXmlText(input.issuer)}</saml:Issuer>` +
    `<saml:NameID${format}>${escapeXmlText(input.nameId)}</saml:NameID>` +
    sessionIndex +
    '</samlp:LogoutRequest>'
  );
}

export interface LogoutResponseXmlInput {
  id: string;
  issuer: string;
  destination: string;
  inResponseTo: string;
  /** Core 3.2.2.2; default Success. */
  statusCode?: string | undefined;
  now: Date;
}

/** Core 3.7.2: the StatusResponseType answering a LogoutRequest, unsigned (the redirect binding signs it). */
export function buildLogoutResponseXml(input: LogoutResponseXmlInput): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS_PROTOCOL}" xmlns:saml="${NS_ASSERTION}" ID="${escapeXmlAttr(input.id)}"` +
    ` Version="2.0" IssueInstant="${samlInstant(input.now)}" Destination="${escapeXmlAttr(input.destination)}"` +
    ` InResponseTo="${escapeXmlAttr(input.inResponseTo)}">` +
    `<saml:Issuer>${escapeXmlText(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeXmlAttr(input.statusCode ?? STATUS_SUCCESS)}"/></samlp:Status>` +
    '</samlp:LogoutResponse>'
  );
}
