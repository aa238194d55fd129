// Thin express routes of the sign-in pages (password, sign-up, invites, linking, reset, portal, landing pages) and the
// mounts the app factory adds. Catalogue JIT-04..07, DEA-02, REM-02, SSO-02..05, PRV-10, ORG-01..05; idsim issue #3.
import express, { type Router } from 'express';
import type { RouterMount } from '../config.ts';
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
import {
  newSessionSecret,
  type ResetOutbox,
  SignInService,
  type SignInServiceOptions,
} from '../signin/signin-service.ts';
import { createSamlRouter, formParser, route } from './saml-router.ts';

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
  router.get('/:org/login/sso', route(portalSso, deps));
  router.get('/:org/home', route(organisationHome, deps));
  return router;
}

export interface SignInMountOptions {
  /** auth methods by id and the portal's method; default: the service's own lookups (see port.ts) */
  directory?: AuthMethodDirectory;
  /** 32+ bytes; default: random per process (sessions end on restart) */
  sessionSecret?: Buffer;
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
  onReady?: (signIn: SignInService) => void;
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
        sessions: new SessionCodec({ secret: options.sessionSecret ?? newSessionSecret() }),
        baseUrl: () => context.urls().base,
        outbox: options.outbox ?? context.service.outbox,
        ...(options.clockSkewMs === undefined ? {} : { clockSkewMs: options.clockSkewMs }),
        ...(options.allowIdpInitiated === undefined ? {} : { allowIdpInitiated: options.allowIdpInitiated }),
        ...(spCredentials === undefined ? {} : { spCredentials }),
      };
      const signIn = new SignInService(serviceOptions);
      options.onReady?.(signIn);
      shared = { signIn, logger: context.logger };
    }
    return shared;
  };
  return [
    { path: '/saml', create: (context) => createSamlRouter(depsFor(context), context.traffic) },
    { path: '/', create: (context) => createSignInRouter(depsFor(context)) },
  ];
}
