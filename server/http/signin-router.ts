// Thin express routes of the sign-in pages (password, sign-up, invites, linking, reset, portal, landing pages) and the
// mounts the app factory adds. Catalogue JIT-04..07, DEA-02, REM-02, SSO-02..05, PRV-10, ORG-01..05; idsim issue #3.
import express, { type Router } from 'express';
import type { RouterMount } from '../config.ts';
import { OidcSignIn } from '../oidc/oidc-signin.ts';
import type { IdTokenRecord } from '../oidc/relying-party.ts';
import { OidcRelyingParty } from '../oidc/relying-party.ts';
import { StoreReplayCache } from '../saml/replay-cache.ts';
import { StoreRequestIdCache } from '../saml/request-id-cache.ts';
import { loadSpCredentials } from '../saml/sp-credentials.ts';
import type { TeamService } from '../service/team-service.ts';
import {
  confirmLink,
  forgotPassword,
  forgotPasswordPage,
  type HandlerDeps,
  invitePage,
  inviteSso,
  organisationHome,
  personalHome,
  personalLogin,
  personalLoginPage,
  portalPage,
  portalSso,
  resetPassword,
  resetPasswordPage,
  signOut,
  signUp,
  signUpPage,
  teamHome,
  teamLogin,
  teamLoginPage,
} from '../signin/handlers.ts';
import { type AuthMethodDirectory, directoryFromService } from '../signin/port.ts';
import { SessionCodec } from '../signin/session.ts';
import { SessionRevocations, StoreRevocationLog } from '../signin/session-revocations.ts';
import {
  newSessionSecret,
  type ResetOutbox,
  SignInService,
  type SignInServiceOptions,
} from '../signin/signin-service.ts';
import type { Store } from '../store/store.ts';
import { createOidcRouter, oidcPortalFirst } from './oidc-router.ts';
import { createSamlRouter, formParser, route } from './saml-router.ts';

/** The name of the session cookie's HMAC key among the store's server secrets. */
const SESSION_SECRET_NAME = 'sp-session-hmac';

/** The SAML state options of the SignInService, kept in `store` (or left to its in-memory defaults). */
function storedSpState(
  store: Store | undefined,
): Pick<SignInServiceOptions, 'replayCache' | 'requestIds' | 'pendingLogouts' | 'revocations'> {
  if (store === undefined) return {};
  return {
    replayCache: new StoreReplayCache(store.usedAssertions),
    requestIds: new StoreRequestIdCache(store.pendingSamlRequests, 'authn'),
    pendingLogouts: new StoreRequestIdCache(store.pendingSamlRequests, 'logout'),
    revocations: new SessionRevocations(new StoreRevocationLog(store.sessionRevocations)),
  };
}

/** Mount at `/`. Organisation paths (`/:org/...`) come last so fixed paths win. */
export function createSignInRouter(deps: HandlerDeps): Router {
  const router = express.Router();
  const form = formParser(deps);
  router.get('/login', route(personalLoginPage, deps));
  router.post('/login', form, route(personalLogin, deps));
  router.post('/logout', route(signOut, deps));
  router.get('/signup', route(signUpPage, deps));
  router.post('/signup', form, route(signUp, deps));
  router.get('/home', route(personalHome, deps));
  router.get('/forgot-password', route(forgotPasswordPage, deps));
  router.post('/forgot-password', form, route(forgotPassword, deps));
  router.get('/reset-password', route(resetPasswordPage, deps));
  router.post('/reset-password', form, route(resetPassword, deps));
  router.get('/invites/:token', route(invitePage, deps));
  router.post('/invites/:token', form, route(inviteSso, deps));
  router.post('/link/:ticket', form, route(confirmLink, deps));
  router.get('/teams/:teamId/login', route(teamLoginPage, deps));
  router.post('/teams/:teamId/login', form, route(teamLogin, deps));
  router.get('/teams/:teamId/home', route(teamHome, deps));
  router.get('/:org/login', route(portalPage, deps));
  router.get('/:org/login/sso', oidcPortalFirst(deps), route(portalSso, deps));
  router.get('/:org/home', route(organisationHome, deps));
  return router;
}

export interface SignInMountOptions {
  /** auth methods by id and the portal's method; default: the service's own lookups (see port.ts) */
  directory?: AuthMethodDirectory;
  /**
   * 32+ bytes; default: the `store`'s persistent secret (sessions outlive a restart of a file-backed server), or
   * random per process without a store
   */
  sessionSecret?: Buffer;
  /**
   * Where the SP keeps what protects a sign-in across restarts (idsim issue #10): used assertion IDs, pending
   * AuthnRequests and LogoutRequests, SAML sessions ended by single logout, the session secret. createServer passes
   * its Store; without one they live in process memory.
   */
  store?: Store;
  /** where reset links go; default: the team service's outbox (read through the control route GET /outbox) */
  outbox?: ResetOutbox;
  clockSkewMs?: number;
  allowIdpInitiated?: boolean;
  /**
   * The SP's key pair as two PEM files (private key, X.509 certificate): signs logout messages, decrypts
   * EncryptedAssertions, published in SP metadata. Both or neither; default: the TEST-ONLY pair in
   * server/saml/fixtures (see its README).
   */
  spKeyFile?: string;
  spCertFile?: string;
  /** receives the SignInService once the app builds it (tests, benches, the demo CLI) */
  onReady?: (signIn: SignInService, oidc: OidcSignIn) => void;
  /** receives every ID token the OIDC relying party checked, decoded, with its verdict (the console's timeline) */
  onIdToken?: (record: IdTokenRecord) => void;
}

/**
 * The two mounts createServer adds by default (config.signIn): `/saml` (SP) and `/` (sign-in pages). They share one
 * SignInService built from the app's TeamService on first `create`.
 */
export function createSignInMounts(options: SignInMountOptions = {}): RouterMount<TeamService>[] {
  if ((options.spKeyFile === undefined) !== (options.spCertFile === undefined)) {
    throw new Error('spKeyFile and spCertFile go together: give both or neither');
  }
  // Read when the server is built, so a bad pair stops the start rather than the first sign-in.
  const spCredentials =
    options.spKeyFile === undefined || options.spCertFile === undefined
      ? undefined
      : loadSpCredentials({ keyFile: options.spKeyFile, certFile: options.spCertFile });
  let shared: HandlerDeps | null = null;
  const depsFor = (context: Parameters<RouterMount<TeamService>['create']>[0]): HandlerDeps => {
    if (shared === null) {
      const serviceOptions: SignInServiceOptions = {
        port: context.service,
        directory: options.directory ?? directoryFromService(context.service),
        sessions: new SessionCodec({
          secret:
            options.sessionSecret ??
            options.store?.serverSecrets.getOrCreate(SESSION_SECRET_NAME, newSessionSecret) ??
            newSessionSecret(),
        }),
        ...storedSpState(options.store),
        baseUrl: () => context.urls().base,
        outbox: options.outbox ?? context.service.outbox,
        ...(options.clockSkewMs === undefined ? {} : { clockSkewMs: options.clockSkewMs }),
        ...(options.allowIdpInitiated === undefined ? {} : { allowIdpInitiated: options.allowIdpInitiated }),
        ...(spCredentials === undefined ? {} : { spCredentials }),
      };
      const signIn = new SignInService(serviceOptions);
      const service = context.service;
      const oidc = new OidcSignIn({
        signIn,
        directory: {
          ...serviceOptions.directory,
          findOidcClientSecret: (methodId) => service.findOidcClientSecret(methodId),
        },
        organisations: service,
        baseUrl: () => context.urls().base,
        rp: new OidcRelyingParty(options.onIdToken === undefined ? {} : { onRecord: options.onIdToken }),
      });
      options.onReady?.(signIn, oidc);
      shared = { signIn, logger: context.logger, oidc };
    }
    return shared;
  };
  return [
    { path: '/saml', create: (context) => createSamlRouter(depsFor(context), context.traffic) },
    { path: '/oidc', create: (context) => createOidcRouter(depsFor(context)) },
    { path: '/', create: (context) => createSignInRouter(depsFor(context)) },
  ];
}
