// The express router for the SCIM API mounted at /scim/v2: bearer auth, raw body, thin routes, one error renderer.
// RFC 7644 3.1 (media type), 3.12 (errors), 4 (endpoints); RFC 6750 2.1 (Bearer header); KEY-04, OKT-01.

import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { ScimError } from '../../protocol/scim/error.ts';
import { SCIM_CONTENT_TYPE } from '../../protocol/scim/schemas.ts';
import type { ScimDirectory, ScimTenant } from '../scim/directory.ts';
import { createScimDiscoveryHandlers } from '../scim/discovery.ts';
import { renderScimError } from '../scim/errors.ts';
import type {
  ScimHandler,
  ScimHandlerSettings,
  ScimHttpRequest,
  ScimHttpResponse,
} from '../scim/exchange.ts';
import { DEFAULT_SCIM_HANDLER_SETTINGS } from '../scim/exchange.ts';
import { createScimGroupHandlers } from '../scim/groups.ts';
import { createScimUserHandlers } from '../scim/users.ts';
import type { TrafficRecorder } from '../traffic/recorder.ts';
import { recordableHeaders } from '../traffic/recorder.ts';
import type { Logger } from './logger.ts';
import { describeThrown } from './logger.ts';

export interface ScimRouterOptions {
  /** Largest accepted request body in bytes (default 1 MiB); larger → 413 SCIM error. */
  maxBodyBytes?: number | undefined;
  /** Where unexpected errors are logged (never sent to the client). */
  logger?: Logger | undefined;
  /** Page sizes and PATCH limits; see DEFAULT_SCIM_HANDLER_SETTINGS. */
  settings?: Partial<ScimHandlerSettings> | undefined;
  /**
   * Public origin (and optional path prefix) used in meta.location, Location and $ref, e.g. https://idsim.example;
   * the router's mount path is appended. Default: the request's protocol and Host header.
   */
  publicBaseUrl?: string | undefined;
  /** receives every request and its answer while someone subscribes (the demo console's timeline) */
  traffic?: TrafficRecorder | undefined;
}

export const DEFAULT_SCIM_MAX_BODY_BYTES = 1024 * 1024;

const RESPONSE_CONTENT_TYPE = `${SCIM_CONTENT_TYPE}; charset=utf-8`;

/** RFC 6750 2.1: `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 9110 11.1). */
const BEARER = /^Bearer +([^\s]+) *$/i;

export function createScimRouter(directory: ScimDirectory, options: ScimRouterOptions = {}): express.Router {
  const settings: ScimHandlerSettings = { ...DEFAULT_SCIM_HANDLER_SETTINGS, ...options.settings };
  const logger = options.logger;
  const publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '');
  const traffic = options.traffic;
  const users = createScimUserHandlers(directory, settings);
  const groups = createScimGroupHandlers(directory, settings);
  const discovery = createScimDiscoveryHandlers(settings);
  const router = express.Router();

  // KEY-04: every SCIM request needs an ACTIVE key of a team with SCIM on; the directory throws otherwise.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    const key = match?.[1];
    if (key === undefined) throw new ScimError(401, undefined, 'missing bearer API key');
    res.locals.scimTenant = directory.authenticate(key);
    next();
  });
  const readBody = express.raw({
    type: () => true,
    limit: options.maxBodyBytes ?? DEFAULT_SCIM_MAX_BODY_BYTES,
  });
  // Only POST, PUT and PATCH carry a SCIM body (RFC 7644 3.3, 3.5); reading an empty body on GET/DELETE would still
  // cost a stream round trip when a client sends Content-Length: 0.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') readBody(req, res, next);
    else next();
  });

  const route = (handler: ScimHandler) => (req: Request, res: Response) => {
    const response = handler(toScimRequest(req, res, publicBaseUrl));
    const text = writeResponse(res, response);
    if (traffic?.active) recordExchange(traffic, req, res, text);
  };
  const notSupported = (what: string) => () => {
    // RFC 7644 3.12: 501 Not Implemented for operations the provider does not support (ServiceProviderConfig says so).
    throw new ScimError(501, undefined, `${what} is not supported`);
  };
  const methodNotAllowed = () => {
    throw new ScimError(405, undefined, 'method not allowed on this endpoint');
  };

  // Before the /:id routes, which would take ".search" for an id. RFC 7644 3.4.3: .search is POST only.
  router.post('/Users/.search', route(users.search));
  router.post('/Groups/.search', route(groups.search));
  router.all(['/Users/.search', '/Groups/.search'], methodNotAllowed);

  router.get('/Users', route(users.list));
  router.post('/Users', route(users.create));
  router.all('/Users', methodNotAllowed);
  router.get('/Users/:id', route(users.get));
  router.put('/Users/:id', route(users.replace));
  router.patch('/Users/:id', route(users.patch));
  router.delete('/Users/:id', route(users.remove));
  router.all('/Users/:id', methodNotAllowed);

  router.get('/Groups', route(groups.list));
  router.post('/Groups', route(groups.create));
  router.all('/Groups', methodNotAllowed);
  router.get('/Groups/:id', route(groups.get));
  router.put('/Groups/:id', route(groups.replace));
  router.patch('/Groups/:id', route(groups.patch));
  router.delete('/Groups/:id', route(groups.remove));
  router.all('/Groups/:id', methodNotAllowed);

  router.get('/ServiceProviderConfig', route(discovery.serviceProviderConfig));
  router.get('/Schemas', route(discovery.schemas));
  router.get('/Schemas/:id', route(discovery.schema));
  router.get('/ResourceTypes', route(discovery.resourceTypes));
  router.get('/ResourceTypes/:id', route(discovery.resourceType));
  router.all(
    ['/ServiceProviderConfig', '/Schemas', '/Schemas/:id', '/ResourceTypes', '/ResourceTypes/:id'],
    methodNotAllowed,
  );

  router.all('/Bulk', notSupported('bulk'));
  router.all('/Me', notSupported('/Me'));
  // A query across resource types at the root, by GET /?filter= (RFC 7644 3.4.2.1) or POST /.search (3.4.3), is
  // not offered: no IdP dialect uses it. Both forms answer the same 501 SCIM error (idsim issue #12).
  router.get('/', notSupported('a query across resource types at the root (GET /)'));
  router.all('/.search', notSupported('POST /.search across resource types'));

  router.use(() => {
    throw new ScimError(404, undefined, 'no such SCIM endpoint');
  });

  // One error renderer for everything thrown above, including express.raw's size/encoding errors.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const rendered = renderScimError(error, (unknown) =>
      logger?.error('unexpected SCIM error', describeThrown(unknown)),
    );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = writeResponse(res, rendered);
    if (traffic?.active) recordExchange(traffic, req, res, text);
  });

  return router;
}

function toScimRequest(req: Request, res: Response, publicBaseUrl: string | undefined): ScimHttpRequest {
  const tenant = res.locals.scimTenant as ScimTenant;
  const body: unknown = req.body;
  return {
    method: req.method,
    params: req.params as Record<string, string | undefined>,
    query: req.query as Record<string, string | string[] | undefined>,
    headers: req.headers,
    body: Buffer.isBuffer(body) ? body : undefined,
    baseUrl: `${publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${req.baseUrl}`,
    tenant,
  };
}

/**
 * Writes status, headers and a JSON body with the SCIM media type; res.end skips express's own ETag work. Returns
 * the body text sent (null without a body), so the traffic recorder need not serialise it again.
 */
function writeResponse(res: Response, response: ScimHttpResponse): string | null {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.body === undefined || response.status === 204 || response.status === 304) {
    res.end();
    return null;
  }
  res.setHeader('Content-Type', RESPONSE_CONTENT_TYPE);
  const text = JSON.stringify(response.body);
  res.end(text);
  return text;
}

/** Hands the exchange to the recorder: only runs while someone subscribes. */
function recordExchange(
  traffic: TrafficRecorder,
  req: Request,
  res: Response,
  responseBody: string | null,
): void {
  const body: unknown = req.body;
  traffic.record({
    kind: 'scim',
    method: req.method,
    path: req.originalUrl,
    requestHeaders: recordableHeaders(req.headers),
    requestBody: Buffer.isBuffer(body) && body.length > 0 ? body.toString('utf8') : null,
    status: res.statusCode,
    responseHeaders: recordableHeaders(res.getHeaders()),
    responseBody,
    client: req.get('user-agent') ?? 'unknown',
  });
}
