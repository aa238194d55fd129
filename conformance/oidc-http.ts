// The OIDC capability over HTTP: the relying party's URLs (login, redirect URI, post-logout) and how the page where
// a sign-in stopped is read (a stable refusal code in JSON, data-error-code, or a redirect's query). Issue #14.
import { type OutcomeMode, readSignInOutcome } from './saml-http.ts';
import type { OidcDriver, SignInOutcome } from './target.ts';

export interface OidcDriverSettings {
  loginUrl: (methodId?: string) => string;
  redirectUri: (methodId?: string) => string;
  postLogoutRedirectUri: (methodId?: string) => string | null;
  client: { clientId: string; clientSecret: string } | null;
  issuerPort: number | null;
  outcome: { mode: OutcomeMode; errorParam: string };
}

/** The same reading as a SAML ACS answer, plus the landing page kind (`data-landing`) of an HTML page. */
export function readOidcOutcome(
  page: { status: number; body: string; json: unknown; landedAt: string },
  outcome: OidcDriverSettings['outcome'],
): SignInOutcome {
  const read = readSignInOutcome(
    {
      status: page.status,
      headers: { location: page.landedAt },
      json: page.json,
      text: page.body,
      setCookies: [],
    },
    outcome.mode,
    outcome.errorParam,
  );
  const landing = read.accepted
    ? (read.landing ?? /data-landing="([a-z]+)"/.exec(page.body)?.[1] ?? null)
    : null;
  return { ...read, location: page.landedAt, landing };
}

export function createOidcDriver(settings: OidcDriverSettings): OidcDriver {
  return {
    loginUrl: settings.loginUrl,
    redirectUri: settings.redirectUri,
    postLogoutRedirectUri: settings.postLogoutRedirectUri,
    client: settings.client,
    issuerPort: settings.issuerPort,
    readOutcome: (page) => readOidcOutcome(page, settings.outcome),
  };
}
