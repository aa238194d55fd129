// The plain request/response values SCIM handlers take and return, and the body/precondition readers they share.
// RFC 7644 3.1 (media type), 3.12 (invalidSyntax), 3.14 (If-Match / If-None-Match).

import { ScimError } from '../../protocol/scim/error.ts';
import type { ScimPrecondition } from '../../protocol/scim/etag.ts';
import { parseScimPrecondition, preconditionMatches } from '../../protocol/scim/etag.ts';
import type { ScimQueryParams } from '../../protocol/scim/list-query.ts';
import type { ScimTenant } from './directory.ts';

/** One SCIM request as a value: the express route builds it, a handler consumes it. */
export interface ScimHttpRequest {
  method: string;
  /** route parameters, e.g. { id } */
  params: Readonly<Record<string, string | undefined>>;
  query: ScimQueryParams;
  /** lower-case header names, as node's IncomingHttpHeaders */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** raw body bytes, undefined when the request has none */
  body: Buffer | undefined;
  /** absolute URL of the SCIM root without trailing slash, e.g. http://127.0.0.1:3000/scim/v2 */
  baseUrl: string;
  /** who the bearer key belongs to */
  tenant: ScimTenant;
}

export interface ScimHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value to send; undefined for 204/304 */
  body?: unknown;
}

/** Every SCIM endpoint handler: a request value in, a response value out; errors are thrown. */
export type ScimHandler = (request: ScimHttpRequest) => ScimHttpResponse;

/** Tunables of the SCIM handlers, with defaults in DEFAULT_SCIM_HANDLER_SETTINGS. */
export interface ScimHandlerSettings {
  /** RFC 7644 3.4.2.4: largest page; advertised as filter.maxResults */
  maxResults: number;
  /** page size when the client sends no count */
  defaultCount: number;
  /** most PATCH operations in one request */
  maxPatchOperations: number;
}

export const DEFAULT_SCIM_HANDLER_SETTINGS: ScimHandlerSettings = {
  maxResults: 1000,
  defaultCount: 100,
  maxPatchOperations: 1000,
};

/** Media types accepted for request bodies (RFC 7644 3.1: application/scim+json; application/json is tolerated). */
const JSON_MEDIA_TYPE = /^application\/(?:scim\+)?json\s*(?:;|$)/i;

/**
 * Parses the request body as JSON once. A content type other than (scim+)json → 415; an empty or malformed body →
 * 400 invalidSyntax. A request without Content-Type is read as JSON (tolerance).
 */
export function readScimJsonBody(request: ScimHttpRequest): unknown {
  const contentType = headerValue(request, 'content-type');
  if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType)) {
    throw new ScimError(415, undefined, 'the request body must be application/scim+json');
  }
  if (request.body === undefined || request.body.length === 0) {
    throw new ScimError(400, 'invalidSyntax', 'the request body is empty');
  }
  if (jsonNestingExceeds(request.body, MAX_JSON_DEPTH)) {
    throw new ScimError(400, 'invalidSyntax', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'the request body is not valid JSON');
  }
}

/** SCIM resources nest a few levels; deeper bodies are refused so recursive PATCH code cannot overflow the stack. */
export const MAX_JSON_DEPTH = 32;

/** One pass over the bytes counting open brackets outside strings; no parse. */
function jsonNestingExceeds(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c)
        index += 1; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth -= 1;
  }
  return false;
}

/** The route's `id` parameter. */
export function resourceId(request: ScimHttpRequest): string {
  const id = request.params.id;
  if (id === undefined || id === '') throw new ScimError(404, undefined, 'resource not found');
  return id;
}

export function ifMatch(request: ScimHttpRequest): ScimPrecondition {
  return parseScimPrecondition(headerValue(request, 'if-match'));
}

/**
 * Resolves If-Match against the current version (RFC 7644 3.14): returns the version to hand to the directory as
 * expectedVersion, or undefined when the request has no If-Match. A mismatch → 412.
 */
export function expectedVersionFor(
  precondition: ScimPrecondition,
  currentVersion: () => number,
): number | undefined {
  if (precondition.kind === 'none') return undefined;
  const version = currentVersion();
  if (!preconditionMatches(precondition, version)) {
    throw new ScimError(412, undefined, 'the resource version does not match If-Match');
  }
  return version;
}

/** RFC 7644 3.14 / RFC 7232 3.2: GET with If-None-Match naming the current version → 304. */
export function notModified(request: ScimHttpRequest, version: number): boolean {
  const precondition = parseScimPrecondition(headerValue(request, 'if-none-match'));
  if (precondition.kind === 'none') return false;
  return precondition.kind === 'any' || preconditionMatches(precondition, version);
}

/** One header as a string; repeated headers are joined with ", " (RFC 9110 5.3). */
export function headerValue(request: ScimHttpRequest, lowerName: string): string | undefined {
  const value = request.headers[lowerName];
  return Array.isArray(value) ? value.join(', ') : value;
}
