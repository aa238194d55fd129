// Express router for the control API (base path /control/v1): bearer auth, JSON parsing, the route table of
// routes.ts, and one error middleware that renders through errors.ts (docs/control-api.openapi.yaml).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Router } from 'express';
import express from 'express';
import type { Logger } from '../http/logger.ts';
import { silentLogger } from '../http/logger.ts';
import { ControlApiError, controlErrorResponse } from './errors.ts';
import type { ControlService } from './port.ts';
import type { ControlRequest, ControlRoute } from './routes.ts';
import { controlRoutes } from './routes.ts';

export const CONTROL_BASE_PATH = '/control/v1';
export const ACTOR_HEADER = 'x-idsim-actor';

export interface ControlRouterOptions {
  /** the shared secret clients send as `Authorization: Bearer <controlToken>` */
  controlToken: string;
  /** receives unexpected errors (500s); defaults to dropping them */
  logger?: Logger;
  /** JSON body limit in bytes; default 1 MiB */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** RFC 6750 2.1 bearer header; compared through fixed-length digests in constant time. */
function requireControlToken(controlToken: string): RequestHandler {
  if (controlToken.length === 0) throw new Error('controlToken must not be empty');
  const expected = digest(controlToken);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    const presented = match?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      next(
        new ControlApiError(
          'unauthorized',
          'a valid control token is required (Authorization: Bearer <token>)',
        ),
      );
      return;
    }
    next();
  };
}

function stringParams(params: Request['params']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function toControlRequest(req: Request): ControlRequest {
  const actor = req.get(ACTOR_HEADER)?.trim();
  return {
    params: stringParams(req.params),
    query: req.query,
    body: req.body,
    actorId: actor === undefined || actor === '' ? null : actor,
  };
}

function expressHandler(service: ControlService, route: ControlRoute): RequestHandler {
  return (req, res) => {
    const result = route.handle(service, toControlRequest(req));
    if (result.body === undefined) res.status(result.status).end();
    else res.status(result.status).json(result.body);
  };
}

/** Builds the router; mount it at CONTROL_BASE_PATH. Every route of `controlRoutes` is registered, nothing else. */
export function createControlRouter(service: ControlService, options: ControlRouterOptions): Router {
  const logger = options.logger ?? silentLogger;
  const router = express.Router({ strict: false, caseSensitive: true });

  router.use(requireControlToken(options.controlToken));
  router.use(
    express.json({
      limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      type: ['application/json', 'application/*+json'],
    }),
  );
  for (const route of controlRoutes) {
    router[route.method](route.path, expressHandler(service, route));
  }
  router.use((req, _res, next) => {
    next(new ControlApiError('route_not_found', `no control route ${req.method} ${req.path}`));
  });
  const renderError: ErrorRequestHandler = (error, _req, res, _next) => {
    const response = controlErrorResponse(error, logger);
    if (response.headers) res.set(response.headers);
    res.status(response.status).json(response.body);
  };
  router.use(renderError);
  return router;
}
