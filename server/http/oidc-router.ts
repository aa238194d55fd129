// Thin express routes of the OIDC relying party (per team auth method) and the portal's OIDC start.
// OIDC core 3.1.2.1 (authentication request), 3.1.2.5 (redirection endpoint); RP-Initiated Logout 1.0 section 3.
import express, { type RequestHandler, type Router } from 'express';
import { oidcHandlers } from '../oidc/handlers.ts';
import { OidcSignIn } from '../oidc/oidc-signin.ts';
import type { HandlerDeps } from '../signin/handlers.ts';
import { route } from './saml-router.ts';

function oidcOf(deps: HandlerDeps): OidcSignIn {
  if (!(deps.oidc instanceof OidcSignIn)) throw new Error('OIDC sign-in is not configured');
  return deps.oidc;
}

/** Mount at `/oidc`: `GET /:methodId/login`, `GET /:methodId/callback`, `GET /:methodId/signed-out`. */
export function createOidcRouter(deps: HandlerDeps): Router {
  const handlers = oidcHandlers(oidcOf(deps));
  const router = express.Router();
  router.get('/:methodId/login', route(handlers.start, deps));
  router.get('/:methodId/callback', route(handlers.callback, deps));
  router.get('/:methodId/signed-out', route(handlers.signedOut, deps));
  return router;
}

/** ORG-01: the portal's SSO start goes to the OIDC method when the organisation's portal uses one. */
export function oidcPortalFirst(deps: HandlerDeps): RequestHandler {
  const oidc = oidcOf(deps);
  const portal = route(oidcHandlers(oidc).portal, deps);
  return (req, res, next) => {
    const org = req.params.org;
    if (typeof org === 'string' && oidc.servesPortal(org)) void portal(req, res, next);
    else next();
  };
}
