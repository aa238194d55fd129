// Single logout messages: reading an SP's LogoutRequest and building the IdP's LogoutResponse / LogoutRequest.
// SAML core 3.7.1 (LogoutRequest), 3.7.2 (LogoutResponse), 3.7.3 (processing rules); bindings 3.4 (HTTP-Redirect).

import {
  buildLogoutRequestXml,
  buildLogoutResponseXml,
  NAMEID_EMAIL,
  parseLogoutRequestXml,
  parseLogoutResponseXml,
  SamlXmlError,
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

/** Runs a shared parser, turning unreadable XML and a wrong root element into `invalid_request`. */
function readMessage<T>(what: string, parse: (xml: string) => T | undefined, xml: string): T {
  let message: T | undefined;
  try {
    message = parse(xml);
  } catch (error) {
    if (error instanceof SamlXmlError) throw new IdpError('invalid_request', `${what}: ${error.message}`);
    throw error;
  }
  if (message === undefined) throw new IdpError('invalid_request', `the message is not a samlp:${what}`);
  return message;
}

/** Core 3.7.1: ID, Issuer, NameID and zero or more SessionIndex elements. */
export function parseLogoutRequest(xml: string): LogoutRequest {
  const request = readMessage('LogoutRequest', parseLogoutRequestXml, xml);
  if (request.id === '' || request.issuer === '')
    throw new IdpError('invalid_request', 'LogoutRequest needs an ID and an Issuer');
  return {
    id: request.id,
    issuer: request.issuer,
    nameId: request.nameId,
    sessionIndexes: request.sessionIndexes,
    destination: request.destination,
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
  const response = readMessage('LogoutResponse', parseLogoutResponseXml, xml);
  return {
    id: response.id,
    inResponseTo: response.inResponseTo,
    issuer: response.issuer,
    statusCode: response.statusCode,
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
  return buildLogoutResponseXml({ ...input, id: newSamlId() });
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
  return { id, xml: buildLogoutRequestXml({ ...input, id, nameIdFormat: NAMEID_EMAIL }) };
}
