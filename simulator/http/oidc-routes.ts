// The OIDC provider's routes: our interaction pages (login, assignment check), logout ending the shared IdP
// session, and oidc-provider mounted at Okta's /oauth2/default. OIDC core 3.1, RP-Initiated Logout 1.0 section 2.

import { type Request, type Response, Router, urlencoded } from 'express';
import type { InteractionOutcome, OidcProvider } from '../oidc/provider.ts';
import { OIDC_INTERACTION_PATH, OIDC_MOUNT_PATH } from '../oidc/provider.ts';
import type { SessionStore } from '../saml/session.ts';
import { renderErrorPage, renderLoginPage } from './pages.ts';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie.ts';

function bodyString(req: Request, name: string): string {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** Maps an interaction outcome onto the response (oidc-provider has already answered a `finished` one). */
function send(res: Response, outcome: InteractionOutcome): void {
  if (outcome.kind === 'finished') return;
  res.set('cache-control', 'no-store');
  if (outcome.kind === 'login-form') {
    res
      .status(outcome.status)
      .type('html')
      .send(renderLoginPage(undefined, outcome.error, { action: outcome.action }));
    return;
  }
  const title = outcome.code === 'not_assigned' ? 'You are not assigned to this app' : 'Sign-in refused';
  res
    .status(outcome.status)
    .type('html')
    .send(renderErrorPage(title, outcome.code, outcome.message));
}

export function oidcRoutes(oidc: OidcProvider, sessions: SessionStore, secure: () => boolean): Router {
  const router = Router();
  const form = urlencoded({ extended: false, limit: '64kb' });

  router.get(`${OIDC_INTERACTION_PATH}/:uid`, async (req, res) => {
    send(res, await oidc.interaction(req, res, readSessionCookie(req)));
  });

  router.post(`${OIDC_INTERACTION_PATH}/:uid/login`, form, async (req, res) => {
    // The IdP session cookie is set before oidc-provider answers (its cookies append to the same Set-Cookie list).
    const outcome = await oidc.login(
      req,
      res,
      { login: bodyString(req, 'login'), password: bodyString(req, 'password') },
      (sessionId) => res.append('set-cookie', sessionCookie(sessionId, secure())),
    );
    send(res, outcome);
  });

  // RP-Initiated Logout 1.0 section 2: signing out at the OP ends the IdP session for SAML apps too.
  router.post(`${OIDC_MOUNT_PATH}/v1/logout/confirm`, (req, res, next) => {
    const session = sessions.get(readSessionCookie(req));
    if (session !== undefined) sessions.end(session.id);
    res.append('set-cookie', clearedSessionCookie());
    next();
  });

  router.use(OIDC_MOUNT_PATH, (req, res) => {
    void oidc.provider.callback()(req, res);
  });
  return router;
}
