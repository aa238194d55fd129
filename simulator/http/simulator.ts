// The simulator's app factory: createSimulator(config) → a handle with listen()/close(), its directory and IdP.
// idsim issue #3 (express 5, 127.0.0.1:0, per-test isolation, a handle to close); saml-notes.md pitfalls.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { type ResolvedSimulatorConfig, resolveSimulatorConfig, type SimulatorConfig } from '../config.ts';
import { type Directory, seedDirectory } from '../directory/index.ts';
import { OidcProvider } from '../oidc/provider.ts';
import { oktaApiRoutes } from '../okta-api/routes.ts';
import { IdentityProvider, type IdpEndpoints } from '../saml/idp.ts';
import { defaultSigningCredentials, signingCredentialsFromPem } from '../saml/keys.ts';
import { SessionStore } from '../saml/session.ts';
import { apiRoutes } from './api-routes.ts';
import { errorRenderer, notFound } from './errors.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { samlRoutes } from './saml-routes.ts';

export interface SimulatorHandle {
  /** Binds (127.0.0.1:0 by default) and resolves with the base URL once listening. */
  listen(): Promise<{ baseUrl: string }>;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
  /** The base URL; throws before listen() unless publicBaseUrl was configured. */
  readonly baseUrl: string;
  readonly directory: Directory;
  readonly idp: IdentityProvider;
  /** The OpenID Connect provider (oidc-provider) at `/oauth2/default`, over the same directory and sessions. */
  readonly oidc: OidcProvider;
  /** The express app, for mounting in another server. */
  readonly app: Express;
  readonly config: ResolvedSimulatorConfig;
}

export function createSimulator(input: SimulatorConfig = {}): SimulatorHandle {
  const config = resolveSimulatorConfig(input);
  const directory =
    config.directory ?? seedDirectory({ seed: config.seed, people: config.people, groups: config.groups });
  const credentials =
    config.signing === undefined
      ? defaultSigningCredentials()
      : signingCredentialsFromPem(config.signing.privateKeyPem, config.signing.certPem);
  let boundBaseUrl: string | undefined;
  const baseUrl = (): string => {
    const url = config.publicBaseUrl ?? boundBaseUrl;
    if (url === undefined) throw new Error('the simulator is not listening yet');
    return url;
  };
  const endpoints = (): IdpEndpoints => {
    const base = baseUrl();
    return {
      baseUrl: base,
      entityId: config.entityId ?? `${base}/metadata`,
      ssoUrl: `${base}/saml/sso`,
      sloUrl: `${base}/saml/slo`,
      loginUrl: `${base}/login`,
    };
  };
  const sessions = new SessionStore(config.sessionTtlMs, config.now);
  const idp = new IdentityProvider({
    directory,
    sessions,
    credentials,
    now: config.now,
    assertionTtlMs: config.assertionTtlMs,
    loginContextTtlMs: config.loginContextTtlMs,
    endpoints,
  });

  const oidc = new OidcProvider({
    directory,
    sessions,
    now: config.now,
    baseUrl,
    sessionTtlMs: config.sessionTtlMs,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Okta's management API subset first: /api/v1/... is its, the rest of /api the simulator's own JSON API.
  app.use(
    '/api/v1',
    oktaApiRoutes({ directory, sessions, token: config.oktaApiToken, baseUrl, now: config.now }),
  );
  app.use('/api', apiRoutes(idp, oidc));
  app.use(oidcRoutes(oidc, sessions, () => baseUrl().startsWith('https:')));
  app.use(samlRoutes(idp, { loginHint: config.loginHint }));
  app.use(notFound);
  app.use(errorRenderer(config.onUnexpectedError));

  let server: Server | undefined;
  return {
    listen() {
      return new Promise((resolve, reject) => {
        const s = app.listen(config.port, config.host, (error?: Error) => {
          if (error !== undefined) {
            reject(error);
            return;
          }
          const address = s.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          boundBaseUrl = `http://${host}:${address.port}`;
          resolve({ baseUrl: baseUrl() });
        });
        server = s;
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (s === undefined) return Promise.resolve();
      return new Promise((resolve, reject) => {
        s.close((error) => (error === undefined ? resolve() : reject(error)));
        s.closeAllConnections();
      });
    },
    get baseUrl() {
      return baseUrl();
    },
    directory,
    idp,
    oidc,
    app,
    config,
  };
}
