// The SP side of single logout (HTTP-Redirect): reads the IdP's signed LogoutRequest/Response, writes the SP's own.
// SAML profiles 4.4.3-4.4.4, core 3.7.1-3.7.3 and 3.2.2.2, bindings 3.4.4.1 / 3.4.5.2; sessions live in signin/.
import { randomBytes } from 'node:crypto';
import {
  base64ToCertPem,
  buildLogoutRequestXml,
  buildLogoutResponseXml,
  buildRedirectQuery,
  decodeAndInflate,
  type LogoutRequestMessage,
  type LogoutResponseMessage,
  parseLogoutRequestXml,
  parseLogoutResponseXml,
  type RedirectMessage,
  readRedirectQuery,
  SamlXmlError,
  SIG_RSA_SHA1,
  STATUS_REQUESTER,
  samlId,
  verifyRedirectSignature,
} from '../../protocol/saml/index.ts';
import { SignInError } from '../signin/errors.ts';
import type { SpCredentials } from './sp-credentials.ts';
import type { SpEndpoints } from './sp-endpoints.ts';

/** What the SP knows of its IdP for one auth method, and its own key. */
export interface SloSettings {
  endpoints: SpEndpoints;
  idpEntityId: string;
  /** pinned IdP certificates (PEM or bare base64): the only keys logout messages may be signed with */
  idpCertificates: readonly string[];
  /** the IdP's SingleLogoutService (HTTP-Redirect); without it the SP cannot send or answer logout messages */
  idpSloUrl: string | undefined;
  credentials: SpCredentials;
  /** the method's legacy opt-in: accept an RSA-SHA1 SigAlg (default: `algorithm_forbidden`, as for Responses) */
  allowSha1?: boolean;
}

/** An authentic LogoutRequest: to be honoured, or (content checks failed) answered with a non-success status. */
export type ReceivedLogoutRequest =
  | { kind: 'valid'; request: LogoutRequestMessage; relayState: string | undefined }
  | { kind: 'invalid'; requestId: string; relayState: string | undefined; reason: string };

export interface ReceivedLogoutResponse {
  response: LogoutResponseMessage;
  relayState: string | undefined;
}

function asPem(cert: string): string {
  return cert.includes('-----BEGIN') ? cert : base64ToCertPem(cert);
}

/** Decodes the redirect message (bindings 3.4.4.1) and checks its query-string signature against the pinned certs. */
function readSigned(rawQuery: string, settings: SloSettings): { message: RedirectMessage; xml: string } {
  const message = readRedirectQuery(rawQuery);
  if (message === undefined || message.encoded === '') {
    throw new SignInError('logout_message_invalid', 'no SAMLRequest or SAMLResponse in the query');
  }
  // The SigAlg allow-list of the ACS (signature-policy.ts) holds for logout messages too: RSA-SHA1 only on opt-in.
  if (message.sigAlg === SIG_RSA_SHA1 && settings.allowSha1 !== true) {
    throw new SignInError('algorithm_forbidden', 'RSA-SHA1 SigAlg on a logout message');
  }
  // Profiles 4.4.4.1 / 4.4.4.2: logout messages must be authenticated; over the front-channel redirect binding that
  // is the query-string signature (bindings 3.4.4.1). Unsigned or not verifying with a pinned certificate: refused.
  if (!verifyRedirectSignature(message, settings.idpCertificates.map(asPem))) {
    throw new SignInError(
      'logout_signature_invalid',
      message.signature === undefined ? 'unsigned logout message' : 'signature does not verify',
    );
  }
  try {
    return { message, xml: decodeAndInflate(message.encoded) };
  } catch {
    throw new SignInError('logout_message_invalid', 'not base64 DEFLATE data');
  }
}

function parse<T>(what: string, parser: (xml: string) => T | undefined, xml: string): T {
  let parsed: T | undefined;
  try {
    parsed = parser(xml);
  } catch (error) {
    if (error instanceof SamlXmlError) throw new SignInError('logout_message_invalid', error.message);
    throw error;
  }
  if (parsed === undefined) throw new SignInError('logout_message_invalid', `not a samlp:${what}`);
  return parsed;
}

/**
 * An IdP's LogoutRequest at the SP's SLO URL. Throws `logout_signature_invalid` (unsigned, or not signed by a pinned
 * IdP certificate) and `logout_message_invalid` (unreadable): nothing about such a message can be trusted, so it is
 * refused without an answer. An authentic request whose content is wrong comes back as `invalid`, to be answered
 * with a Requester status (core 3.2.2.2) and honoured in nothing.
 */
export function readLogoutRequest(
  rawQuery: string,
  settings: SloSettings,
  nowMs: number,
): ReceivedLogoutRequest {
  const { message, xml } = readSigned(rawQuery, settings);
  if (message.param !== 'SAMLRequest')
    throw new SignInError('logout_message_invalid', 'expected SAMLRequest');
  const request = parse('LogoutRequest', parseLogoutRequestXml, xml);
  if (request.id === '') throw new SignInError('logout_message_invalid', 'LogoutRequest without ID');
  const invalid = (reason: string): ReceivedLogoutRequest => ({
    kind: 'invalid',
    requestId: request.id,
    relayState: message.relayState,
    reason,
  });
  if (request.issuer !== settings.idpEntityId) return invalid(`Issuer ${request.issuer}`);
  // Bindings 3.4.5.2: a signed message must carry the Destination it was sent to, and it must be this URL.
  if (request.destination !== settings.endpoints.sloUrl) {
    return invalid(`Destination ${request.destination ?? '(none)'}`);
  }
  // Core 3.7.1: NotOnOrAfter, when present, bounds the request's validity.
  if (request.notOnOrAfter !== undefined) {
    const until = Date.parse(request.notOnOrAfter);
    if (Number.isNaN(until) || nowMs >= until) return invalid('expired NotOnOrAfter');
  }
  if (request.nameId === '') return invalid('no NameID');
  return { kind: 'valid', request, relayState: message.relayState };
}

/**
 * The IdP's LogoutResponse to the SP's own LogoutRequest. Signature and readability as for requests; Issuer and
 * Destination must be the configured ones (`logout_response_invalid`). InResponseTo is the caller's to check.
 */
export function readLogoutResponse(rawQuery: string, settings: SloSettings): ReceivedLogoutResponse {
  const { message, xml } = readSigned(rawQuery, settings);
  if (message.param !== 'SAMLResponse')
    throw new SignInError('logout_message_invalid', 'expected SAMLResponse');
  const response = parse('LogoutResponse', parseLogoutResponseXml, xml);
  if (response.issuer !== settings.idpEntityId) {
    throw new SignInError('logout_response_invalid', `Issuer ${response.issuer}`);
  }
  if (response.destination !== settings.endpoints.sloUrl) {
    throw new SignInError('logout_response_invalid', `Destination ${response.destination ?? '(none)'}`);
  }
  if (response.statusCode === '')
    throw new SignInError('logout_message_invalid', 'LogoutResponse without Status');
  return { response, relayState: message.relayState };
}

function appendQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Core 3.7.2: the SP's signed LogoutResponse, sent back over the redirect binding; null without an IdP SLO URL. */
export function logoutResponseLocation(
  settings: SloSettings,
  input: { inResponseTo: string; statusCode: string; relayState: string | undefined; now: Date },
): string | null {
  if (settings.idpSloUrl === undefined) return null;
  const xml = buildLogoutResponseXml({
    id: samlId(randomBytes(20).toString('hex')),
    issuer: settings.endpoints.entityId,
    destination: settings.idpSloUrl,
    inResponseTo: input.inResponseTo,
    statusCode: input.statusCode,
    now: input.now,
  });
  // Bindings 3.4.3: RelayState comes back exactly as received.
  const query = buildRedirectQuery('SAMLResponse', xml, {
    relayState: input.relayState,
    signingKey: settings.credentials.privateKey,
  });
  return appendQuery(settings.idpSloUrl, query);
}

/** A LogoutRequest that could not be honoured is answered with Requester (core 3.2.2.2). */
export const LOGOUT_REQUEST_REFUSED_STATUS = STATUS_REQUESTER;

/**
 * Profiles 4.4.4.1: the SP-initiated LogoutRequest naming the session's NameID and SessionIndex, signed (the
 * requester must authenticate it) over the redirect binding; null without an IdP SLO URL.
 */
export function logoutRequestLocation(
  settings: SloSettings,
  input: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null; now: Date },
): { requestId: string; location: string } | null {
  if (settings.idpSloUrl === undefined) return null;
  const requestId = samlId(randomBytes(20).toString('hex'));
  const xml = buildLogoutRequestXml({
    id: requestId,
    issuer: settings.endpoints.entityId,
    destination: settings.idpSloUrl,
    nameId: input.nameId,
    nameIdFormat: input.nameIdFormat ?? undefined,
    sessionIndex: input.sessionIndex ?? undefined,
    now: input.now,
  });
  const query = buildRedirectQuery('SAMLRequest', xml, { signingKey: settings.credentials.privateKey });
  return { requestId, location: appendQuery(settings.idpSloUrl, query) };
}
