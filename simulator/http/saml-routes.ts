// The IdP's browser routes: metadata, SSO (redirect and POST bindings), login, resume, IdP-initiated start, logout.
// SAML bindings 3.4 / 3.5, profiles 4.1 / 4.4; route layout echoes saml-idp's (/metadata, /saml/sso, /saml/slo).

import { type Request, type Response, Router, urlencoded } from 'express';
import { renderAutoPostForm } from '../saml/html-form.ts';
import type { IdentityProvider, IdpOutcome } from '../saml/idp.ts';
import { renderHomePage, renderLoginPage, renderMessagePage } from './pages.ts';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie.ts';

function rawQuery(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? '' : req.originalUrl.slice(q + 1);
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function bodyString(req: Request, name: string): string {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** After a POST, the browser must GET the next page (RFC 9110 15.4.4): redirects become 303. */
function sendAfterPost(res: Response, outcome: IdpOutcome, secure: boolean): void {
  if (outcome.kind === 'redirect') {
    if (outcome.setSessionId !== undefined)
      res.append('set-cookie', sessionCookie(outcome.setSessionId, secure));
    res.set('cache-control', 'no-store').redirect(303, outcome.location);
    return;
  }
  send(res, outcome, secure);
}

/** Maps a flow outcome onto the response; the only place the browser routes write. */
function send(res: Response, outcome: IdpOutcome, secure: boolean): void {
  res.set('cache-control', 'no-store');
  if ('setSessionId' in outcome && outcome.setSessionId !== undefined) {
    res.append('set-cookie', sessionCookie(outcome.setSessionId, secure));
  }
  if ('clearSession' in outcome && outcome.clearSession === true)
    res.append('set-cookie', clearedSessionCookie());
  switch (outcome.kind) {
    case 'post-form':
      res.status(200).type('html').send(renderAutoPostForm(outcome.action, outcome.fields));
      return;
    case 'redirect':
      res.redirect(302, outcome.location);
      return;
    case 'login-form':
      res
        .status(outcome.status)
        .type('html')
        .send(
          renderLoginPage(outcome.contextId, outcome.error, {
            loginHint: res.locals.loginHint as string | undefined,
          }),
        );
      return;
    case 'page':
      res.status(outcome.status).type('html').send(renderMessagePage(outcome.title, outcome.message));
      return;
  }
}

export interface SamlRouteOptions {
  /** a line on the login page, e.g. the demo's test password (SimulatorConfig.loginHint) */
  loginHint?: string | undefined;
}

export function samlRoutes(idp: IdentityProvider, options: SamlRouteOptions = {}): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals.loginHint = options.loginHint;
    next();
  });
  const form = urlencoded({ extended: false, limit: '256kb' });
  const secure = (): boolean => idp.endpoints.baseUrl.startsWith('https:');

  router.get('/', (req, res) => {
    const session = idp.sessions.get(readSessionCookie(req));
    const person = session === undefined ? undefined : idp.directory.getPerson(session.personId);
    const apps =
      person === undefined ? [] : idp.directory.listApps().filter((a) => idp.directory.isAssigned(a, person));
    res.type('html').send(renderHomePage(person, apps));
  });

  router.get('/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(idp.metadataXml());
  });

  router.get('/saml/sso', async (req, res) => {
    send(res, await idp.receiveAuthnRequest(rawQuery(req), readSessionCookie(req)), secure());
  });

  // Bindings 3.5: the HTTP-POST binding; the flow answers on GET /saml/sso/continue (see receiveAuthnRequestPost).
  router.post('/saml/sso', form, (req, res) => {
    const outcome = idp.receiveAuthnRequestPost({
      samlRequest: bodyString(req, 'SAMLRequest'),
      relayState: bodyString(req, 'RelayState'),
    });
    sendAfterPost(res, outcome, secure());
  });

  router.get('/saml/sso/continue', async (req, res) => {
    send(
      res,
      await idp.continueAuthnRequest(queryString(req, 'ctx') ?? '', readSessionCookie(req)),
      secure(),
    );
  });

  router.get('/saml/resume', async (req, res) => {
    send(res, await idp.resume(queryString(req, 'ctx') ?? '', readSessionCookie(req)), secure());
  });

  router.get('/apps/:appId/sso', async (req, res) => {
    const outcome = await idp.startIdpInitiated(
      req.params.appId,
      readSessionCookie(req),
      queryString(req, 'RelayState'),
    );
    send(res, outcome, secure());
  });

  router.get('/login', (req, res) => {
    send(res, idp.loginForm(queryString(req, 'ctx')), secure());
  });

  router.post('/login', form, (req, res) => {
    const ctx = bodyString(req, 'ctx');
    const outcome = idp.login({
      login: bodyString(req, 'login'),
      password: bodyString(req, 'password'),
      contextId: ctx === '' ? undefined : ctx,
    });
    sendAfterPost(res, outcome, secure());
  });

  router.get('/saml/slo', async (req, res) => {
    send(res, await idp.receiveLogout(rawQuery(req), readSessionCookie(req)), secure());
  });

  return router;
}
