// Thin handlers of the OIDC sign-in pages: start, the redirection endpoint, the post-logout page, the portal's start.
// OIDC core 3.1.2.1 / 3.1.2.5, RP-Initiated Logout 1.0 section 3; the refusal path is runHandler's (one place).
import type { PageResult } from '../http/pages/views.ts';
import { SignInError } from '../signin/errors.ts';
import { type Handler, outcomeResult } from '../signin/handlers.ts';
import { readCookie } from '../signin/session.ts';
import { OIDC_PENDING_COOKIE, type OidcSignIn, type StartedRequest } from './oidc-signin.ts';

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new SignInError('bad_request', `missing ${name}`);
  return value;
}

function toOp(started: StartedRequest, oidc: OidcSignIn, secure: boolean): PageResult {
  return {
    status: 303,
    location: started.location,
    setCookies: [oidc.pendingCookie(started.pendingId, secure)],
    view: {
      type: 'message',
      title: 'Redirecting',
      message: 'Taking you to your identity provider.',
      links: [],
    },
  };
}

export interface OidcHandlers {
  start: Handler;
  callback: Handler;
  signedOut: Handler;
  portal: Handler;
}

export function oidcHandlers(oidc: OidcSignIn): OidcHandlers {
  return {
    /** GET /oidc/:methodId/login[?invite=…][&RelayState=/path]: same parameters as the SAML start. */
    start: async (request) =>
      toOp(
        await oidc.startTeam(required(request.params.methodId, 'methodId'), {
          inviteToken: request.query.invite,
          landingPath: request.query.RelayState,
        }),
        oidc,
        request.secure,
      ),
    /** GET /oidc/:methodId/callback?code=…&state=…: the redirection endpoint (OIDC core 3.1.2.5). */
    callback: async (request, deps) => {
      const methodId = required(request.params.methodId, 'methodId');
      const callbackUrl = new URL(oidc.redirectUri(methodId));
      callbackUrl.search = request.rawQuery;
      const pendingId = readCookie(request.cookieHeader, OIDC_PENDING_COOKIE);
      const { outcome, pendingId: next } = await oidc.callback(methodId, callbackUrl, pendingId);
      const result = outcomeResult(outcome, request, deps);
      const cookie =
        next === undefined
          ? oidc.clearedPendingCookie(request.secure)
          : oidc.pendingCookie(next, request.secure);
      return { ...result, setCookies: [...(result.setCookies ?? []), cookie] };
    },
    signedOut: () => ({ status: 200, view: { type: 'signed_out', complete: true } }),
    /** GET /:org/login/sso when the portal's method is OIDC (ORG-01). */
    portal: async (request) =>
      toOp(
        await oidc.startPortal(required(request.params.org, 'org'), {
          landingPath: request.query.RelayState,
        }),
        oidc,
        request.secure,
      ),
  };
}
