// Thin express routes of the SAML SP: metadata, SP-initiated start, the ACS and single logout, per team auth method.
// SAML metadata 2.0 4.1 (application/samlmetadata+xml), bindings 3.4 (Redirect) / 3.5 (POST); idsim issue #3.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { SignInError, toSignInError } from '../signin/errors.ts';
import {
  assertionConsumer,
  type Handler,
  type HandlerDeps,
  refusalView,
  runHandler,
  type SignInRequest,
  singleLogoutService,
  startSamlSignIn,
} from '../signin/handlers.ts';
import type { TrafficRecorder } from '../traffic/recorder.ts';
import { toHttpReply } from './pages/render.ts';
import type { PageResult } from './pages/views.ts';

/** ACS bodies carry one base64 Response; 512 KiB leaves room for certificates and encryption. */
const MAX_FORM_BYTES = 512 * 1024;

function flat(record: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof record !== 'object' || record === null) return out;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The query string exactly as received (bindings 3.4.4.1 signs the URL-encoded octets, not decoded values). */
function rawQueryOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
}

/** The request value handlers see. */
export function signInRequestOf(req: Request): SignInRequest {
  return {
    params: flat(req.params),
    query: flat(req.query),
    rawQuery: rawQueryOf(req),
    form: flat(req.body),
    cookieHeader: req.headers.cookie,
    secure: req.secure,
  };
}

/** Runs `handler` and copies its reply onto `res` (status, headers, body): the whole of an express route. */
export function route(handler: Handler, deps: HandlerDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const result = await runHandler(handler, signInRequestOf(req), deps);
    const reply = toHttpReply(result, req.headers.accept);
    res.status(reply.status).set(reply.headers).send(reply.body);
  };
}

/**
 * `route` for the endpoints that validate a SAML message (ACS, SLO): when someone listens, the message as received
 * and the SP's verdict (the refusal page's stable code) go to the traffic recorder, whatever client sent it.
 */
function recordedRoute(
  handler: Handler,
  deps: HandlerDeps,
  traffic: TrafficRecorder | undefined,
  binding: 'HTTP-Redirect' | 'HTTP-POST',
): RequestHandler {
  return async (req: Request, res: Response) => {
    const request = signInRequestOf(req);
    const result = await runHandler(handler, request, deps);
    const reply = toHttpReply(result, req.headers.accept);
    res.status(reply.status).set(reply.headers).send(reply.body);
    if (traffic?.active) recordSamlMessage(traffic, req, request, result, binding);
  };
}

function recordSamlMessage(
  traffic: TrafficRecorder,
  req: Request,
  request: SignInRequest,
  result: PageResult,
  binding: 'HTTP-Redirect' | 'HTTP-POST',
): void {
  const fields = binding === 'HTTP-POST' ? request.form : request.query;
  for (const parameter of ['SAMLResponse', 'SAMLRequest'] as const) {
    const encoded = fields[parameter];
    if (encoded === undefined || encoded === '') continue;
    const refused = result.view.type === 'refusal';
    traffic.record({
      kind: 'saml',
      endpoint: `${req.method} ${req.baseUrl}${req.path}`,
      binding,
      parameter,
      encoded,
      verdict: refused ? 'refused' : 'accepted',
      code: result.view.type === 'refusal' ? result.view.code : null,
      status: result.status,
      client: req.get('user-agent') ?? 'unknown',
    });
  }
}

/** Form parser whose own failures (too large, bad encoding) become a refusal page, not express's error page. */
export function formParser(deps: HandlerDeps): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        next();
        return;
      }
      const reply = toHttpReply(
        { status: 400, view: refusalView(new SignInError('bad_request', 'unreadable form')) },
        req.headers.accept,
      );
      deps.logger.info('unreadable sign-in form', { path: req.path });
      res.status(400).set(reply.headers).send(reply.body);
    });
  };
}

/** Mount at `/saml`: `GET /:methodId/metadata`, `GET /:methodId/login`, `POST /:methodId/acs`, `GET /:methodId/slo`. */
export function createSamlRouter(deps: HandlerDeps, traffic?: TrafficRecorder): Router {
  const router = express.Router();
  router.get('/:methodId/metadata', (req, res) => {
    try {
      const xml = deps.signIn.spMetadata(req.params.methodId ?? '');
      res.status(200).type('application/samlmetadata+xml').send(xml);
    } catch (thrown) {
      const error = toSignInError(thrown);
      const reply = toHttpReply({ status: error.status, view: refusalView(error) }, req.headers.accept);
      res.status(reply.status).set(reply.headers).send(reply.body);
    }
  });
  router.get('/:methodId/login', route(startSamlSignIn, deps));
  router.post(
    '/:methodId/acs',
    formParser(deps),
    recordedRoute(assertionConsumer, deps, traffic, 'HTTP-POST'),
  );
  router.get('/:methodId/slo', recordedRoute(singleLogoutService, deps, traffic, 'HTTP-Redirect'));
  return router;
}
