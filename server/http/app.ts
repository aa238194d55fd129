// The reference server's app factory: express 5 with /health, the SCIM API at /scim/v2, the control API at
// /control/v1, extra routers, the SAML SP and sign-in pages (idsim issue #3), a JSON 404, no stack traces (design.md).
import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ErrorRequestHandler, Express } from 'express';
import express from 'express';
import type { ServerConfig, ServerConfigInput, ServerUrls } from '../config.ts';
import {
  baseUrlFor,
  CONTROL_PATH,
  HEALTH_PATH,
  resolveServerConfig,
  SCIM_BASE_PATH,
  serverUrls,
} from '../config.ts';
import { controlErrorResponse } from '../control/errors.ts';
import { createControlRouter } from '../control/router.ts';
import type { OidcSignIn } from '../oidc/oidc-signin.ts';
import type { TeamService } from '../service/index.ts';
import { createTeamService } from '../service/index.ts';
import type { SignInService } from '../signin/signin-service.ts';
import type { Store } from '../store/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { TrafficRecorder } from '../traffic/recorder.ts';
import { indexPageHandler } from './index-page.ts';
import { createScimRouter } from './scim-router.ts';
import { createSignInMounts } from './signin-router.ts';

/** The repository's docs/ folder, served read-only at /docs (the index page links to it). */
const DOCS_DIR = join(import.meta.dirname, '..', '..', 'docs');

/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 2000;

export interface ServerHandle {
  readonly app: Express;
  readonly config: ServerConfig<TeamService>;
  /** the team service behind every API (ControlService and ScimDirectory) */
  readonly service: TeamService;
  /** the SAML SP and sign-in pages' service; null when config.signIn is false */
  readonly signIn: SignInService | null;
  /** the OpenID Connect sign-in (its relying party records every ID token checked); null when config.signIn is false */
  readonly oidc: OidcSignIn | null;
  /** the server's URLs; throws before listen() unless config.publicBaseUrl is set */
  readonly urls: ServerUrls;
  /** SCIM requests and validated SAML messages, for subscribers (the demo console's timeline) */
  readonly traffic: TrafficRecorder;
  /** binds config.host:config.port (or `port` if given); resolves once listening */
  listen(options?: { port?: number }): Promise<{ port: number; baseUrl: string }>;
  /** stops accepting, drops idle keep-alive connections, closes the store it opened; idempotent */
  close(): Promise<void>;
}

export interface ServerDependencies {
  /** a service built by the caller (e.g. shared with an in-process test World); the caller then owns its store */
  service?: TeamService;
  /** the store behind `service`, for the SP's SAML state (replay cache, pending requests, revocations, secret) */
  store?: Store;
}

export function createServer(
  input: ServerConfigInput<TeamService> = {},
  dependencies: ServerDependencies = {},
): ServerHandle {
  const config = resolveServerConfig(input);
  const { logger } = config;
  let store: Store | null = null;
  let service: TeamService;
  if (dependencies.service) {
    service = dependencies.service;
  } else {
    store = openSqliteStore({ path: config.dbPath });
    service = createTeamService(store);
  }

  let boundBaseUrl: string | null = null;
  const urls = (): ServerUrls => {
    const base = config.publicBaseUrl ?? boundBaseUrl;
    if (base === null) throw new Error('the server has no base URL until listen() resolves');
    return serverUrls(base);
  };

  const traffic = new TrafficRecorder();
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  // Every answer (SCIM and control JSON, metadata XML, pages) is read as the type it declares, never sniffed.
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });

  app.get(HEALTH_PATH, (_req, res) => {
    res.json({ ok: true });
  });
  app.get(
    '/',
    indexPageHandler(() => {
      const base = urls().base;
      return {
        urls: urls(),
        links: [
          ...config.extraRouters
            .filter((mount) => mount.indexLink !== undefined)
            .map((mount) => ({ href: `${base}${mount.path}/`, text: mount.indexLink ?? '' })),
          ...config.indexLinks().map((link) => ({
            href: link.href.startsWith('/') ? `${base}${link.href}` : link.href,
            text: link.text,
          })),
        ],
      };
    }),
  );
  app.use('/docs', express.static(DOCS_DIR, { index: false, fallthrough: true }));
  app.use(
    SCIM_BASE_PATH,
    createScimRouter(service, {
      maxBodyBytes: config.maxScimBodyBytes,
      logger,
      ...(config.publicBaseUrl === null ? {} : { publicBaseUrl: config.publicBaseUrl }),
      traffic,
    }),
  );
  app.use(
    CONTROL_PATH,
    createControlRouter(service, {
      controlToken: config.controlToken,
      logger,
      maxBodyBytes: config.maxControlBodyBytes,
    }),
  );
  for (const mount of config.extraRouters) {
    app.use(mount.path, mount.create({ service, logger, urls, traffic }));
  }
  let signIn: SignInService | null = null;
  let oidc: OidcSignIn | null = null;
  if (config.signIn !== false) {
    const options = config.signIn;
    // The SP's SAML state lives in the server's store by default, so a restart forgets nothing (idsim issue #10).
    const spStore = options.store ?? store ?? dependencies.store;
    const mounts = createSignInMounts({
      ...options,
      ...(spStore === null || spStore === undefined ? {} : { store: spStore }),
      onReady: (ready, readyOidc) => {
        signIn = ready;
        oidc = readyOidc;
        options.onReady?.(ready, readyOidc);
      },
    });
    for (const mount of mounts) app.use(mount.path, mount.create({ service, logger, urls, traffic }));
  }
  app.use((req, res) => {
    res.status(404).json({
      error: { code: 'route_not_found', message: `no route ${req.method} ${req.path}`, details: {} },
    });
  });
  const renderUnhandled: ErrorRequestHandler = (error, _req, res, _next) => {
    const response = controlErrorResponse(error, logger);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(response.status).json(response.body);
  };
  app.use(renderUnhandled);

  const server: Server = createHttpServer(app);
  let closing: Promise<void> | null = null;

  return {
    app,
    config,
    service,
    signIn,
    get oidc() {
      return oidc;
    },
    traffic,
    get urls() {
      return urls();
    },
    listen(options = {}) {
      const port = options.port ?? config.port;
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.once('error', onError);
        server.listen(port, config.host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          boundBaseUrl = baseUrlFor(config.host, address.port);
          const baseUrl = urls().base;
          logger.info('server listening', { baseUrl, port: address.port });
          resolve({ port: address.port, baseUrl });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const finish = (error?: Error): void => {
          store?.close();
          store = null;
          if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
          else resolve();
        };
        server.close(finish);
        // Idle keep-alive sockets go now; requests in flight get a short grace period, then are cut.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      return closing;
    },
  };
}
